// Inline message box for errors, notices and successes.
import type { ReactNode } from 'react';

export interface AlertProps {
  tone?: 'error' | 'info' | 'success' | 'warning';
  title?: string;
  children?: ReactNode;
}

export function Alert({ tone = 'error', title, children }: AlertProps) {
  return (
    <div className={`alert alert--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title && <strong className="alert__title">{title}</strong>}
      {children && <div className="alert__body">{children}</div>}
    </div>
  );
}

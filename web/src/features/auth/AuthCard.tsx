// The centred card layout shared by the sign-in, registration and workspace-invite pages.
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export interface AuthCardProps {
  title: string;
  subtitle?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
}

export function AuthCard({ title, subtitle, children, footer }: AuthCardProps) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <Link to="/" className="brand brand--large" aria-label="CodeView home">
          <span className="brand__mark" aria-hidden="true">
            &lt;/&gt;
          </span>
          CodeView
        </Link>
        <h1 className="auth-card__title">{title}</h1>
        {subtitle && <p className="auth-card__subtitle">{subtitle}</p>}
        {children}
        {footer && <p className="auth-card__footer">{footer}</p>}
      </div>
    </main>
  );
}

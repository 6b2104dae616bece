// The centred card layout shared by the sign-in and registration pages.
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle: string; children: ReactNode; footer: ReactNode }) {
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
        <p className="auth-card__subtitle">{subtitle}</p>
        {children}
        <p className="auth-card__footer">{footer}</p>
      </div>
    </main>
  );
}

// The centred single-card screen the candidate sees (join form, lobby, ended, errors).
import type { ReactNode } from 'react';

export function StatusScreen({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <main className="auth-page">
      <div className="auth-card status-card" data-testid={testId}>
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            &lt;/&gt;
          </span>
          CodeView
        </div>
        {children}
      </div>
    </main>
  );
}

export function EndedScreen({ title }: { title?: string | undefined }) {
  return (
    <StatusScreen testId="interview-ended">
      <h1 className="auth-card__title">This interview has ended</h1>
      <p className="auth-card__subtitle">
        {title ? <>“{title}” is over. </> : null}
        Thank you for taking part — you can close this window.
      </p>
    </StatusScreen>
  );
}

// Registration page: name, email, password. Field errors from the server (`error.fields`,
// e.g. a taken email) appear under the matching input, and focus moves to the first one.
// The server's registration mode decides what is offered: with `?invite=<token>` (a workspace
// invite) the email is locked to the invited address and the token is sent along; without
// one, an invite-only or closed server gets an explanation instead of the form.
import { useEffect, useState, type ReactNode } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import * as auth from '../../api/auth';
import { ApiError, errorMessage } from '../../api/client';
import type { InvitePreview, RegistrationMode } from '../../api/types';
import { getInvitePreview } from '../../api/workspaces';
import { Alert } from '../../components/Alert';
import { WORKSPACE_ROLE_LABELS } from '../../components/Badges';
import { ErrorState } from '../../components/ErrorState';
import { Field, controlProps } from '../../components/Field';
import { LoadingBlock } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';
import { useFormSubmit, type FormFailure } from '../../lib/useFormSubmit';
import { PASSWORD_MIN, validateRegistration } from '../../lib/validation';
import { inviteProblem } from '../workspaces/inviteProblems';
import { AuthCard } from './AuthCard';
import { safeNext } from './safeNext';
import { useSession } from './session';

const FIELD_ORDER = ['name', 'email', 'password'] as const;

interface Invitation {
  token: string;
  preview: InvitePreview;
}

interface Gate {
  /** Null when the server did not say (then the form is shown and the server decides). */
  mode: RegistrationMode | null;
  invitation: Invitation | null;
}

async function loadGate(token: string | null, signal: AbortSignal): Promise<Gate> {
  const [mode, preview] = await Promise.all([
    auth.registrationMode(signal).catch(() => null),
    token ? getInvitePreview(token, signal) : null,
  ]);
  return { mode, invitation: token && preview ? { token, preview } : null };
}

export default function RegisterPage() {
  const { session } = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const token = params.get('invite');
  const gate = useAsync((signal) => loadGate(token, signal), [token]);

  useEffect(() => {
    document.title = 'Create account · CodeView';
  }, []);

  if (session.kind === 'user') return <Navigate to={next} replace />;

  const signIn = (
    <>
      Already have an account? <Link to={signInPath(next, token)}>Sign in</Link>
    </>
  );
  if (gate.loading) {
    return (
      <AuthCard title="Create your account" subtitle="Checking who may register…">
        <LoadingBlock />
      </AuthCard>
    );
  }
  if (gate.error || !gate.data) {
    const problem = inviteProblem(gate.error);
    if (problem) return <AuthCard title={problem.title} subtitle={problem.detail} footer={signIn} />;
    return (
      <AuthCard title="Create your account" footer={signIn}>
        <ErrorState error={gate.error} onRetry={gate.reload} />
      </AuthCard>
    );
  }
  const { mode, invitation } = gate.data;
  if (mode === 'closed') {
    return (
      <AuthCard
        title="Registration is closed"
        subtitle="Registration on this server is closed: nobody can create an account here."
        footer={signIn}
      />
    );
  }
  if (mode === 'invite-only' && !invitation) {
    return (
      <AuthCard
        title="Registration is by invitation"
        subtitle="Registration on this server is by invitation only. Ask a workspace owner or admin to invite you: their invitation link lets you create your account."
        footer={signIn}
      />
    );
  }
  return <RegisterForm next={next} invitation={invitation} footer={signIn} />;
}

/** A refused registration: the invitation's problem, a taken email, or the server's field errors. */
function registrationFailure(error: unknown): FormFailure {
  const problem = inviteProblem(error);
  if (problem) return { form: `${problem.title}. ${problem.detail}` };
  if (error instanceof ApiError && error.status === 409 && !error.isValidation) {
    return { fields: { email: error.message || 'An account with this email already exists.' } };
  }
  if (error instanceof ApiError && error.isValidation) {
    const known = FIELD_ORDER.some((f) => error.fields[f]);
    return { fields: error.fields, form: known ? undefined : error.message };
  }
  return { form: errorMessage(error) };
}

/** After signing in from an invitation, back to it (to accept it). */
function signInPath(next: string, token: string | null): string {
  const target = token ? `/invites/${encodeURIComponent(token)}` : next;
  return target === '/' ? '/login' : `/login?next=${encodeURIComponent(target)}`;
}

function RegisterForm({
  next,
  invitation,
  footer,
}: {
  next: string;
  invitation: Invitation | null;
  footer: ReactNode;
}) {
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState(invitation?.preview.email ?? '');
  const [password, setPassword] = useState('');
  const form = useFormSubmit({
    fieldOrder: FIELD_ORDER,
    validate: () => validateRegistration(name, email, password),
    submit: async () => {
      const input: auth.RegisterInput = { name: name.trim(), email: email.trim(), password };
      if (invitation) input.invite = invitation.token;
      const user = await auth.register(input);
      signedIn(user);
      navigate(next, { replace: true });
    },
    failure: registrationFailure,
  });
  const { errors, formError, pending } = form;

  const preview = invitation?.preview;
  return (
    <AuthCard
      title="Create your account"
      subtitle={
        preview ? (
          <>
            Join <strong>{preview.workspace_name}</strong> on CodeView as{' '}
            {WORKSPACE_ROLE_LABELS[preview.role].toLowerCase()}.
          </>
        ) : (
          'Set up interviews, build a question bank and invite candidates.'
        )
      }
      footer={footer}
    >
      <form className="form" onSubmit={form.onSubmit} noValidate aria-busy={pending}>
        {formError && <Alert tone="error">{formError}</Alert>}
        <Field id="name" label="Full name" error={errors['name']}>
          <input
            {...controlProps('name', errors['name'])}
            type="text"
            autoComplete="name"
            autoFocus
            className="input"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <Field
          id="email"
          label="Work email"
          error={errors['email']}
          hint={preview ? 'The invitation is for this address.' : undefined}
        >
          <input
            {...controlProps('email', errors['email'], Boolean(preview))}
            type="email"
            autoComplete="email"
            className="input"
            readOnly={Boolean(preview)}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field id="password" label="Password" error={errors['password']} hint={`At least ${PASSWORD_MIN} characters.`}>
          <input
            {...controlProps('password', errors['password'], true)}
            type="password"
            autoComplete="new-password"
            className="input"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn btn--primary btn--block" disabled={pending}>
          {pending ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthCard>
  );
}

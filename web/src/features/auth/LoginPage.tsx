// Sign-in page: email + password, client checks first, then the server's answer. The link to
// create an account shows only when this server lets anyone register.
import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import * as auth from '../../api/auth';
import { ApiError, errorMessage } from '../../api/client';
import { Alert } from '../../components/Alert';
import { Field, controlProps } from '../../components/Field';
import { useAsync } from '../../lib/useAsync';
import { useFormSubmit } from '../../lib/useFormSubmit';
import { validateLogin } from '../../lib/validation';
import { AuthCard } from './AuthCard';
import { safeNext } from './safeNext';
import { useSession } from './session';

/** An interview room: a candidate who lost their session may land here from it. */
const ROOM_PATH = /^\/interviews\/[^/?#]+\/room$/;

export default function LoginPage() {
  const { session, signedIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useFormSubmit({
    fieldOrder: ['email', 'password'],
    validate: () => validateLogin(email, password),
    submit: async () => {
      const user = await auth.login({ email: email.trim(), password });
      signedIn(user);
      navigate(next, { replace: true });
    },
    // Whatever went wrong, the password is what to type again.
    failure: (error) => {
      if (error instanceof ApiError && error.status === 401) {
        return { form: 'That email and password do not match an account.', focus: 'password' };
      }
      if (error instanceof ApiError && error.isValidation) return { fields: error.fields, focus: 'password' };
      return { form: errorMessage(error), focus: 'password' };
    },
  });
  const { errors, formError, pending } = form;
  const registration = useAsync((signal) => auth.registrationMode(signal), []);
  // Unknown (the server did not say): offer it, the registration page explains a refusal.
  const canRegister = registration.data === 'open' || (registration.error !== undefined && !registration.loading);

  useEffect(() => {
    document.title = 'Sign in · CodeView';
  }, []);

  if (session.kind === 'user') return <Navigate to={next} replace />;

  return (
    <AuthCard
      title="Sign in"
      subtitle="Welcome back. Sign in to run your interviews."
      footer={
        canRegister && (
          <>
            New to CodeView?{' '}
            <Link to={next === '/' ? '/register' : `/register?next=${encodeURIComponent(next)}`}>
              Create an account
            </Link>
          </>
        )
      }
    >
      <form className="form" onSubmit={form.onSubmit} noValidate aria-busy={pending}>
        {ROOM_PATH.test(next) && (
          <Alert tone="info" title="Taking part as the candidate?">
            Candidates have no account: open the invite link from your invitation again.
          </Alert>
        )}
        {formError && <Alert tone="error">{formError}</Alert>}
        <Field id="email" label="Email" error={errors['email']}>
          <input
            {...controlProps('email', errors['email'])}
            type="email"
            autoComplete="email"
            autoFocus
            className="input"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field id="password" label="Password" error={errors['password']}>
          <input
            {...controlProps('password', errors['password'])}
            type="password"
            autoComplete="current-password"
            className="input"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn btn--primary btn--block" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthCard>
  );
}

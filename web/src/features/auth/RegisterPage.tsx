// Registration page: name, email, password. Field errors from the server (`error.fields`,
// e.g. a taken email) appear under the matching input, and focus moves to the first one.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import * as auth from '../../api/auth';
import { ApiError, errorMessage, type FieldErrors } from '../../api/client';
import { Alert } from '../../components/Alert';
import { Field, controlProps } from '../../components/Field';
import { PASSWORD_MIN, hasErrors, validateRegistration } from '../../lib/validation';
import { AuthCard } from './AuthCard';
import { safeNext } from './safeNext';
import { useSession } from './session';

const FIELD_ORDER = ['name', 'email', 'password'] as const;

export default function RegisterPage() {
  const { session, signedIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    document.title = 'Create account · CodeView';
  }, []);

  if (session.kind === 'user') return <Navigate to={next} replace />;

  const focusFirstError = (found: FieldErrors) => {
    const first = FIELD_ORDER.find((f) => found[f]);
    if (first) formRef.current?.querySelector<HTMLInputElement>(`#${first}`)?.focus();
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validateRegistration(name, email, password);
    setErrors(found);
    setFormError(null);
    if (hasErrors(found)) {
      focusFirstError(found);
      return;
    }
    setBusy(true);
    try {
      const user = await auth.register({ name: name.trim(), email: email.trim(), password });
      signedIn(user);
      navigate(next, { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && !error.isValidation) {
        const fields = { email: error.message || 'An account with this email already exists.' };
        setErrors(fields);
        focusFirstError(fields);
      } else if (error instanceof ApiError && error.isValidation) {
        setErrors(error.fields);
        const known = FIELD_ORDER.some((f) => error.fields[f]);
        if (!known) setFormError(error.message);
        focusFirstError(error.fields);
      } else {
        setFormError(errorMessage(error));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title="Create your account"
      subtitle="Set up interviews, build a question bank and invite candidates."
      footer={
        <>
          Already have an account? <Link to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`}>Sign in</Link>
        </>
      }
    >
      <form className="form" onSubmit={onSubmit} noValidate ref={formRef} aria-busy={busy}>
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
        <Field id="email" label="Work email" error={errors['email']}>
          <input
            {...controlProps('email', errors['email'])}
            type="email"
            autoComplete="email"
            className="input"
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
        <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
          {busy ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthCard>
  );
}

// Who is in the interview, with their roles; hosts and interviewers can add co-interviewers
// and observers by email (members of the interview's workspace only: a refusal on the email
// is shown on the field, with a link to invite them to the workspace; when the server sends
// email, a notice says whether they were emailed the interview's link) and the host can remove
// them.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, errorMessage } from '../../api/client';
import { addParticipant, removeParticipant } from '../../api/interviews';
import type { InvitableRole, Participant, Role, Uuid } from '../../api/types';
import { Alert } from '../../components/Alert';
import { RoleBadge } from '../../components/Badges';
import { Card } from '../../components/Card';
import { controlProps } from '../../components/Field';
import { useFormSubmit } from '../../lib/useFormSubmit';
import { isEmail } from '../../lib/validation';
import { initials } from '../../lib/format';
import { invitePeoplePath } from '../workspaces/workspacePaths';

export interface ParticipantsCardProps {
  interviewId: Uuid;
  /** The interview's workspace, whose members can be added (absent: no invite hint). */
  workspaceId: Uuid | undefined;
  participants: Participant[];
  myRole: Role | null;
  canInvite: boolean;
  /** The server sends email: people added are emailed the interview's link. */
  emailEnabled?: boolean;
  onChange: (participants: Participant[]) => void;
}

const EMAIL_ID = 'participant-email';
const ROLE_ORDER: Record<Role, number> = { host: 0, interviewer: 1, observer: 2, candidate: 3 };

export function ParticipantsCard({
  interviewId,
  workspaceId,
  participants,
  myRole,
  canInvite,
  emailEnabled = false,
  onChange,
}: ParticipantsCardProps) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<InvitableRole>('interviewer');
  /** Why removing someone failed. */
  const [removeError, setRemoveError] = useState<string | null>(null);
  /** The server refused the email as no member of the workspace: the field links to inviting them. */
  const [notMember, setNotMember] = useState(false);
  /** What became of the email to the person just added (only when the server sends email). */
  const [added, setAdded] = useState<{ name: string; emailed: boolean } | null>(null);
  const form = useFormSubmit({
    fieldOrder: ['email'],
    fieldIds: { email: EMAIL_ID },
    validate: () => (isEmail(email) ? {} : { email: 'Enter the email address of a member of this workspace.' }),
    submit: async () => {
      const result = await addParticipant(interviewId, email.trim(), role);
      onChange([...participants, result.participant]);
      if (emailEnabled) setAdded({ name: result.participant.name, emailed: result.email_sent });
      setEmail('');
    },
    failure: (error) => {
      if (error instanceof ApiError && error.status === 404) {
        return { form: 'No CodeView account uses that email. Ask them to register first.' };
      }
      if (error instanceof ApiError && error.status === 409) {
        return { form: 'That person is already part of this interview.' };
      }
      const refused = error instanceof ApiError ? error.fields['email'] : undefined;
      if (refused) {
        setNotMember(true);
        return { fields: { email: refused } };
      }
      return { form: errorMessage(error) };
    },
  });
  const emailError = form.errors['email'];
  const message = removeError ?? form.formError;
  const sorted = [...participants].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);

  const onAdd = (e: FormEvent) => {
    setRemoveError(null);
    setNotMember(false);
    setAdded(null);
    void form.onSubmit(e);
  };

  const onRemove = async (p: Participant) => {
    setRemoveError(null);
    form.reset();
    try {
      await removeParticipant(interviewId, p.id);
      onChange(participants.filter((x) => x.id !== p.id));
    } catch (err) {
      setRemoveError(errorMessage(err));
    }
  };

  return (
    <Card title="Participants" aside={<span className="muted small">{participants.length}</span>} bare>
      <ul className="list" data-testid="participants">
        {sorted.map((p) => (
          <li key={p.id} className="list__item">
            <span className="avatar" aria-hidden="true">
              {initials(p.name)}
            </span>
            <div className="list__main">
              <div>{p.name}</div>
              {p.email && <div className="muted small">{p.email}</div>}
            </div>
            <RoleBadge role={p.role} />
            {myRole === 'host' && (p.role === 'interviewer' || p.role === 'observer') && (
              <button
                type="button"
                className="btn btn--ghost btn--small"
                onClick={() => void onRemove(p)}
                aria-label={`Remove ${p.name}`}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {canInvite && (
        <form className="card__body participants__add" onSubmit={onAdd} noValidate>
          {message && <Alert tone="error">{message}</Alert>}
          {added && (
            <Alert tone={added.emailed ? 'success' : 'info'}>
              {added.emailed
                ? `${added.name} was added and emailed the interview's link.`
                : `${added.name} was added, but the email could not be sent: share the interview's page with them.`}
            </Alert>
          )}
          <div className="row" style={{ alignItems: 'flex-end' }}>
            <div className="field" style={{ flex: 1, minWidth: 200 }}>
              <label className="field__label" htmlFor={EMAIL_ID}>
                Add by email
              </label>
              <input
                {...controlProps(EMAIL_ID, emailError)}
                type="email"
                className="input"
                placeholder="colleague@company.com"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </div>
            <div className="field">
              <label className="field__label" htmlFor="participant-role">
                Role
              </label>
              <select
                id="participant-role"
                className="select"
                value={role}
                onChange={(e) => setRole(e.target.value as InvitableRole)}
              >
                <option value="interviewer">Interviewer</option>
                <option value="observer">Observer</option>
              </select>
            </div>
            <button type="submit" className="btn btn--secondary" disabled={form.pending}>
              {form.pending ? 'Adding…' : 'Add'}
            </button>
          </div>
          {emailError && (
            <div className="field__error" id={`${EMAIL_ID}-error`}>
              {emailError}
              {notMember && workspaceId && (
                <>
                  {' '}
                  <Link to={invitePeoplePath(workspaceId)}>Invite them to the workspace</Link> first.
                </>
              )}
            </div>
          )}
        </form>
      )}
    </Card>
  );
}

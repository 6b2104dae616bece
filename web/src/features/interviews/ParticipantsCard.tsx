// Who is in the interview, with their roles; hosts and interviewers can add co-interviewers
// and observers by email (members of the interview's workspace only: a refusal on the email
// is shown on the field, with a link to invite them to the workspace) and the host can remove
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
  onChange: (participants: Participant[]) => void;
}

const ROLE_ORDER: Record<Role, number> = { host: 0, interviewer: 1, observer: 2, candidate: 3 };

export function ParticipantsCard({
  interviewId,
  workspaceId,
  participants,
  myRole,
  canInvite,
  onChange,
}: ParticipantsCardProps) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<InvitableRole>('interviewer');
  const [error, setError] = useState<string | null>(null);
  /** Why the email was refused, shown on the field; `notMember` when the server said so. */
  const [emailError, setEmailError] = useState<{ message: string; notMember: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const sorted = [...participants].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);

  const onAdd = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setEmailError(null);
    if (!isEmail(email)) {
      setEmailError({ message: 'Enter the email address of a member of this workspace.', notMember: false });
      return;
    }
    setBusy(true);
    try {
      const added = await addParticipant(interviewId, email.trim(), role);
      onChange([...participants, added]);
      setEmail('');
    } catch (err) {
      if (err instanceof ApiError && err.status === 404)
        setError('No CodeView account uses that email. Ask them to register first.');
      else if (err instanceof ApiError && err.status === 409)
        setError('That person is already part of this interview.');
      else if (err instanceof ApiError && err.fields['email'])
        setEmailError({ message: err.fields['email'], notMember: true });
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const onRemove = async (p: Participant) => {
    setError(null);
    try {
      await removeParticipant(interviewId, p.id);
      onChange(participants.filter((x) => x.id !== p.id));
    } catch (err) {
      setError(errorMessage(err));
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
          {error && <Alert tone="error">{error}</Alert>}
          <div className="row" style={{ alignItems: 'flex-end' }}>
            <div className="field" style={{ flex: 1, minWidth: 200 }}>
              <label className="field__label" htmlFor="participant-email">
                Add by email
              </label>
              <input
                {...controlProps('participant-email', emailError?.message)}
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
            <button type="submit" className="btn btn--secondary" disabled={busy}>
              {busy ? 'Adding…' : 'Add'}
            </button>
          </div>
          {emailError && (
            <div className="field__error" id="participant-email-error">
              {emailError.message}
              {emailError.notMember && workspaceId && (
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

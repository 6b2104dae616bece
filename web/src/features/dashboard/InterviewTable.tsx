// The table of interviews on the dashboard (one tab's worth, already filtered). Its "when" column
// says what matters on each tab: the schedule for upcoming ones, when a live one started, and
// when a past one actually ran and for how long. On phones its rows become labelled blocks
// (table--stack).
import { Link } from 'react-router';
import { LANGUAGE_LABELS, type Interview } from '../../api/types';
import { RoleBadge, StatusBadge } from '../../components/Badges';
import { formatDateTime, formatDuration, formatElapsed } from '../../lib/format';
import type { InterviewTab } from './interviewFilters';

const WHEN_HEADER: Record<InterviewTab, string> = { upcoming: 'Scheduled', live: 'Started', past: 'Ran' };

function When({ interview: i }: { interview: Interview }) {
  if (i.status === 'scheduled' || !i.started_at) {
    return (
      <>
        {formatDateTime(i.scheduled_at)}
        <span className="table__sub">
          {i.status === 'ended' ? 'Never started' : `${formatDuration(i.duration_minutes)} planned`}
        </span>
      </>
    );
  }
  return (
    <>
      {formatDateTime(i.started_at)}
      <span className="table__sub">
        {i.status === 'ended'
          ? `Ran ${formatElapsed(i.started_at, i.ended_at)}`
          : `${formatDuration(i.duration_minutes)} planned`}
      </span>
    </>
  );
}

export function InterviewTable({ interviews, tab }: { interviews: Interview[]; tab: InterviewTab }) {
  return (
    <div className="table-wrap">
      <table className="table table--stack" data-testid="interview-table">
        <thead>
          <tr>
            <th scope="col">Interview</th>
            <th scope="col">Candidate</th>
            <th scope="col">{WHEN_HEADER[tab]}</th>
            <th scope="col">Language</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {interviews.map((i) => (
            <tr key={i.id}>
              <td>
                <Link className="table__title" to={`/interviews/${i.id}`}>
                  {i.title}
                </Link>
                <span className="table__sub">
                  Room <span className="room-code">{i.room_code}</span>
                  {i.my_role && i.my_role !== 'host' && (
                    <>
                      {' · '}
                      <RoleBadge role={i.my_role} />
                    </>
                  )}
                </span>
              </td>
              <td data-label="Candidate" className="cell-wrap">
                {i.candidate_name ?? <span className="muted">—</span>}
                {i.candidate_email && <span className="table__sub">{i.candidate_email}</span>}
              </td>
              <td data-label="When">
                <When interview={i} />
              </td>
              <td data-label="Language">
                {i.language ? LANGUAGE_LABELS[i.language] : <span className="muted">—</span>}
              </td>
              <td data-label="Status">
                <StatusBadge status={i.status} />
              </td>
              <td className="table__actions">
                <div className="table__buttons">
                  {i.status === 'live' && (
                    <Link className="btn btn--primary btn--small" to={`/interviews/${i.id}/room`}>
                      Join room
                    </Link>
                  )}
                  <Link className="btn btn--secondary btn--small" to={`/interviews/${i.id}`}>
                    Open
                  </Link>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

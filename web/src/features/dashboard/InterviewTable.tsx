// The table of interviews on the dashboard (one tab's worth, already filtered). On phones its
// rows become labelled blocks (table--stack).
import { Link } from 'react-router';
import { LANGUAGE_LABELS, type Interview } from '../../api/types';
import { RoleBadge, StatusBadge } from '../../components/Badges';
import { formatDateTime, formatDuration } from '../../lib/format';

export function InterviewTable({ interviews }: { interviews: Interview[] }) {
  return (
    <div className="table-wrap">
      <table className="table table--stack" data-testid="interview-table">
        <thead>
          <tr>
            <th scope="col">Interview</th>
            <th scope="col">Candidate</th>
            <th scope="col">When</th>
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
                {formatDateTime(i.scheduled_at)}
                <span className="table__sub">{formatDuration(i.duration_minutes)}</span>
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

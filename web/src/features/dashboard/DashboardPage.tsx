// Dashboard: greets the signed-in user and lists their interviews in the current workspace in
// Upcoming / Live / Past tabs with text and language filters. Workspace, tab and filters live
// in the URL so links and reloads keep them; without a tab in the URL it opens on Live while an
// interview is live.
import { useEffect, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { listInterviews } from '../../api/interviews';
import { LANGUAGES, LANGUAGE_LABELS, type Language } from '../../api/types';
import { Card } from '../../components/Card';
import { ErrorState } from '../../components/ErrorState';
import { FilterInput, FilterSelect } from '../../components/Filters';
import { EmptyState, PageHeader } from '../../components/PageHeader';
import { LoadingBlock } from '../../components/Spinner';
import { useAsync } from '../../lib/useAsync';
import { onTabListKeyDown } from '../../lib/tablistKeys';
import { useUser } from '../auth/session';
import { useWorkspaceParam } from '../workspaces/useWorkspaceParam';
import { NotMemberNotice } from '../workspaces/NotMemberNotice';
import { questionBankPath } from '../workspaces/workspacePaths';
import {
  INTERVIEW_TABS,
  countByTab,
  defaultTab,
  interviewsForTab,
  parseTab,
  type InterviewTab,
} from './interviewFilters';
import { InterviewTable } from './InterviewTable';

const EMPTY_TEXT: Record<InterviewTab, string> = {
  upcoming: 'No upcoming interviews.',
  live: 'No interviews are live right now.',
  past: 'No past interviews yet.',
};

export default function DashboardPage() {
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const languageParam = params.get('language') ?? '';
  const language: Language | '' = (LANGUAGES as readonly string[]).includes(languageParam)
    ? (languageParam as Language)
    : '';
  const { workspace, notMember } = useWorkspaceParam();
  const { data, error, loading, reload } = useAsync(
    (signal) => listInterviews({ workspace: workspace.id }, signal),
    [workspace.id],
  );

  useEffect(() => {
    document.title = 'Dashboard · CodeView';
  }, []);

  const tab = parseTab(params.get('tab')) ?? defaultTab(data ?? []);
  const counts = useMemo(() => countByTab(data ?? []), [data]);
  const rows = useMemo(() => interviewsForTab(data ?? [], tab, { q, language }), [data, tab, q, language]);

  const setParam = (key: string, value: string) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  };

  const filtered = q.trim() !== '' || language !== '';
  const firstName = user.name.split(/\s+/)[0] ?? user.name;

  return (
    <>
      <PageHeader
        title={<span data-testid="welcome">Welcome, {firstName}</span>}
        subtitle={
          <>
            Your interviews in <strong>{workspace.name}</strong>
          </>
        }
        actions={
          <>
            <Link to={questionBankPath(workspace.id)} className="btn btn--secondary">
              Question bank
            </Link>
            <Link to="/interviews/new" className="btn btn--primary">
              New interview
            </Link>
          </>
        }
      />
      {notMember && <NotMemberNotice workspace={workspace} />}
      <Card title="Your interviews">
        <div className="tabs" role="tablist" aria-label="Interview status" onKeyDown={onTabListKeyDown}>
          {INTERVIEW_TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`interview-tab-${t.id}`}
              aria-controls="interview-tabpanel"
              className="tabs__tab"
              aria-selected={tab === t.id}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => setParam('tab', t.id)}
            >
              {t.label}
              <span className="tabs__count">{counts[t.id]}</span>
            </button>
          ))}
        </div>
        <div className="toolbar" role="search">
          <FilterInput
            id="interview-search"
            label="Search"
            search
            placeholder="Title, candidate or room code"
            value={q}
            onChange={(value) => setParam('q', value)}
          />
          <FilterSelect
            id="interview-language"
            label="Language"
            anyLabel="All languages"
            options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_LABELS[l] }))}
            value={language}
            onChange={(value) => setParam('language', value)}
          />
        </div>
        <div role="tabpanel" id="interview-tabpanel" aria-labelledby={`interview-tab-${tab}`}>
          {loading && !data ? (
            <LoadingBlock label="Loading interviews…" />
          ) : error ? (
            <ErrorState error={error} onRetry={reload} />
          ) : rows.length === 0 ? (
            <EmptyState title={filtered ? 'No interviews match these filters.' : EMPTY_TEXT[tab]}>
              {!filtered && tab === 'upcoming' && (
                <>
                  <p>Schedule one and send the candidate their invite link.</p>
                  <Link to="/interviews/new" className="btn btn--primary">
                    New interview
                  </Link>
                </>
              )}
            </EmptyState>
          ) : (
            <InterviewTable interviews={rows} tab={tab} />
          )}
        </div>
      </Card>
    </>
  );
}

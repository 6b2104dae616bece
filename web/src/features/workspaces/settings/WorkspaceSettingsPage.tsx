// /workspaces/:id/settings: a workspace's settings in sections: General (name, defaults,
// run limit, default rubric), Members, Invite people, Export (owners/admins) and the Danger
// zone (owners). Opening it makes that workspace the current one; `#invite` scrolls to the
// invite form. A workspace one is not a member of is "not found" (the server's 404).
import { useEffect } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { getWorkspace } from '../../../api/workspaces';
import { Alert } from '../../../components/Alert';
import { WorkspaceRoleBadge } from '../../../components/Badges';
import { ErrorState } from '../../../components/ErrorState';
import { PageHeader } from '../../../components/PageHeader';
import { LoadingBlock } from '../../../components/Spinner';
import { useAsync } from '../../../lib/useAsync';
import { useUser } from '../../auth/session';
import { useWorkspaces } from '../currentWorkspace';
import { canDeleteWorkspace, canManage } from '../workspaceRoles';
import { dashboardPath } from '../workspacePaths';
import { DangerZoneCard } from './DangerZoneCard';
import { ExportCard } from './ExportCard';
import { GeneralSettingsCard } from './GeneralSettingsCard';
import { INVITE_SECTION_ID, InvitePeopleCard } from './InvitePeopleCard';
import { MembersCard } from './MembersCard';

export default function WorkspaceSettingsPage() {
  const { id = '' } = useParams();
  const { hash } = useLocation();
  const user = useUser();
  const { workspaces, current, switchTo, changed } = useWorkspaces();
  const { data: workspace, error, loading, reload, setData } = useAsync((signal) => getWorkspace(id, signal), [id]);
  const listed = workspaces.some((w) => w.id === id);

  useEffect(() => {
    if (listed) switchTo(id);
  }, [id, listed, switchTo]);

  useEffect(() => {
    document.title = `${workspace ? `${workspace.name} settings` : 'Workspace settings'} · CodeView`;
  }, [workspace]);

  const ready = Boolean(workspace);
  useEffect(() => {
    if (!ready || hash !== `#${INVITE_SECTION_ID}`) return;
    const section = document.getElementById(INVITE_SECTION_ID);
    section?.scrollIntoView({ block: 'start' });
    section?.querySelector<HTMLElement>('input')?.focus({ preventScroll: true });
  }, [ready, hash]);

  if (loading && !workspace) return <LoadingBlock label="Loading workspace settings…" />;
  if (error || !workspace) {
    const back = current ? dashboardPath(current.id) : '/';
    if (error instanceof ApiError && error.status === 404) {
      return (
        <Alert tone="error" title="Workspace not found">
          <p>This workspace does not exist, or you are not a member of it.</p>
          <Link to={back}>Back to your dashboard</Link>
        </Alert>
      );
    }
    return <ErrorState error={error} onRetry={reload} />;
  }

  const onSaved = (updated: typeof workspace) => {
    setData(updated);
    changed(updated);
  };

  return (
    <>
      <Link to={dashboardPath(workspace.id)} className="breadcrumb">
        ← Dashboard
      </Link>
      <PageHeader
        title={workspace.name}
        subtitle={
          <span className="row">
            Workspace settings · {workspace.member_count} {workspace.member_count === 1 ? 'member' : 'members'} · you
            are <WorkspaceRoleBadge role={workspace.my_role} />
          </span>
        }
      />
      <div className="stack">
        <GeneralSettingsCard key={workspace.id} workspace={workspace} onSaved={onSaved} />
        <MembersCard workspace={workspace} me={user} />
        <InvitePeopleCard workspace={workspace} />
        {canManage(workspace.my_role) && <ExportCard workspace={workspace} />}
        {canDeleteWorkspace(workspace.my_role) && <DangerZoneCard workspace={workspace} />}
      </div>
    </>
  );
}

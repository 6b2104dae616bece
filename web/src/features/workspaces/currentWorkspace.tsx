// The signed-in person's workspaces and which one is current. The list comes from
// `GET /api/workspaces` once someone is signed in (again when the account changes). The current
// workspace is, in order: the one named by the page's `?workspace=` (dashboard and question
// bank, see useWorkspaceParam), the one used last (remembered per account), the first one.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Uuid, Workspace } from '../../api/types';
import { listWorkspaces } from '../../api/workspaces';
import { useSession } from '../auth/session';
import { rememberWorkspace, rememberedWorkspace } from './rememberedWorkspace';

export type WorkspacesState =
  | { kind: 'signed-out' }
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'ready'; workspaces: Workspace[] };

interface WorkspacesContextValue {
  state: WorkspacesState;
  /** The caller's workspaces by name (empty until loaded). */
  workspaces: Workspace[];
  /** Null while loading, when signed out, or when the person has no workspace. */
  current: Workspace | null;
  /** Makes a workspace current and remembers it for this account. */
  switchTo: (id: Uuid) => void;
  /** A workspace that just appeared (created, or joined through an invite): listed and made current. */
  joined: (workspace: Workspace) => void;
  /** New settings of a listed workspace (its name, defaults…). */
  changed: (workspace: Workspace) => void;
  /** A workspace the person left or deleted. */
  gone: (id: Uuid) => void;
  /** Loads the list again (after a failure, with a spinner). */
  reload: () => void;
  /** Re-reads the list in the background and returns it (a link naming a workspace not listed yet). */
  refresh: () => Promise<Workspace[]>;
}

const WorkspacesContext = createContext<WorkspacesContextValue | null>(null);

const byName = (a: Workspace, b: Workspace) => a.name.localeCompare(b.name);

export function WorkspacesProvider({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const userId = user?.id ?? null;
  const [state, setState] = useState<WorkspacesState>({ kind: 'signed-out' });
  const [currentId, setCurrentId] = useState<Uuid | null>(null);
  const [nonce, setNonce] = useState(0);

  // A new account (or a reload) starts over during this render (React's "adjust state when a
  // prop changes"): loading, with the workspace this account used last.
  const listKey = userId ? `${userId}#${nonce}` : null;
  const [startedKey, setStartedKey] = useState<string | null>(null);
  if (listKey !== startedKey) {
    setStartedKey(listKey);
    setState(userId ? { kind: 'loading' } : { kind: 'signed-out' });
    setCurrentId(userId ? rememberedWorkspace(userId) : null);
  }

  useEffect(() => {
    if (!userId) return undefined;
    const controller = new AbortController();
    listWorkspaces(controller.signal).then(
      (workspaces) => {
        if (!controller.signal.aborted) setState({ kind: 'ready', workspaces });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ kind: 'error', error });
      },
    );
    return () => controller.abort();
  }, [userId, nonce]);

  const workspaces = useMemo(() => (state.kind === 'ready' ? state.workspaces : []), [state]);
  const current = workspaces.find((w) => w.id === currentId) ?? workspaces[0] ?? null;

  const switchTo = useCallback(
    (id: Uuid) => {
      setCurrentId(id);
      if (userId) rememberWorkspace(userId, id);
    },
    [userId],
  );
  const updateList = useCallback((update: (list: Workspace[]) => Workspace[]) => {
    setState((prev) =>
      prev.kind === 'ready' ? { kind: 'ready', workspaces: update(prev.workspaces).sort(byName) } : prev,
    );
  }, []);
  const joined = useCallback(
    (workspace: Workspace) => {
      updateList((list) => [...list.filter((w) => w.id !== workspace.id), workspace]);
      switchTo(workspace.id);
    },
    [updateList, switchTo],
  );
  const changed = useCallback(
    (workspace: Workspace) => updateList((list) => list.map((w) => (w.id === workspace.id ? workspace : w))),
    [updateList],
  );
  const gone = useCallback((id: Uuid) => updateList((list) => list.filter((w) => w.id !== id)), [updateList]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const refresh = useCallback(async () => {
    const list = await listWorkspaces();
    setState((prev) => (prev.kind === 'ready' ? { kind: 'ready', workspaces: list } : prev));
    return list;
  }, []);

  const value = useMemo<WorkspacesContextValue>(
    () => ({ state, workspaces, current, switchTo, joined, changed, gone, reload, refresh }),
    [state, workspaces, current, switchTo, joined, changed, gone, reload, refresh],
  );
  return <WorkspacesContext.Provider value={value}>{children}</WorkspacesContext.Provider>;
}

export function useWorkspaces(): WorkspacesContextValue {
  const ctx = useContext(WorkspacesContext);
  if (!ctx) throw new Error('useWorkspaces must be used inside <WorkspacesProvider>');
  return ctx;
}

/** The current workspace; only for components rendered under `<RequireWorkspace>`. */
export function useCurrentWorkspace(): Workspace {
  const { current } = useWorkspaces();
  if (!current) throw new Error('useCurrentWorkspace must be used under <RequireWorkspace>');
  return current;
}

// The workspace a list page (dashboard, question bank) shows, named in its URL as
// `?workspace=<id>` so the page can be shared and reloaded. A valid param becomes the current
// workspace; a missing one is filled in with the current workspace. A param naming a workspace
// the person is not (or no longer) a member of is checked against a fresh list once, then
// replaced by the current one, and `notMember` says so for the page to explain.
import { useEffect, useEffectEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Uuid, Workspace } from '../../api/types';
import { useCurrentWorkspace, useWorkspaces } from './currentWorkspace';
import { WORKSPACE_PARAM } from './workspacePaths';

export function useWorkspaceParam(): { workspace: Workspace; notMember: boolean } {
  const [params, setParams] = useSearchParams();
  const param = params.get(WORKSPACE_PARAM);
  const { workspaces, switchTo, refresh } = useWorkspaces();
  const current = useCurrentWorkspace();
  const named = param ? workspaces.find((w) => w.id === param) : undefined;
  /** The workspace shown instead of a link's unknown one. */
  const [replacedWith, setReplacedWith] = useState<Uuid | null>(null);

  const namedId = named?.id;
  // What the param asks for, run with this render's values; only a new param (or its workspace
  // appearing in the list) runs it again: switching workspace elsewhere changes the param too.
  const followParam = useEffectEvent((cancelled: () => boolean) => {
    if (namedId) {
      switchTo(namedId);
      return;
    }
    const fallBackToCurrent = () => {
      if (cancelled()) return;
      if (param) setReplacedWith(current.id);
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set(WORKSPACE_PARAM, current.id);
          return next;
        },
        { replace: true },
      );
    };
    if (!param) fallBackToCurrent();
    else {
      // Maybe joined a moment ago (another tab): look again before giving up on the link.
      refresh().then((list) => {
        if (!list.some((w) => w.id === param)) fallBackToCurrent();
      }, fallBackToCurrent);
    }
  });

  useEffect(() => {
    let cancelled = false;
    followParam(() => cancelled);
    return () => {
      cancelled = true;
    };
  }, [param, namedId]);

  const workspace = named ?? current;
  return { workspace, notMember: replacedWith !== null && replacedWith === workspace.id };
}

// Where workspace links go: a workspace's dashboard, question bank and settings, and where the
// switcher takes you when you change workspace (the same kind of page, in the other one).
import type { Uuid } from '../../api/types';

/** The search parameter naming the current workspace on the dashboard and the question bank. */
export const WORKSPACE_PARAM = 'workspace';

export const dashboardPath = (id: Uuid) => `/?${WORKSPACE_PARAM}=${encodeURIComponent(id)}`;
export const questionBankPath = (id: Uuid) => `/questions?${WORKSPACE_PARAM}=${encodeURIComponent(id)}`;
export const settingsPath = (id: Uuid) => `/workspaces/${encodeURIComponent(id)}/settings`;
/** The settings page's invite form (the participants card links here). */
export const invitePeoplePath = (id: Uuid) => `${settingsPath(id)}#invite`;

/**
 * The page to show after switching to workspace `id` while at `pathname` + `search`: settings
 * stay settings, the question pages go to the other bank, everything else to its dashboard.
 * The list filters are kept, except the category (categories differ between workspaces).
 */
export function switchTarget(pathname: string, search: string, id: Uuid): string {
  if (/^\/workspaces\/[^/]+\/settings\/?$/.test(pathname)) return settingsPath(id);
  if (pathname === '/' || pathname === '/questions') {
    const params = new URLSearchParams(search);
    params.delete('category');
    params.set(WORKSPACE_PARAM, id);
    return `${pathname}?${params.toString()}`;
  }
  if (pathname.startsWith('/questions/')) return questionBankPath(id);
  return dashboardPath(id);
}

// The workspace a person used last, kept per account in localStorage so a new tab (or the next
// visit) opens where they left off. Storage can be unavailable (private mode, quotas): then
// nothing is remembered and the first workspace is used.
import type { Uuid } from '../../api/types';

const key = (userId: Uuid) => `codeview.workspace.${userId}`;

export function rememberedWorkspace(userId: Uuid): Uuid | null {
  try {
    return window.localStorage.getItem(key(userId));
  } catch {
    return null;
  }
}

export function rememberWorkspace(userId: Uuid, workspaceId: Uuid): void {
  try {
    window.localStorage.setItem(key(userId), workspaceId);
  } catch {
    // Not remembered; the fallback (first workspace) still works.
  }
}

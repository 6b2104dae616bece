// The workspace switcher in the top bar: a menu button named after the current workspace,
// listing the person's workspaces (with their role), "Workspace settings" and "New workspace…".
// Keyboard: Enter/Space/↓ open it on the first choice, ↑/↓/Home/End move, Enter picks, Escape
// closes and returns to the button, Tab closes. Long names are cut with an ellipsis (full name
// in the title).
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import type { Workspace } from '../../api/types';
import { WORKSPACE_ROLE_LABELS } from '../../components/Badges';
import { useWorkspaces } from './currentWorkspace';
import { NewWorkspaceDialog } from './NewWorkspaceDialog';
import { settingsPath, switchTarget } from './workspacePaths';

export function WorkspaceSwitcher() {
  const { state, workspaces, current, switchTo } = useWorkspaces();
  const navigate = useNavigate();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  /** Which item to focus when the menu opens: the first, the last, or the current workspace. */
  const focusOnOpen = useRef<'first' | 'last' | 'current'>('current');

  const items = () => Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return undefined;
    const all = items();
    const checked = all.find((el) => el.getAttribute('aria-checked') === 'true');
    const target =
      focusOnOpen.current === 'last'
        ? all[all.length - 1]
        : focusOnOpen.current === 'current'
          ? (checked ?? all[0])
          : all[0];
    target?.focus();
    const onDown = (e: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  if (state.kind !== 'ready') return null;

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const openWith = (focus: 'first' | 'last' | 'current') => {
    focusOnOpen.current = focus;
    setOpen(true);
  };

  const onButtonKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      openWith(e.key === 'ArrowDown' ? 'first' : 'last');
    }
  };

  const onMenuKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const all = items();
    const at = all.findIndex((el) => el === document.activeElement);
    const last = all.length - 1;
    let next: number | null = null;
    if (e.key === 'ArrowDown') next = at === last ? 0 : at + 1;
    else if (e.key === 'ArrowUp') next = at <= 0 ? last : at - 1;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = last;
    else if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
      return;
    } else if (e.key === 'Tab') {
      close(false);
      return;
    }
    if (next === null) return;
    e.preventDefault();
    all[next]?.focus();
  };

  const choose = (workspace: Workspace) => {
    switchTo(workspace.id);
    close(true);
    navigate(switchTarget(location.pathname, location.search, workspace.id));
  };

  const label = current?.name ?? 'No workspace';
  return (
    <div className="ws-switcher" ref={rootRef}>
      <button
        type="button"
        ref={buttonRef}
        className="ws-switcher__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        title={label}
        data-testid="workspace-switcher"
        onClick={() => (open ? close(false) : openWith('current'))}
        onKeyDown={onButtonKeyDown}
      >
        <span className="visually-hidden">Workspace: </span>
        <span className="ws-switcher__name">{label}</span>
        <span className="menu-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <div
          className="menu-panel menu-panel--start"
          id={menuId}
          role="menu"
          aria-label="Workspaces"
          ref={menuRef}
          onKeyDown={onMenuKeyDown}
        >
          {workspaces.map((w) => (
            <button
              key={w.id}
              type="button"
              role="menuitemradio"
              aria-checked={w.id === current?.id}
              tabIndex={-1}
              className="menu-item ws-switcher__item"
              title={w.name}
              onClick={() => choose(w)}
            >
              <span className="ws-switcher__check" aria-hidden="true">
                {w.id === current?.id ? '✓' : ''}
              </span>
              <span className="ws-switcher__item-name">{w.name}</span>
              <span className="ws-switcher__role">{WORKSPACE_ROLE_LABELS[w.my_role]}</span>
            </button>
          ))}
          {workspaces.length > 0 && <div role="separator" className="menu-separator" />}
          {current && (
            <Link
              role="menuitem"
              tabIndex={-1}
              className="menu-item"
              to={settingsPath(current.id)}
              onClick={() => close(false)}
            >
              Workspace settings
            </Link>
          )}
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="menu-item"
            onClick={() => {
              close(true);
              setCreating(true);
            }}
          >
            New workspace…
          </button>
        </div>
      )}
      <NewWorkspaceDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

// The signed-in shell: top bar (brand, workspace switcher, main navigation, user menu) and the
// page outlet. Pages render inside <main> once the person's workspaces are known (see
// RequireWorkspace); a skip link lets keyboard users jump straight to it. Under 640 px the
// navigation moves to a second row of the bar.
import { Suspense, useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { LoadingBlock } from '../../components/Spinner';
import { useUser } from '../auth/session';
import { RequireWorkspace } from '../workspaces/RequireWorkspace';
import { WorkspaceSwitcher } from '../workspaces/WorkspaceSwitcher';
import { UserMenu } from './UserMenu';

const navClass = ({ isActive }: { isActive: boolean }) => `topbar__link${isActive ? ' topbar__link--active' : ''}`;

export function AppLayout() {
  const user = useUser();
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After a client-side navigation, move focus to the new page (as a full page load would),
  // unless the page already focused one of its own fields.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const main = mainRef.current;
    if (main && !main.contains(document.activeElement)) main.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand" aria-label="CodeView home">
            <span className="brand__mark" aria-hidden="true">
              &lt;/&gt;
            </span>
            <span className="brand__name">CodeView</span>
          </Link>
          <WorkspaceSwitcher />
          <nav className="topbar__nav" aria-label="Main">
            <NavLink to="/" end className={navClass}>
              Dashboard
            </NavLink>
            <NavLink to="/questions" className={navClass}>
              Questions
            </NavLink>
          </nav>
          <div className="topbar__spacer" />
          <UserMenu user={user} />
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1} ref={mainRef}>
        <Suspense fallback={<LoadingBlock />}>
          <RequireWorkspace>
            <Outlet />
          </RequireWorkspace>
        </Suspense>
      </main>
    </div>
  );
}

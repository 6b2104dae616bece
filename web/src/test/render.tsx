// Test helper: renders routes inside a MemoryRouter and the real session and workspace
// providers, so pages run against the stubbed fetch exactly as in the browser. Pages that
// work inside a workspace go in `inWorkspace(…)`, as AppLayout puts them.
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { SessionProvider } from '../features/auth/session';
import { WorkspacesProvider } from '../features/workspaces/currentWorkspace';
import { RequireWorkspace } from '../features/workspaces/RequireWorkspace';

/** Prints the current location so tests can assert on navigation. */
export function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{location.pathname + location.search}</div>;
}

/** With `layout`, the routes render in its <Outlet /> (e.g. AppLayout, as in the app). */
export function renderRoutes(routes: Record<string, ReactNode>, initialPath: string, layout?: ReactNode) {
  const pages = Object.entries(routes).map(([path, element]) => <Route key={path} path={path} element={element} />);
  return render(
    <MemoryRouter initialEntries={[initialPath]}>
      <SessionProvider>
        <WorkspacesProvider>
          <Routes>{layout ? <Route element={layout}>{pages}</Route> : pages}</Routes>
          <LocationProbe />
        </WorkspacesProvider>
      </SessionProvider>
    </MemoryRouter>,
  );
}

/** A page as AppLayout shows it: once the workspaces are loaded (see RequireWorkspace). */
export function inWorkspace(page: ReactNode) {
  return <RequireWorkspace>{page}</RequireWorkspace>;
}

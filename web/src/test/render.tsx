// Test helper: renders routes inside a MemoryRouter and the real SessionProvider, so pages
// run against the stubbed fetch exactly as in the browser.
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { SessionProvider } from '../features/auth/session';

/** Prints the current location so tests can assert on navigation. */
export function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{location.pathname + location.search}</div>;
}

export function renderRoutes(routes: Record<string, ReactNode>, initialPath: string) {
  return render(
    <MemoryRouter initialEntries={[initialPath]}>
      <SessionProvider>
        <Routes>
          {Object.entries(routes).map(([path, element]) => (
            <Route key={path} path={path} element={element} />
          ))}
        </Routes>
        <LocationProbe />
      </SessionProvider>
    </MemoryRouter>,
  );
}

// The route table. Every page is a lazily loaded chunk so the first load stays small;
// signed-in pages sit under <RequireUser> + <AppLayout>, join and room pages stand alone.
import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { LoadingBlock } from './components/Spinner';
import { RequireUser } from './features/auth/RequireUser';
import { AppLayout } from './features/layout/AppLayout';

const LoginPage = lazy(() => import('./features/auth/LoginPage'));
const RegisterPage = lazy(() => import('./features/auth/RegisterPage'));
const DashboardPage = lazy(() => import('./features/dashboard/DashboardPage'));
const NotFoundPage = lazy(() => import('./features/errors/NotFoundPage'));

const page = (node: ReactNode) => <Suspense fallback={<LoadingBlock />}>{node}</Suspense>;

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={page(<LoginPage />)} />
      <Route path="/register" element={page(<RegisterPage />)} />
      <Route
        element={
          <RequireUser>
            <AppLayout />
          </RequireUser>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

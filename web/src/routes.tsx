// The route table. Every page is a lazily loaded chunk so the first load stays small;
// signed-in pages sit under <RequireUser> + <AppLayout>; join, room and workspace-invite pages
// stand alone.
import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { LoadingBlock } from './components/Spinner';
import { RequireUser } from './features/auth/RequireUser';
import { AppLayout } from './features/layout/AppLayout';

const AccountPage = lazy(() => import('./features/account/AccountPage'));
const LoginPage = lazy(() => import('./features/auth/LoginPage'));
const RegisterPage = lazy(() => import('./features/auth/RegisterPage'));
const DashboardPage = lazy(() => import('./features/dashboard/DashboardPage'));
const NotFoundPage = lazy(() => import('./features/errors/NotFoundPage'));
const InterviewFormPage = lazy(() => import('./features/interviews/InterviewFormPage'));
const InterviewDetailPage = lazy(() => import('./features/interviews/InterviewDetailPage'));
const ReviewPage = lazy(() => import('./features/review/ReviewPage'));
const ReplayPage = lazy(() => import('./features/replay/ReplayPage'));
const QuestionListPage = lazy(() => import('./features/questions/QuestionListPage'));
const QuestionDetailPage = lazy(() => import('./features/questions/QuestionDetailPage'));
const QuestionFormPage = lazy(() => import('./features/questions/QuestionFormPage'));
const JoinPage = lazy(() => import('./features/join/JoinPage'));
const RoomPage = lazy(() => import('./features/room/RoomPage'));
const InvitePage = lazy(() => import('./features/workspaces/InvitePage'));
const WorkspaceSettingsPage = lazy(() => import('./features/workspaces/settings/WorkspaceSettingsPage'));

const page = (node: ReactNode) => <Suspense fallback={<LoadingBlock />}>{node}</Suspense>;

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={page(<LoginPage />)} />
      <Route path="/register" element={page(<RegisterPage />)} />
      <Route path="/join/:code" element={page(<JoinPage />)} />
      <Route path="/invites/:token" element={page(<InvitePage />)} />
      <Route path="/interviews/:id/room" element={page(<RoomPage />)} />
      <Route
        element={
          <RequireUser>
            <AppLayout />
          </RequireUser>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route path="interviews/new" element={<InterviewFormPage />} />
        <Route path="interviews/:id" element={<InterviewDetailPage />} />
        <Route path="interviews/:id/edit" element={<InterviewFormPage />} />
        <Route path="interviews/:id/review" element={<ReviewPage />} />
        <Route path="interviews/:id/replay" element={<ReplayPage />} />
        <Route path="questions" element={<QuestionListPage />} />
        <Route path="questions/new" element={<QuestionFormPage />} />
        <Route path="questions/:id" element={<QuestionDetailPage />} />
        <Route path="questions/:id/edit" element={<QuestionFormPage />} />
        <Route path="workspaces/:id/settings" element={<WorkspaceSettingsPage />} />
        <Route path="account" element={<AccountPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

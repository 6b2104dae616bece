// Browser entry point: global styles, the router, and the session and workspace providers
// around the routes.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { SessionProvider } from './features/auth/session';
import { WorkspacesProvider } from './features/workspaces/currentWorkspace';
import { AppRoutes } from './routes';
import './styles/global.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html is missing #root');

createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider>
        <WorkspacesProvider>
          <AppRoutes />
        </WorkspacesProvider>
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);

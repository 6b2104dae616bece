// Shown for any URL the app does not know.
import { Link } from 'react-router';
import { EmptyState } from '../../components/PageHeader';

export default function NotFoundPage() {
  return (
    <EmptyState title="Page not found">
      <p>The page you asked for does not exist or has moved.</p>
      <Link className="btn btn--secondary" to="/">
        Back to the dashboard
      </Link>
    </EmptyState>
  );
}

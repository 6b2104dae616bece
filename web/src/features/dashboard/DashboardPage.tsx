// Dashboard: greets the signed-in user. (Interview list arrives with issue 3.)
import { useEffect } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { useUser } from '../auth/session';

export default function DashboardPage() {
  const user = useUser();
  useEffect(() => {
    document.title = 'Dashboard · CodeView';
  }, []);
  return <PageHeader title={`Welcome, ${user.name}`} subtitle={user.email} />;
}

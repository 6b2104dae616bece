// /account: the signed-in person's own account — name, password, signed-in browsers and API
// tokens, one card each. A password change signs the other browsers out, so the sessions card
// reloads after one.
import { useEffect, useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { useUser } from '../auth/session';
import { PasswordCard } from './PasswordCard';
import { ProfileCard } from './ProfileCard';
import { SessionsCard } from './SessionsCard';
import { TokensCard } from './TokensCard';

export default function AccountPage() {
  const user = useUser();
  const [sessionsVersion, setSessionsVersion] = useState(0);

  useEffect(() => {
    document.title = 'Account · CodeView';
  }, []);

  return (
    <div className="stack">
      <PageHeader title="Account" subtitle={user.email} />
      <ProfileCard user={user} />
      <PasswordCard onChanged={() => setSessionsVersion((v) => v + 1)} />
      <SessionsCard reloadKey={sessionsVersion} />
      <TokensCard />
    </div>
  );
}

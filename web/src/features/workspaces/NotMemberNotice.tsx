// Said on a list page opened from a link to a workspace the person is not a member of (or that
// was deleted): which workspace is shown instead.
import type { Workspace } from '../../api/types';
import { Alert } from '../../components/Alert';

export function NotMemberNotice({ workspace }: { workspace: Workspace }) {
  return (
    <div className="notice">
      <Alert tone="warning">
        The link named a workspace you are not a member of (or one that was deleted). Showing{' '}
        <strong>{workspace.name}</strong> instead.
      </Alert>
    </div>
  );
}

// vitest setup: unmount React trees between tests so DOM queries never see stale output.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
});

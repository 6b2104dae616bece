// Unit tests for the connection reducer: connecting → syncing → synced, reconnecting, and refusals.
import { describe, expect, it } from 'vitest';
import {
  describeConnection,
  initialConnection,
  reduceConnection,
  type ConnectionEvent,
  type ConnectionState,
} from './connectionStatus';

const run = (events: ConnectionEvent[], from: ConnectionState = initialConnection) =>
  events.reduce(reduceConnection, from);

describe('reduceConnection', () => {
  it('goes connecting → syncing → synced', () => {
    expect(run([{ type: 'status', status: 'connecting' }]).phase).toBe('connecting');
    expect(run([{ type: 'status', status: 'connected' }]).phase).toBe('syncing');
    const synced = run([
      { type: 'status', status: 'connected' },
      { type: 'sync', synced: true },
    ]);
    expect(synced).toMatchObject({ phase: 'synced', hasSynced: true, failures: 0 });
  });

  it('stays "offline · reconnecting" through the retry until synced again', () => {
    const lost = run([
      { type: 'status', status: 'connected' },
      { type: 'sync', synced: true },
      { type: 'close', code: 1013 },
      { type: 'status', status: 'disconnected' },
      { type: 'status', status: 'connecting' },
    ]);
    expect(lost).toMatchObject({ phase: 'offline', failures: 1, hasSynced: true });
    expect(describeConnection(lost).label).toMatch(/reconnecting/);
    expect(
      run(
        [
          { type: 'status', status: 'connected' },
          { type: 'sync', synced: true },
        ],
        lost,
      ),
    ).toMatchObject({ phase: 'synced', failures: 0 });
  });

  it('counts failed attempts (an HTTP-refused upgrade closes with 1006)', () => {
    expect(
      run([
        { type: 'close', code: 1006 },
        { type: 'status', status: 'connecting' },
        { type: 'close', code: 1006 },
      ]).failures,
    ).toBe(2);
  });

  it('treats 4401 and 4403 as final', () => {
    const refused = run([
      { type: 'status', status: 'connected' },
      { type: 'close', code: 4403 },
      { type: 'status', status: 'disconnected' },
      { type: 'sync', synced: true },
    ]);
    expect(refused).toMatchObject({ phase: 'refused', refusedCode: 4403 });
    expect(describeConnection(refused).detail).toBe('You no longer have access to this room.');
    expect(describeConnection(run([{ type: 'close', code: 4401 }])).detail).toMatch(/Sign in again/);
  });

  it('maps an HTTP access check to a refusal', () => {
    expect(run([{ type: 'access-lost', status: 401 }]).refusedCode).toBe(4401);
    expect(run([{ type: 'access-lost', status: 404 }]).refusedCode).toBe(4403);
  });
});

describe('reset', () => {
  it('starts over for a new provider, even after a refusal', () => {
    expect(run([{ type: 'close', code: 4403 }, { type: 'reset' }])).toEqual(initialConnection);
  });
});

// Unit tests for useAsync: loading, data and error, a new load when the deps change (the
// previous one aborted, its data kept meanwhile), reload, and setData.
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useAsync } from './useAsync';

/** A load whose answer the test gives, one per call. */
function controlledLoad() {
  const calls: { signal: AbortSignal; resolve: (value: string) => void; reject: (error: unknown) => void }[] = [];
  const load = vi.fn(
    (signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => {
        calls.push({ signal, resolve, reject });
      }),
  );
  return { load, calls };
}

describe('useAsync', () => {
  it('is loading until the data is in', async () => {
    const { load, calls } = controlledLoad();
    const { result } = renderHook(() => useAsync(load, []));
    expect(result.current).toMatchObject({ loading: true, data: undefined, error: undefined });
    act(() => calls[0]?.resolve('one'));
    await waitFor(() => expect(result.current).toMatchObject({ loading: false, data: 'one', error: undefined }));
  });

  it('loads again when the deps change, aborting the previous load and keeping its data meanwhile', async () => {
    const { load, calls } = controlledLoad();
    const { result, rerender } = renderHook(({ id }) => useAsync((signal) => load(signal), [id]), {
      initialProps: { id: 'a' },
    });
    act(() => calls[0]?.resolve('a'));
    await waitFor(() => expect(result.current.data).toBe('a'));

    rerender({ id: 'b' });
    expect(result.current).toMatchObject({ loading: true, data: 'a' });
    rerender({ id: 'c' });
    expect(calls).toHaveLength(3);
    expect(calls[1]?.signal.aborted).toBe(true);
    await act(async () => calls[1]?.resolve('b'));
    expect(result.current).toMatchObject({ loading: true, data: 'a' });
    act(() => calls[2]?.resolve('c'));
    await waitFor(() => expect(result.current).toMatchObject({ loading: false, data: 'c' }));
  });

  it('reports an error, clears it on reload and lets data be updated in place', async () => {
    const { load, calls } = controlledLoad();
    const { result } = renderHook(() => useAsync(load, []));
    act(() => calls[0]?.reject(new Error('down')));
    await waitFor(() => expect(result.current.error).toBeInstanceOf(Error));
    expect(result.current.loading).toBe(false);

    act(() => result.current.reload());
    expect(result.current).toMatchObject({ loading: true, error: undefined });
    await waitFor(() => expect(calls).toHaveLength(2));
    act(() => calls[1]?.resolve('back'));
    await waitFor(() => expect(result.current.data).toBe('back'));
    act(() => result.current.setData((prev) => `${prev ?? ''}!`));
    expect(result.current.data).toBe('back!');
  });
});

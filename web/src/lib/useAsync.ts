// Loads one resource for a component: aborts on unmount or when `deps` change, exposes
// loading / error / data and a `reload()`; `setData` lets mutations update it in place.
import { useCallback, useEffect, useEffectEvent, useState, type DependencyList } from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (update: T | ((prev: T | undefined) => T)) => void;
}

/** One load: the deps it was made for. A new object for each load, a reload included. */
interface Request {
  deps: DependencyList;
}

/** How a load ended: its error, or undefined once its data is in. */
interface Outcome {
  request: Request;
  error: unknown;
}

const sameDeps = (a: DependencyList, b: DependencyList) =>
  a.length === b.length && a.every((value, index) => Object.is(value, b[index]));

/**
 * `load` is not a dependency: callers pass a fresh closure every render and list what it reads
 * in `deps` instead. The data of the previous load stays while the next one is out.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [request, setRequest] = useState<Request>(() => ({ deps }));
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const loadNow = useEffectEvent(load);

  // New deps make a new request during this render (React's "adjust state when a prop changes"),
  // so the render that shows them already says loading.
  if (!sameDeps(request.deps, deps)) setRequest({ deps });

  useEffect(() => {
    const controller = new AbortController();
    loadNow(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setDataState(value);
        setOutcome({ request, error: undefined });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setOutcome({ request, error });
      },
    );
    return () => controller.abort();
  }, [request]);

  const reload = useCallback(() => setRequest((current) => ({ deps: current.deps })), []);
  const setData = useCallback((update: T | ((prev: T | undefined) => T)) => {
    setDataState((prev) => (typeof update === 'function' ? (update as (p: T | undefined) => T)(prev) : update));
  }, []);

  const loading = outcome?.request !== request;
  return { data, error: loading ? undefined : outcome?.error, loading, reload, setData };
}

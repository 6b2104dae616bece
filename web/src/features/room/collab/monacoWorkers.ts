// Stands in for monaco-editor's `internal/common/workers.js` (vite.config.ts aliases it) for
// the TypeScript service's worker manager: the same `createWebWorker`, without that module's
// side imports of every editor feature (the diff editor, code lens, colour picker…), which
// would otherwise load ~130 KB gzipped with the service and register features the room leaves
// out on purpose (monaco.ts). Workers come from `MonacoEnvironment.getWorker`, which monaco.ts
// always defines.
import { editor } from 'monaco-editor/editor';

export interface WebWorkerOptions {
  label?: string;
  moduleId?: string;
  createData?: unknown;
  host?: Record<string, (...args: never[]) => unknown>;
  keepIdleModels?: boolean;
}

export function createWebWorker<T extends object>(opts: WebWorkerOptions): editor.MonacoWebWorker<T> {
  const getWorker = self.MonacoEnvironment?.getWorker;
  if (!getWorker) throw new Error('MonacoEnvironment.getWorker is not defined');
  const worker = Promise.resolve(getWorker('workerMain.js', opts.label ?? 'monaco-editor-worker')).then((w) => {
    w.postMessage('ignore');
    w.postMessage(opts.createData);
    return w;
  });
  const options: editor.IInternalWebWorkerOptions = { worker };
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Monaco's own type
  if (opts.host) options.host = opts.host as Record<string, Function>;
  if (opts.keepIdleModels !== undefined) options.keepIdleModels = opts.keepIdleModels;
  return editor.createWebWorker<T>(options);
}

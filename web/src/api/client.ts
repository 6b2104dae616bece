// The one fetch wrapper every API call goes through: same-origin cookies, JSON in and out,
// the server's error body turned into an `ApiError`, and a global hook for "session gone" (401).

/** Field name → why it was rejected, as sent in `error.fields`. */
export type FieldErrors = Record<string, string>;

/** Any non-2xx answer (or a network failure, status 0) from the API. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;

  constructor(status: number, code: string, message: string, fields: FieldErrors = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /** True for validation errors the user can fix by editing the form. */
  get isValidation(): boolean {
    return Object.keys(this.fields).length > 0;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
  /**
   * When false, a 401 is returned to the caller as an `ApiError` without triggering the
   * global sign-in redirect. Used by the login form, the session probe and candidate pages.
   */
  redirectOn401?: boolean;
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/** Registers what happens when a signed-in request comes back 401 (normally: go to /login). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statusMessage(status: number): string {
  if (status === 401) return 'You need to sign in.';
  if (status === 403) return 'You do not have access to this.';
  if (status === 404) return 'Not found.';
  if (status === 413) return 'That is too large.';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  if (status >= 500) return 'The server had a problem. Please try again.';
  return `Request failed (${status}).`;
}

/** Builds an `ApiError` from a failed response's parsed body (anything, even not JSON). */
export function toApiError(status: number, body: unknown): ApiError {
  const err = isRecord(body) ? body['error'] : undefined;
  if (!isRecord(err)) {
    return new ApiError(status, `http_${status}`, statusMessage(status));
  }
  const code = typeof err['code'] === 'string' ? err['code'] : `http_${status}`;
  const message = typeof err['message'] === 'string' && err['message'] ? err['message'] : statusMessage(status);
  const fields: FieldErrors = {};
  if (isRecord(err['fields'])) {
    for (const [key, why] of Object.entries(err['fields'])) {
      if (typeof why === 'string') fields[key] = why;
      else if (Array.isArray(why)) fields[key] = why.filter((w) => typeof w === 'string').join(' ');
    }
  }
  return new ApiError(status, code, message, fields);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Sends the request; a non-2xx answer (or a network failure) is thrown as an `ApiError`. */
async function send(path: string, options: RequestOptions): Promise<Response> {
  const { method = 'GET', body, query, signal, redirectOn401 = true } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (signal) init.signal = signal;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection.');
  }
  if (!response.ok) {
    const error = toApiError(response.status, await readBody(response));
    if (response.status === 401 && redirectOn401 && onUnauthorized) onUnauthorized();
    throw error;
  }
  return response;
}

/**
 * Calls the API and returns the parsed JSON body typed as `T`. The caller states `T` from
 * docs/api.md; the server is trusted to keep that shape (it is the same origin and our code).
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  return (await readBody(response)) as T;
}

/** Calls the API and returns the body as it came (downloads such as a workspace export). */
export async function requestBlob(path: string, options: RequestOptions = {}): Promise<Blob> {
  const response = await send(path, options);
  return response.blob();
}

/** A human sentence for anything thrown by `request` (or by code around it). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

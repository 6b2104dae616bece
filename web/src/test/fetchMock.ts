// A tiny fetch stub for unit tests: route handlers keyed by "METHOD /path" answering with
// JSON, plus a log of the calls made, installed with vi.stubGlobal.
import { vi } from 'vitest';

export interface Call {
  method: string;
  url: string;
  body: unknown;
  init: RequestInit | undefined;
}
type Handler = (call: Call) => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>;

export function jsonResponse(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export function installFetch(routes: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
      const method = init?.method ?? 'GET';
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      const call: Call = { method, url, body, init };
      calls.push(call);
      const path = url.split('?')[0] ?? url;
      const handler = routes[`${method} ${path}`];
      if (!handler)
        return jsonResponse(404, { error: { code: 'not_found', message: `no stub for ${method} ${path}` } });
      const { status, body: out } = await handler(call);
      return jsonResponse(status, out);
    }),
  );
  return calls;
}

export const sampleUser = {
  id: '00000000-0000-0000-0000-000000000001',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  created_at: '2026-11-25T10:00:00Z',
};

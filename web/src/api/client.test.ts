// Unit tests for the API client: success bodies, the error body → ApiError mapping, network
// failures, and when a 401 does or does not trigger the global sign-in redirect.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse } from '../test/fetchMock';
import { ApiError, buildUrl, errorMessage, request, setUnauthorizedHandler, toApiError } from './client';

function stubFetch(response: Response | Error) {
  const fn = vi.fn<typeof fetch>(async () => {
    if (response instanceof Error) throw response;
    return response;
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

afterEach(() => {
  setUnauthorizedHandler(null);
  vi.unstubAllGlobals();
});

describe('request', () => {
  it('returns the parsed JSON body and sends same-origin credentials', async () => {
    const fetchFn = stubFetch(jsonResponse(200, { user: { id: 'u1' } }));
    const res = await request<{ user: { id: string } }>('/api/auth/me');
    expect(res.user.id).toBe('u1');
    const init = fetchFn.mock.calls[0]?.[1];
    expect(init?.credentials).toBe('same-origin');
    expect(init?.method).toBe('GET');
  });

  it('sends JSON bodies with a content type', async () => {
    const fetchFn = stubFetch(jsonResponse(201, { question: {} }));
    await request('/api/questions', { method: 'POST', body: { title: 't' } });
    const init = fetchFn.mock.calls[0]?.[1];
    expect(init?.body).toBe('{"title":"t"}');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('accepts an empty 204 body', async () => {
    stubFetch(new Response(null, { status: 204 }));
    await expect(request('/api/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('turns the error body into an ApiError with code, message and fields', async () => {
    stubFetch(
      jsonResponse(422, {
        error: {
          code: 'validation_failed',
          message: 'Some fields are invalid',
          fields: { email: 'is taken', password: 'too short' },
        },
      }),
    );
    const error = await request('/api/auth/register', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.code).toBe('validation_failed');
    expect(apiError.message).toBe('Some fields are invalid');
    expect(apiError.fields).toEqual({ email: 'is taken', password: 'too short' });
    expect(apiError.isValidation).toBe(true);
  });

  it('falls back to a status-based message when the body is not the error shape', async () => {
    stubFetch(new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = (await request('/api/x').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.code).toBe('http_502');
    expect(error.message).toMatch(/server had a problem/);
    expect(error.isValidation).toBe(false);
  });

  it('reports a network failure as status 0', async () => {
    stubFetch(new TypeError('Failed to fetch'));
    const error = (await request('/api/x').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.code).toBe('network_error');
  });

  it('calls the unauthorized handler on 401 by default', async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    stubFetch(jsonResponse(401, { error: { code: 'unauthorized', message: 'Not signed in' } }));
    await expect(request('/api/interviews')).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('does not redirect on 401 when asked not to (login form, session probe)', async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    stubFetch(jsonResponse(401, { error: { code: 'invalid_credentials', message: 'Invalid email or password' } }));
    await expect(request('/api/auth/login', { method: 'POST', body: {}, redirectOn401: false })).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('does not call the handler for 403', async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    stubFetch(jsonResponse(403, { error: { code: 'forbidden', message: 'Not allowed' } }));
    await expect(request('/api/interviews/x')).rejects.toMatchObject({ status: 403 });
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('toApiError', () => {
  it('keeps only string field messages and joins arrays', () => {
    const error = toApiError(422, { error: { code: 'bad', message: 'm', fields: { a: 'x', b: ['y', 'z'], c: 3 } } });
    expect(error.fields).toEqual({ a: 'x', b: 'y z' });
  });
});

describe('buildUrl', () => {
  it('drops empty query values', () => {
    expect(buildUrl('/api/questions', { difficulty: 'easy', q: '', tag: undefined, category: null })).toBe(
      '/api/questions?difficulty=easy',
    );
    expect(buildUrl('/api/questions')).toBe('/api/questions');
    expect(buildUrl('/api/questions', { q: 'a b&c' })).toBe('/api/questions?q=a+b%26c');
  });
});

describe('errorMessage', () => {
  it('describes anything thrown', () => {
    expect(errorMessage(new ApiError(409, 'conflict', 'Already there'))).toBe('Already there');
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('weird')).toBe('Something went wrong.');
  });
});

// Unit tests for the document socket URL (same origin, ws/wss, encoded id).
import { describe, expect, it } from 'vitest';
import { docSocketBase } from './useYjsDoc';

describe('docSocketBase', () => {
  it('uses the page origin with ws or wss', () => {
    expect(docSocketBase('abc', { protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/ws/yjs/abc');
    expect(docSocketBase('abc', { protocol: 'https:', host: 'cv.example.com' })).toBe(
      'wss://cv.example.com/ws/yjs/abc',
    );
  });
  it('encodes the interview id', () => {
    expect(docSocketBase('a/b?c', { protocol: 'http:', host: 'h' })).toBe('ws://h/ws/yjs/a%2Fb%3Fc');
  });
});

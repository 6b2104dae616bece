// Where to go after signing in: the `next` query parameter, but only if it is a local path
// (an open redirect to another site would make a handy phishing tool).
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

// Who is speaking, read from a connection's `getStats()`: the loudness of the audio we receive
// (`inbound-rtp` audio `audioLevel`, 0..1) and of our own microphone (`media-source` audio
// `audioLevel`). Above `SPEAKING_LEVEL` someone is speaking (a ring on their tile).
export const SPEAKING_LEVEL = 0.05;
export const SPEAKING_POLL_MS = 300;

export interface AudioLevels {
  /** The loudest audio received on this connection. */
  received: number;
  /** Our microphone, as this connection sends it. */
  sent: number;
}

export function audioLevels(report: RTCStatsReport): AudioLevels {
  const levels: AudioLevels = { received: 0, sent: 0 };
  report.forEach((stats: Record<string, unknown>) => {
    if (stats['kind'] !== 'audio' || typeof stats['audioLevel'] !== 'number') return;
    const level = stats['audioLevel'];
    if (stats['type'] === 'inbound-rtp') levels.received = Math.max(levels.received, level);
    else if (stats['type'] === 'media-source') levels.sent = Math.max(levels.sent, level);
  });
  return levels;
}

export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

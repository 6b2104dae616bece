// Delivers the candidate's signal reports: on the page's room socket when it is open (the
// `signal` client message), else by `POST /api/interviews/{id}/signals`. Nothing is queued and
// nothing is shown to the candidate: a report that cannot be delivered is dropped. The server's
// refusals are respected silently — 429 `rate_limited` pauses the POSTs for a while, and an
// answer that will not change (too many signals stored, the interview ended, no right to report)
// stops reporting for this interview.
import { ApiError } from '../../../api/client';
import type { SignalMessage, SignalReport } from '../../../api/signalTypes';
import { sendToRoom } from '../run/roomEventConnection';
import { ROOM_PROTOCOL_VERSION } from '../run/types';
import { postSignal } from '../../../api/playback';

/** How long POSTs pause after a 429 `rate_limited`. */
export const RATE_LIMITED_PAUSE_MS = 30_000;

export class SignalTransport {
  private pausedUntil = 0;
  private stopped = false;

  constructor(
    private readonly interviewId: string,
    private readonly now: () => number = Date.now,
  ) {}

  send(report: SignalReport): void {
    if (this.stopped) return;
    const message: SignalMessage = { type: 'signal', v: ROOM_PROTOCOL_VERSION, signal: report };
    if (sendToRoom(this.interviewId, message)) return;
    if (this.now() < this.pausedUntil) return;
    postSignal(this.interviewId, report).catch((error: unknown) => this.refused(error));
  }

  private refused(error: unknown) {
    if (!(error instanceof ApiError)) return;
    if (error.status === 429 && error.code !== 'too_many_signals')
      this.pausedUntil = this.now() + RATE_LIMITED_PAUSE_MS;
    else if (
      error.status === 429 ||
      error.status === 409 ||
      error.status === 401 ||
      error.status === 403 ||
      error.status === 404
    )
      this.stopped = true;
    // Anything else (network, 5xx): this report is lost, the next one tries again.
  }
}

// One tile of the call strip: a person's camera (with their microphone's sound, except ours)
// or a shared screen, their name, a muted-microphone mark, a ring while they speak, and for a
// screen picture-in-picture (where the browser has it) and full screen. The host gets "Allow to
// speak" / "Revoke speech" on an observer's tile. Our own camera is mirrored; our tiles are
// always muted (no echo). When the browser refuses to start sound by itself, "Play sound" does.
import { useEffect, useRef, useState } from 'react';
import type { CallTileModel } from './callTiles';

export interface CallTileProps {
  tile: CallTileModel;
  /** The chosen speaker (`setSinkId`), null for the default. */
  speakerId: string | null;
  /** Shown on observers' tiles for the host: lets them speak or not. */
  onPermit?: ((speak: boolean) => void) | undefined;
}

const pictureInPictureSupported = () =>
  typeof document !== 'undefined' && 'pictureInPictureEnabled' in document && document.pictureInPictureEnabled;

export function CallTile({ tile, speakerId, onPermit }: CallTileProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [blocked, setBlocked] = useState(false);
  const trackCount = tile.stream?.getTracks().length ?? 0;

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    if (element.srcObject !== tile.stream) element.srcObject = tile.stream;
    if (!tile.stream) return;
    // A remote stream may gain its video after its sound: start again with what it has now.
    // (Promise.resolve: test DOMs without media return nothing.)
    Promise.resolve(element.play()).then(
      () => setBlocked(false),
      (error: unknown) => setBlocked(error instanceof DOMException && error.name === 'NotAllowedError'),
    );
  }, [tile.stream, trackCount]);

  useEffect(() => {
    const element = video.current as (HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (!element || tile.self || !element.setSinkId) return;
    element.setSinkId(speakerId ?? '').catch(() => undefined);
  }, [speakerId, tile.self]);

  const screen = tile.kind === 'screen';
  const label = screen ? `${tile.name}'s screen` : `${tile.name}${tile.self ? ' (you)' : ''}`;
  const classes = ['call-tile', `call-tile--${tile.kind}`, tile.speaking ? 'call-tile--speaking' : ''];

  return (
    <li
      className={classes.filter(Boolean).join(' ')}
      data-testid="call-tile"
      data-peer-id={tile.peerId}
      data-participant-id={tile.participantId}
      data-kind={tile.kind}
      data-self={tile.self ? 'true' : undefined}
      data-speaking={tile.speaking ? 'true' : undefined}
      data-connection={tile.connection ?? undefined}
      aria-label={`${label}${tile.speaking ? ', speaking' : ''}`}
    >
      <video
        ref={video}
        className={`call-tile__video${tile.self && !screen ? ' call-tile__video--mirrored' : ''}`}
        playsInline
        autoPlay
        muted={tile.self || screen}
        data-remote={tile.self ? undefined : 'true'}
        aria-hidden="true"
        hidden={!tile.videoOn}
      />
      {!tile.videoOn && (
        <span className="call-tile__avatar" aria-hidden="true">
          {initials(tile.name)}
        </span>
      )}
      <span className="call-tile__bar">
        <span className="call-tile__name">{label}</span>
        {!screen && !tile.audioOn && (
          <span className="call-tile__muted" role="img" aria-label="Microphone off" title="Microphone off">
            <MutedMicIcon />
          </span>
        )}
        {tile.connection && tile.connection !== 'connected' && (
          <span className="call-tile__state">{connectionWords(tile.connection)}</span>
        )}
      </span>
      <span className="call-tile__actions">
        {blocked && (
          <button type="button" className="btn btn--small btn--secondary" onClick={() => void video.current?.play()}>
            Play sound
          </button>
        )}
        {screen && pictureInPictureSupported() && (
          <button
            type="button"
            className="btn btn--small btn--secondary"
            onClick={() => void video.current?.requestPictureInPicture().catch(() => undefined)}
          >
            Picture in picture
          </button>
        )}
        {screen && (
          <button
            type="button"
            className="btn btn--small btn--secondary"
            onClick={() => void video.current?.requestFullscreen().catch(() => undefined)}
          >
            Full screen
          </button>
        )}
        {onPermit && (
          <button
            type="button"
            className="btn btn--small btn--secondary"
            data-testid="call-permit"
            onClick={() => onPermit(!tile.maySpeak)}
          >
            {tile.maySpeak ? 'Revoke speech' : 'Allow to speak'}
          </button>
        )}
      </span>
    </li>
  );
}

function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() ?? '');
  return (letters.length > 1 ? `${letters[0]}${letters[letters.length - 1]}` : (letters[0] ?? '?')) || '?';
}

function connectionWords(state: RTCPeerConnectionState): string {
  switch (state) {
    case 'new':
    case 'connecting':
      return 'Connecting…';
    case 'disconnected':
      return 'Reconnecting…';
    case 'failed':
      return 'No connection';
    default:
      return '';
  }
}

function MutedMicIcon() {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <path d="M9 9v3a3 3 0 0 0 5.1 2.1M15 9.3V5a3 3 0 0 0-5.9-.7" />
      <path d="M19 11a7 7 0 0 1-1.2 3.9M5 11a7 7 0 0 0 11 5.7M12 19v3" />
      <path d="M3 3l18 18" />
    </svg>
  );
}

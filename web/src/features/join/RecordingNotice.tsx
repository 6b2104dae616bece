// What the interview records, told to the candidate in plain words before they join (the join
// form) and again in the lobby (where a returning candidate lands first): the code with its
// timing, so the session can be replayed; pastes, copying most of the code and leaving the tab
// or window, with their times (features/room/integrity); never the camera or microphone (the
// video call is peer to peer, relayed at most, and nothing records it).
import { useId } from 'react';
import './recordingNotice.css';

export function RecordingNotice() {
  const titleId = useId();
  return (
    <section className="recording-notice" aria-labelledby={titleId} data-testid="recording-notice">
      <h2 className="recording-notice__title" id={titleId}>
        What this interview records
      </h2>
      <ul className="recording-notice__list">
        <li>
          Your code and its runs, with their timing, so your interviewers can replay the session. Their notes are kept
          the same way.
        </li>
        <li>Pasting into the editor, copying most of the code, and leaving this tab or window, with the times.</li>
        <li>Never your camera or microphone: the video call is not recorded.</li>
      </ul>
    </section>
  );
}

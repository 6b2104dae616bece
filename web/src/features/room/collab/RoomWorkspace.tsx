// The live part of the room, loaded lazily with Monaco and the Yjs stack: the shared code
// editor with its toolbar (language, starter code, read-only badge, connection, participants),
// the run panel under it, and the interviewers' notes and scorecard (two tabs) beside it. The
// editor is bound to the active question's Y.Text (each question keeps its own code; RoomPage
// says which is active). The editor/run split and the
// notes' width are resizable and remembered per person (lib/useResizableSplit). The video call
// strip (call/CallStrip) is docked at the right edge, after the notes, never over the editor.
// Who may do what mirrors the server (docs/collab.md): hosts and interviewers edit until the
// interview ends, the candidate edits while it is live, observers only watch (and share no
// cursor: the server drops it, and the editor does not send it). The interview's controls (the
// candidate's autocomplete, the editor lock, runs paused) come with the detail and change live
// with the `controls` room event, which the run panel's socket hands over. While the editor is
// locked everyone sees so, and the candidate's editor is read-only (the server drops their
// edits anyway); the candidate's document re-syncs from the server at each lock and unlock, so
// nothing typed in between lingers. The notes stay editable after the end.
import { useCallback, useEffect, useMemo, useState, type CSSProperties } from 'react';
import {
  LANGUAGE_LABELS,
  type InterviewControls,
  type InterviewDetail,
  type Language,
  type Role,
} from '../../../api/types';
import { Alert } from '../../../components/Alert';
import { SplitHandle } from '../../../components/SplitHandle';
import { layoutStorageKey, useResizableSplit } from '../../../lib/useResizableSplit';
import { RoomSidePanel } from '../../evaluation/RoomSidePanel';
import { CallStrip } from '../call/CallStrip';
import { useIntegrityReporting } from '../integrity/useIntegrityReporting';
import { RunPanel } from '../run/RunPanel';
import { AutocompleteToggle } from './AutocompleteToggle';
import { participantPresence } from './awarenessPeers';
import { CollabEditor } from './CollabEditor';
import { ConnectionStatus } from './ConnectionStatus';
import { describeConnection } from './connectionStatus';
import { codeTextName } from './codeTexts';
import { codeEditorAccess } from './editorAccess';
import { isLanguage, LanguageSwitcher } from './LanguageSelect';
import { NotesPanel } from './NotesPanel';
import { Participants } from './Participants';
import { RemoteCursorStyles } from './RemoteCursorStyles';
import { RoomControls } from './RoomControls';
import { StarterCodeButton } from './StarterCodeButton';
import { useYjsDoc } from './useYjsDoc';
import './room.css';
import { usePeers, useYMapValue } from './yhooks';

/** The code document's shared types (crates/collab `DocKind::Code`); each question's
 * Y.Text is named by `codeTextName` (codeTexts.ts). */
export const META_MAP = 'meta';
export const LANGUAGE_KEY = 'language';

export interface RoomWorkspaceProps {
  detail: InterviewDetail;
  role: Role | null;
  /** The viewer's participant id, for "(you)" and their own online state. */
  selfParticipantId: string | null;
  selfName: string;
  activeQuestionId: string | undefined;
  /** Whose remembered layout this is (the account's id, or the candidate's participant id). */
  layoutOwner: string | null;
  /** Participants with the room event socket open (the room or the lobby): online too. */
  roomOnline?: ReadonlySet<string>;
}

/** Sizes in percent: the run pane's share of the code column, the notes' share of the width. */
export const RUN_SPLIT = { defaultValue: 42, min: 20, max: 75 } as const;
export const NOTES_SPLIT = { defaultValue: 35, min: 18, max: 50 } as const;

export default function RoomWorkspace({
  detail,
  role,
  selfParticipantId,
  selfName,
  activeQuestionId,
  layoutOwner,
  roomOnline,
}: RoomWorkspaceProps) {
  const { interview, participants, questions } = detail;
  const live = interview.status === 'live';
  const ended = interview.status === 'ended';
  const isInterviewer = role === 'host' || role === 'interviewer';
  const canEdit = !ended && (isInterviewer || (role === 'candidate' && live));
  const canRun = isInterviewer || (role === 'candidate' && live);
  const sharesCursor = role !== 'observer';
  const [controls, setControls] = useControls(detail.controls);
  // Interviewers and observers keep their completions; the switch is the candidate's.
  const completions = role !== 'candidate' || controls.candidate_autocomplete;

  const epoch = codeEditorAccess(role, interview.status, controls, false).epoch;
  const { yjs, connection } = useYjsDoc(interview.id, 'code', epoch);
  // The editor shows the active question's code; switching questions rebinds it.
  const questionIds = useMemo(() => questions.map((q) => q.id), [questions]);
  const text = yjs ? yjs.doc.getText(codeTextName(questionIds, activeQuestionId)) : null;
  const meta = yjs ? yjs.doc.getMap<unknown>(META_MAP) : null;
  const awareness = yjs ? yjs.provider.awareness : null;
  const shared = useYMapValue(meta, LANGUAGE_KEY);
  const language: Language = isLanguage(shared) ? shared : (interview.language ?? 'python');
  const refused = connection.phase === 'refused';
  const { readOnly, editorLocked, lockedOut } = codeEditorAccess(role, interview.status, controls, refused);

  // Our own identity for our own display; the server overwrites `user` for everyone else.
  useEffect(() => {
    if (awareness && selfParticipantId)
      awareness.setLocalStateField('user', { id: selfParticipantId, name: selfName, role: role ?? '' });
  }, [awareness, selfParticipantId, selfName, role]);

  const peers = usePeers(awareness);
  const selfOnline = connection.phase === 'synced' || connection.phase === 'syncing';
  const presence = useMemo(
    () =>
      participantPresence(participants, peers, { participantId: selfParticipantId, online: selfOnline }).map((p) =>
        !p.online && roomOnline?.has(p.participant.id) ? { ...p, online: true } : p,
      ),
    [participants, peers, selfParticipantId, selfOnline, roomOnline],
  );

  // The candidate's pastes, copies and leaving the tab or window (features/room/integrity).
  const watchEditor = useIntegrityReporting(interview.id, role === 'candidate' && live);

  const getCode = useCallback(() => (text ? text.toString() : ''), [text]);
  const activeQuestion = questions.find((q) => q.id === activeQuestionId) ?? questions[0];
  const questionTexts = yjs
    ? questions.map((q) => ({ text: yjs.doc.getText(codeTextName(questionIds, q.id)), starter: q.starter_code }))
    : [];
  const activeText = questionTexts.find(({ text: candidate }) => candidate === text);
  const starterCode = activeQuestion?.starter_code[language] ?? '';

  const runSplit = useResizableSplit({
    ...RUN_SPLIT,
    storageKey: layoutStorageKey(layoutOwner, 'room.run'),
    orientation: 'horizontal',
    pane: 'after',
  });
  const notesSplit = useResizableSplit({
    ...NOTES_SPLIT,
    storageKey: layoutStorageKey(layoutOwner, 'room.notes'),
    orientation: 'vertical',
    pane: 'after',
  });

  return (
    <div
      className={`room-ws${isInterviewer ? ' room-ws--with-notes' : ''}`}
      style={{ '--notes-size': `${notesSplit.value}%` } as CSSProperties}
    >
      <section
        className="room-ws__main"
        aria-label="Code"
        style={{ '--run-size': `${runSplit.value}%` } as CSSProperties}
      >
        <div className="room-toolbar" role="group" aria-label="Editor controls">
          <LanguageSwitcher
            value={language}
            disabled={readOnly}
            doc={yjs?.doc ?? null}
            meta={meta}
            languageKey={LANGUAGE_KEY}
            texts={questionTexts}
            active={activeText}
          />
          {readOnly && !lockedOut && (
            <span className="badge badge--readonly" data-testid="read-only-badge">
              Read only
            </span>
          )}
          <span role="status" className="room-toolbar__status">
            {editorLocked && (
              <span className="badge badge--locked" data-testid="editor-locked-badge">
                Editor locked by the interviewer
              </span>
            )}
          </span>
          {isInterviewer && canEdit && text && connection.hasSynced && (
            <StarterCodeButton text={text} starterCode={starterCode} languageLabel={LANGUAGE_LABELS[language]} />
          )}
          {isInterviewer && !ended && (
            <AutocompleteToggle interviewId={interview.id} controls={controls} onChange={setControls} />
          )}
          {isInterviewer && !ended && (
            <RoomControls
              interviewId={interview.id}
              controls={controls}
              isHost={role === 'host'}
              onChange={setControls}
            />
          )}
          <span className="room-toolbar__spacer" />
          <ConnectionStatus state={connection} />
          <Participants presence={presence} />
        </div>
        {refused && (
          <div className="room-ws__alert">
            <Alert tone="error" title={describeConnection(connection).detail}>
              The editor is read only. Reload the page if you think this is a mistake.
            </Alert>
          </div>
        )}
        <div className="room-ws__editor">
          <RemoteCursorStyles peers={peers} awareness={awareness} text={text} />
          {text && (
            <CollabEditor
              text={text}
              awareness={awareness}
              language={language}
              readOnly={readOnly}
              shareCursor={sharesCursor}
              completions={completions}
              ariaLabel={`Shared code editor, ${language}${readOnly ? ', read only' : ''}. Press Escape then Tab to leave the editor.`}
              testId="code-editor"
              onEditor={watchEditor}
            />
          )}
        </div>
        <SplitHandle
          split={runSplit}
          label="Resize the run panel"
          controls="room-run"
          valueText={`Run panel ${runSplit.value}% of the height`}
          testId="run-split"
        />
        <div className="room-ws__run" id="room-run">
          <RunPanel
            interviewId={interview.id}
            language={language}
            canRun={canRun}
            isInterviewer={isInterviewer}
            getCode={getCode}
            questions={questions}
            activeQuestionId={activeQuestion?.id}
            onControls={setControls}
            runsDisabled={controls.runs_disabled}
            terminalAccess={{ role, live, selfParticipantId, participants }}
          />
        </div>
      </section>
      {isInterviewer && (
        <>
          <SplitHandle
            split={notesSplit}
            label="Resize the notes"
            controls="room-notes"
            valueText={`Notes ${notesSplit.value}% of the width`}
            className="room-ws__notes-split"
            testId="notes-split"
          />
          <RoomSidePanel interviewId={interview.id} role={role} notes={<NotesPanel interviewId={interview.id} />} />
        </>
      )}
      <CallStrip interviewId={interview.id} role={role} owner={layoutOwner} ended={ended} />
    </div>
  );
}

/**
 * The interview's controls: the detail's (reloaded by the room's polling), replaced by a
 * `controls` event or our own change as soon as one arrives.
 */
function useControls(fromDetail: InterviewControls): [InterviewControls, (controls: InterviewControls) => void] {
  const [controls, setControls] = useState(fromDetail);
  const stored = JSON.stringify(fromDetail);
  const [seen, setSeen] = useState(stored);
  // Adjusted while rendering (not in an effect) when a stored value changes.
  if (seen !== stored) {
    setSeen(stored);
    setControls(fromDetail);
  }
  return [controls, setControls];
}

// The run panel of the interview room: Run / Test (Ctrl/Cmd+Enter runs, from anywhere on the
// page, the editor included), stdin, the live output console everyone in the room sees, test
// results, the running state with Cancel, and the run history (pages of summaries; a run's
// output is fetched when it is shown), and the interactive terminal as a tab of its own
// (../terminal). RoomPage mounts it; everything about runs lives in this folder: useRuns holds
// the runs, the components here only lay them out.
import { useState, type JSX } from 'react';
import { EMPTY_OUTPUT } from './output';
import { OutputConsole } from './OutputConsole';
import { RunBar } from './RunBar';
import { RunHistory } from './RunHistory';
import { isMine } from './runReducer';
import { RunStartError } from './RunStartError';
import { RunTabList, RunTabPanel } from './RunTabs';
import { RUN_DISABLED_REASON_ID, RunToolbar } from './RunToolbar';
import { runTabs } from './runViews';
import { ShownOutput } from './ShownOutput';
import { StdinInput } from './StdinInput';
import { TestResults } from './TestResults';
import { useRunShortcuts } from './useRunShortcuts';
import { useRuns, type RunsOptions } from './useRuns';
import { useRunTab } from './useRunTab';
import { TerminalPanel } from '../terminal/TerminalPanel';
import { useRoomTerminal, type TerminalAccess } from '../terminal/useRoomTerminal';
import './run.css';

export type { QuestionView } from './types';

export type RunPanelProps = RunsOptions & {
  /** Who is using the interactive terminal (without it: nobody may type or start). */
  terminalAccess?: TerminalAccess | undefined;
};

const NO_TERMINAL_ACCESS: TerminalAccess = { role: null, live: false, selfParticipantId: null };

export function RunPanel(props: RunPanelProps): JSX.Element {
  const { canRun, isInterviewer, questions } = props;
  const runs = useRuns(props);
  const { state, shown, runReason, activeQuestion } = runs;
  const [stdin, setStdin] = useState('');
  const [stdinOpen, setStdinOpen] = useState(false);
  const [openTab, setOpenTab] = useRunTab(shown);
  useRunShortcuts((mode) => void runs.start(mode, stdin));
  const terminal = useRoomTerminal(
    {
      ...(props.terminalAccess ?? NO_TERMINAL_ACCESS),
      interviewId: props.interviewId,
      isInterviewer,
      runsDisabled: props.runsDisabled ?? false,
    },
    () => setOpenTab('terminal'),
  );

  return (
    <section className="run-panel" aria-label="Run code" data-testid="run-panel">
      <RunToolbar
        runReason={runReason}
        testReason={runs.testReason}
        submitting={runs.submitting}
        onStart={(mode) => void runs.start(mode, stdin)}
        questionTitle={activeQuestion?.title}
        language={props.language}
        languageInfo={runs.languageInfo}
        socketState={runs.socketState}
        stdinOpen={stdinOpen}
        stdinFilled={stdin !== ''}
        onToggleStdin={() => setStdinOpen((open) => !open)}
      />
      {runReason && (
        <p id={RUN_DISABLED_REASON_ID} className="run-panel__reason muted small" data-testid="run-disabled-reason">
          {runReason}
        </p>
      )}
      {stdinOpen && <StdinInput value={stdin} onChange={setStdin} />}
      {runs.startError !== null && <RunStartError error={runs.startError} onDismiss={runs.dismissStartError} />}
      {shown && (
        <RunBar
          run={shown}
          canCancel={canRun && (isInterviewer || isMine(state, shown))}
          cancelling={runs.cancelling === shown.id}
          cancelError={runs.cancelError}
          onCancel={() => void runs.cancel(shown.id)}
        />
      )}
      <RunTabList tabs={[...runTabs(shown, state.order.length), terminal.tab]} open={openTab} onOpen={setOpenTab} />
      <div className="run-panel__body">
        <RunTabPanel tab="output" open={openTab} className="run-panel__tabpanel--output">
          {shown ? (
            <ShownOutput run={shown} onRetry={() => void runs.fetchResult(shown.id)} />
          ) : (
            <OutputConsole
              output={EMPTY_OUTPUT}
              placeholder={
                canRun
                  ? 'Run your code to see its output here (Ctrl+Enter).'
                  : 'Output of runs in this room appears here.'
              }
            />
          )}
        </RunTabPanel>
        {shown?.mode === 'test' && (
          <RunTabPanel tab="tests" open={openTab}>
            <TestResults
              run={shown}
              question={questions.find((q) => q.id === (shown.result?.question_id ?? '')) ?? activeQuestion}
              isInterviewer={isInterviewer}
            />
          </RunTabPanel>
        )}
        <RunTabPanel tab="history" open={openTab}>
          <RunHistory
            state={state}
            shownId={shown?.id ?? null}
            onSelect={runs.select}
            older={runs.olderPage}
            onLoadOlder={() => void runs.loadOlder()}
          />
        </RunTabPanel>
        <RunTabPanel tab="terminal" open={openTab} className="run-panel__tabpanel--terminal">
          <TerminalPanel
            terminal={terminal.terminal}
            nameOf={terminal.nameOf}
            canUse={terminal.canUse}
            startReason={terminal.startReason}
            open={openTab === 'terminal'}
          />
        </RunTabPanel>
      </div>
    </section>
  );
}

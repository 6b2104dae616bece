// The output console: program output as text nodes (never HTML), stdout and stderr styled
// apart, a note when old output was dropped, and auto-scroll that pauses while the user has
// scrolled up to read (a "Jump to latest" button resumes it).
import { memo, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { sanitizeOutput, truncationNote, type OutputBuffer } from './output';

/** Within this many pixels of the bottom counts as "at the bottom". */
const STICK_SLACK_PX = 24;

export interface OutputConsoleProps {
  output: OutputBuffer;
  /** Shown when there is no output at all (e.g. "Run your code to see its output here."). */
  placeholder: ReactNode;
  /** Lines after the output: exit code, signal, the runner's message. */
  footer?: string[] | undefined;
}

export const OutputConsole = memo(function OutputConsole({ output, placeholder, footer }: OutputConsoleProps) {
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [paused, setPaused] = useState(false);
  const note = truncationNote(output);
  const footerKey = footer?.join('\n') ?? '';

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [output, footerKey]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_SLACK_PX;
    stick.current = atBottom;
    setPaused(!atBottom);
  };

  const jump = () => {
    const el = ref.current;
    stick.current = true;
    setPaused(false);
    if (el) el.scrollTop = el.scrollHeight;
  };

  const empty = output.chunks.length === 0 && !footerKey;
  return (
    <div className="run-console-wrap">
      <div
        ref={ref}
        className="run-console"
        data-testid="run-output"
        role="log"
        aria-live="polite"
        aria-label="Program output"
        tabIndex={0}
        onScroll={onScroll}
      >
        {note && <div className="run-console__note">{note}</div>}
        {empty ? (
          <div className="run-console__placeholder">{placeholder}</div>
        ) : (
          <pre className="run-console__text">
            {output.chunks.map((chunk, i) => (
              <span key={output.first + i} className={`run-out run-out--${chunk.stream}`} data-stream={chunk.stream}>
                {chunk.text}
              </span>
            ))}
          </pre>
        )}
        {footer && footer.length > 0 && (
          <div className="run-console__footer" data-testid="run-footer">
            {footer.map((line, i) => (
              <div key={i}>{sanitizeOutput(line)}</div>
            ))}
          </div>
        )}
      </div>
      {paused && (
        <button type="button" className="btn btn--secondary btn--small run-console__jump" onClick={jump}>
          Jump to latest ↓
        </button>
      )}
    </div>
  );
});

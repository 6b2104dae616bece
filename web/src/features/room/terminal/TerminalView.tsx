// The terminal's screen: xterm.js (with its fit addon and its own stylesheet), drawing what
// terminalSession.ts printed (`catchUp` writes only what is new, or starts over on a new
// epoch) and handing the keys typed to `onKeys`. Loaded lazily (TerminalPanel), so the room's
// first load does not carry xterm. Tab is left to the browser (it moves focus out, so the
// terminal never traps the keyboard), Ctrl/⌘+C copies while text is selected, Ctrl/⌘+V
// pastes; every other key goes to the terminal. Input is off unless `interactive`.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { catchUp, type Screen, type Written } from './terminalScreen';

export interface TerminalViewProps {
  screen: Screen;
  /** Keys typed reach `onKeys` (else the terminal only shows). */
  interactive: boolean;
  onKeys: (data: string) => void;
  /** Rings the bell each time it changes. */
  bells: number;
  /** Focuses the terminal each time it changes (not on mount at 0). */
  focusRequests: number;
  /** The name screen readers give the terminal's input. */
  label: string;
}

/** The output console's colours (run.css), so the two read alike. */
const THEME = {
  background: '#0f1115',
  foreground: '#e7e9ee',
  cursor: '#e7e9ee',
  cursorAccent: '#0f1115',
  selectionBackground: '#3a4a66',
};

export default function TerminalView({ screen, interactive, onKeys, bells, focusRequests, label }: TerminalViewProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const terminalRef = useRef<Terminal | null>(null);
  const writtenRef = useRef<Written | null>(null);
  const onKeysRef = useRef(onKeys);
  useLayoutEffect(() => {
    onKeysRef.current = onKeys;
  });

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const terminal = new Terminal({
      fontFamily: getComputedStyle(host).fontFamily,
      fontSize: 13,
      lineHeight: 1.2,
      scrollback: 5000,
      cursorBlink: false,
      disableStdin: true,
      theme: THEME,
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.attachCustomKeyEventHandler((event) => {
      if (event.key === 'Tab') return false;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === 'c' && terminal.hasSelection()) return false;
      if (mod && key === 'v') return false;
      return true;
    });
    terminal.open(host);
    terminal.textarea?.setAttribute('aria-label', label);
    const data = terminal.onData((keys) => onKeysRef.current(keys));
    const refit = () => {
      // Hidden (a closed tab): nothing to measure.
      if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
    };
    const observer = new ResizeObserver(refit);
    observer.observe(host);
    refit();
    terminalRef.current = terminal;
    writtenRef.current = null;
    return () => {
      observer.disconnect();
      data.dispose();
      terminal.dispose();
      terminalRef.current = null;
    };
    // The label is set again below when it changes; the terminal is made once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    terminalRef.current?.textarea?.setAttribute('aria-label', label);
  }, [label]);

  useEffect(() => {
    const terminal = terminalRef.current;
    if (!terminal) return;
    const { reset, text } = catchUp(screen, writtenRef.current);
    if (reset) terminal.reset();
    if (text !== '') terminal.write(text);
    writtenRef.current = { epoch: screen.epoch, end: screen.end };
  }, [screen]);

  useEffect(() => {
    const terminal = terminalRef.current;
    if (!terminal) return;
    terminal.options.disableStdin = !interactive;
    terminal.options.cursorBlink = interactive;
  }, [interactive]);

  useEffect(() => {
    if (bells > 0) terminalRef.current?.write('\x07');
  }, [bells]);

  useEffect(() => {
    if (focusRequests > 0) terminalRef.current?.focus();
  }, [focusRequests]);

  return <div ref={hostRef} className="terminal-view" data-testid="terminal-screen" />;
}

// The room's keyboard shortcuts sheet: a visible "Shortcuts" button, and `?` pressed anywhere
// outside the editor and text fields, open a dialog listing every shortcut (roomShortcuts.ts).
// The dialog takes focus, keeps Tab inside, closes on Esc or Close, and gives focus back.
import { useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { isApplePlatform, isTypingTarget, roomShortcuts, type Shortcut } from './roomShortcuts';
import './shortcuts.css';

export function KeyboardShortcuts() {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (isTypingTarget(event.target)) return;
      event.preventDefault();
      setOpen(true);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <>
      <button
        type="button"
        className="btn btn--ghost btn--small shortcuts-button"
        aria-haspopup="dialog"
        aria-keyshortcuts="?"
        onClick={() => setOpen(true)}
      >
        <span className="shortcuts-button__label">Shortcuts</span> <kbd aria-hidden="true">?</kbd>
      </button>
      {open && createPortal(<ShortcutsDialog onClose={() => setOpen(false)} />, document.body)}
    </>
  );
}

function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const groups = roomShortcuts(isApplePlatform());

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        onClose();
      }
      if (event.key === 'Tab') {
        // The list scrolls on its own; Close is the only other stop.
        const stops = dialogRef.current?.querySelectorAll<HTMLElement>('button, [tabindex="0"]') ?? [];
        const list = Array.from(stops);
        const at = list.indexOf(document.activeElement as HTMLElement);
        event.preventDefault();
        list[(at + (event.shiftKey ? list.length - 1 : 1)) % list.length]?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, [onClose]);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="modal shortcuts"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={dialogRef}
        data-testid="shortcuts-dialog"
      >
        <h2 className="modal__title" id={titleId}>
          Keyboard shortcuts
        </h2>
        <div className="shortcuts__body" tabIndex={0} role="region" aria-label="Shortcut list">
          {groups.map((group) => (
            <section key={group.title} className="shortcuts__group">
              <h3 className="shortcuts__heading">{group.title}</h3>
              <dl className="shortcuts__list">
                {group.shortcuts.map((s) => (
                  <div className="shortcuts__row" key={s.does}>
                    <dt className="shortcuts__keys">
                      <Keys shortcut={s} />
                    </dt>
                    <dd className="shortcuts__does">{s.does}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
        <div className="modal__actions">
          <button type="button" className="btn btn--primary" ref={closeRef} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

function Keys({ shortcut }: { shortcut: Shortcut }) {
  return shortcut.combos.map((combo, i) => (
    <span key={combo.join('+')}>
      {i > 0 && <span className="shortcuts__joiner"> {shortcut.joiner ?? 'or'} </span>}
      {combo.map((key, j) => (
        <span key={key}>
          {j > 0 && '+'}
          <kbd>{key}</kbd>
        </span>
      ))}
    </span>
  ));
}

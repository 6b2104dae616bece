// A small modal asking the user to confirm an action, optionally with a field or two in its
// body (a name to type, say). Focus moves to the body's first field, else to the safe choice;
// Tab stays inside, Escape cancels, Enter in a field confirms (the dialog is a form), and
// focus returns to the opener when it closes. Never render it inside another <form>. The
// cancel button may be a choice of its own (`cancelLabel`, `onDismiss` for Escape).
import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  /** Red confirm button (the default); false for a harmless action such as creating something. */
  danger?: boolean;
  /** Keeps the confirm button disabled, e.g. until a required field is filled in. */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** The cancel button's label ("Cancel" by default), for a dialog whose other choice is an
   * action of its own ("Keep my code"). */
  cancelLabel?: string;
  /** Escape and a click outside; `onCancel` by default. Give it when the cancel button does
   * something and closing the dialog should not. */
  onDismiss?: () => void;
}

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href]';
const FIELDS = 'input:not([disabled]), select:not([disabled]), textarea:not([disabled])';

export function ConfirmDialog(props: ConfirmDialogProps) {
  const {
    open,
    title,
    children,
    confirmLabel,
    busy = false,
    danger = true,
    confirmDisabled = false,
    onConfirm,
    onCancel,
    cancelLabel = 'Cancel',
    onDismiss = onCancel,
  } = props;
  const titleId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLFormElement>(null);
  // Read by the key listener, so a parent re-rendering with new closures does not move focus.
  const dismissRef = useRef(onDismiss);
  useEffect(() => {
    dismissRef.current = onDismiss;
  });

  useEffect(() => {
    if (!open) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const firstField = dialogRef.current?.querySelector<HTMLElement>(FIELDS);
    (firstField ?? cancelRef.current)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') dismissRef.current();
      if (e.key === 'Tab' && dialogRef.current) {
        const items = dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE);
        const first = items[0];
        const last = items[items.length - 1];
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last?.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first?.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, [open]);

  if (!open) return null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy && !confirmDisabled) onConfirm();
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onDismiss()}>
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={dialogRef}
        onSubmit={onSubmit}
        noValidate
      >
        <h2 className="modal__title" id={titleId}>
          {title}
        </h2>
        {children && <div className="modal__body">{children}</div>}
        <div className="modal__actions">
          <button type="button" className="btn btn--ghost" ref={cancelRef} onClick={onCancel} disabled={busy}>
            {cancelLabel}
          </button>
          <button
            type="submit"
            className={`btn ${danger ? 'btn--danger' : 'btn--primary'}`}
            disabled={busy || confirmDisabled}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </form>
    </div>
  );
}

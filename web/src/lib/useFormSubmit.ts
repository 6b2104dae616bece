// The submit cycle every form shares: client checks first (nothing is sent while a field is
// wrong), then the request with the form marked pending, then what a failure shows — errors
// under their fields (the server's `error.fields` as well as the client's), a message above the
// form — and focus on the first invalid field. Each form says only what differs: its checks,
// its request, its fields' order and how it reads a failure. Errors do not outlive their
// cause: once a submit has found client errors, the checks run again on every render, so a
// fixed field loses its message at once; the server's messages go when the form says their
// field changed (`clearErrors`).
import { useLayoutEffect, useState, type FormEvent } from 'react';
import { ApiError, errorMessage, type FieldErrors } from '../api/client';
import { hasErrors } from './validation';

/** What a failed submit shows. */
export interface FormFailure {
  /** Messages shown under their fields, by field key. */
  fields?: FieldErrors | undefined;
  /** The message shown above the form. */
  form?: string | undefined;
  /** The field to focus (a key), instead of the first one with an error. */
  focus?: string | undefined;
}

export interface FormSubmitOptions {
  /**
   * The fields by key, in the order they appear: the first with an error gets focus. A field's
   * key is the one its errors come under (the server's field name) and, unless `fieldIds` says
   * otherwise, the id of its control (the `Field` convention).
   */
  fieldOrder: readonly string[];
  /** Control ids of the fields whose id is not their key. */
  fieldIds?: Readonly<Record<string, string>>;
  /** Where focus goes when no field of `fieldOrder` has an error (say, a row of a list): an element id. */
  focusFallback?: (errors: FieldErrors) => string | undefined;
  /** The client's checks, run first; any error stops the submit. */
  validate?: () => FieldErrors;
  /** Sends the form. Whatever it throws is shown as `failure` reads it. */
  submit: () => Promise<void>;
  /** Reads a failed submit; `fieldFailure` by default. */
  failure?: (error: unknown) => FormFailure;
}

export interface FormSubmit {
  /** Field key → why it is wrong, from the client's checks or the server's answer. */
  errors: FieldErrors;
  /** The message above the form, or null. */
  formError: string | null;
  /** True while the request is out. */
  pending: boolean;
  /** The form's onSubmit; the event is optional so a dialog's confirm button can call it too. */
  onSubmit: (event?: FormEvent) => Promise<void>;
  /** Forgets the errors (a dialog that closes). */
  reset: () => void;
  /**
   * Forgets the errors of the fields that `match` (their value changed, so the server's verdict
   * no longer holds); the message above the form goes with the last of them.
   */
  clearErrors: (match: (key: string) => boolean) => void;
}

/** The usual reading: the server's field errors under their fields with its message above, anything else above. */
export function fieldFailure(error: unknown): FormFailure {
  if (error instanceof ApiError && error.isValidation) {
    return { fields: error.fields, form: error.message || 'Please fix the highlighted fields.' };
  }
  return { form: errorMessage(error) };
}

export function useFormSubmit(options: FormSubmitOptions): FormSubmit {
  const { fieldOrder, fieldIds, focusFallback, validate, submit, failure = fieldFailure } = options;
  const [stored, setStored] = useState<FieldErrors>({});
  /** The keys of `stored` that the client's checks found (checked again on every render). */
  const [clientKeys, setClientKeys] = useState<readonly string[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  /** Whether the message above the form only sums up field errors (so it goes with them). */
  const [formSumsFields, setFormSumsFields] = useState(false);
  const [pending, setPending] = useState(false);
  /** The control to focus once the form has re-rendered (a new object each time, so each request counts). */
  const [focusRequest, setFocusRequest] = useState<{ id: string } | null>(null);

  // After the render that shows the errors, when the controls are enabled again (a form may
  // disable them while pending), and before the browser paints.
  useLayoutEffect(() => {
    if (focusRequest && !pending) document.getElementById(focusRequest.id)?.focus();
  }, [focusRequest, pending]);

  // A client error stays only while the check still fails, with the check's current message.
  const live = clientKeys.length > 0 ? (validate?.() ?? {}) : {};
  const errors: FieldErrors = {};
  for (const [key, message] of Object.entries(stored)) {
    if (!clientKeys.includes(key)) errors[key] = message;
    else if (live[key]) errors[key] = live[key];
  }

  const show = (fields: FieldErrors, message: string | null, focus?: string, fromClient = false) => {
    setStored(fields);
    setClientKeys(fromClient ? Object.keys(fields) : []);
    setFormError(message);
    setFormSumsFields(message !== null && hasErrors(fields));
    const key = focus ?? fieldOrder.find((f) => fields[f]);
    const id = key !== undefined ? (fieldIds?.[key] ?? key) : focusFallback?.(fields);
    setFocusRequest(id !== undefined ? { id } : null);
  };

  const onSubmit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (pending) return;
    const found = validate?.() ?? {};
    show(found, null, undefined, true);
    if (hasErrors(found)) return;
    setPending(true);
    try {
      await submit();
    } catch (error) {
      const read = failure(error);
      show(read.fields ?? {}, read.form ?? null, read.focus);
    } finally {
      setPending(false);
    }
  };

  const reset = () => show({}, null);

  const clearErrors = (match: (key: string) => boolean) => {
    const kept = Object.fromEntries(Object.entries(stored).filter(([key]) => !match(key)));
    if (Object.keys(kept).length === Object.keys(stored).length) return;
    setStored(kept);
    if (formSumsFields && !hasErrors(kept)) setFormError(null);
  };

  return { errors, formError, pending, onSubmit, reset, clearErrors };
}

// Unit tests for the shared submit cycle: client checks stop the request, the server's field
// errors land on their fields, focus goes to the first invalid field (once the controls are
// enabled again), the pending state, and the reading of failures.
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type FieldErrors } from '../api/client';
import { fieldFailure, useFormSubmit, type FormFailure } from './useFormSubmit';

interface HarnessProps {
  validate?: () => FieldErrors;
  submit?: () => Promise<void>;
  failure?: (error: unknown) => FormFailure;
  focusFallback?: (errors: FieldErrors) => string | undefined;
}

/** A form with a title, an email (whose control id is not its key) and a row; disabled while pending. */
function Harness({ submit = async () => {}, ...rest }: HarnessProps) {
  const form = useFormSubmit({ fieldOrder: ['title', 'email'], fieldIds: { email: 'contact-email' }, submit, ...rest });
  return (
    <form onSubmit={form.onSubmit} noValidate>
      {form.formError && <p role="alert">{form.formError}</p>}
      <fieldset disabled={form.pending}>
        <input id="title" aria-label="Title" aria-invalid={form.errors['title'] ? true : undefined} />
        <input id="contact-email" aria-label="Email" aria-invalid={form.errors['email'] ? true : undefined} />
        <input id="row-1" aria-label="Row" />
      </fieldset>
      <button type="submit">{form.pending ? 'Saving…' : 'Save'}</button>
      <button type="button" onClick={form.reset}>
        Reset
      </button>
    </form>
  );
}

const validation = (fields: FieldErrors, message = 'Some fields are invalid') =>
  new ApiError(422, 'validation_failed', message, fields);

describe('useFormSubmit', () => {
  it('stops at the client checks, marking the fields and focusing the first in form order', async () => {
    const submit = vi.fn(async () => {});
    render(<Harness validate={() => ({ email: 'Enter an email.', title: 'Give it a title.' })} submit={submit} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(submit).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText('Title'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("shows the server's field errors with its message, focusing the field by its control id", async () => {
    render(
      <Harness
        submit={async () => {
          throw validation({ email: 'is already registered' });
        }}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Some fields are invalid');
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBeNull();
    // The fieldset was disabled while pending: focus waits for it to be enabled again.
    expect(document.activeElement).toBe(screen.getByLabelText('Email'));
  });

  it('is pending while the request is out, and ignores a second submit meanwhile', async () => {
    let finish: () => void = () => {};
    const submit = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    render(<Harness submit={submit} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    const button = screen.getByRole('button', { name: 'Saving…' });
    button.closest('form')?.requestSubmit();
    expect(submit).toHaveBeenCalledTimes(1);
    finish();
    await screen.findByRole('button', { name: 'Save' });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows any other failure above the form, and a new submit clears the old errors', async () => {
    let attempt = 0;
    render(
      <Harness
        submit={async () => {
          attempt += 1;
          if (attempt === 1) throw validation({ title: 'is taken' });
          if (attempt === 2) throw new ApiError(0, 'network_error', 'Could not reach the server.');
        }}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBe('true'));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not reach the server.');
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('lets a failure name the field to focus, and falls back for errors outside the fields', async () => {
    const { unmount } = render(
      <Harness
        submit={async () => {
          throw new ApiError(401, 'invalid_credentials', 'No');
        }}
        failure={() => ({ form: 'Those do not match.', focus: 'email' })}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Those do not match.');
    expect(document.activeElement).toBe(screen.getByLabelText('Email'));
    unmount();

    render(
      <Harness
        validate={() => ({ 'rows[0].name': 'Name it.' })}
        focusFallback={(errors) => (errors['rows[0].name'] ? 'row-1' : undefined)}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Row'));
  });

  it('forgets the errors on reset', async () => {
    render(<Harness validate={() => ({ title: 'Give it a title.' })} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBe('true');
    await userEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBeNull();
  });
});

describe('fieldFailure', () => {
  it("puts the server's field errors on their fields, everything else above the form", () => {
    expect(fieldFailure(validation({ title: 'is taken' }))).toEqual({
      fields: { title: 'is taken' },
      form: 'Some fields are invalid',
    });
    expect(fieldFailure(validation({ title: 'is taken' }, ''))).toEqual({
      fields: { title: 'is taken' },
      form: 'Please fix the highlighted fields.',
    });
    expect(fieldFailure(new ApiError(500, 'internal_error', 'The server had a problem.'))).toEqual({
      form: 'The server had a problem.',
    });
    expect(fieldFailure('boom')).toEqual({ form: 'Something went wrong.' });
  });
});

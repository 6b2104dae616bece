// Component tests for the invite card: regenerating the link only after a confirmation that
// explains the old link dies (with or without keeping the candidate's session), and emailing
// the invite when the server sends email, with a notice for sent, not sent and refused.
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFetch } from '../../test/fetchMock';
import { InviteCard, type InviteCardProps } from './InviteCard';

const OLD = 'http://127.0.0.1/join/abc-defg-hjk?invite=old';
const NEW = 'http://127.0.0.1/join/abc-defg-hjk?invite=new';

function renderCard(props: Partial<InviteCardProps> = {}) {
  const onRenewed = vi.fn();
  render(
    <InviteCard
      interviewId="iv1"
      url={OLD}
      roomCode="abc-defg-hjk"
      candidateEmail="cara@example.com"
      emailEnabled
      onRenewed={onRenewed}
      {...props}
    />,
  );
  return onRenewed;
}

afterEach(() => vi.unstubAllGlobals());

describe('InviteCard', () => {
  it('regenerates the link only after confirming, signing the candidate out by default', async () => {
    const calls = installFetch({
      'POST /api/interviews/iv1/invite': () => ({ status: 200, body: { candidate_invite_url: NEW } }),
    });
    const onRenewed = renderCard();
    await userEvent.click(screen.getByRole('button', { name: 'Regenerate link' }));
    const dialog = screen.getByRole('dialog', { name: 'Regenerate the invite link?' });
    expect(dialog.textContent).toContain('The current link stops working at once');
    const keep = within(dialog).getByRole('checkbox', { name: "Keep the candidate's current session" });
    expect((keep as HTMLInputElement).checked).toBe(false);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'Regenerate link' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Regenerate link' }));
    await waitFor(() => expect(onRenewed).toHaveBeenCalledWith(NEW));
    expect(calls[0]?.body).toEqual({ keep_candidate_session: false });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('the candidate was signed out');
  });

  it('can keep the candidate signed in', async () => {
    const calls = installFetch({
      'POST /api/interviews/iv1/invite': () => ({ status: 200, body: { candidate_invite_url: NEW } }),
    });
    const onRenewed = renderCard();
    await userEvent.click(screen.getByRole('button', { name: 'Regenerate link' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: "Keep the candidate's current session" }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Regenerate link' }));
    await waitFor(() => expect(onRenewed).toHaveBeenCalledWith(NEW));
    expect(calls[0]?.body).toEqual({ keep_candidate_session: true });
    expect(screen.getByRole('status').textContent).toContain('the candidate stays signed in');
  });

  it('shows why regenerating failed', async () => {
    installFetch({
      'POST /api/interviews/iv1/invite': () => ({
        status: 403,
        body: { error: { code: 'forbidden', message: 'You may not renew the invite link.' } },
      }),
    });
    const onRenewed = renderCard();
    await userEvent.click(screen.getByRole('button', { name: 'Regenerate link' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Regenerate link' }));
    expect((await screen.findByRole('alert')).textContent).toContain('You may not renew the invite link.');
    expect(onRenewed).not.toHaveBeenCalled();
  });

  it('emails the invite and says whether it went out', async () => {
    let sent = true;
    const calls = installFetch({
      'POST /api/interviews/iv1/invite/send': () => ({ status: 200, body: { email_sent: sent } }),
    });
    renderCard();
    await userEvent.click(screen.getByRole('button', { name: 'Email invite' }));
    expect((await screen.findByRole('status')).textContent).toBe('Invite emailed to cara@example.com.');
    expect(calls.map((c) => c.method)).toEqual(['POST']);

    sent = false;
    await userEvent.click(screen.getByRole('button', { name: 'Email invite' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The email could not be sent');
  });

  it('reports a refused send, such as the rate limit', async () => {
    installFetch({
      'POST /api/interviews/iv1/invite/send': () => ({
        status: 429,
        body: { error: { code: 'rate_limited', message: 'Too many requests; try again in 60 s.' } },
      }),
    });
    renderCard();
    await userEvent.click(screen.getByRole('button', { name: 'Email invite' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Too many requests');
  });

  it('offers no email without SMTP, and needs a candidate email to send', () => {
    installFetch({});
    const { unmount } = render(
      <InviteCard
        interviewId="iv1"
        url={OLD}
        roomCode="abc-defg-hjk"
        candidateEmail="cara@example.com"
        emailEnabled={false}
        onRenewed={() => undefined}
      />,
    );
    expect(screen.queryByRole('button', { name: 'Email invite' })).toBeNull();
    expect((screen.getByRole('button', { name: 'Regenerate link' }) as HTMLButtonElement).disabled).toBe(false);
    unmount();

    renderCard({ candidateEmail: null });
    expect((screen.getByRole('button', { name: 'Email invite' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Add the candidate's email/)).toBeTruthy();
  });

  it('shows no link and no actions to people who may not see it', () => {
    installFetch({});
    renderCard({ url: undefined });
    expect(screen.getByText('Only interviewers can see the invite link.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Regenerate link' })).toBeNull();
  });
});

// Component tests for the titled card: its accessible name, the aside and the body wrapper.
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Card } from './Card';

describe('Card', () => {
  it('is a region named by its title, with the aside in the header and the children in the body', () => {
    render(
      <Card title="Details" aside={<span className="muted small">3 items</span>} bodyClassName="form-grid form-grid--3">
        <p>Content</p>
      </Card>,
    );
    const region = screen.getByRole('region', { name: 'Details' });
    expect(region.classList.contains('card')).toBe(true);
    expect(screen.getByRole('heading', { level: 2, name: 'Details' }).className).toBe('card__title');
    expect(screen.getByText('3 items').parentElement?.className).toBe('card__header');
    const body = screen.getByText('Content').parentElement;
    expect(body?.className).toBe('card__body form-grid form-grid--3');
    expect(body?.parentElement).toBe(region);
  });

  it('wraps the children in a plain .card__body without extra classes', () => {
    render(
      <Card title="Prompt">
        <p>Content</p>
      </Card>,
    );
    expect(screen.getByText('Content').parentElement?.className).toBe('card__body');
  });

  it('puts the children straight after the header when bare', () => {
    render(
      <Card title="Questions" bare>
        <ol className="list">
          <li>One</li>
        </ol>
      </Card>,
    );
    const region = screen.getByRole('region', { name: 'Questions' });
    expect(region.querySelector('.card__body')).toBeNull();
    const list = screen.getByRole('list');
    expect(list.parentElement).toBe(region);
    expect(list.previousElementSibling?.className).toBe('card__header');
  });

  it('gives each card its own heading id', () => {
    render(
      <>
        <Card title="One">a</Card>
        <Card title="Two">b</Card>
      </>,
    );
    expect(screen.getByRole('region', { name: 'One' })).not.toBe(screen.getByRole('region', { name: 'Two' }));
  });
});

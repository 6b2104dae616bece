// Unit test for arrow-key navigation in tab lists.
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { onTabListKeyDown } from './tablistKeys';

function Tabs() {
  const [active, setActive] = useState(0);
  return (
    <div role="tablist" onKeyDown={onTabListKeyDown}>
      {['One', 'Two', 'Three'].map((name, i) => (
        <button
          key={name}
          role="tab"
          aria-selected={i === active}
          tabIndex={i === active ? 0 : -1}
          onClick={() => setActive(i)}
        >
          {name}
        </button>
      ))}
    </div>
  );
}

describe('onTabListKeyDown', () => {
  it('moves and activates with arrows, wrapping, and Home/End', () => {
    render(<Tabs />);
    const tab = (name: string) => screen.getByRole('tab', { name });
    tab('One').focus();
    fireEvent.keyDown(tab('One'), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(tab('Two'));
    expect(tab('Two').getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tab('Two'), { key: 'End' });
    expect(tab('Three').getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tab('Three'), { key: 'ArrowRight' });
    expect(tab('One').getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tab('One'), { key: 'ArrowLeft' });
    expect(tab('Three').getAttribute('aria-selected')).toBe('true');
  });
});

import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SqlSchema } from './SqlSchema';

describe('SqlSchema', () => {
  it('shows the tables of a SQL question', () => {
    render(<SqlSchema schema={'CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);\n'} />);
    expect(screen.getByRole('heading', { name: 'Tables (SQL schema)' })).toBeTruthy();
    expect(screen.getByTestId('sql-schema').textContent).toContain(
      'CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);',
    );
  });

  it('shows nothing for a question without a schema', () => {
    const { container } = render(<SqlSchema schema={null} />);
    expect(container.innerHTML).toBe('');
    render(<SqlSchema schema={'  \n'} />);
    expect(screen.queryByTestId('sql-schema')).toBeNull();
  });
});

// The language switch's starter-code rule: untouched code (empty, or exactly the old
// language's starter) is swapped in the language's own transaction; edited code is asked
// about for the active question and kept silently for the others.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { languageSwitchAction, switchLanguage } from './languageSwitch';

const starter = { python: 'def solve():\n    pass\n', go: 'func solve() {}\n' };

describe('languageSwitchAction', () => {
  it('replaces untouched code and asks about edited code', () => {
    expect(languageSwitchAction('', starter, 'python', 'go')).toBe('replace');
    expect(languageSwitchAction(starter.python, starter, 'python', 'go')).toBe('replace');
    expect(languageSwitchAction(`${starter.python}# mine\n`, starter, 'python', 'go')).toBe('ask');
  });

  it('has nothing to do when the code is already the new starter, or edited without one', () => {
    expect(languageSwitchAction(starter.go, starter, 'python', 'go')).toBe('keep');
    expect(languageSwitchAction('', starter, 'python', 'rust')).toBe('keep');
    expect(languageSwitchAction('edited', starter, 'python', 'rust')).toBe('keep');
    // Untouched starter code of the old language goes when the new one has none.
    expect(languageSwitchAction(starter.python, starter, 'python', 'rust')).toBe('replace');
  });
});

describe('switchLanguage', () => {
  function room() {
    const doc = new Y.Doc();
    const meta = doc.getMap<unknown>('meta');
    meta.set('language', 'python');
    const [active, untouched, edited] = ['code', 'code:b', 'code:c'].map((name) => doc.getText(name)) as [
      Y.Text,
      Y.Text,
      Y.Text,
    ];
    active.insert(0, 'print("mine")\n');
    untouched.insert(0, starter.python);
    edited.insert(0, 'also mine\n');
    const texts = [active, untouched, edited].map((text) => ({ text, starter }));
    return { doc, meta, active, untouched, edited, texts };
  }

  it('swaps untouched code in the same transaction as the language, keeping edited code', () => {
    const { doc, meta, active, untouched, edited, texts } = room();
    let transactions = 0;
    doc.on('afterTransaction', () => (transactions += 1));
    switchLanguage({ doc, meta, key: 'language', from: 'python', to: 'go', texts });
    expect(transactions).toBe(1);
    expect(meta.get('language')).toBe('go');
    expect(untouched.toString()).toBe(starter.go);
    expect(active.toString()).toBe('print("mine")\n');
    expect(edited.toString()).toBe('also mine\n');
  });

  it('replaces the edited code it was told to (the active question, after asking)', () => {
    const { doc, meta, active, untouched, edited, texts } = room();
    switchLanguage({ doc, meta, key: 'language', from: 'python', to: 'go', texts, replaceEdited: [active] });
    expect(active.toString()).toBe(starter.go);
    expect(untouched.toString()).toBe(starter.go);
    // Other edited questions are never replaced.
    expect(edited.toString()).toBe('also mine\n');
  });
});

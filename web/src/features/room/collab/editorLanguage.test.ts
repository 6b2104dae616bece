// Every room language is highlighted by a Monaco language that monaco.ts registers.
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../api/types';
import { monacoLanguageId } from './editorLanguage';
import monacoSource from './monaco.ts?raw';

/** The Monaco ids each imported definition registers (`cpp` registers `c` too). */
function registeredIds(): Set<string> {
  const definitions = [...monacoSource.matchAll(/languages\/definitions\/([a-z]+)\/register/g)].map((m) => m[1] ?? '');
  return new Set(definitions.flatMap((id) => (id === 'cpp' ? ['c', 'cpp'] : [id])));
}

describe('monacoLanguageId', () => {
  it('highlights bash with Monaco’s shell and keeps the other ids', () => {
    expect(monacoLanguageId('bash')).toBe('shell');
    expect(monacoLanguageId('csharp')).toBe('csharp');
    expect(monacoLanguageId('ruby')).toBe('ruby');
    expect(monacoLanguageId('php')).toBe('php');
    expect(monacoLanguageId('python')).toBe('python');
    expect(monacoLanguageId('plaintext')).toBe('plaintext');
  });

  it('names a definition monaco.ts imports for every room language', () => {
    const registered = registeredIds();
    for (const language of LANGUAGES) {
      expect(registered.has(monacoLanguageId(language)), language).toBe(true);
    }
  });
});

// The Monaco language that highlights each room language. A room language and Monaco's
// definition mostly share their id (`python`, `csharp`, `php`, `ruby`…; `c` is one of the ids
// of Monaco's cpp definition); bash is highlighted by Monaco's `shell`. Kept apart from
// monaco.ts so that it is testable without loading Monaco.
import type { Language } from '../../../api/types';

const MONACO_IDS: Partial<Record<Language, string>> = { bash: 'shell' };

/** The id of the Monaco language for `language` (a room language id, or `plaintext` etc.). */
export function monacoLanguageId(language: string): string {
  return MONACO_IDS[language as Language] ?? language;
}

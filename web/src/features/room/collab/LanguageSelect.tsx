// The room language, shared by everyone through the code document's `meta.language`, and what
// switching it does to the questions' code (languageSwitch.ts): untouched code becomes the new
// language's starter code in the same transaction; when the active question's code was edited,
// the person switching is asked first (Keep my code / Replace).
import { useState } from 'react';
import type * as Y from 'yjs';
import { LANGUAGES, LANGUAGE_LABELS, type Language } from '../../../api/types';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { LanguageOptions } from '../../../components/LanguageOptions';
import { languageSwitchAction, switchLanguage, type QuestionText } from './languageSwitch';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function LanguageSelect({
  value,
  disabled,
  onChange,
}: {
  value: Language;
  disabled: boolean;
  onChange: (language: Language) => void;
}) {
  return (
    <label className="lang-select">
      <span className="visually-hidden">Language</span>
      <select
        className="select select--compact"
        value={value}
        disabled={disabled}
        data-testid="language-select"
        title={
          disabled ? 'Only people who can edit the code can change the language' : 'Language for everyone in the room'
        }
        onChange={(event) => {
          if (isLanguage(event.target.value)) onChange(event.target.value);
        }}
      >
        <LanguageOptions />
      </select>
    </label>
  );
}

export interface LanguageSwitcherProps {
  value: Language;
  disabled: boolean;
  doc: Y.Doc | null;
  meta: Y.Map<unknown> | null;
  /** The `meta` key holding the language. */
  languageKey: string;
  /** Every question's text with its starter code; the active one among them. */
  texts: readonly QuestionText[];
  active: QuestionText | undefined;
}

/** The language select of the room, with the starter-code swap and its question. */
export function LanguageSwitcher({ value, disabled, doc, meta, languageKey, texts, active }: LanguageSwitcherProps) {
  const [asking, setAsking] = useState<Language | null>(null);
  const apply = (to: Language, replaceActive: boolean) => {
    setAsking(null);
    if (!doc || !meta) return;
    const replaceEdited = replaceActive && active ? [active.text] : [];
    switchLanguage({ doc, meta, key: languageKey, from: value, to, texts, replaceEdited });
  };
  const onChange = (to: Language) => {
    const ask = active && languageSwitchAction(active.text.toString(), active.starter, value, to) === 'ask';
    if (ask) setAsking(to);
    else apply(to, false);
  };
  return (
    <>
      <LanguageSelect value={value} disabled={disabled || !meta} onChange={onChange} />
      <ConfirmDialog
        open={asking !== null}
        title={`Replace your code with the ${asking ? LANGUAGE_LABELS[asking] : ''} starter code?`}
        confirmLabel="Replace"
        cancelLabel="Keep my code"
        onConfirm={() => asking && apply(asking, true)}
        onCancel={() => asking && apply(asking, false)}
        onDismiss={() => setAsking(null)}
      >
        <p>
          This question&rsquo;s code was edited. The language changes for everyone either way; other questions whose
          code is still their starter code switch to the new starter code.
        </p>
      </ConfirmDialog>
    </>
  );
}

// Starter code per language: a language switcher and one monospace textarea for the
// selected language. Languages that already have code are marked in the switcher.
import { useState, type KeyboardEvent } from 'react';
import { LANGUAGES, LANGUAGE_LABELS, type Language } from '../../api/types';

export interface StarterCodeEditorProps {
  value: Record<Language, string>;
  onChange: (value: Record<Language, string>) => void;
}

export function StarterCodeEditor({ value, onChange }: StarterCodeEditorProps) {
  const [language, setLanguage] = useState<Language>('python');

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Tab inserts spaces in the code box; Escape then Tab leaves it (keyboard users keep a way out).
    if (e.key !== 'Tab' || e.shiftKey || e.currentTarget.dataset['escaped'] === '1') return;
    e.preventDefault();
    const el = e.currentTarget;
    const { selectionStart, selectionEnd } = el;
    const next = `${el.value.slice(0, selectionStart)}    ${el.value.slice(selectionEnd)}`;
    onChange({ ...value, [language]: next });
    requestAnimationFrame(() => el.setSelectionRange(selectionStart + 4, selectionStart + 4));
  };

  return (
    <div className="starter">
      <div className="segmented" role="radiogroup" aria-label="Starter code language">
        {LANGUAGES.map((l) => (
          <button
            key={l}
            type="button"
            role="radio"
            aria-checked={language === l}
            className="segmented__item"
            onClick={() => setLanguage(l)}
          >
            {LANGUAGE_LABELS[l]}
            {value[l].trim() && <span className="segmented__dot" aria-label="has code" />}
          </button>
        ))}
      </div>
      <label className="visually-hidden" htmlFor="starter-code">
        {LANGUAGE_LABELS[language]} starter code
      </label>
      <textarea
        id="starter-code"
        className="textarea textarea--code"
        rows={10}
        spellCheck={false}
        placeholder={`Optional ${LANGUAGE_LABELS[language]} code the candidate starts from`}
        value={value[language]}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => {
          e.currentTarget.dataset['escaped'] = e.key === 'Escape' ? '1' : '';
        }}
        onBlur={(e) => {
          e.currentTarget.dataset['escaped'] = '';
        }}
        onChange={(e) => onChange({ ...value, [language]: e.target.value })}
      />
      <p className="field__hint">Tab indents. Press Escape, then Tab, to move on.</p>
    </div>
  );
}

// The room language, shared by everyone through the code document's `meta.language`.
import { LANGUAGES, type Language } from '../../../api/types';
import { LanguageOptions } from '../../../components/LanguageOptions';

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

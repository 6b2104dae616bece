// The `<option>`s of a language `<select>`: every language the server runs, by its label.
import { LANGUAGES, LANGUAGE_LABELS } from '../api/types';

export function LanguageOptions() {
  return (
    <>
      {LANGUAGES.map((language) => (
        <option key={language} value={language}>
          {LANGUAGE_LABELS[language]}
        </option>
      ))}
    </>
  );
}

// Filter controls of the list pages: a labelled text box or menu inside a `.toolbar`, each
// bound to one value (the pages keep their filters in the URL's search parameters).
import { Field } from './Field';

export interface FilterInputProps {
  id: string;
  label: string;
  value: string;
  placeholder: string;
  onChange: (value: string) => void;
  /** A search box (type="search") that takes the toolbar's spare width. */
  search?: boolean;
}

export function FilterInput({ id, label, value, placeholder, onChange, search = false }: FilterInputProps) {
  return (
    <Field id={id} label={label} className={search ? 'field--grow' : undefined}>
      <input
        id={id}
        type={search ? 'search' : 'text'}
        className="input"
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}

export interface FilterSelectProps {
  id: string;
  label: string;
  value: string;
  /** The first option, meaning "no filter" (its value is the empty string). */
  anyLabel: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  onChange: (value: string) => void;
}

export function FilterSelect({ id, label, value, anyLabel, options, onChange }: FilterSelectProps) {
  return (
    <Field id={id} label={label}>
      <select id={id} className="select" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

// The markdown prompt field with Write / Preview tabs (preview is sanitized HTML).
import { lazy, Suspense, useState } from 'react';
import { controlProps } from '../../components/Field';
import { onTabListKeyDown } from '../../lib/tablistKeys';

const Markdown = lazy(() => import('../../components/Markdown').then((m) => ({ default: m.Markdown })));

export interface PromptEditorProps {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}

export function PromptEditor({ value, onChange, error }: PromptEditorProps) {
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  return (
    <div className={`field field--wide${error ? ' field--invalid' : ''}`}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <label className="field__label" htmlFor="prompt">
          Prompt <span className="muted small">(Markdown)</span>
        </label>
        <div className="segmented" role="tablist" aria-label="Write or preview" onKeyDown={onTabListKeyDown}>
          <button
            type="button"
            role="tab"
            className="segmented__item"
            aria-selected={mode === 'write'}
            tabIndex={mode === 'write' ? 0 : -1}
            onClick={() => setMode('write')}
          >
            Write
          </button>
          <button
            type="button"
            role="tab"
            className="segmented__item"
            aria-selected={mode === 'preview'}
            tabIndex={mode === 'preview' ? 0 : -1}
            onClick={() => setMode('preview')}
          >
            Preview
          </button>
        </div>
      </div>
      {mode === 'write' ? (
        <textarea
          {...controlProps('prompt', error)}
          className="textarea"
          rows={12}
          placeholder={'Describe the problem. Markdown works: **bold**, `code`, lists, code blocks…'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <div className="preview" data-testid="prompt-preview" tabIndex={0} aria-label="Prompt preview">
          {value.trim() ? (
            <Suspense fallback={<span className="muted">Rendering…</span>}>
              <Markdown source={value} />
            </Suspense>
          ) : (
            <p className="muted">Nothing to preview yet.</p>
          )}
        </div>
      )}
      {error && (
        <p className="field__error" id="prompt-error">
          {error}
        </p>
      )}
    </div>
  );
}

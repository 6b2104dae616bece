// Component tests for the shared editor's options, with Monaco and y-monaco replaced by fakes:
// the completion switch reaches the live editor (and back), and a JavaScript/TypeScript
// language is set on the model only after its language service has loaded.
import { render, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { completionOptions } from './editorCompletions';

const fake = vi.hoisted(() => {
  const model = { language: '', getLanguageId: () => model.language, setEOL: () => {}, dispose: () => {} };
  const noop = { dispose: () => {} };
  const editor = {
    updateOptions: vi.fn(),
    getModel: () => model,
    onDidFocusEditorText: () => noop,
    onDidBlurEditorText: () => noop,
    dispose: () => {},
  };
  let releaseService: () => void = () => {};
  const service = { loaded: false };
  return {
    model,
    editor,
    service,
    release: () => releaseService(),
    monaco: {
      editor: {
        EndOfLineSequence: { LF: 0 },
        createModel: vi.fn((_text: string, language: string) => {
          model.language = language;
          return model;
        }),
        create: vi.fn(() => editor),
        setModelLanguage: vi.fn((_model: unknown, language: string) => {
          model.language = language;
        }),
      },
    },
    loadLanguageService: vi.fn((language: string) =>
      language === 'javascript' || language === 'typescript'
        ? new Promise<void>((resolve) => {
            releaseService = () => {
              service.loaded = true;
              resolve();
            };
          })
        : Promise.resolve(),
    ),
  };
});

vi.mock('./monaco', () => ({
  monaco: fake.monaco,
  hasLanguageService: (language: string) => language === 'javascript' || language === 'typescript',
  loadLanguageService: fake.loadLanguageService,
}));
vi.mock('./monacoTheme', () => ({ useMonacoTheme: () => {} }));
vi.mock('y-monaco', () => ({
  MonacoBinding: class {
    destroy() {}
  },
}));

const { CollabEditor } = await import('./CollabEditor');

beforeEach(() => {
  vi.clearAllMocks();
  fake.service.loaded = false;
});

function editor(props: { language: string; completions?: boolean; text: Y.Text }) {
  return (
    <CollabEditor
      text={props.text}
      awareness={null}
      language={props.language}
      readOnly={false}
      ariaLabel="Shared code editor"
      {...(props.completions === undefined ? {} : { completions: props.completions })}
    />
  );
}

describe('CollabEditor', () => {
  it('turns completions off and on again in the live editor', () => {
    const text = new Y.Doc().getText('code');
    const { rerender, container } = render(editor({ language: 'python', completions: true, text }));
    expect(fake.monaco.editor.create).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({
        quickSuggestions: { other: 'on', comments: 'off', strings: 'off' },
        wordBasedSuggestions: 'currentDocument',
      }),
    );
    rerender(editor({ language: 'python', completions: false, text }));
    expect(fake.editor.updateOptions).toHaveBeenLastCalledWith(completionOptions(false));
    expect(container.querySelector('[data-completions="off"]')).not.toBeNull();
    rerender(editor({ language: 'python', completions: true, text }));
    expect(fake.editor.updateOptions).toHaveBeenLastCalledWith(completionOptions(true));
  });

  it('starts with completions off when the candidate joins with autocomplete off', () => {
    const text = new Y.Doc().getText('code');
    render(editor({ language: 'go', completions: false, text }));
    expect(fake.monaco.editor.create).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({
        quickSuggestions: false,
        suggestOnTriggerCharacters: false,
        wordBasedSuggestions: 'off',
      }),
    );
  });

  it('sets TypeScript on the model only once its language service has loaded', async () => {
    const text = new Y.Doc().getText('code');
    render(editor({ language: 'typescript', text }));
    expect(fake.monaco.editor.createModel).toHaveBeenCalledWith('', 'plaintext');
    expect(fake.loadLanguageService).toHaveBeenCalledWith('typescript');
    await Promise.resolve();
    expect(fake.monaco.editor.setModelLanguage).not.toHaveBeenCalled();
    fake.release();
    await waitFor(() => expect(fake.monaco.editor.setModelLanguage).toHaveBeenCalledWith(fake.model, 'typescript'));
    expect(fake.service.loaded).toBe(true);
  });

  it('sets other languages at once, without the TypeScript service', async () => {
    const text = new Y.Doc().getText('code');
    const { rerender } = render(editor({ language: 'python', text }));
    expect(fake.monaco.editor.createModel).toHaveBeenCalledWith('', 'python');
    rerender(editor({ language: 'rust', text }));
    await waitFor(() => expect(fake.monaco.editor.setModelLanguage).toHaveBeenCalledWith(fake.model, 'rust'));
    expect(fake.service.loaded).toBe(false);
  });
});

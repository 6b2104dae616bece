// Monaco follows the app's light/dark theme (`prefers-color-scheme`, like global.css) and
// takes its background from the same CSS variables, so the editor sits flush in the panel.
import { useEffect } from 'react';
import { monaco } from './monaco';

const DARK = '(prefers-color-scheme: dark)';

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return /^#[0-9a-f]{6}$/i.test(value) ? value : fallback;
}

function applyTheme(dark: boolean): void {
  const name = dark ? 'codeview-dark' : 'codeview-light';
  monaco.editor.defineTheme(name, {
    base: dark ? 'vs-dark' : 'vs',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': cssVar('--surface', dark ? '#171a21' : '#ffffff'),
      'editorGutter.background': cssVar('--surface', dark ? '#171a21' : '#ffffff'),
    },
  });
  monaco.editor.setTheme(name);
}

/** Keeps Monaco's global theme in step with the colour scheme while mounted. */
export function useMonacoTheme(): void {
  useEffect(() => {
    const query = window.matchMedia(DARK);
    const update = () => applyTheme(query.matches);
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
}

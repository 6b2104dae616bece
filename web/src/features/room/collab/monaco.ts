// The slice of Monaco the room uses: the editor API, its standard editing features (find,
// folding, multi-cursor, comments…), basic syntax highlighting for our eight languages plus
// markdown for the notes, and only the generic editor worker. No TypeScript/JSON language
// services and no other languages: that keeps the room chunk around 1 MB gzipped instead of
// the full bundle. Imported only from the room's lazily loaded workspace.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/java/register';
import 'monaco-editor/languages/definitions/cpp/register';
import 'monaco-editor/languages/definitions/rust/register';
import 'monaco-editor/languages/definitions/go/register';
import 'monaco-editor/languages/definitions/markdown/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export { monaco };

// Monaco for the review page: the room's slice of it (languages, workers, theme) plus the diff
// editor, which the room leaves out. Imported only from the lazily loaded `CodeDiff`, so the
// review page loads Monaco only when someone compares a run with the final code.
import 'monaco-editor/features/diffEditor/register';

export { monaco } from '../room/collab/monaco';

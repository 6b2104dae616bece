// The file name of a workspace export: `codeview-<workspace-name>-<YYYY-MM-DD>.json`, the name
// made safe for any file system (lowercase letters, digits and dashes) and the local date.
export function exportFileName(workspaceName: string, date: Date): string {
  const slug =
    workspaceName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'workspace';
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `codeview-${slug}-${day}.json`;
}

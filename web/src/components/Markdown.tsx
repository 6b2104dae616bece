// Renders a markdown string as sanitized HTML (see lib/markdown.ts for the sanitizing rules).
import { useMemo } from 'react';
import { renderMarkdown } from '../lib/markdown';

export function Markdown({ source, className }: { source: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div className={`markdown${className ? ` ${className}` : ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
}

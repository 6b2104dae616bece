// Markdown → sanitized HTML for question prompts. Prompts are written by users, so the HTML
// from `marked` always goes through DOMPurify before it reaches `dangerouslySetInnerHTML`.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, breaks: false, async: false });

let hooked = false;
function ensureLinkHook(): void {
  if (hooked) return;
  hooked = true;
  // Links in prompts open in a new tab and cannot reach back into the app window.
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.getAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    }
  });
}

export function renderMarkdown(source: string): string {
  ensureLinkHook();
  const html = marked.parse(source) as string;
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe'],
    FORBID_ATTR: ['style'],
  });
}

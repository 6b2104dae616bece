// Unit tests for prompt rendering: markdown works, and anything executable is stripped.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders common markdown', () => {
    const html = renderMarkdown('# Title\n\nSome **bold** and `code`.\n\n- a\n- b\n\n```\nx = 1\n```');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<li>a</li>');
    expect(html).toContain('<pre><code>x = 1');
  });

  it('removes <script> elements', () => {
    const html = renderMarkdown('Hello\n\n<script>alert(1)</script>\n\nworld');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('alert(1)');
    expect(html).toContain('Hello');
  });

  it('removes event handler attributes and javascript: URLs', () => {
    const html = renderMarkdown(
      '<img src="x" onerror="alert(1)">\n\n[click](javascript:alert(1))\n\n<a href="javascript:alert(2)">x</a>',
    );
    expect(html).not.toMatch(/onerror/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it('removes iframes, forms and inline styles', () => {
    const html = renderMarkdown(
      '<iframe src="https://evil.example"></iframe><form><input></form><p style="position:fixed">hi</p>',
    );
    expect(html).not.toMatch(/<iframe|<form|<input|style=/i);
    expect(html).toContain('hi');
  });

  it('opens links in a new tab without an opener', () => {
    const html = renderMarkdown('[docs](https://example.com/docs)');
    expect(html).toContain('href="https://example.com/docs"');
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });
});

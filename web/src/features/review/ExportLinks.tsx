// The summary's exports: the Markdown and JSON files (downloads), and the printable page, which
// opens in a new tab where the browser's Print saves it as a PDF (the page runs no script, so
// it cannot print itself).
import { summaryUrl } from '../../api/summary';

export function ExportLinks({ interviewId }: { interviewId: string }) {
  return (
    <div className="review-exports" role="group" aria-label="Export the summary">
      <a className="btn btn--secondary" href={summaryUrl(interviewId, 'md')} download data-testid="export-md">
        Download Markdown
      </a>
      <a className="btn btn--secondary" href={summaryUrl(interviewId, 'json')} download data-testid="export-json">
        Download JSON
      </a>
      <a
        className="btn btn--primary"
        href={summaryUrl(interviewId, 'html')}
        target="_blank"
        rel="noopener"
        data-testid="export-print"
      >
        Print / Save as PDF
        <span className="visually-hidden"> (opens in a new tab)</span>
      </a>
    </div>
  );
}

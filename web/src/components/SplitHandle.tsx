// The drag handle between two resizable panes (see lib/useResizableSplit): a focusable ARIA
// separator that names the pane it resizes and says its size, a thin line that thickens on
// hover, focus and drag. Hidden (with its panes stacked) on narrow screens by the layout's CSS.
import type { JSX } from 'react';
import type { ResizableSplit } from '../lib/useResizableSplit';

export interface SplitHandleProps {
  split: ResizableSplit;
  /** What it resizes, e.g. "Resize the run panel". */
  label: string;
  /** The id of the pane whose size it reports. */
  controls: string;
  /** Size said by screen readers, e.g. "Run panel 40% of the height". */
  valueText: string;
  className?: string;
  testId?: string;
}

export function SplitHandle({ split, label, controls, valueText, className, testId }: SplitHandleProps): JSX.Element {
  const { separatorProps, dragging } = split;
  const classes = ['split-handle', `split-handle--${separatorProps['aria-orientation']}`];
  if (dragging) classes.push('split-handle--dragging');
  if (className) classes.push(className);
  return (
    <div
      {...separatorProps}
      className={classes.join(' ')}
      aria-label={label}
      aria-controls={controls}
      aria-valuetext={valueText}
      title={`${label} (drag, or focus and use the arrow keys; double-click resets)`}
      data-testid={testId}
    />
  );
}

// A titled panel: a `.card` section labelled by its heading, with an optional aside at the
// right of the title row and the content in a `.card__body` (or, with `bare`, directly after
// the header, for tables, lists and conditional content that bring their own padding).
import { useId, type ReactNode } from 'react';

export interface CardProps {
  title: ReactNode;
  /** Shown at the right of the title row, e.g. `<span className="muted small">3</span>`. */
  aside?: ReactNode;
  children: ReactNode;
  /** Extra classes for the `.card__body` wrapper. */
  bodyClassName?: string;
  /** Put the children straight after the header, without the `.card__body` wrapper. */
  bare?: boolean;
}

export function Card({ title, aside, children, bodyClassName, bare = false }: CardProps) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card__header">
        <h2 className="card__title" id={id}>
          {title}
        </h2>
        {aside}
      </div>
      {bare ? children : <div className={bodyClassName ? `card__body ${bodyClassName}` : 'card__body'}>{children}</div>}
    </section>
  );
}

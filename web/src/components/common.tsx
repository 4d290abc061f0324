/** Small building blocks every page uses: error and loading states, label chips, page frame. */
import type { ReactNode } from 'react';

export function Page({ title, actions, children }: { readonly title: string; readonly actions?: ReactNode; readonly children: ReactNode }): ReactNode {
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">{title}</h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

export function ErrorBox({ error }: { readonly error: Error | string | undefined }): ReactNode {
  if (error === undefined) return null;
  return (
    <div className="error" role="alert">
      {typeof error === 'string' ? error : error.message}
    </div>
  );
}

export function Loading({ when }: { readonly when: boolean }): ReactNode {
  return when ? (
    <p className="muted" aria-live="polite">
      Loading…
    </p>
  ) : null;
}

export function Empty({ children }: { readonly children: ReactNode }): ReactNode {
  return <p className="empty">{children}</p>;
}

/** A `name="value"` chip; clicking it (when `onClick` is given) usually adds it to a filter. */
export function LabelChip({ name, value, onClick }: { readonly name: string; readonly value: string; readonly onClick?: () => void }): ReactNode {
  const text = `${name}="${value}"`;
  return onClick ? (
    <button type="button" className="chip" onClick={onClick} title={`Filter by ${text}`}>
      {text}
    </button>
  ) : (
    <span className="chip">{text}</span>
  );
}

export function Labels({ labels, onClick }: { readonly labels: Readonly<Record<string, string>>; readonly onClick?: (name: string, value: string) => void }): ReactNode {
  return (
    <span className="chips">
      {Object.entries(labels)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => (
          <LabelChip key={k} name={k} value={v} {...(onClick ? { onClick: () => onClick(k, v) } : {})} />
        ))}
    </span>
  );
}

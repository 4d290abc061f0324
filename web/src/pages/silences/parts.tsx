/**
 * Pieces the silence list, detail and editor share: matchers as chips, state badges, absolute and
 * relative times, and the Edit / Duplicate / Expire actions with their confirmation dialog.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { expireSilence } from '../../api/alertmanager.js';
import type { GettableSilence, Matcher, SilenceState } from '../../api/alertmanager.js';
import { ErrorBox } from '../../components/common.js';
import { formatMatcher } from '../../lib/matchers.js';
import { formatRelative, formatTime } from '../../lib/time.js';
import { useSession } from '../../session.js';

export function silenceHref(id: string, suffix = ''): string {
  return `#/silences/${encodeURIComponent(id)}${suffix}`;
}

export function MatcherChips({ matchers }: { readonly matchers: readonly Matcher[] }): ReactNode {
  return (
    <span className="chips">
      {matchers.map((m, i) => (
        <span key={i} className="chip">
          {formatMatcher(m)}
        </span>
      ))}
    </span>
  );
}

export function StateBadge({ state }: { readonly state: SilenceState }): ReactNode {
  return <span className={`badge silence-state ${state}`}>{state}</span>;
}

/** An absolute time in the user's zone with the relative one beside it. */
export function When({ iso, now }: { readonly iso: string; readonly now: number }): ReactNode {
  return (
    <span className="when">
      <time dateTime={iso}>{formatTime(iso)}</time> <span className="muted">({formatRelative(iso, now)})</span>
    </span>
  );
}

/** A modal that asks before something cannot be undone; Escape or Cancel closes it. */
export function ConfirmDialog(props: {
  readonly title: string;
  readonly confirmLabel: string;
  readonly children: ReactNode;
  readonly busy: boolean;
  readonly error: Error | undefined;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="confirm-title">{props.title}</h2>
      {props.children}
      <ErrorBox error={props.error} />
      <div className="confirm-actions">
        <button type="button" autoFocus onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={props.busy} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** Edit, Duplicate and (for silences not yet expired) Expire, asking first. */
export function SilenceActions({ silence, onExpired, view = false }: { readonly silence: GettableSilence; readonly onExpired: () => void; readonly view?: boolean }): ReactNode {
  const { client } = useSession();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const expired = silence.status.state === 'expired';
  const expire = (): void => {
    setBusy(true);
    setError(undefined);
    expireSilence(client, silence.id).then(
      () => {
        setBusy(false);
        setAsking(false);
        onExpired();
      },
      (e: unknown) => {
        setBusy(false);
        setError(e instanceof Error ? e : new Error(String(e)));
      },
    );
  };
  return (
    <span className="silence-actions">
      {view ? (
        <a className="button" href={silenceHref(silence.id)}>
          View
        </a>
      ) : null}
      {!expired ? (
        <a className="button" href={silenceHref(silence.id, '/edit')}>
          Edit
        </a>
      ) : null}
      <a className="button" href={`#/silences/new?from=${encodeURIComponent(silence.id)}`}>
        Duplicate
      </a>
      {!expired ? (
        <button type="button" className="danger" onClick={() => setAsking(true)}>
          Expire
        </button>
      ) : null}
      {asking ? (
        <ConfirmDialog
          title="Expire this silence?"
          confirmLabel={busy ? 'Expiring…' : 'Expire silence'}
          busy={busy}
          error={error}
          onConfirm={expire}
          onCancel={() => {
            setAsking(false);
            setError(undefined);
          }}
        >
          <p>
            The alerts it silences will notify again. <MatcherChips matchers={silence.matchers} />
          </p>
        </ConfirmDialog>
      ) : null}
    </span>
  );
}

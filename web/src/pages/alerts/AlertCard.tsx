/**
 * One alert of the Alerts page: name, state and why it is suppressed, start time, labels (a click
 * adds one to the filter), summary and description, other annotations with their links, the
 * generator link, a Silence button (the `#/silences/new?matcher=...` contract) and details.
 */
import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import type { GettableAlert } from '../../api/alertmanager.js';
import { Labels } from '../../components/common.js';
import { navigate } from '../../hooks.js';
import { formatRelative, formatTime } from '../../lib/time.js';
import { alertState, otherAnnotations, ownLabels, safeUrl, silenceMatchers } from './model.js';
import type { Suppression } from './model.js';

export interface AlertCardProps {
  readonly alert: GettableAlert;
  /** Labels the group header already shows (left out of the chips). */
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly onLabel: (name: string, value: string) => void;
  /** Names of the other alerts by fingerprint, to say what inhibits this one. */
  readonly names: ReadonlyMap<string, string>;
  readonly now: number;
}

function Reason({ r, names }: { readonly r: Suppression; readonly names: ReadonlyMap<string, string> }): ReactNode {
  if (r.kind === 'silenced') {
    return (
      <span className="reason">
        silenced by{' '}
        {r.ids.map((id, i) => (
          <span key={id}>
            {i > 0 ? ', ' : null}
            <a href={`#/silences/${encodeURIComponent(id)}`} title={`Silence ${id}`}>
              <code>{id.slice(0, 8)}</code>
            </a>
          </span>
        ))}
      </span>
    );
  }
  if (r.kind === 'inhibited') {
    return (
      <span className="reason">
        inhibited by{' '}
        {r.ids.map((fp, i) => (
          <span key={fp}>
            {i > 0 ? ', ' : null}
            {names.has(fp) ? `${names.get(fp)} ` : null}
            <code title="fingerprint of the inhibiting alert">{fp}</code>
          </span>
        ))}
      </span>
    );
  }
  return <span className="reason">muted by time interval {r.ids.join(', ')}</span>;
}

function When({ iso, now }: { readonly iso: string; readonly now: number }): ReactNode {
  return (
    <time dateTime={iso}>
      {formatTime(iso)} <span className="muted">({formatRelative(iso, now)})</span>
    </time>
  );
}

export function AlertCard({ alert: a, groupLabels, onLabel, names, now }: AlertCardProps): ReactNode {
  const id = useId();
  const [open, setOpen] = useState(false);
  const { badge, reasons } = alertState(a);
  const name = a.labels['alertname'] ?? '(no alertname)';
  const summary = a.annotations['summary'];
  const description = a.annotations['description'];
  const others = otherAnnotations(a.annotations);
  const source = safeUrl(a.generatorURL);
  const own = ownLabels(a, groupLabels);
  return (
    <article className="alert" data-testid="alert" data-fingerprint={a.fingerprint} aria-labelledby={`${id}-name`}>
      <div className="alert-head">
        <h3 id={`${id}-name`} className="alert-name">
          {name}
        </h3>
        <span className={`badge ${badge}`}>{badge}</span>
        {reasons.map((r) => (
          <Reason key={r.kind} r={r} names={names} />
        ))}
        <span className="alert-start muted">
          since <When iso={a.startsAt} now={now} />
        </span>
        <span className="alert-actions">
          {source ? (
            <a href={source} target="_blank" rel="noopener noreferrer">
              Source
            </a>
          ) : null}
          <button type="button" onClick={() => navigate('/silences/new', { matcher: silenceMatchers(a.labels) })}>
            Silence
          </button>
          <button type="button" aria-expanded={open} aria-controls={`${id}-details`} onClick={() => setOpen((o) => !o)}>
            Details
          </button>
        </span>
      </div>
      {Object.keys(own).length > 0 ? <Labels labels={own} onClick={onLabel} /> : null}
      {summary ? <p className="alert-summary">{summary}</p> : null}
      {description ? <p className="alert-description">{description}</p> : null}
      {others.length > 0 ? (
        <dl className="alert-annotations">
          {others.map((o) => (
            <div key={o.name}>
              <dt>{o.name}</dt>
              <dd>
                {o.href ? (
                  <a href={o.href} target="_blank" rel="noopener noreferrer">
                    {o.value}
                  </a>
                ) : (
                  o.value
                )}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      <div id={`${id}-details`} className="alert-details" hidden={!open}>
        {open ? (
          <dl>
            <div>
              <dt>Labels</dt>
              <dd>
                <Labels labels={a.labels} onClick={onLabel} />
              </dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>
                <When iso={a.startsAt} now={now} />
              </dd>
            </div>
            <div>
              <dt>Ends</dt>
              <dd>
                <When iso={a.endsAt} now={now} />
              </dd>
            </div>
            <div>
              <dt>Updated</dt>
              <dd>
                <When iso={a.updatedAt} now={now} />
              </dd>
            </div>
            <div>
              <dt>Receivers</dt>
              <dd>{a.receivers.map((r) => r.name).join(', ') || '—'}</dd>
            </div>
            <div>
              <dt>Fingerprint</dt>
              <dd>
                <code>{a.fingerprint}</code>
              </dd>
            </div>
            <div>
              <dt>Generator URL</dt>
              <dd>
                {source ? (
                  <a href={source} target="_blank" rel="noopener noreferrer">
                    {a.generatorURL}
                  </a>
                ) : (
                  (a.generatorURL ?? '—') || '—'
                )}
              </dd>
            </div>
            <div>
              <dt>Silenced by</dt>
              <dd>
                {a.status.silencedBy.length === 0
                  ? '—'
                  : a.status.silencedBy.map((sid, i) => (
                      <span key={sid}>
                        {i > 0 ? ', ' : null}
                        <a href={`#/silences/${encodeURIComponent(sid)}`}>
                          <code>{sid}</code>
                        </a>
                      </span>
                    ))}
              </dd>
            </div>
            <div>
              <dt>Inhibited by</dt>
              <dd>{a.status.inhibitedBy.length === 0 ? '—' : <code>{a.status.inhibitedBy.join(', ')}</code>}</dd>
            </div>
            <div>
              <dt>Muted by</dt>
              <dd>{a.status.mutedBy === undefined ? 'not reported by this server' : a.status.mutedBy.length === 0 ? '—' : a.status.mutedBy.join(', ')}</dd>
            </div>
          </dl>
        ) : null}
      </div>
    </article>
  );
}

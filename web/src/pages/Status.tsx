/**
 * Status (`#/status`): Herald's version and uptime, where the tenant's Alertmanager config comes
 * from and the config itself (secrets hidden by the server, with a copy button), and the tenant's
 * limits and usage, each counter against the limit that bounds it.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { getTenantStatus } from '../api/herald.js';
import type { TenantStatus } from '../api/herald.js';
import { ErrorBox, Loading, Page } from '../components/common.js';
import { useLoad } from '../hooks.js';
import { formatRelative, formatTime } from '../lib/time.js';
import { formatRatio, formatUptime, otherLimits, usageRows } from './status/usage.js';

const REFRESH_MS = 30_000;

const SOURCE_TEXT: Record<string, string> = {
  pinned: 'pinned by Herald’s config file',
  kube: 'Kubernetes (AlertmanagerConfig)',
  stored: 'uploaded through the config API (POST /api/v1/alerts)',
  fallback: 'the built-in fallback config (the tenant has none of its own)',
};

function CopyButton({ text }: { readonly text: string }): ReactNode {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = (): void => {
    const done = (ok: boolean): void => {
      setState(ok ? 'copied' : 'failed');
      setTimeout(() => setState('idle'), 2000);
    };
    if (navigator.clipboard?.writeText) navigator.clipboard.writeText(text).then(() => done(true), () => done(false));
    else done(false);
  };
  return (
    <button type="button" onClick={copy} aria-live="polite">
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text' : 'Copy config'}
    </button>
  );
}

function Usage({ status }: { readonly status: TenantStatus }): ReactNode {
  return (
    <table className="st-usage">
      <thead>
        <tr>
          <th>Usage</th>
          <th className="num">Now</th>
          <th>Limit</th>
          <th className="st-bar-col">Used</th>
        </tr>
      </thead>
      <tbody>
        {usageRows(status).map((r) => (
          <tr key={r.name} data-testid="usage" data-name={r.name}>
            <td>
              {r.label} <span className="muted mono">{r.name}</span>
            </td>
            <td className="num mono">{r.value.toLocaleString('en-US')}</td>
            <td>
              {r.limitName === undefined ? (
                <span className="muted">—</span>
              ) : (
                <>
                  <span className="mono">{r.limit === undefined ? 'unlimited' : r.limit.toLocaleString('en-US')}</span> <span className="muted mono">{r.limitName}</span>
                </>
              )}
            </td>
            <td>
              {r.ratio !== undefined && r.level !== undefined ? (
                <span className="st-bar-wrap">
                  <span className={`st-bar st-${r.level}`} role="meter" aria-valuemin={0} aria-valuemax={r.limit} aria-valuenow={r.value} aria-label={`${r.name} used`}>
                    <span style={{ width: `${Math.min(100, r.ratio * 100)}%` }} />
                  </span>
                  <span className={`badge ${r.level}`}>{formatRatio(r.ratio)}</span>
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StatusPage(): ReactNode {
  const status = useLoad((c) => getTenantStatus(c), [], REFRESH_MS);
  const s = status.data;
  const others = s ? otherLimits(s) : [];
  return (
    <Page
      title="Status"
      actions={
        <button type="button" onClick={status.reload}>
          Reload
        </button>
      }
    >
      <ErrorBox error={status.error} />
      <Loading when={status.loading && !s} />
      {s ? (
        <>
          <div className="st-grid">
            <section className="panel hp-panel" aria-labelledby="st-herald">
              <h2 id="st-herald">Herald</h2>
              <dl className="st-dl">
                {([
                  ['Tenant', <span className="mono">{s.tenant}</span>],
                  ...Object.entries(s.version).filter(([, v]) => v !== '').map(([k, v]): [string, ReactNode] => [k, <span className="mono">{v}</span>]),
                  [
                    'Started',
                    <>
                      {formatTime(s.started_at)} <span className="muted">({formatRelative(s.started_at)})</span>
                    </>,
                  ],
                  ['Uptime', <span data-testid="uptime">{formatUptime(s.uptime_seconds)}</span>],
                  [
                    'Config source',
                    <>
                      <span className="badge info">{s.config.source}</span> {SOURCE_TEXT[s.config.source] ?? ''}
                    </>,
                  ],
                ] as [string, ReactNode][]).map(([k, v]) => (
                  <div key={k} className="st-dl-row">
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
            </section>
            <section className="panel hp-panel" aria-labelledby="st-usage">
              <h2 id="st-usage">Limits and usage</h2>
              <Usage status={s} />
            </section>
          </div>
          <section className="panel hp-panel" aria-labelledby="st-config">
            <div className="st-config-head">
              <h2 id="st-config">Alertmanager config</h2>
              <span className="muted">secrets are shown as &lt;secret&gt;</span>
              <CopyButton text={s.config.original} />
            </div>
            <pre className="st-config" data-testid="config" tabIndex={0} aria-label="Alertmanager config">
              {s.config.original}
            </pre>
          </section>
          {others.length > 0 ? (
            <section className="panel hp-panel" aria-labelledby="st-limits">
              <h2 id="st-limits">Other limits</h2>
              <table className="st-limits">
                <tbody>
                  {others.map((l) => (
                    <tr key={l.name}>
                      <td className="mono">{l.name}</td>
                      <td className="mono">{l.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}

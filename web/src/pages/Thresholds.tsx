/**
 * Thresholds (`#/thresholds`): the tenant's effective dynamic thresholds per key, with their
 * source (custom, default, disabled), severity and dimensions; its state filters (maintenance)
 * and whether each is on; and the problems of its document, if any (docs/thresholds.md).
 */
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Empty, ErrorBox, Labels, Loading, Page } from '../components/common.js';
import { useLoad } from '../hooks.js';
import { getThresholdDefaults, getThresholds } from './thresholds/api.js';
import type { TenantThresholds, ThresholdDefaults } from './thresholds/api.js';
import { filterGroups, groupThresholds, issueText, sourceCounts, stateFilterRows } from './thresholds/group.js';
import type { ThresholdSource } from './thresholds/group.js';

const DOC_SOURCE: Record<TenantThresholds['source'], string> = {
  directory: 'the thresholds directory (conf.d, read-only here: change it in Git)',
  api: 'the thresholds API (PUT/PATCH /api/herald/v1/thresholds)',
  none: 'nowhere: the tenant has no document and gets the platform defaults',
};

const SOURCE_TITLE: Record<ThresholdSource, string> = {
  custom: 'set by the tenant',
  default: 'the platform default',
  disabled: 'switched off by the tenant: no series, the alert cannot fire',
};

const SOURCE_BADGE: Record<ThresholdSource, string> = { custom: 'info', default: 'ok', disabled: 'warn' };

function StateFilters({ t, d }: { readonly t: TenantThresholds; readonly d: ThresholdDefaults | undefined }): ReactNode {
  const rows = stateFilterRows(t, d);
  if (rows.length === 0) return null;
  const maintenance = rows.find((r) => r.name === 'maintenance');
  return (
    <section className="panel hp-panel" aria-labelledby="th-states">
      <h2 id="th-states">State filters</h2>
      {maintenance?.on ? (
        <p className="th-maintenance" role="status">
          <span className="badge warn">maintenance on</span> the rule packs’ threshold alerts are silenced for this tenant (down alerts still fire).
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>Filter</th>
            <th>State</th>
            <th>Severity</th>
            <th>Default</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} data-testid="state-filter" data-filter={r.name}>
              <td className="mono">{r.name}</td>
              <td>
                <span className={`badge ${r.on ? 'warn' : 'ok'}`}>{r.on ? 'on' : 'off'}</span>
                {r.onByDefault !== undefined && r.on !== r.onByDefault ? <span className="muted"> (set by the tenant)</span> : null}
              </td>
              <td>{r.severity}</td>
              <td className="muted">{r.onByDefault === undefined ? '' : r.onByDefault ? 'on' : 'off'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ThresholdsPage(): ReactNode {
  const tenant = useLoad((c, signal) => getThresholds(c, signal), []);
  const defaults = useLoad((c, signal) => getThresholdDefaults(c, signal), []);
  const [text, setText] = useState('');
  const [source, setSource] = useState<ThresholdSource | ''>('');
  const t = tenant.data;
  const groups = useMemo(() => (t ? groupThresholds(t, defaults.data) : []), [t, defaults.data]);
  const shown = useMemo(() => filterGroups(groups, text, source), [groups, text, source]);
  const counts = sourceCounts(groups);

  return (
    <Page
      title="Thresholds"
      actions={
        <button type="button" onClick={() => { tenant.reload(); defaults.reload(); }}>
          Reload
        </button>
      }
    >
      <ErrorBox error={tenant.error} />
      <ErrorBox error={defaults.error} />
      <Loading when={tenant.loading && !t} />
      {t ? (
        <>
          <p className="muted">
            Document of tenant <strong>{t.tenant}</strong>: {DOC_SOURCE[t.source]}. {counts.custom} custom, {counts.default} default, {counts.disabled} disabled.
          </p>
          {t.problems.length > 0 ? (
            <div className="error th-problems" role="alert">
              <strong>The tenant’s thresholds document has problems; the last good thresholds stay in force.</strong>
              {t.problems.map((p) => (
                <div key={p.source}>
                  <span className="mono">{p.source}</span>
                  <ul>
                    {p.issues.map((i, n) => (
                      <li key={n} className="mono">
                        {issueText(i)}
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          ) : null}
          <StateFilters t={t} d={defaults.data} />
          {groups.length > 0 ? (
            <form className="toolbar" onSubmit={(e) => e.preventDefault()} role="search" aria-label="Filter thresholds">
              <label>
                Key
                <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. mysql" spellCheck={false} />
              </label>
              <label>
                Source
                <select value={source} onChange={(e) => setSource(e.target.value as ThresholdSource | '')}>
                  <option value="">any</option>
                  <option value="custom">custom ({counts.custom})</option>
                  <option value="default">default ({counts.default})</option>
                  <option value="disabled">disabled ({counts.disabled})</option>
                </select>
              </label>
            </form>
          ) : null}
          {groups.length === 0 ? <Empty>No thresholds: the platform defines no defaults.</Empty> : shown.length === 0 ? <Empty>No threshold matches the filter.</Empty> : null}
          {shown.map((g) => (
            <section key={g.component} className="panel hp-panel" aria-label={`Component ${g.component}`}>
              <h2 className="th-component">{g.component}</h2>
              <table className="th-table">
                <colgroup>
                  <col style={{ width: '30%' }} />
                  <col style={{ width: '14%' }} />
                  <col style={{ width: '10%' }} />
                  <col style={{ width: '18%' }} />
                  <col style={{ width: '9%' }} />
                  <col style={{ width: '9%' }} />
                  <col style={{ width: '10%' }} />
                </colgroup>
                <thead>
                  <tr>
                    <th>Key</th>
                    <th>Metric</th>
                    <th>Severity</th>
                    <th>Dimensions</th>
                    <th className="num">Value</th>
                    <th className="num">Default</th>
                    <th>Source</th>
                  </tr>
                </thead>
                <tbody>
                  {g.rows.map((r) => (
                    <tr key={r.key} data-testid="threshold" data-key={r.key} data-source={r.source} className={r.source === 'disabled' ? 'th-disabled' : undefined}>
                      <td className="mono">{r.key}</td>
                      <td>{r.metric}</td>
                      <td>
                        <span className={`badge ${r.severity === 'critical' ? 'err' : 'warn'}`}>{r.severity}</span>
                      </td>
                      <td>{Object.keys(r.dimensions).length > 0 ? <Labels labels={r.dimensions} /> : <span className="muted">—</span>}</td>
                      <td className="num mono">{r.value === undefined ? <span className="muted">disabled</span> : String(r.value)}</td>
                      <td className="num mono muted">{r.defaultValue === undefined ? '' : String(r.defaultValue)}</td>
                      <td>
                        <span className={`badge ${SOURCE_BADGE[r.source]}`} title={SOURCE_TITLE[r.source]}>
                          {r.source}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
          {t.document.trim() !== '' ? (
            <details className="panel">
              <summary>The tenant’s document</summary>
              <pre>{t.document}</pre>
            </details>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}

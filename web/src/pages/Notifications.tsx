/**
 * Notifications (`#/notifications`): the tenant's notification history as a timeline, newest
 * first: when, to which receiver and integration, with what outcome (HTTP status or error), which
 * retry, how long it took and how many alerts it carried. Failures stand out. The filters live in
 * the hash route so a filtered view can be linked; pages follow the API's cursor.
 */
import { useEffect, useMemo, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Empty, ErrorBox, Loading, Page } from '../components/common.js';
import { navigate, useLoad, useRoute } from '../hooks.js';
import { formatRelative, formatTime } from '../lib/time.js';
import { getNotifications, OUTCOMES } from './notifications/api.js';
import type { NotificationEntry, NotificationOutcome } from './notifications/api.js';
import { alertCounts, distinct, filterFromParams, filterToParams, FIRST_PAGE, formatLatency, historyQuery, isFailure, newer, older, PAGE_SIZES, pageNumber } from './notifications/query.js';
import type { NotificationFilter, Pager } from './notifications/query.js';

const REFRESH_MS = 15_000;
const OUTCOME_TEXT: Record<NotificationOutcome, string> = { success: 'success', failed: 'failed', rate_limited: 'rate limited' };

function FilterForm({ filter, receivers, integrations }: { readonly filter: NotificationFilter; readonly receivers: readonly string[]; readonly integrations: readonly string[] }): ReactNode {
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    navigate('/notifications', filterToParams(draft));
  };
  return (
    <form className="toolbar" onSubmit={submit} role="search" aria-label="Filter notifications">
      <label>
        Receiver
        <input value={draft.receiver} list="nf-receivers" onChange={(e) => setDraft({ ...draft, receiver: e.target.value })} placeholder="any" spellCheck={false} />
        <datalist id="nf-receivers">
          {receivers.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
      </label>
      <label>
        Integration
        <input value={draft.integration} list="nf-integrations" onChange={(e) => setDraft({ ...draft, integration: e.target.value })} placeholder="any" spellCheck={false} />
        <datalist id="nf-integrations">
          {integrations.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
      </label>
      <label>
        Outcome
        <select
          value={draft.outcome}
          onChange={(e) => {
            const next = { ...draft, outcome: e.target.value as NotificationOutcome | '' };
            setDraft(next);
            navigate('/notifications', filterToParams(next));
          }}
        >
          <option value="">any</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {OUTCOME_TEXT[o]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Per page
        <select
          value={draft.limit}
          onChange={(e) => {
            const next = { ...draft, limit: Number(e.target.value) };
            setDraft(next);
            navigate('/notifications', filterToParams(next));
          }}
        >
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary">
        Apply
      </button>
      <button type="button" onClick={() => navigate('/notifications')}>
        Reset
      </button>
    </form>
  );
}

function Entry({ e }: { readonly e: NotificationEntry }): ReactNode {
  const failed = isFailure(e);
  return (
    <li className={`nf-entry${failed ? ' nf-failed' : ''}`} data-testid="notification" data-outcome={e.outcome}>
      <div className="nf-when">
        <span>{formatTime(e.time)}</span>
        <span className="muted">{formatRelative(e.time)}</span>
      </div>
      <div className="nf-what">
        <div className="nf-line">
          <span className={`badge ${e.outcome === 'success' ? 'ok' : e.outcome === 'failed' ? 'err' : 'warn'}`}>{OUTCOME_TEXT[e.outcome]}</span>
          <span className="nf-receiver">{e.receiver}</span>
          <span className="chip">
            {e.integration}
            {e.integrationIndex > 0 ? `[${e.integrationIndex}]` : ''}
          </span>
          {e.status !== undefined ? <span className={`mono ${e.status >= 400 ? 'nf-bad' : ''}`}>HTTP {e.status}</span> : null}
          <span className="muted">{e.retry === 0 ? 'first attempt' : `retry ${e.retry}`}</span>
          <span className="muted">{formatLatency(e.latencyMs)}</span>
          <span>{alertCounts(e)}</span>
        </div>
        {e.error ? <div className="nf-error mono">{e.error}</div> : null}
        <div className="muted mono nf-group" title="group key">
          {e.groupKey}
        </div>
      </div>
    </li>
  );
}

export function NotificationsPage(): ReactNode {
  const route = useRoute();
  const paramsKey = route.params.toString();
  const filter = useMemo(() => filterFromParams(new URLSearchParams(paramsKey)), [paramsKey]);
  const [pager, setPager] = useState<Pager>(FIRST_PAGE);
  useEffect(() => setPager(FIRST_PAGE), [paramsKey]);
  // Only the newest page refreshes by itself; older pages stay put while being read.
  const history = useLoad((c, signal) => getNotifications(c, historyQuery(filter, pager.cursor), signal), [filter, pager], pager.cursor === undefined ? REFRESH_MS : undefined);
  const items = history.data?.items ?? [];
  const next = history.data?.nextCursor;
  const failures = items.filter(isFailure).length;

  return (
    <Page
      title="Notifications"
      actions={
        <button type="button" onClick={history.reload}>
          Reload
        </button>
      }
    >
      <FilterForm filter={filter} receivers={distinct(items, 'receiver', [filter.receiver])} integrations={distinct(items, 'integration', [filter.integration])} />
      <ErrorBox error={history.error} />
      <Loading when={history.loading && !history.data} />
      {history.data ? (
        <p className="muted" aria-live="polite">
          Page {pageNumber(pager)}: {items.length} attempt{items.length === 1 ? '' : 's'}, newest first
          {failures > 0 ? (
            <>
              , <strong className="nf-bad">{failures} not delivered</strong>
            </>
          ) : null}
          .
        </p>
      ) : null}
      {history.data && items.length === 0 ? <Empty>No notification attempts{paramsKey === '' ? ' yet' : ' match the filter'}.</Empty> : null}
      {items.length > 0 ? (
        <ol className="nf-timeline" aria-label="Notification attempts">
          {items.map((e) => (
            <Entry key={e.id} e={e} />
          ))}
        </ol>
      ) : null}
      {history.data && (pager.stack.length > 0 || next !== undefined) ? (
        <nav className="nf-pager" aria-label="Pages">
          <button type="button" disabled={pager.cursor === undefined} onClick={() => setPager(newer(pager))}>
            ← Newer
          </button>
          <span className="muted">page {pageNumber(pager)}</span>
          <button type="button" disabled={next === undefined} onClick={() => next !== undefined && setPager(older(pager, next))}>
            Older →
          </button>
        </nav>
      ) : null}
    </Page>
  );
}

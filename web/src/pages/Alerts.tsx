/**
 * The Alerts page: the tenant's alerts grouped as its routing tree groups them
 * (GET /api/v2/alerts/groups), filtered by matchers, states and receiver. The filters live in the
 * hash, so links and reloads keep them; the list refreshes every 15 seconds.
 */
import { useCallback, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { getAlerts, getReceivers } from '../api/alertmanager.js';
import type { AlertGroup } from '../api/alertmanager.js';
import { Empty, ErrorBox, Loading, Page } from '../components/common.js';
import { navigate, useLoad, useRoute } from '../hooks.js';
import { labelIndex } from './alerts/complete.js';
import { dedupe, groupsQuery, viewFromParams, viewToParams } from './alerts/filter-state.js';
import type { AlertsView } from './alerts/filter-state.js';
import { FilterBar } from './alerts/FilterBar.js';
import { GroupSection } from './alerts/GroupSection.js';
import { applyStateFilter, countAlerts, groupKey, reportsMuted } from './alerts/model.js';

const REFRESH_MS = 15_000;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function AlertsPage(): ReactNode {
  const route = useRoute();
  const paramsText = route.params.toString();
  const { view, badFilter } = useMemo(() => viewFromParams(new URLSearchParams(paramsText)), [paramsText]);
  const setView = useCallback((v: AlertsView) => navigate('/alerts', viewToParams(v)), []);
  const query = useMemo(() => groupsQuery(view), [view]);
  const queryKey = JSON.stringify(query);

  const groups = useLoad((c, signal) => c.json<AlertGroup[]>('/api/v2/alerts/groups', { query, signal }), [queryKey], REFRESH_MS);
  // Every current alert of the tenant, unfiltered: the label names and values to complete.
  const all = useLoad((c, signal) => getAlerts(c, {}, signal), [], REFRESH_MS);
  const receivers = useLoad((c) => getReceivers(c), []);

  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const index = useMemo(() => labelIndex((all.data ?? []).map((a) => a.labels)), [all.data]);
  const names = useMemo(() => new Map((all.data ?? []).map((a) => [a.fingerprint, a.labels['alertname'] ?? a.fingerprint])), [all.data]);
  const shown = useMemo(() => applyStateFilter(groups.data ?? [], view.states), [groups.data, view.states]);
  const counts = countAlerts(shown);
  const mutedReported = all.data === undefined || all.data.length === 0 || reportsMuted([{ labels: {}, receiver: { name: '' }, alerts: all.data }]);
  const receiverNames = useMemo(() => (receivers.data ?? []).map((r) => r.name).sort(), [receivers.data]);

  const addLabel = useCallback(
    (name: string, value: string) => setView({ ...view, matchers: dedupe([...view.matchers, { name, value, isRegex: false, isEqual: true }]) }),
    [view, setView],
  );
  const toggle = (key: string): void =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const refresh = (): void => {
    groups.reload();
    all.reload();
    receivers.reload();
  };
  const now = Date.now();

  return (
    <Page
      title="Alerts"
      actions={
        <>
          <button type="button" onClick={() => setCollapsed(new Set(shown.map(groupKey)))} disabled={shown.length === 0}>
            Collapse all
          </button>
          <button type="button" onClick={() => setCollapsed(new Set())} disabled={collapsed.size === 0}>
            Expand all
          </button>
          <button type="button" onClick={refresh} disabled={groups.loading}>
            {groups.loading && groups.data !== undefined ? 'Refreshing…' : 'Refresh'}
          </button>
        </>
      }
    >
      <FilterBar view={view} onChange={setView} index={index} receivers={receiverNames} badFilter={badFilter} mutedReported={mutedReported} />
      <ErrorBox error={groups.error} />
      {all.error ? <ErrorBox error={`Label suggestions unavailable: ${all.error.message}`} /> : null}
      {receivers.error ? <ErrorBox error={`Receivers unavailable: ${receivers.error.message}`} /> : null}
      <Loading when={groups.loading && groups.data === undefined} />
      {groups.data !== undefined ? (
        <p className="alerts-count muted" aria-live="polite" data-testid="alerts-count">
          {plural(counts.alerts, 'alert', 'alerts')} in {plural(counts.groups, 'group', 'groups')}
        </p>
      ) : null}
      {groups.data !== undefined && shown.length === 0 ? <Empty>No alerts match{view.matchers.length > 0 || view.receiver !== '' ? ' these filters' : ''}.</Empty> : null}
      {shown.map((g) => {
        const key = groupKey(g);
        return <GroupSection key={key} group={g} collapsed={collapsed.has(key)} onToggle={() => toggle(key)} onLabel={addLabel} names={names} now={now} />;
      })}
    </Page>
  );
}

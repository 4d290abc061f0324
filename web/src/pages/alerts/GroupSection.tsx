/**
 * One aggregation group as the routing tree forms it: its receiver and group labels in the header
 * (a label click adds it to the filter), a button to collapse or expand it, and its alerts.
 */
import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import type { AlertGroup } from '../../api/alertmanager.js';
import { Labels } from '../../components/common.js';
import { AlertCard } from './AlertCard.js';

/** Alerts rendered per group before a "Show all" button (big groups stay fast to render). */
export const GROUP_PAGE = 25;

export interface GroupSectionProps {
  readonly group: AlertGroup;
  readonly collapsed: boolean;
  readonly onToggle: () => void;
  readonly onLabel: (name: string, value: string) => void;
  readonly names: ReadonlyMap<string, string>;
  readonly now: number;
}

/** `alertname="X", job="y"` or `(all alerts)` for a group without group labels. */
export function groupTitle(labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]!}"`);
  return parts.length === 0 ? '(all alerts)' : parts.join(', ');
}

export function GroupSection({ group, collapsed, onToggle, onLabel, names, now }: GroupSectionProps): ReactNode {
  const id = useId();
  const title = groupTitle(group.labels);
  const n = group.alerts.length;
  const [all, setAll] = useState(false);
  const visible = all ? group.alerts : group.alerts.slice(0, GROUP_PAGE);
  return (
    <section className="alert-group panel" aria-label={`Group ${title} (receiver ${group.receiver.name})`} data-testid="alert-group">
      <header className="group-head">
        <button type="button" className="group-toggle" aria-expanded={!collapsed} aria-controls={`${id}-alerts`} aria-label={`${collapsed ? 'Expand' : 'Collapse'} group ${title}`} onClick={onToggle}>
          <span aria-hidden="true">{collapsed ? '▸' : '▾'}</span>
        </button>
        {Object.keys(group.labels).length > 0 ? <Labels labels={group.labels} onClick={onLabel} /> : <span className="muted">(no group labels)</span>}
        <span className="group-receiver">
          receiver <strong>{group.receiver.name}</strong>
        </span>
        <span className="group-count muted">
          {n} {n === 1 ? 'alert' : 'alerts'}
        </span>
      </header>
      <div id={`${id}-alerts`} className="group-alerts" hidden={collapsed}>
        {collapsed ? null : visible.map((a) => <AlertCard key={a.fingerprint} alert={a} groupLabels={group.labels} onLabel={onLabel} names={names} now={now} />)}
        {!collapsed && visible.length < n ? (
          <button type="button" className="group-more" onClick={() => setAll(true)}>
            Show all {n} alerts of this group
          </button>
        ) : null}
      </div>
    </section>
  );
}

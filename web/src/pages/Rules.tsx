/**
 * Rules (`#/rules`): the tenant's rule groups by namespace, with interval, last evaluation, health
 * and errors; each rule with its query, health and type; alerting rules with their state and their
 * pending and firing alerts. Broken rule files (rules directory) are shown as warnings on top.
 */
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Empty, ErrorBox, Labels, Loading, Page } from '../components/common.js';
import { useLoad } from '../hooks.js';
import { formatDuration, formatRelative, formatTime } from '../lib/time.js';
import { getRuleProblems, getRules } from './rules/api.js';
import type { AlertRuleState, Rule, RuleGroup } from './rules/api.js';
import { byFile, evaluated, filterGroups, groupHealth, stateCounts, STATES } from './rules/filter.js';

const REFRESH_MS = 15_000;

function seconds(s: number): string {
  if (!Number.isFinite(s)) return '';
  if (s === 0) return '0ms';
  if (s < 1) return `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)}ms`;
  return formatDuration(s * 1000);
}

function LastEvaluation({ at, took }: { readonly at: string; readonly took: number }): ReactNode {
  if (!evaluated(at)) return <span className="muted">not evaluated yet</span>;
  return (
    <span title={formatTime(at)}>
      {formatRelative(at)} <span className="muted">(took {seconds(took)})</span>
    </span>
  );
}

function RuleAlerts({ rule }: { readonly rule: Rule }): ReactNode {
  if (rule.type !== 'alerting' || !rule.alerts || rule.alerts.length === 0) return null;
  const alerts = rule.alerts;
  return (
    <details className="rl-alerts" open={alerts.length <= 5}>
      <summary>
        {alerts.length} active alert{alerts.length === 1 ? '' : 's'}
      </summary>
      <table>
        <thead>
          <tr>
            <th>State</th>
            <th>Labels</th>
            <th>Active since</th>
            <th>Value</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a, i) => (
            <tr key={i} data-testid="rule-alert">
              <td>
                <span className={`badge ${a.state}`}>{a.state}</span>
              </td>
              <td>
                <Labels labels={a.labels} />
              </td>
              <td>
                {formatTime(a.activeAt)} <span className="muted">({formatRelative(a.activeAt)})</span>
              </td>
              <td className="mono">{a.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function RuleItem({ rule }: { readonly rule: Rule }): ReactNode {
  return (
    <li className={`rl-rule${rule.health === 'err' ? ' rl-err' : ''}`} data-testid="rule" data-rule={rule.name}>
      <div className="rl-rule-head">
        <span className="rl-name">{rule.name}</span>
        <span className="badge info">{rule.type}</span>
        {rule.type === 'alerting' ? <span className={`badge ${rule.state}`}>{rule.state}</span> : null}
        <span className={`badge ${rule.health === 'ok' ? 'ok' : rule.health === 'err' ? 'err' : 'warn'}`} title="health">
          health: {rule.health}
        </span>
        {rule.type === 'alerting' && rule.duration > 0 ? <span className="muted">for {formatDuration(rule.duration * 1000)}</span> : null}
        {rule.type === 'alerting' && rule.keepFiringFor ? <span className="muted">keep firing for {formatDuration(rule.keepFiringFor * 1000)}</span> : null}
        <span className="rl-eval muted">
          <LastEvaluation at={rule.lastEvaluation} took={rule.evaluationTime} />
        </span>
      </div>
      <pre className="rl-query">{rule.query}</pre>
      {rule.labels && Object.keys(rule.labels).length > 0 ? (
        <div>
          <span className="muted">labels </span>
          <Labels labels={rule.labels} />
        </div>
      ) : null}
      {rule.lastError ? <ErrorBox error={rule.lastError} /> : null}
      <RuleAlerts rule={rule} />
    </li>
  );
}

function GroupPanel({ group }: { readonly group: RuleGroup }): ReactNode {
  const h = groupHealth(group);
  return (
    <section className="panel rl-group" aria-label={`Group ${group.name}`} data-testid="rule-group">
      <div className="rl-group-head">
        <h3>{group.name}</h3>
        <span className={`badge ${h.health === 'ok' ? 'ok' : h.health === 'err' ? 'err' : 'warn'}`}>health: {h.health}</span>
        <span className="muted">every {formatDuration(group.interval * 1000)}</span>
        {group.limit ? <span className="muted">limit {group.limit}</span> : null}
        <span className="muted rl-eval">
          last evaluation: <LastEvaluation at={group.lastEvaluation} took={group.evaluationTime} />
        </span>
      </div>
      {h.lastError ? <ErrorBox error={h.lastError} /> : null}
      <ul className="rl-rules">
        {group.rules.map((r, i) => (
          <RuleItem key={`${r.name}-${i}`} rule={r} />
        ))}
      </ul>
    </section>
  );
}

export function RulesPage(): ReactNode {
  const rules = useLoad((c, signal) => getRules(c, signal), [], REFRESH_MS);
  const problems = useLoad((c, signal) => getRuleProblems(c, signal), [], REFRESH_MS);
  const [name, setName] = useState('');
  const [states, setStates] = useState<ReadonlySet<AlertRuleState>>(new Set(STATES));
  const all = rules.data;
  const shown = useMemo(() => (all ? filterGroups(all, { name, states }) : []), [all, name, states]);
  const counts = useMemo(() => stateCounts(all ?? []), [all]);

  const toggle = (s: AlertRuleState): void =>
    setStates((prev) => {
      const next = new Set(prev);
      if (next.has(s)) next.delete(s);
      else next.add(s);
      return next;
    });

  return (
    <Page
      title="Rules"
      actions={
        <button type="button" onClick={() => { rules.reload(); problems.reload(); }}>
          Reload
        </button>
      }
    >
      <ErrorBox error={problems.error} />
      {problems.data && problems.data.length > 0 ? (
        <div className="panel rl-problems" role="status">
          <h2>Rule files that do not load</h2>
          <p className="muted">These namespaces keep running their last good groups until the files are fixed.</p>
          {problems.data.map((p) => (
            <div key={`${p.namespace}/${p.file}`} className="rl-problem">
              <span className="badge warn">{p.namespace}</span> <span className="mono">{p.file}</span>
              <ul>
                {p.messages.map((m, i) => (
                  <li key={i} className="mono">
                    {m}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      ) : null}
      <form className="toolbar" onSubmit={(e) => e.preventDefault()} role="search" aria-label="Filter rules">
        <label>
          Name
          <input type="search" value={name} onChange={(e) => setName(e.target.value)} placeholder="rule or group name" />
        </label>
        <fieldset className="segmented rl-states">
          <legend className="sr-only">Alert state</legend>
          {STATES.map((s) => (
            <label key={s}>
              <input type="checkbox" checked={states.has(s)} onChange={() => toggle(s)} /> {s} <span className="muted">({counts[s]})</span>
            </label>
          ))}
        </fieldset>
        {STATES.some((s) => !states.has(s)) ? <span className="muted">recording rules are hidden while filtering by state</span> : null}
      </form>
      <ErrorBox error={rules.error} />
      <Loading when={rules.loading && !all} />
      {all && all.length === 0 ? <Empty>This tenant has no rule groups.</Empty> : null}
      {all && all.length > 0 && shown.length === 0 ? <Empty>No rule matches the filter.</Empty> : null}
      {byFile(shown).map((f) => (
        <section key={f.file} className="rl-file" aria-label={`Namespace ${f.file}`}>
          <h2 className="rl-file-name">
            <span className="muted">namespace</span> {f.file}
          </h2>
          {f.groups.map((g) => (
            <GroupPanel key={`${g.file}/${g.name}`} group={g} />
          ))}
        </section>
      ))}
    </Page>
  );
}

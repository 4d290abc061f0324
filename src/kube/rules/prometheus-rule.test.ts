import { describe, expect, it } from 'vitest';
import type { PrometheusRuleObject } from '../api.js';
import { prometheusRuleToGroups } from './prometheus-rule.js';

function rule(spec: unknown, namespace = 'team-a', name = 'app-rules'): PrometheusRuleObject {
  return { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name, namespace }, spec };
}

const SPEC = {
  groups: [
    {
      name: 'app',
      interval: '1m',
      partial_response_strategy: 'warn',
      rules: [
        { record: 'job:errors:rate5m', expr: 'sum by (job) (rate(errors_total[5m]))' },
        {
          alert: 'HighErrors',
          expr: 'job:errors:rate5m{namespace="kube-system"} > 1',
          for: '5m',
          labels: { severity: 'page', namespace: 'kube-system' },
          annotations: { summary: 'errors in {{ $labels.job }}' },
        },
      ],
    },
  ],
};

describe('prometheusRuleToGroups', () => {
  it('enforces the namespace on every selector and every rule label', () => {
    const r = prometheusRuleToGroups(rule(SPEC), { enforceNamespace: true });
    expect(r).toEqual({
      ok: true,
      value: {
        namespace: 'team-a/app-rules',
        groups: [
          {
            name: 'app',
            intervalMs: 60_000,
            limit: 0,
            labels: {},
            rules: [
              { kind: 'recording', record: 'job:errors:rate5m', expr: 'sum by (job) (rate(errors_total{namespace="team-a"}[5m]))', labels: { namespace: 'team-a' } },
              {
                kind: 'alerting',
                alert: 'HighErrors',
                expr: 'job:errors:rate5m{namespace="team-a"} > 1',
                forMs: 300_000,
                keepFiringForMs: 0,
                labels: { namespace: 'team-a', severity: 'page' },
                annotations: { summary: 'errors in {{ $labels.job }}' },
              },
            ],
          },
        ],
      },
    });
  });

  it('keeps expressions as written without enforcement, and adds the platform label', () => {
    const r = prometheusRuleToGroups(rule(SPEC, 'monitoring', 'platform'), { enforceNamespace: false, platformLabel: { name: 'alert_source', value: 'platform' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.namespace).toBe('monitoring/platform');
    const [rec, alert] = r.value.groups[0]!.rules;
    expect(rec!.expr).toBe('sum by (job) (rate(errors_total[5m]))');
    expect(rec!.labels).toEqual({ alert_source: 'platform' });
    expect(alert!.labels).toEqual({ alert_source: 'platform', namespace: 'kube-system', severity: 'page' });
  });

  it('accepts an integer expr (IntOrString) and an empty spec', () => {
    const r = prometheusRuleToGroups(rule({ groups: [{ name: 'g', rules: [{ alert: 'Always', expr: 1 }] }] }), { enforceNamespace: true });
    expect(r.ok && r.value.groups[0]!.rules[0]!.expr).toBe('1');
    expect(prometheusRuleToGroups(rule({}), { enforceNamespace: true })).toEqual({ ok: true, value: { namespace: 'team-a/app-rules', groups: [] } });
  });

  it('rejects a user rule that sets a reserved label', () => {
    const spec = { groups: [{ name: 'g', labels: { alert_source: 'platform' }, rules: [{ alert: 'A', expr: 'up == 0', labels: { alert_source: 'platform' } }] }] };
    const r = prometheusRuleToGroups(rule(spec), { enforceNamespace: true, reservedLabels: ['alert_source'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.message)).toEqual([
      'group "g": label "alert_source" is reserved for platform rules',
      'group "g", rule 1, "A": label "alert_source" is reserved for platform rules',
    ]);
    expect(r.issues[1]!.path).toEqual(['spec', 'groups', 0, 'rules', 0, 'labels', 'alert_source']);
  });

  it.each([
    ['spec not an object', 'nope', ['spec must be an object']],
    ['groups not a list', { groups: { name: 'x' } }, ['spec.groups must be a list']],
    ['bad expression', { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'sum(' }] }] }, [/^group "g", rule 1, "A": could not parse expression: /]],
    ['record and alert', { groups: [{ name: 'g', rules: [{ alert: 'A', record: 'r', expr: 'up' }] }] }, [`group "g", rule 1, "A": only one of 'record' and 'alert' must be set`]],
    ['duplicate group', { groups: [{ name: 'g', rules: [] }, { name: 'g', rules: [] }] }, ['group "g": groupname: "g" is repeated in the same file']],
    ['unknown field', { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up', severity: 'x' }] }] }, [/field severity not found/]],
    ['bad duration', { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up', for: '5 minutes' }] }] }, ['unknown unit " minutes" in duration "5 minutes"']],
  ])('rejects %s', (_name, spec, want) => {
    const r = prometheusRuleToGroups(rule(spec), { enforceNamespace: true });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.length).toBe(want.length);
    r.issues.forEach((it, i) => {
      const w = want[i]!;
      if (typeof w === 'string') expect(it.message).toBe(w);
      else expect(it.message).toMatch(w);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { enforceLabel } from './enforce.js';

describe('enforceLabel', () => {
  it.each([
    ['up', 'up{namespace="team-a"}'],
    ['up{job="api"}', 'up{job="api",namespace="team-a"}'],
    ['{__name__=~"http_.*"}', '{__name__=~"http_.*",namespace="team-a"}'],
    ['up{namespace="other"}', 'up{namespace="team-a"}'],
    ['up{namespace=~".+",namespace!="x"}', 'up{namespace="team-a"}'],
    ['rate(http_requests_total[5m])', 'rate(http_requests_total{namespace="team-a"}[5m])'],
    ['sum by (job) (rate(errors[5m])) / sum by (job) (rate(requests[5m]))', 'sum by (job) (rate(errors{namespace="team-a"}[5m])) / sum by (job) (rate(requests{namespace="team-a"}[5m]))'],
    ['a and on (pod) b', 'a{namespace="team-a"} and on (pod) b{namespace="team-a"}'],
    ['a * on (pod) group_left (owner) b', 'a{namespace="team-a"} * on (pod) group_left (owner) b{namespace="team-a"}'],
    ['absent(up{job="api"})', 'absent(up{job="api",namespace="team-a"})'],
    ['absent_over_time(up[10m])', 'absent_over_time(up{namespace="team-a"}[10m])'],
    ['max_over_time(rate(x[1m])[1h:5m])', 'max_over_time(rate(x{namespace="team-a"}[1m])[1h:5m])'],
    ['up offset 5m', 'up{namespace="team-a"} offset 5m'],
    ['up @ 100', 'up{namespace="team-a"} @ 100.000'],
    ['rate(x[5m] offset 1h)', 'rate(x{namespace="team-a"}[5m] offset 1h)'],
    ['topk(3, x)', 'topk(3, x{namespace="team-a"})'],
    ['quantile(scalar(q), x)', 'quantile(scalar(q{namespace="team-a"}), x{namespace="team-a"})'],
    ['-x > 0', '-x{namespace="team-a"} > 0'],
    ['(x) > bool 1', '(x{namespace="team-a"}) > bool 1'],
    ['vector(1)', 'vector(1)'],
    ['1 + 2', '1 + 2'],
    ['label_replace(x, "a", "$1", "b", "(.*)")', 'label_replace(x{namespace="team-a"}, "a", "$1", "b", "(.*)")'],
    ['rate(x[5m] @ start())', 'rate(x{namespace="team-a"}[5m] @ start())'],
    ['count_values("v", x)', 'count_values("v", x{namespace="team-a"})'],
    ['avg_over_time((a / b)[30m:1m] offset 1h)', 'avg_over_time((a{namespace="team-a"} / b{namespace="team-a"})[30m:1m] offset 1h)'],
    ['a / on (namespace) b', 'a{namespace="team-a"} / on (namespace) b{namespace="team-a"}'],
    ['sum without (namespace) (x)', 'sum without (namespace) (x{namespace="team-a"})'],
    ['histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))', 'histogram_quantile(0.9, sum by (le) (rate(h_bucket{namespace="team-a"}[5m])))'],
  ])('%s', (expr, want) => {
    const r = enforceLabel(expr, 'namespace', 'team-a');
    expect(r).toEqual({ ok: true, value: want });
  });

  it('enforces any label name', () => {
    expect(enforceLabel('up{tenant="x"} or down', 'tenant', 'acme')).toEqual({ ok: true, value: 'up{tenant="acme"} or down{tenant="acme"}' });
  });

  it('quotes values that need it', () => {
    expect(enforceLabel('up', 'namespace', 'a"b')).toEqual({ ok: true, value: 'up{namespace="a\\"b"}' });
  });

  it('reports a parse error as an issue', () => {
    const r = enforceLabel('sum(', 'namespace', 'x');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/^could not parse expression: /);
  });
});

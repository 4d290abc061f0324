/** The config API over the real rulefmt parser and marshallers, as src/app.ts wires them. */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { formatGroupIssues, marshalNamespaces, marshalRuleGroup, parseRuleGroup } from '../../ruler/rulefmt/index.js';
import { rulerApiRoutes } from './routes.js';
import { FakeRuler, parseYaml } from './test-fakes.js';

let app: FastifyInstance;
let ruler: FakeRuler;
beforeEach(async () => {
  ruler = new FakeRuler();
  app = Fastify();
  await app.register(rulerApiRoutes({ ruler, parseRuleGroup, marshalRuleGroup, marshalNamespaces, formatGroupIssues, logger: NOOP_LOGGER, requireTenant: () => false }));
});
afterEach(async () => {
  await app.close();
});

const P = '/prometheus/config/v1/rules';
const call = (method: 'GET' | 'POST', url: string, payload?: string) =>
  app.inject({ method, url, headers: { 'X-Scope-OrgID': 'A', ...(payload !== undefined ? { 'content-type': 'application/yaml' } : {}) }, ...(payload !== undefined ? { payload } : {}) });

describe('config API with rulefmt', () => {
  it('round trip: what was POSTed comes back from GET of the group and of all groups', async () => {
    const body = 'name: api\ninterval: 30s\nrules:\n  - alert: HighErrors\n    expr: rate(errors_total[5m]) > 1\n    for: 10m\n    labels:\n      severity: page\n    annotations:\n      summary: "{{ $labels.job }} fails"\n  - record: job:errors:rate5m\n    expr: sum by (job) (rate(errors_total[5m]))\n';
    expect((await call('POST', `${P}/team%2Fa`, body)).statusCode).toBe(202);
    const stored = ruler.store.tenants.get('A')?.get('team/a')?.[0];
    expect(stored?.intervalMs).toBe(30_000);
    expect(stored?.rules).toHaveLength(2);
    const group = await call('GET', `${P}/team%2Fa/api`);
    expect(group.statusCode).toBe(200);
    expect(parseYaml(group.body)).toEqual(parseYaml(body));
    const all = await call('GET', P);
    expect(parseYaml(all.body)).toEqual({ 'team/a': [parseYaml(body)] });
  });

  it('a group Mimir refuses: 400 with rulefmt’s text', async () => {
    const r = await call('POST', `${P}/ns`, 'name: g\nrules: []\n');
    expect([r.statusCode, r.body]).toEqual([400, "invalid rules configuration: rule group 'g' has no rules"]);
    const bad = await call('POST', `${P}/ns`, 'name: g\nrules:\n  - alert: A\n    expr: "sum("\n');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/could not parse expression/);
    expect(ruler.store.tenants.get('A')?.size ?? 0).toBe(0);
  });
});

import Fastify from 'fastify';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { RulerApiOptions } from './routes.js';
import { ACCEPTED_BODY, rulerApiRoutes } from './routes.js';
import { FakeRuler, FakeRuleStore, parseYaml, standInMarshalNamespaces, standInMarshalRuleGroup, standInParseRuleGroup } from './test-fakes.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function setup(opts: { store?: FakeRuleStore; requireTenant?: boolean } & Omit<Partial<RulerApiOptions>, 'requireTenant'> = {}) {
  const ruler = new FakeRuler(opts.store ?? new FakeRuleStore());
  app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
  await app.register(
    rulerApiRoutes({
      ruler,
      parseRuleGroup: standInParseRuleGroup,
      marshalRuleGroup: standInMarshalRuleGroup,
      marshalNamespaces: standInMarshalNamespaces,
      logger: NOOP_LOGGER,
      requireTenant: () => opts.requireTenant ?? false,
      ...(opts.maxGroupBytes !== undefined ? { maxGroupBytes: opts.maxGroupBytes } : {}),
      ...(opts.configApi !== undefined ? { configApi: opts.configApi } : {}),
      ...(opts.formatGroupIssues ? { formatGroupIssues: opts.formatGroupIssues } : {}),
    }),
  );
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, tenant: string | null = 'A', body?: string, contentType = 'application/yaml'): Promise<LightMyRequestResponse> =>
    (app as FastifyInstance).inject({
      method,
      url,
      headers: { ...(tenant !== null ? { 'X-Scope-OrgID': tenant } : {}), ...(body !== undefined ? { 'content-type': contentType } : {}) },
      ...(body !== undefined ? { payload: body } : {}),
    });
  return { ruler, call };
}

const P = '/prometheus/config/v1/rules';
const GROUP = 'name: g1\nrules:\n  - alert: Down\n    expr: up == 0\n    labels:\n      severity: page\n';
const GROUP2 = 'name: g2\nrules:\n  - record: job:up:sum\n    expr: sum by (job) (up)\n';

describe('Mimir ruler config API', () => {
  it('GET of a tenant without rules: 200 `{}` as YAML', async () => {
    const { call } = await setup();
    const r = await call('GET', P);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/yaml');
    expect(r.body).toBe('{}\n');
  });

  it('POST stores a group: 202 with Mimir body; GET all, namespace and group return it', async () => {
    const { call, ruler } = await setup();
    const r = await call('POST', `${P}/ns1`, 'A', GROUP);
    expect(r.statusCode).toBe(202);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.body).toBe(ACCEPTED_BODY);
    expect(JSON.parse(r.body)).toEqual({ status: 'success', data: null, errorType: '', error: '' });
    expect(ruler.store.tenants.get('A')?.get('ns1')?.[0]?.name).toBe('g1');

    const all = await call('GET', P);
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toBe('application/yaml');
    expect(parseYaml(all.body)).toEqual({ ns1: [{ name: 'g1', rules: [{ alert: 'Down', expr: 'up == 0', labels: { severity: 'page' } }] }] });

    const ns = await call('GET', `${P}/ns1`);
    expect(ns.statusCode).toBe(200);
    expect(parseYaml(ns.body)).toEqual(parseYaml(all.body));

    const g = await call('GET', `${P}/ns1/g1`);
    expect(g.statusCode).toBe(200);
    expect(g.headers['content-type']).toBe('application/yaml');
    expect(parseYaml(g.body)).toEqual({ name: 'g1', rules: [{ alert: 'Down', expr: 'up == 0', labels: { severity: 'page' } }] });
  });

  it('GET of a namespace lists only that namespace', async () => {
    const { call } = await setup();
    await call('POST', `${P}/ns1`, 'A', GROUP);
    await call('POST', `${P}/ns2`, 'A', GROUP2);
    expect(Object.keys(parseYaml((await call('GET', P)).body) as object)).toEqual(['ns1', 'ns2']);
    expect(parseYaml((await call('GET', `${P}/ns2`)).body)).toEqual({ ns2: [{ name: 'g2', rules: [{ record: 'job:up:sum', expr: 'sum by (job) (up)' }] }] });
  });

  it('POST with the same group name replaces the group', async () => {
    const { call, ruler } = await setup();
    await call('POST', `${P}/ns1`, 'A', GROUP);
    await call('POST', `${P}/ns1`, 'A', GROUP.replace('up == 0', 'up < 1'));
    const groups = ruler.store.tenants.get('A')?.get('ns1') ?? [];
    expect(groups).toHaveLength(1);
    expect(groups[0]?.rules[0]?.expr).toBe('up < 1');
  });

  it.each([
    ['no content type', undefined],
    ['form encoding (curl --data-binary)', 'application/x-www-form-urlencoded'],
    ['text/plain', 'text/plain'],
  ])('POST accepts the YAML body with %s', async (_name, contentType) => {
    const { call } = await setup();
    const r = await (app as FastifyInstance).inject({
      method: 'POST',
      url: `${P}/ns1`,
      headers: { 'X-Scope-OrgID': 'A', ...(contentType ? { 'content-type': contentType } : {}) },
      payload: GROUP,
    });
    expect(r.statusCode, r.body).toBe(202);
    expect((await call('GET', `${P}/ns1/g1`)).statusCode).toBe(200);
  });

  it('POST accepts a JSON body (Grafana), JSON being YAML', async () => {
    const { call } = await setup();
    const json = JSON.stringify({ name: 'g1', rules: [{ alert: 'Down', expr: 'up == 0' }] });
    const r = await call('POST', `${P}/ns1`, 'A', json, 'application/json');
    expect(r.statusCode, r.body).toBe(202);
    expect(parseYaml((await call('GET', `${P}/ns1/g1`)).body)).toEqual({ name: 'g1', rules: [{ alert: 'Down', expr: 'up == 0' }] });
  });

  it.each([
    ['bad YAML', 'name: [unclosed\n', /^unable to decode rule group: /],
    ['not a mapping', '- a\n- b\n', /^unable to decode rule group: cannot unmarshal/],
    ['empty body', '', /^invalid rules config: rule group name must not be empty$/],
    ['no name', 'rules:\n  - record: a\n    expr: b\n', /^invalid rules config: rule group name must not be empty$/],
    ['no rules', 'name: g\n', /^invalid rules config: rule group 'g' has no rules$/],
    ['rule without expr', 'name: g\nrules:\n  - alert: A\n  - record: b\n', /^group "g", rule 1, "A": field 'expr' must be set in rule, group "g", rule 2, "b": field 'expr' must be set in rule$/],
  ])('POST of a bad group (%s): 400 with the reason as text, nothing stored', async (_name, body, message) => {
    const { call, ruler } = await setup();
    const r = await call('POST', `${P}/ns1`, 'A', body);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body).toMatch(message);
    expect(ruler.store.tenants.get('A')?.size ?? 0).toBe(0);
  });

  it('the rulefmt formatter, when given, writes the problems', async () => {
    const { call } = await setup({ formatGroupIssues: (issues) => issues.map((i) => `[${i.code}] ${i.message}`).join(' | ') });
    const r = await call('POST', `${P}/ns1`, 'A', 'name: g\n');
    expect(r.body).toBe("[group_rules] invalid rules config: rule group 'g' has no rules");
  });

  it('limits refused by the store: 400 with its message', async () => {
    const { call } = await setup({ store: new FakeRuleStore({ maxGroupsPerTenant: 1 }) });
    expect((await call('POST', `${P}/ns1`, 'A', GROUP)).statusCode).toBe(202);
    // Replacing the same group stays within the limit.
    expect((await call('POST', `${P}/ns1`, 'A', GROUP)).statusCode).toBe(202);
    const r = await call('POST', `${P}/ns2`, 'A', GROUP2);
    expect(r.statusCode).toBe(400);
    expect(r.body).toBe('per-user rule groups limit (limit: 1 actual: 2) exceeded');
  });

  it('namespaces the rules directory owns: 409 on POST and DELETE, readable', async () => {
    const ro = new FakeRuleStore({ readOnlyNamespaces: new Set(['gitops']) });
    ro.tenants.set('A', new Map([['gitops', [standInParse(GROUP)]]]));
    const { call } = await setup({ store: ro });
    for (const [method, url, body] of [
      ['POST', `${P}/gitops`, GROUP],
      ['DELETE', `${P}/gitops/g1`, undefined],
      ['DELETE', `${P}/gitops`, undefined],
    ] as const) {
      const r = await call(method, url, 'A', body);
      expect(r.statusCode, `${method} ${url}`).toBe(409);
      expect(r.body).toMatch(/rules directory/);
    }
    expect((await call('GET', `${P}/gitops/g1`)).statusCode).toBe(200);
  });

  it('a body over the limit: 413', async () => {
    const { call, ruler } = await setup({ maxGroupBytes: 64 });
    const r = await call('POST', `${P}/ns1`, 'A', GROUP + '# ' + 'x'.repeat(100) + '\n');
    expect(r.statusCode).toBe(413);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(ruler.store.tenants.get('A')?.size ?? 0).toBe(0);
  });

  it('unknown group and namespace: GET group 404, GET namespace `{}`, DELETEs 404', async () => {
    const { call } = await setup();
    await call('POST', `${P}/ns1`, 'A', GROUP);
    const g = await call('GET', `${P}/ns1/nope`);
    expect([g.statusCode, g.body]).toEqual([404, 'group does not exist']);
    expect([(await call('GET', `${P}/nope/g1`)).statusCode]).toEqual([404]);
    const ns = await call('GET', `${P}/nope`);
    expect([ns.statusCode, ns.body]).toEqual([200, '{}\n']);
    const dg = await call('DELETE', `${P}/ns1/nope`);
    expect([dg.statusCode, dg.body]).toEqual([404, 'group does not exist']);
    const dn = await call('DELETE', `${P}/nope`);
    expect([dn.statusCode, dn.body]).toEqual([404, 'group namespace does not exist']);
  });

  it('DELETE of a group and of a namespace: 202 and gone', async () => {
    const { call } = await setup();
    await call('POST', `${P}/ns1`, 'A', GROUP);
    await call('POST', `${P}/ns1`, 'A', GROUP2);
    await call('POST', `${P}/ns2`, 'A', GROUP);
    const dg = await call('DELETE', `${P}/ns1/g1`);
    expect([dg.statusCode, dg.body]).toEqual([202, ACCEPTED_BODY]);
    expect((await call('GET', `${P}/ns1/g1`)).statusCode).toBe(404);
    expect((await call('GET', `${P}/ns1/g2`)).statusCode).toBe(200);
    const dn = await call('DELETE', `${P}/ns1`);
    expect([dn.statusCode, dn.body]).toEqual([202, ACCEPTED_BODY]);
    expect(Object.keys(parseYaml((await call('GET', P)).body) as object)).toEqual(['ns2']);
  });

  it('path segments are percent-decoded once: `/` and `%` in names', async () => {
    const { call, ruler } = await setup();
    const body = GROUP.replace('name: g1', 'name: "grp/1 x"');
    expect((await call('POST', `${P}/team%2Fa`, 'A', body)).statusCode).toBe(202);
    expect([...(ruler.store.tenants.get('A')?.keys() ?? [])]).toEqual(['team/a']);
    expect((await call('GET', `${P}/team%2Fa/grp%2F1%20x`)).statusCode).toBe(200);
    expect(Object.keys(parseYaml((await call('GET', `${P}/team%2Fa`)).body) as object)).toEqual(['team/a']);
    expect((await call('POST', `${P}/literal%252F`, 'A', GROUP)).statusCode).toBe(202);
    expect(ruler.store.tenants.get('A')?.has('literal%2F')).toBe(true);
    expect((await call('DELETE', `${P}/team%2Fa/grp%2F1%20x`)).statusCode).toBe(202);
    expect(ruler.store.tenants.get('A')?.has('team/a')).toBe(false);
  });

  it('a malformed escape is a 400, not a crash', async () => {
    const { call } = await setup();
    const r = await call('GET', `${P}/a%ZZ`);
    expect(r.statusCode).toBe(400);
  });

  it('the legacy /api/v1/rules prefix serves the same API', async () => {
    const { call } = await setup();
    expect((await call('POST', '/api/v1/rules/ns1', 'A', GROUP)).statusCode).toBe(202);
    expect(parseYaml((await call('GET', `${P}/ns1/g1`)).body)).toEqual(parseYaml((await call('GET', '/api/v1/rules/ns1/g1')).body));
    expect(Object.keys(parseYaml((await call('GET', '/api/v1/rules')).body) as object)).toEqual(['ns1']);
    expect((await call('GET', '/api/v1/rules/ns1')).statusCode).toBe(200);
    expect((await call('DELETE', '/api/v1/rules/ns1/g1')).statusCode).toBe(202);
    expect((await call('POST', '/api/v1/rules/ns1', 'A', GROUP)).statusCode).toBe(202);
    expect((await call('DELETE', '/api/v1/rules/ns1')).statusCode).toBe(202);
    expect((await call('GET', P)).body).toBe('{}\n');
  });

  it('a failing store: 500 with its message, for reads and writes', async () => {
    const { call } = await setup({ store: new FakeRuleStore({ failWith: new Error('disk on fire') }) });
    for (const [method, url, body] of [
      ['GET', P, undefined],
      ['GET', `${P}/ns1`, undefined],
      ['GET', `${P}/ns1/g1`, undefined],
      ['POST', `${P}/ns1`, GROUP],
      ['DELETE', `${P}/ns1/g1`, undefined],
      ['DELETE', `${P}/ns1`, undefined],
    ] as const) {
      const r = await call(method, url, 'A', body);
      expect([r.statusCode, r.body], `${method} ${url}`).toEqual([500, 'disk on fire']);
    }
  });

  it('with the config API off, its routes are absent and /rules stays', async () => {
    const { call } = await setup({ configApi: false });
    expect((await call('GET', P)).statusCode).toBe(404);
    expect((await call('POST', `${P}/ns1`, 'A', GROUP)).statusCode).toBe(404);
    expect((await call('GET', '/prometheus/api/v1/rules')).statusCode).toBe(200);
  });
});

function standInParse(text: string) {
  const r = standInParseRuleGroup(text);
  if (!r.ok) throw new Error('fixture does not parse');
  return r.value;
}

describe('tenant isolation of the config API', () => {
  it('tenant B cannot read, change or delete tenant A’s rules', async () => {
    const { call, ruler } = await setup();
    await call('POST', `${P}/ns1`, 'A', GROUP);
    const before = (await call('GET', P, 'A')).body;

    expect((await call('GET', P, 'B')).body).toBe('{}\n');
    expect((await call('GET', `${P}/ns1`, 'B')).body).toBe('{}\n');
    expect((await call('GET', `${P}/ns1/g1`, 'B')).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/rules/ns1/g1', 'B')).statusCode).toBe(404);
    expect((await call('DELETE', `${P}/ns1/g1`, 'B')).statusCode).toBe(404);
    expect((await call('DELETE', `${P}/ns1`, 'B')).statusCode).toBe(404);
    expect((await call('DELETE', '/api/v1/rules/ns1', 'B')).statusCode).toBe(404);
    // B writing the same namespace and group name creates B's own copy.
    expect((await call('POST', `${P}/ns1`, 'B', GROUP.replace('up == 0', 'vector(1)'))).statusCode).toBe(202);
    expect((await call('GET', P, 'A')).body).toBe(before);
    expect(ruler.store.tenants.get('A')?.get('ns1')?.[0]?.rules[0]?.expr).toBe('up == 0');
    expect(ruler.store.tenants.get('B')?.get('ns1')?.[0]?.rules[0]?.expr).toBe('vector(1)');
    expect((await call('DELETE', `${P}/ns1`, 'B')).statusCode).toBe(202);
    expect((await call('GET', P, 'A')).body).toBe(before);
  });

  it('without a tenant header and require_tenant on: 401 on every route', async () => {
    const { call, ruler } = await setup({ requireTenant: true });
    for (const [method, url, body] of [
      ['GET', P, undefined],
      ['GET', `${P}/ns1`, undefined],
      ['GET', `${P}/ns1/g1`, undefined],
      ['POST', `${P}/ns1`, GROUP],
      ['DELETE', `${P}/ns1/g1`, undefined],
      ['DELETE', `${P}/ns1`, undefined],
      ['GET', '/api/v1/rules', undefined],
      ['POST', '/api/v1/rules/ns1', GROUP],
      ['GET', '/prometheus/api/v1/rules', undefined],
      ['GET', '/prometheus/api/v1/alerts', undefined],
    ] as const) {
      const r = await call(method, url, null, body);
      expect(r.statusCode, `${method} ${url}`).toBe(401);
    }
    expect(ruler.store.tenants.size).toBe(0);
  });

  it('without a tenant header and require_tenant off: the anonymous tenant', async () => {
    const { call, ruler } = await setup();
    expect((await call('POST', `${P}/ns1`, null, GROUP)).statusCode).toBe(202);
    expect([...ruler.store.tenants.keys()]).toEqual(['anonymous']);
    expect((await call('GET', `${P}/ns1/g1`, 'A')).statusCode).toBe(404);
  });

  it('a malformed tenant id: 400', async () => {
    const { call } = await setup();
    expect((await call('GET', P, '..')).statusCode).toBe(400);
  });
});

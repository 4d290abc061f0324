import Fastify from 'fastify';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../core/runtime.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { TenantThresholdsDto } from './dto.js';
import type { ThresholdsApiOptions } from './routes.js';
import { EXPOSITION_CONTENT_TYPE, thresholdsApiRoutes, thresholdsExpositionRoute } from './routes.js';
import { ThresholdsDirectoryOwnedError } from '../../thresholds/index.js';
import { FakeThresholds } from './test-fakes.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

type Method = 'GET' | 'PUT' | 'PATCH' | 'DELETE';

function recordingLogger(lines: string[]): Logger {
  const l: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (o: object | string, msg?: string) => void lines.push(msg ?? (typeof o === 'string' ? o : JSON.stringify(o))),
    child: () => l,
  };
  return l;
}

async function setup(opts: { fake?: FakeThresholds; requireTenant?: boolean; maxDocumentBytes?: number; logger?: Logger; render?: () => string } = {}) {
  const fake = opts.fake ?? new FakeThresholds();
  const o: ThresholdsApiOptions = {
    thresholds: () => fake,
    logger: opts.logger ?? NOOP_LOGGER,
    requireTenant: () => opts.requireTenant ?? false,
    ...(opts.maxDocumentBytes !== undefined ? { maxDocumentBytes: opts.maxDocumentBytes } : {}),
  };
  app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
  await app.register(thresholdsApiRoutes(o), { prefix: '/api/herald/v1' });
  await app.register(thresholdsExpositionRoute({ render: opts.render ?? (() => 'user_threshold{tenant="A"} 80\n'), logger: opts.logger ?? NOOP_LOGGER }));
  const call = (method: Method, url: string, tenant: string | null = 'A', body?: string, contentType = 'application/yaml'): Promise<LightMyRequestResponse> =>
    (app as FastifyInstance).inject({
      method,
      url,
      headers: { ...(tenant !== null ? { 'X-Scope-OrgID': tenant } : {}), ...(body !== undefined ? { 'content-type': contentType } : {}) },
      ...(body !== undefined ? { payload: body } : {}),
    });
  const get = async (tenant: string): Promise<TenantThresholdsDto> => {
    const r = await call('GET', T, tenant);
    expect(r.statusCode, r.body).toBe(200);
    return JSON.parse(r.body) as TenantThresholdsDto;
  };
  const patch = (tenant: string, body: unknown) => call('PATCH', T, tenant, typeof body === 'string' ? body : JSON.stringify(body), 'application/json');
  return { fake, call, get, patch };
}

const T = '/api/herald/v1/thresholds';
const DOC = '# our limits\nmysql_connections: 70\nredis_clients: "900:critical"\n';

describe('GET /thresholds', () => {
  it('a tenant without a document: source none, defaults resolved, no problems', async () => {
    const { call } = await setup();
    const r = await call('GET', T, 'A');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(r.body)).toEqual({
      tenant: 'A',
      source: 'none',
      document: '',
      resolved: [
        { labels: { tenant: 'A', component: 'mysql', metric: 'connections', severity: 'warning' }, value: 80, key: 'mysql_connections', source: 'default' },
        { labels: { tenant: 'A', component: 'redis', metric: 'clients', severity: 'warning' }, value: 500, key: 'redis_clients', source: 'default' },
      ],
      stateFilters: [],
      problems: [],
    });
  });

  it('shows only the tenant’s own problems, with file base names and positions', async () => {
    const { fake, get } = await setup();
    fake.extraProblems.push(
      { source: '/etc/herald/conf.d/A.yaml', tenant: 'A', issues: [{ code: 'unknown_key', message: 'key "x" has no default', range: { start: { line: 3, column: 1 } } }] },
      { source: '/etc/herald/conf.d/B.yaml', tenant: 'B', issues: [{ code: 'unknown_key', message: 'B secret', range: { start: { line: 1, column: 1 } } }] },
      { source: '/etc/herald/conf.d/_defaults.yaml', issues: [{ code: 'yaml', message: 'platform problem' }] },
      { source: 'api:A', tenant: 'A', issues: [{ code: 'x', message: 'by path', path: ['k'] }] },
    );
    const a = await get('A');
    expect(a.problems).toEqual([
      { source: 'A.yaml', issues: [{ code: 'unknown_key', message: 'key "x" has no default', line: 3, column: 1 }] },
      { source: 'api:A', issues: [{ code: 'x', message: 'by path', path: ['k'] }] },
    ]);
    expect(JSON.stringify(a)).not.toContain('B secret');
    expect((await get('B')).problems).toHaveLength(1);
    expect((await get('C')).problems).toEqual([]);
  });

  it('reads the engine on every request: a reload that replaces it takes effect at once', async () => {
    const first = new FakeThresholds();
    const second = new FakeThresholds({ mysql_connections: 10 });
    let current = first;
    app = Fastify();
    await app.register(thresholdsApiRoutes({ thresholds: () => current, logger: NOOP_LOGGER, requireTenant: () => false }), { prefix: '/api/herald/v1' });
    const get = async () => JSON.parse((await (app as FastifyInstance).inject({ method: 'GET', url: T, headers: { 'X-Scope-OrgID': 'A' } })).body) as TenantThresholdsDto;
    expect((await get()).resolved.map((t) => t.value)).toEqual([80, 500]);
    current = second;
    expect((await get()).resolved.map((t) => t.value)).toEqual([10]);
    await (app).inject({ method: 'PUT', url: T, headers: { 'X-Scope-OrgID': 'A' }, payload: 'mysql_connections: 5\n' });
    expect(second.docs.has('A')).toBe(true);
    expect(first.docs.has('A')).toBe(false);
  });

  it('non-finite values are strings (JSON has no Inf)', async () => {
    const { get, fake } = await setup({ fake: new FakeThresholds({ mysql_connections: Infinity, redis_clients: -Infinity }) });
    expect(fake.defaults.defaults.size).toBe(2);
    expect((await get('A')).resolved.map((t) => t.value)).toEqual(['+Inf', '-Inf']);
  });

  it('GET /thresholds/defaults: defaults, state filters, allowed keys', async () => {
    const { call } = await setup({ fake: new FakeThresholds({ mysql_connections: 80, mysql_connections_critical: 150 }, ['mysql_connections']) });
    const r = await call('GET', `${T}/defaults`, 'A');
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body)).toEqual({
      defaults: { mysql_connections: 80, mysql_connections_critical: 150 },
      stateFilters: { maintenance: { severity: 'info', defaultState: 'disable' } },
      tenantKeys: ['mysql_connections'],
      dimensions: {},
    });
    const open = await setup();
    expect(JSON.parse((await open.call('GET', `${T}/defaults`, 'A')).body).tenantKeys).toBeNull();
  });
});

describe('tenant header', () => {
  it.each([['GET'], ['PUT'], ['PATCH'], ['DELETE']] as const)('%s: a malformed tenant id is 400, a missing one 401 when required', async (method) => {
    const { call, fake } = await setup({ requireTenant: true });
    const bad = await call(method, T, '..', method === 'PUT' ? DOC : method === 'PATCH' ? '{"mysql_connections": 1}' : undefined);
    expect(bad.statusCode).toBe(400);
    const none = await call(method, T, null, method === 'PUT' ? DOC : undefined);
    expect(none.statusCode).toBe(401);
    expect(fake.docs.size).toBe(0);
  });

  it('without require_tenant a request with no header is tenant "anonymous"', async () => {
    const { call, get } = await setup();
    expect((await call('PUT', T, null, DOC)).statusCode).toBe(204);
    expect((await get('anonymous')).source).toBe('api');
    expect((await get('A')).source).toBe('none');
  });
});

describe('PUT /thresholds', () => {
  it('stores a valid document for the tenant only', async () => {
    const { call, get, fake } = await setup();
    const r = await call('PUT', T, 'A', DOC);
    expect(r.statusCode).toBe(204);
    expect(r.body).toBe('');
    const a = await get('A');
    expect(a.source).toBe('api');
    expect(a.document).toBe(DOC);
    expect(a.resolved).toEqual([
      { labels: { tenant: 'A', component: 'mysql', metric: 'connections', severity: 'warning' }, value: 70, key: 'mysql_connections', source: 'custom' },
      { labels: { tenant: 'A', component: 'redis', metric: 'clients', severity: 'critical' }, value: 900, key: 'redis_clients', source: 'custom' },
    ]);
    const b = await get('B');
    expect(b.source).toBe('none');
    expect(b.document).toBe('');
    expect(b.resolved.every((t) => t.source === 'default' && t.labels['tenant'] === 'B')).toBe(true);
    expect([...fake.docs.keys()]).toEqual(['A']);
  });

  it('takes the body as text whatever the content type', async () => {
    const { call, get } = await setup();
    expect((await call('PUT', T, 'A', 'mysql_connections: 10\n', 'application/x-www-form-urlencoded')).statusCode).toBe(204);
    expect((await get('A')).document).toBe('mysql_connections: 10\n');
  });

  it('refuses an invalid document with every issue and its position; the last good one stays', async () => {
    const { call, get } = await setup();
    await call('PUT', T, 'A', DOC);
    const r = await call('PUT', T, 'A', 'mysql_connections: 70\nmysql_conections: 5\nredis_clients: lots\n');
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(r.body) as { error: string; issues: unknown[] };
    expect(body.issues).toEqual([
      { code: 'unknown_key', message: 'key "mysql_conections" has no default', line: 2, column: 1 },
      { code: 'bad_value', message: 'key "redis_clients": bad value "lots"', line: 3, column: 1 },
    ]);
    expect(body.error).toBe('invalid thresholds document: line 2, column 1: key "mysql_conections" has no default; line 3, column 1: key "redis_clients": bad value "lots"');
    expect((await get('A')).document).toBe(DOC);
  });

  it('a YAML syntax error is a 400 with its position', async () => {
    const { call } = await setup();
    const r = await call('PUT', T, 'A', 'mysql_connections: [1\n');
    expect(r.statusCode).toBe(400);
    const body = JSON.parse(r.body) as { issues: Array<{ code: string; line?: number }> };
    expect(body.issues[0]?.code).toBe('yaml');
    expect(body.issues[0]?.line).toBeGreaterThanOrEqual(1);
  });

  it('summarises at most three issues in the error text', async () => {
    const { call } = await setup();
    const r = await call('PUT', T, 'A', 'a_1: 1\na_2: 1\na_3: 1\na_4: 1\na_5: 1\n');
    const body = JSON.parse(r.body) as { error: string; issues: unknown[] };
    expect(body.issues).toHaveLength(5);
    expect(body.error).toMatch(/\(and 2 more\)$/);
  });

  it('a body over the limit is 413 in this API’s JSON shape; nothing stored', async () => {
    const { call, fake } = await setup({ maxDocumentBytes: 100 });
    const r = await call('PUT', T, 'A', `# ${'x'.repeat(200)}\nmysql_connections: 1\n`);
    expect(r.statusCode).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ error: 'request body larger than 100 bytes' });
    expect(fake.docs.size).toBe(0);
  });

  it('409 for a tenant owned by the thresholds directory; its file is untouched', async () => {
    const { call, fake, get } = await setup();
    fake.docs.set('A', { text: 'mysql_connections: 50\n', source: 'directory' });
    const r = await call('PUT', T, 'A', DOC);
    expect(r.statusCode).toBe(409);
    expect(JSON.parse(r.body)).toEqual({ error: 'the thresholds of tenant "A" come from the thresholds directory and cannot be changed through the API' });
    expect((await get('A')).document).toBe('mysql_connections: 50\n');
    // Another tenant may still use the API.
    expect((await call('PUT', T, 'B', DOC)).statusCode).toBe(204);
  });

  it('the engine’s directory-owned refusal (a file appeared since the check) is 409; other failures are 500 and logged', async () => {
    const lines: string[] = [];
    const { call, fake } = await setup({ logger: recordingLogger(lines) });
    fake.failWith = new ThresholdsDirectoryOwnedError('A', '/srv/conf.d/A.yaml');
    const conflict = await call('PUT', T, 'A', DOC);
    expect(conflict.statusCode).toBe(409);
    expect(JSON.parse(conflict.body)).toEqual({ error: 'the thresholds of tenant "A" are managed in /srv/conf.d/A.yaml; change them there' });
    expect(lines).toEqual([]);
    fake.failWith = new Error('state store is down');
    const broken = await call('PUT', T, 'A', DOC);
    expect(broken.statusCode).toBe(500);
    expect(JSON.parse(broken.body)).toEqual({ error: 'state store is down' });
    expect(lines).toEqual(['storing a thresholds document failed']);
  });
});

describe('PATCH /thresholds', () => {
  it('edits the stored text (comments and order kept) and removes keys set to null', async () => {
    const { call, get, patch } = await setup();
    await call('PUT', T, 'A', DOC);
    expect((await patch('A', { redis_clients: null, mysql_connections: 60, _state_maintenance: 'enable' })).statusCode).toBe(204);
    const a = await get('A');
    expect(a.document).toBe('# our limits\nmysql_connections: 60\n_state_maintenance: enable\n');
    expect(a.stateFilters).toEqual([{ filter: 'maintenance', severity: 'info' }]);
    expect(a.resolved.find((t) => t.key === 'redis_clients')?.source).toBe('default');
  });

  it('starts from an empty document and never touches another tenant', async () => {
    const { call, get, patch } = await setup();
    await call('PUT', T, 'A', DOC);
    expect((await patch('B', { mysql_connections: 5 })).statusCode).toBe(204);
    expect((await get('B')).document).toBe('mysql_connections: 5\n');
    expect((await get('A')).document).toBe(DOC);
    expect((await patch('B', { mysql_connections: null })).statusCode).toBe(204);
    expect((await get('B')).resolved.find((t) => t.key === 'mysql_connections')).toMatchObject({ value: 80, source: 'default' });
    expect((await get('A')).document).toBe(DOC);
  });

  it('an invalid result is refused with issues; the document stays', async () => {
    const { call, get, patch } = await setup();
    await call('PUT', T, 'A', DOC);
    const r = await patch('A', { mysql_cpu: 90 });
    expect(r.statusCode).toBe(400);
    expect((JSON.parse(r.body) as { issues: Array<{ message: string }> }).issues.map((i) => i.message)).toEqual(['key "mysql_cpu" has no default']);
    expect((await get('A')).document).toBe(DOC);
  });

  it('hands the checked changes to the engine’s patchDocument', async () => {
    const { fake, get, patch } = await setup();
    expect((await patch('A', { mysql_connections: 42, redis_clients: false })).statusCode).toBe(204);
    expect(fake.patches).toEqual([{ tenant: 'A', changes: { mysql_connections: 42, redis_clients: false } }]);
    expect((await get('A')).resolved.map((t) => [t.key, t.value])).toEqual([['mysql_connections', 42]]);
  });

  it.each([
    ['not JSON', '{mysql_connections: 1}', 'json', /^invalid PATCH body: invalid JSON body/],
    ['an array', '[1, 2]', 'json', /must be a JSON object/],
    ['a string', '"x"', 'json', /must be a JSON object/],
    ['null', 'null', 'json', /must be a JSON object/],
    ['no keys', '{}', 'empty', /names no key/],
    ['an object value', '{"mysql_connections": {"v": 1}}', 'bad_value', /mysql_connections: value must be a number, a string, a boolean or null, got an object/],
    ['an array value', '{"mysql_connections": [1]}', 'bad_value', /got an array/],
    ['an empty key', '{"": 1}', 'bad_key', /empty key/],
  ])('a body that is %s is 400 (%s) and changes nothing', async (_what, body, code, message) => {
    const { call, get, patch } = await setup();
    await call('PUT', T, 'A', DOC);
    const r = await patch('A', body);
    expect(r.statusCode).toBe(400);
    const parsed = JSON.parse(r.body) as { error: string; issues: Array<{ code: string }> };
    expect(parsed.issues[0]?.code).toBe(code);
    expect(parsed.error).toMatch(message);
    expect((await get('A')).document).toBe(DOC);
  });

  it('a "__proto__" key is plain data: refused by the engine as an unknown key', async () => {
    const { patch } = await setup();
    const r = await patch('A', '{"__proto__": {"polluted": 1}, "constructor": 3}');
    expect(r.statusCode).toBe(400);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const r2 = await patch('A', '{"constructor": 3}');
    expect(r2.statusCode).toBe(400);
    expect((JSON.parse(r2.body) as { issues: Array<{ message: string }> }).issues[0]?.message).toBe('key "constructor" has no default');
  });

  it('409 for a directory-owned tenant', async () => {
    const { fake, patch, get } = await setup();
    fake.docs.set('A', { text: 'mysql_connections: 50\n', source: 'directory' });
    expect((await patch('A', { mysql_connections: 1 })).statusCode).toBe(409);
    expect((await get('A')).document).toBe('mysql_connections: 50\n');
  });

  it('413 when the patched document would pass the size limit', async () => {
    const { fake, patch } = await setup({ maxDocumentBytes: 120 });
    fake.docs.set('A', { text: `# ${'x'.repeat(100)}\nmysql_connections: 1\n`, source: 'api' });
    const r = await patch('A', { redis_clients: 2 });
    expect(r.statusCode).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ error: 'the patched document would be larger than 120 bytes' });
    expect(fake.docs.get('A')?.text).not.toContain('redis_clients');
  });
});

describe('DELETE /thresholds', () => {
  it('drops only the tenant’s own document; idempotent', async () => {
    const { call, get } = await setup();
    await call('PUT', T, 'A', DOC);
    await call('PUT', T, 'B', 'mysql_connections: 1\n');
    expect((await call('DELETE', T, 'B')).statusCode).toBe(204);
    expect((await get('B')).source).toBe('none');
    expect((await get('A')).document).toBe(DOC);
    expect((await call('DELETE', T, 'B')).statusCode).toBe(204);
  });

  it('409 for a directory-owned tenant', async () => {
    const { call, fake } = await setup();
    fake.docs.set('A', { text: 'mysql_connections: 50\n', source: 'directory' });
    expect((await call('DELETE', T, 'A')).statusCode).toBe(409);
    expect(fake.docs.get('A')?.source).toBe('directory');
  });
});

describe('GET /thresholds/metrics', () => {
  it('serves the exposition text without a tenant', async () => {
    const { call } = await setup({ requireTenant: true });
    const r = await call('GET', '/thresholds/metrics', null);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe(EXPOSITION_CONTENT_TYPE);
    expect(r.body).toBe('user_threshold{tenant="A"} 80\n');
  });

  it('a render failure is a 500 with the reason, logged', async () => {
    const lines: string[] = [];
    await setup({
      logger: recordingLogger(lines),
      render: () => {
        throw new Error('boom');
      },
    });
    const r = await (app as FastifyInstance).inject({ method: 'GET', url: '/thresholds/metrics' });
    expect(r.statusCode).toBe(500);
    expect(r.body).toBe('rendering threshold series failed: boom');
    expect(lines).toEqual(['rendering threshold series failed']);
  });
});

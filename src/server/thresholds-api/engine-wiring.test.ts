// The thresholds API over the real ThresholdEngine (in-memory conf.d, no timers): the shapes the
// lead wires in app.ts, checked end to end in-process.
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { renderExposition, ThresholdEngine } from '../../thresholds/index.js';
import { MemoryConfDir } from '../../thresholds/engine/test-fakes.js';
import { ManualClock } from '../../tsdb/test-fakes.js';
import type { TenantThresholdsDto } from './dto.js';
import { thresholdsApiRoutes, thresholdsExpositionRoute } from './routes.js';

const DEFAULTS = `defaults:
  mysql_connections: 80
  mysql_connections_critical: 150
  redis_connected_clients: 500
state_filters:
  maintenance: {severity: info, default_state: disable}
dimensions:
  redis_connected_clients: [db]
`;
const T = '/api/herald/v1/thresholds';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function setup() {
  const fs = new MemoryConfDir();
  fs.write('_defaults.yaml', DEFAULTS);
  fs.write('db-a.yaml', 'mysql_connections: 50\n');
  const engine = new ThresholdEngine({ directory: fs.root, fs, clock: new ManualClock(), logger: NOOP_LOGGER });
  await engine.poll();
  app = Fastify();
  await app.register(thresholdsApiRoutes({ thresholds: () => engine, logger: NOOP_LOGGER, requireTenant: () => true }), { prefix: '/api/herald/v1' });
  await app.register(thresholdsExpositionRoute({ render: () => renderExposition(engine), logger: NOOP_LOGGER }));
  const call = (method: 'GET' | 'PUT' | 'PATCH' | 'DELETE', tenant: string, body?: string, url = T) =>
    (app as FastifyInstance).inject({ method, url, headers: { 'X-Scope-OrgID': tenant, ...(body !== undefined ? { 'content-type': 'application/yaml' } : {}) }, ...(body !== undefined ? { payload: body } : {}) });
  const get = async (tenant: string) => JSON.parse((await call('GET', tenant)).body) as TenantThresholdsDto;
  return { fs, engine, call, get };
}

describe('thresholds API over ThresholdEngine', () => {
  it('a directory tenant is read-only through the API', async () => {
    const { call, get } = await setup();
    const a = await get('db-a');
    expect(a.source).toBe('directory');
    expect(a.resolved.find((t) => t.key === 'mysql_connections')).toMatchObject({ value: 50, source: 'custom', labels: { tenant: 'db-a', component: 'mysql', metric: 'connections', severity: 'warning' } });
    for (const [method, body] of [['PUT', 'mysql_connections: 1\n'], ['PATCH', '{"mysql_connections": 1}'], ['DELETE', undefined]] as const) {
      const r = await call(method, 'db-a', body);
      expect(r.statusCode, `${method} ${r.body}`).toBe(409);
    }
    expect((await get('db-a')).document).toBe('mysql_connections: 50\n');
  });

  it('PUT, PATCH and DELETE of an API tenant, with the engine’s issues and positions', async () => {
    const { call, get } = await setup();
    expect((await call('PUT', 'db-c', '# c\nmysql_connections: 60\n')).statusCode).toBe(204);
    expect((await get('db-c')).source).toBe('api');
    const bad = await call('PUT', 'db-c', 'mysql_connections: 60\nmysql_conections: 5\n');
    expect(bad.statusCode).toBe(400);
    const issues = (JSON.parse(bad.body) as { issues: Array<{ message: string; line?: number }> }).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.line).toBe(2);
    expect(issues[0]?.message).toContain('mysql_conections');
    expect((await call('PATCH', 'db-c', '{"redis_connected_clients": "900:critical", "_state_maintenance": "enable"}')).statusCode).toBe(204);
    const c = await get('db-c');
    expect(c.document).toContain('# c\nmysql_connections: 60\n');
    expect(c.stateFilters).toEqual([{ filter: 'maintenance', severity: 'info' }]);
    expect(c.resolved.find((t) => t.key === 'redis_connected_clients')?.labels['severity']).toBe('critical');
    // db-a is untouched by db-c's changes.
    expect((await get('db-a')).document).toBe('mysql_connections: 50\n');
    expect((await call('DELETE', 'db-c')).statusCode).toBe(204);
    expect((await get('db-c')).source).toBe('none');
  });

  it('a broken file is shown to its tenant only, by base name and line', async () => {
    const { fs, engine, get } = await setup();
    fs.write('db-a.yaml', 'mysql_connections: 50\nnope_key: 1\n');
    await engine.poll();
    const a = await get('db-a');
    expect(a.problems).toHaveLength(1);
    expect(a.problems[0]?.source).toBe('db-a.yaml');
    expect(a.problems[0]?.issues[0]?.line).toBe(2);
    // The last good thresholds stay.
    expect(a.resolved.find((t) => t.key === 'mysql_connections')?.value).toBe(50);
    expect((await get('db-b')).problems).toEqual([]);
  });

  it('refuses a dimension _defaults.yaml does not declare (400, nothing stored), accepts a declared one', async () => {
    const { call } = await setup();
    const bad = await call('PUT', 'db-c', 'mysql_connections{db="x"}: 1\n');
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).issues).toEqual([
      expect.objectContaining({ line: 1, column: 1, message: 'key "mysql_connections{db=\\"x\\"}": mysql_connections takes no dimensions, its threshold is per tenant (keys with dimensions: redis_connected_clients (db); dimensions in _defaults.yaml)' }),
    ]);
    expect((await call('PATCH', 'db-c', '{"redis_connected_clients{queue=\\"x\\"}": 1}')).statusCode).toBe(400);
    expect((await call('PUT', 'db-c', 'redis_connected_clients{db="x"}: 1\n')).statusCode).toBe(204);
  });

  it('defaults and the exposition endpoint', async () => {
    const { call } = await setup();
    const d = await call('GET', 'db-b', undefined, `${T}/defaults`);
    expect(JSON.parse(d.body)).toEqual({
      defaults: { mysql_connections: 80, mysql_connections_critical: 150, redis_connected_clients: 500 },
      stateFilters: { maintenance: { severity: 'info', defaultState: 'disable' } },
      tenantKeys: null,
      dimensions: { redis_connected_clients: ['db'] },
    });
    const m = await (app as FastifyInstance).inject({ method: 'GET', url: '/thresholds/metrics' });
    expect(m.statusCode).toBe(200);
    expect(m.body).toContain('# TYPE user_threshold gauge');
    expect(m.body).toContain('user_threshold{component="mysql",metric="connections",severity="warning",tenant="db-a"} 50');
  });
});

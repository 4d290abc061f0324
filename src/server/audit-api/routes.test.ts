import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../audit/index.js';
import { recordingLogger, SetClock } from '../../audit/test-fakes.js';
import type { AuditEntry, AuditLog } from '../../auth/api.js';
import { MemoryStateStore } from '../../store/memory.js';
import { auditApiRoutes, parseAuditQuery } from './routes.js';

const T0 = Date.UTC(2024, 4, 1, 12);

function entry(over: Partial<AuditEntry>): AuditEntry {
  return { time: new Date(T0).toISOString(), actor: 'alice', tenant: 'team-a', action: 'silence.put', object: 'o', before: '', after: '', status: 200, sourceIp: '::1', ...over };
}

let current: FastifyInstance | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function setup(log?: AuditLog, requireTenant = false) {
  const clock = new SetClock(T0);
  const logger = recordingLogger();
  const audit = log ?? createAuditLog({ store: new MemoryStateStore({ now: () => clock.now() }), logger, clock });
  const app = Fastify({ logger: false });
  app.decorateRequest('tenant', '');
  await app.register(auditApiRoutes({ log: audit, logger, requireTenant: () => requireTenant }), { prefix: '/api/herald/v1' });
  await app.ready();
  current = app;
  return { app, audit, logger };
}

async function seed(audit: AuditLog): Promise<void> {
  await audit.record(entry({ time: '2024-05-01T10:00:00.000Z', action: 'config.put', object: 'alertmanager config' }));
  await audit.record(entry({ time: '2024-05-01T11:00:00.000Z', object: 's1' }));
  await audit.record(entry({ time: '2024-05-01T11:30:00.000Z', object: 's2' }));
  await audit.record(entry({ time: '2024-05-01T11:40:00.000Z', tenant: 'team-b', object: 'b1' }));
}

const get = (app: FastifyInstance, url: string, tenant?: string) =>
  app.inject({ method: 'GET', url, headers: tenant === undefined ? {} : { 'x-scope-orgid': tenant } });

describe('GET /api/herald/v1/audit', () => {
  it("answers the request's tenant's entries only, newest first", async () => {
    const { app, audit } = await setup();
    await seed(audit);
    const a = await get(app, '/api/herald/v1/audit', 'team-a');
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toMatch(/^application\/json/);
    expect(a.headers['cache-control']).toBe('no-store');
    expect(a.json<{ items: AuditEntry[] }>().items.map((e) => e.object)).toEqual(['s2', 's1', 'alertmanager config']);
    const b = await get(app, '/api/herald/v1/audit', 'team-b');
    expect(b.json()).toEqual({ items: [entry({ time: '2024-05-01T11:40:00.000Z', tenant: 'team-b', object: 'b1' })] });
    expect((await get(app, '/api/herald/v1/audit')).json()).toEqual({ items: [] });
  });

  it('filters by since, action and limit', async () => {
    const { app, audit } = await setup();
    await seed(audit);
    const objects = async (qs: string) => ((await get(app, `/api/herald/v1/audit?${qs}`, 'team-a')).json<{ items: AuditEntry[] }>()).items.map((e) => e.object);
    expect(await objects('action=config.put')).toEqual(['alertmanager config']);
    expect(await objects('since=2024-05-01T11:00:00Z')).toEqual(['s2', 's1']);
    expect(await objects(`since=${Date.UTC(2024, 4, 1, 11, 15) / 1000}`)).toEqual(['s2']);
    expect(await objects('limit=1')).toEqual(['s2']);
    expect(await objects('since=&action=&limit=')).toEqual(['s2', 's1', 'alertmanager config']);
  });

  it.each([
    ['since=yesterday', 'since: cannot parse "yesterday"'],
    ['limit=0', 'limit: want a whole number from 1 to 1000, got "0"'],
    ['limit=1001', 'limit: want a whole number from 1 to 1000'],
    ['limit=abc', 'limit: '],
    ['action=a&action=b', 'action: given more than once'],
    ['since=x&limit=-1', 'since: cannot parse "x" as an RFC 3339 time or Unix seconds; limit: '],
  ])('answers 400 naming the parameter for %s', async (qs, message) => {
    const { app } = await setup();
    const r = await get(app, `/api/herald/v1/audit?${qs}`, 'team-a');
    expect(r.statusCode).toBe(400);
    expect(r.json<{ error: string }>().error).toContain(message);
  });

  it('answers 401 without a tenant when one is required, and 400 for a malformed tenant', async () => {
    const { app } = await setup(undefined, true);
    expect((await get(app, '/api/herald/v1/audit')).statusCode).toBe(401);
    expect((await get(app, '/api/herald/v1/audit', '..')).statusCode).toBe(400);
  });

  it('answers 500 and logs when the log cannot be read', async () => {
    const broken: AuditLog = { record: () => Promise.resolve(), query: () => Promise.reject(new Error('store closed')) };
    const { app, logger } = await setup(broken);
    const r = await get(app, '/api/herald/v1/audit', 'team-a');
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({ error: 'audit query failed: store closed' });
    expect(logger.lines.find((l) => l.level === 'error')).toMatchObject({ msg: 'audit query failed', obj: { tenant: 'team-a' } });
  });
});

describe('parseAuditQuery', () => {
  it('normalises since to RFC 3339 UTC and keeps limit as a number', () => {
    expect(parseAuditQuery({ since: '1714564800', action: 'x', limit: '7' })).toEqual({ ok: true, value: { since: '2024-05-01T12:00:00.000Z', action: 'x', limit: 7 } });
    expect(parseAuditQuery({})).toEqual({ ok: true, value: {} });
  });
});

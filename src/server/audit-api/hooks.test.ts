import Fastify from 'fastify';
import type { FastifyInstance, FastifyPluginCallback, FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog, createSnapshotter, stateDigest, UNKNOWN_DIGEST } from '../../audit/index.js';
import type { SnapshotFn, SnapshotSources } from '../../audit/index.js';
import { recordingLogger, SetClock } from '../../audit/test-fakes.js';
import type { AuditEntry, AuditLog, Principal } from '../../auth/api.js';
import { MemoryStateStore } from '../../store/memory.js';
import { useTenant } from '../tenant.js';
import { installAudit } from './hooks.js';

const T0 = Date.UTC(2024, 4, 1, 12);

/** The policy table's audit names, as the auth helper's table would give them. */
const ACTIONS: Record<string, string> = {
  'POST /api/v1/alerts': 'config.put',
  'DELETE /api/v1/alerts': 'config.delete',
  'POST /api/v2/silences': 'silence.put',
  'DELETE /api/v2/silence/:id': 'silence.expire',
  'POST /prometheus/config/v1/rules/:namespace': 'rules.group.put',
  'DELETE /prometheus/config/v1/rules/:namespace/:groupName': 'rules.group.delete',
  'PUT /api/herald/v1/thresholds': 'thresholds.put',
};
const actionOf = (req: FastifyRequest): string | undefined => ACTIONS[`${req.method} ${req.routeOptions.url ?? ''}`];

/** Fake engines: per-tenant state the routes change and the snapshot sources read. */
class FakeState implements SnapshotSources {
  readonly config = new Map<string, string>();
  readonly silences = new Map<string, { id: string; comment: string; state: string }>();
  readonly groups = new Map<string, string>();
  readonly thresholds = new Map<string, string>();
  nextId = 1;
  getUserConfigText = (t: string) => Promise.resolve(this.config.get(t));
  getSilence = (t: string, id: string) => {
    const s = this.silences.get(`${t}/${id}`);
    return Promise.resolve(s && JSON.stringify(s));
  };
  getRuleGroup = (t: string, ns: string, g: string) => Promise.resolve(this.groups.get(`${t}/${ns}/${g}`));
  getRuleNamespace = () => Promise.resolve(undefined);
  getThresholdDocument = (t: string) => Promise.resolve(this.thresholds.get(t));
}

function routes(state: FakeState): FastifyPluginCallback {
  return (app, _opts, done) => {
    useTenant(app, () => false);
    app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_r, body, next) => next(null, body));
    app.post('/api/v1/alerts', async (req, reply) => {
      if (req.body === 'bad') return reply.code(400).send('error validating Alertmanager config');
      state.config.set(req.tenant, req.body as string);
      return reply.code(201).send();
    });
    app.delete('/api/v1/alerts', async (req, reply) => {
      state.config.delete(req.tenant);
      return reply.code(200).send();
    });
    app.post('/api/v2/silences', async (req, reply) => {
      const body = req.body as { id?: string; comment: string };
      if (body.comment === 'fail') return reply.code(400).send(JSON.stringify('Failed to create silence'));
      if (body.comment === 'boom') throw new Error('engine down');
      const id = body.id ?? `sil-${state.nextId++}`;
      state.silences.set(`${req.tenant}/${id}`, { id, comment: body.comment, state: 'active' });
      return reply.send({ silenceID: id });
    });
    app.get('/api/v2/silences', async (_req, reply) => reply.send([...state.silences.values()]));
    app.delete('/api/v2/silence/:id', async (req, reply) => {
      const s = state.silences.get(`${req.tenant}/${(req.params as { id: string }).id}`);
      if (!s) return reply.code(404).send(JSON.stringify('silence not found'));
      s.state = 'expired';
      return reply.code(200).send();
    });
    app.post('/prometheus/config/v1/rules/:namespace', async (req, reply) => {
      const name = /^name: (\S+)/.exec(req.body as string)?.[1] ?? '';
      state.groups.set(`${req.tenant}/${(req.params as { namespace: string }).namespace}/${name}`, req.body as string);
      return reply.code(202).send('{"status":"success"}');
    });
    app.delete('/prometheus/config/v1/rules/:namespace/:groupName', async (req, reply) => {
      const p = req.params as { namespace: string; groupName: string };
      state.groups.delete(`${req.tenant}/${p.namespace}/${p.groupName}`);
      return reply.code(202).send('{"status":"success"}');
    });
    app.put('/api/herald/v1/thresholds', async (req, reply) => {
      state.thresholds.set(req.tenant, req.body as string);
      return reply.code(204).send();
    });
    done();
  };
}

interface Setup {
  app: FastifyInstance;
  state: FakeState;
  log: AuditLog;
  logger: ReturnType<typeof recordingLogger>;
  clock: SetClock;
}

let current: FastifyInstance | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function setup(over: { log?: AuditLog; snapshot?: SnapshotFn } = {}): Promise<Setup> {
  const clock = new SetClock(T0);
  const logger = recordingLogger();
  const state = new FakeState();
  const log = over.log ?? createAuditLog({ store: new MemoryStateStore({ now: () => clock.now() }), logger, clock });
  const app = Fastify({ logger: false });
  app.decorateRequest('tenant', '');
  // Stands in for the auth hooks: `x-test-user` names the principal.
  app.addHook('onRequest', (req, _reply, next) => {
    const user = req.headers['x-test-user'];
    if (typeof user === 'string') Object.assign(req, { principal: { subject: user, tenants: '*', role: 'editor', method: 'basic' } satisfies Principal });
    next();
  });
  installAudit(app, { log, logger, clock, actionOf, snapshot: over.snapshot ?? createSnapshotter(state) });
  await app.register(routes(state));
  await app.ready();
  current = app;
  return { app, state, log, logger, clock };
}

const headers = (tenant: string, user?: string) => ({ 'x-scope-orgid': tenant, ...(user ? { 'x-test-user': user } : {}) });

describe('installAudit', () => {
  it('records a silence create, update and expire with before/after digests and the new id', async () => {
    const { app, state, log, clock } = await setup();
    const created = await app.inject({ method: 'POST', url: '/api/v2/silences', headers: headers('team-a', 'alice'), payload: { comment: 'maintenance' }, remoteAddress: '10.1.2.3' });
    expect(created.statusCode).toBe(200);
    const id = created.json<{ silenceID: string }>().silenceID;
    const v1 = JSON.stringify(state.silences.get(`team-a/${id}`));

    clock.t = T0 + 1000;
    await app.inject({ method: 'POST', url: '/api/v2/silences', headers: headers('team-a', 'alice'), payload: { id, comment: 'longer maintenance' } });
    const v2 = JSON.stringify(state.silences.get(`team-a/${id}`));

    clock.t = T0 + 2000;
    await app.inject({ method: 'DELETE', url: `/api/v2/silence/${id}`, headers: headers('team-a', 'bob') });
    const v3 = JSON.stringify(state.silences.get(`team-a/${id}`));

    expect(new Set([v1, v2, v3]).size).toBe(3);
    expect(await log.query('team-a', {})).toEqual<AuditEntry[]>([
      { time: '2024-05-01T12:00:02.000Z', actor: 'bob', tenant: 'team-a', action: 'silence.expire', object: id, before: stateDigest(v2), after: stateDigest(v3), status: 200, sourceIp: '127.0.0.1' },
      { time: '2024-05-01T12:00:01.000Z', actor: 'alice', tenant: 'team-a', action: 'silence.put', object: id, before: stateDigest(v1), after: stateDigest(v2), status: 200, sourceIp: '127.0.0.1' },
      { time: '2024-05-01T12:00:00.000Z', actor: 'alice', tenant: 'team-a', action: 'silence.put', object: id, before: '', after: stateDigest(v1), status: 200, sourceIp: '10.1.2.3' },
    ]);
  });

  it('records config upload and delete: before empty on create, after empty on delete', async () => {
    const { app, log } = await setup();
    const up = await app.inject({ method: 'POST', url: '/api/v1/alerts', headers: { ...headers('team-a', 'carol'), 'content-type': 'text/plain' }, payload: 'route: {}' });
    expect(up.statusCode).toBe(201);
    const del = await app.inject({ method: 'DELETE', url: '/api/v1/alerts', headers: headers('team-a', 'carol') });
    expect(del.statusCode).toBe(200);
    const [d, u] = await log.query('team-a', {});
    expect(u).toMatchObject({ action: 'config.put', object: 'alertmanager config', before: '', after: stateDigest('route: {}'), status: 201, actor: 'carol' });
    expect(d).toMatchObject({ action: 'config.delete', object: 'alertmanager config', before: stateDigest('route: {}'), after: '', status: 200 });
  });

  it('records rule group and threshold changes with their objects', async () => {
    const { app, log } = await setup();
    const text = 'name: g1\nrules: []\n';
    expect((await app.inject({ method: 'POST', url: '/prometheus/config/v1/rules/ns1', headers: { ...headers('team-a'), 'content-type': 'text/plain' }, payload: text })).statusCode).toBe(202);
    expect((await app.inject({ method: 'DELETE', url: '/prometheus/config/v1/rules/ns1/g1', headers: headers('team-a') })).statusCode).toBe(202);
    expect((await app.inject({ method: 'PUT', url: '/api/herald/v1/thresholds', headers: { ...headers('team-a'), 'content-type': 'text/plain' }, payload: 'cpu: 80\n' })).statusCode).toBe(204);
    const got = (await log.query('team-a', {})).map((e) => [e.action, e.object, e.before, e.after, e.status, e.actor]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['rules.group.put', 'ns1/g1', '', stateDigest(text), 202, 'anonymous'],
        ['rules.group.delete', 'ns1/g1', stateDigest(text), '', 202, 'anonymous'],
        ['thresholds.put', 'thresholds', '', stateDigest('cpu: 80\n'), 204, 'anonymous'],
      ]),
    );
    expect(got).toHaveLength(3);
  });

  it('does not record refused or failed changes, and logs them at debug', async () => {
    const { app, log, logger } = await setup();
    const refused = await app.inject({ method: 'POST', url: '/api/v2/silences', headers: headers('team-a', 'alice'), payload: { comment: 'fail' } });
    expect(refused.statusCode).toBe(400);
    const crashed = await app.inject({ method: 'POST', url: '/api/v2/silences', headers: headers('team-a', 'alice'), payload: { comment: 'boom' } });
    expect(crashed.statusCode).toBe(500);
    const badConfig = await app.inject({ method: 'POST', url: '/api/v1/alerts', headers: { ...headers('team-a'), 'content-type': 'text/plain' }, payload: 'bad' });
    expect(badConfig.statusCode).toBe(400);
    const missing = await app.inject({ method: 'DELETE', url: '/api/v2/silence/nope', headers: headers('team-a') });
    expect(missing.statusCode).toBe(404);
    expect(await log.query('team-a', {})).toEqual([]);
    expect(logger.lines.filter((l) => l.msg === 'audit')).toEqual([]);
    const debug = logger.lines.filter((l) => l.level === 'debug');
    expect(debug.map((l) => [l.obj['action'], l.obj['status'], l.msg])).toEqual([
      ['silence.put', 400, 'audited change not applied'],
      ['silence.put', 500, 'audited change not applied'],
      ['config.put', 400, 'audited change not applied'],
      ['silence.expire', 404, 'audited change not applied'],
    ]);
  });

  it('leaves unaudited routes alone', async () => {
    let snapshots = 0;
    const { app, logger } = await setup({ snapshot: () => (snapshots++, Promise.resolve({ object: 'x', state: undefined })) });
    expect((await app.inject({ method: 'GET', url: '/api/v2/silences', headers: headers('team-a') })).statusCode).toBe(200);
    expect(snapshots).toBe(0);
    expect(logger.lines).toEqual([]);
  });

  it('keeps tenants apart', async () => {
    const { app, log } = await setup();
    await app.inject({ method: 'PUT', url: '/api/herald/v1/thresholds', headers: { ...headers('team-a'), 'content-type': 'text/plain' }, payload: 'a: 1' });
    await app.inject({ method: 'PUT', url: '/api/herald/v1/thresholds', headers: { ...headers('team-b'), 'content-type': 'text/plain' }, payload: 'b: 2' });
    expect((await log.query('team-a', {})).map((e) => [e.tenant, e.after])).toEqual([['team-a', stateDigest('a: 1')]]);
    expect((await log.query('team-b', {})).map((e) => [e.tenant, e.after])).toEqual([['team-b', stateDigest('b: 2')]]);
  });

  it('records an unknown digest when a snapshot fails, and the change still goes through', async () => {
    let calls = 0;
    const snapshot: SnapshotFn = () => (++calls === 1 ? Promise.reject(new Error('store offline')) : Promise.resolve({ object: 'thresholds', state: 'x' }));
    const { app, log, logger } = await setup({ snapshot });
    const r = await app.inject({ method: 'PUT', url: '/api/herald/v1/thresholds', headers: { ...headers('team-a'), 'content-type': 'text/plain' }, payload: 'x' });
    expect(r.statusCode).toBe(204);
    expect(await log.query('team-a', {})).toMatchObject([{ object: 'thresholds', before: UNKNOWN_DIGEST, after: stateDigest('x') }]);
    expect(logger.lines.find((l) => l.level === 'error')).toMatchObject({ msg: 'audit snapshot failed', obj: { err: 'store offline', phase: 'before' } });
  });

  it('answers as the handler did when the entry cannot be stored, and logs the loss', async () => {
    const failing: AuditLog = { record: () => Promise.reject(new Error('disk full')), query: () => Promise.resolve([]) };
    const { app, logger } = await setup({ log: failing });
    const r = await app.inject({ method: 'POST', url: '/api/v2/silences', headers: headers('team-a', 'dave'), payload: { comment: 'c' } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ silenceID: 'sil-1' });
    expect(logger.lines.find((l) => l.level === 'error')).toMatchObject({
      msg: 'failed to record an audit entry',
      obj: { err: 'disk full', tenant: 'team-a', actor: 'dave', action: 'silence.put', object: 'sil-1', status: 200 },
    });
  });

  it('writes the audit line with every field', async () => {
    const { app, logger } = await setup();
    await app.inject({ method: 'POST', url: '/api/v2/silences', headers: headers('team-a', 'erin'), payload: { comment: 'c' }, remoteAddress: '192.0.2.9' });
    const lines = logger.lines.filter((l) => l.msg === 'audit');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('info');
    expect(lines[0]?.obj['audit']).toEqual({
      time: '2024-05-01T12:00:00.000Z',
      actor: 'erin',
      tenant: 'team-a',
      action: 'silence.put',
      object: 'sil-1',
      before: '',
      after: expect.stringMatching(/^[0-9a-f]{64}$/),
      status: 200,
      sourceIp: '192.0.2.9',
    });
  });
});

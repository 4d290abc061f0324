import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../auth/api.js';
import type { Logger } from '../core/runtime.js';
import type { StateOp, StateStore } from '../core/state-store.js';
import { MemoryStateStore } from '../store/memory.js';
import { AUDIT_LOG_MESSAGE, AuditEntryError, AuditQueryError, createAuditLog, DEFAULT_AUDIT_RETENTION_MS } from './audit-log.js';
import { recordingLogger, SetClock } from './test-fakes.js';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const DAY = 24 * 3600 * 1000;

function entry(over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: new Date(T0).toISOString(),
    actor: 'alice',
    tenant: 'team-a',
    action: 'silence.create',
    object: '3f8a0c5e-1111-4222-8333-944444444444',
    before: '',
    after: 'a'.repeat(64),
    status: 200,
    sourceIp: '10.0.0.7',
    ...over,
  };
}

function setup(opts: { retentionMs?: number } = {}) {
  const clock = new SetClock(T0);
  const store = new MemoryStateStore({ now: () => clock.now() });
  const logger = recordingLogger();
  let n = 0;
  const log = createAuditLog({ store, logger, clock, randomSuffix: () => String(n++).padStart(4, '0'), ...opts });
  return { clock, store, logger, log };
}

describe('createAuditLog: record', () => {
  it('stores the entry under kind audit with a time-ordered key and the retention as expiry', async () => {
    const ops: StateOp[] = [];
    const clock = new SetClock(T0);
    const store: StateStore = { ...new MemoryStateStore(), write: (o) => (ops.push(...o), Promise.resolve()) } as StateStore;
    const log = createAuditLog({ store, logger: recordingLogger(), clock, randomSuffix: () => 'abcd' });
    await log.record(entry());
    expect(ops).toEqual([
      {
        op: 'put',
        tenant: 'team-a',
        kind: 'audit',
        key: '2024-05-01T12:00:00.000Z~000000abcd',
        value: JSON.stringify(entry()),
        expiresAt: T0 + DEFAULT_AUDIT_RETENTION_MS,
      },
    ]);
  });

  it('logs one info line with the fixed message and every field of the entry', async () => {
    const { logger, log } = setup();
    await log.record(entry());
    expect(logger.lines).toEqual([{ level: 'info', bindings: { component: 'audit' }, obj: { audit: entry() }, msg: AUDIT_LOG_MESSAGE }]);
  });

  it('through pino, the log line is one JSON line holding every field', async () => {
    const chunks: string[] = [];
    const sink = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c.toString('utf8')), cb()) });
    const p = pino({ level: 'info' }, sink);
    const logger: Logger = {
      debug: (o, m) => (typeof o === 'string' ? p.debug(o) : p.debug(o, m)),
      info: (o, m) => (typeof o === 'string' ? p.info(o) : p.info(o, m)),
      warn: (o, m) => (typeof o === 'string' ? p.warn(o) : p.warn(o, m)),
      error: (o, m) => (typeof o === 'string' ? p.error(o) : p.error(o, m)),
      child: () => logger,
    };
    const log = createAuditLog({ store: new MemoryStateStore(), logger, clock: new SetClock(T0) });
    await log.record(entry({ object: 'multi\nline' }));
    const text = chunks.join('');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    const line = JSON.parse(text) as { msg: string; level: number; audit: AuditEntry };
    expect(line.msg).toBe('audit');
    expect(line.level).toBe(30);
    expect(line.audit).toEqual(entry({ object: 'multi\nline' }));
    expect(Object.keys(line.audit)).toEqual(['time', 'actor', 'tenant', 'action', 'object', 'before', 'after', 'status', 'sourceIp']);
  });

  it.each([
    ['a bad time', { time: 'yesterday' }, 'time'],
    ['an empty tenant', { tenant: '' }, 'tenant'],
    ['an empty action', { action: '' }, 'action'],
    ['a status out of range', { status: 42 }, 'status'],
    ['a missing actor', { actor: undefined as unknown as string }, 'actor'],
  ])('refuses an entry with %s, naming the field, and writes nothing', async (_name, over, field) => {
    const { store, logger, log } = setup();
    const err = await log.record(entry(over)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuditEntryError);
    expect((err as AuditEntryError).message).toContain(`field ${field}`);
    expect(await store.load('audit')).toEqual([]);
    expect(logger.lines).toEqual([]);
  });

  it('keeps two entries of the same millisecond apart', async () => {
    const { log } = setup();
    await log.record(entry({ object: 'one' }));
    await log.record(entry({ object: 'two' }));
    expect((await log.query('team-a', {})).map((e) => e.object)).toEqual(['two', 'one']);
  });

  it('refuses a retention that is not a positive whole number', () => {
    const base = { store: new MemoryStateStore(), logger: recordingLogger(), clock: new SetClock(T0) };
    expect(() => createAuditLog({ ...base, retentionMs: 0 })).toThrow(/retention/);
    expect(() => createAuditLog({ ...base, retentionMs: 1.5 })).toThrow(/retention/);
  });

  it('rejects when the store fails, after the log line was written', async () => {
    const logger = recordingLogger();
    const store = { ...new MemoryStateStore(), write: () => Promise.reject(new Error('disk full')) } as unknown as StateStore;
    const log = createAuditLog({ store, logger, clock: new SetClock(T0) });
    await expect(log.record(entry())).rejects.toThrow('disk full');
    expect(logger.lines.map((l) => l.msg)).toEqual(['audit']);
  });
});

describe('createAuditLog: query', () => {
  async function seeded() {
    const s = setup();
    const rows: Partial<AuditEntry>[] = [
      { time: '2024-05-01T10:00:00.000Z', action: 'config.put', object: 'alertmanager config' },
      { time: '2024-05-01T11:00:00.000Z', action: 'silence.create', object: 's1' },
      { time: '2024-05-01T09:00:00.000Z', action: 'silence.create', object: 's0' },
      { time: '2024-05-01T11:30:00.000Z', action: 'silence.expire', object: 's1' },
      { time: '2024-05-01T11:45:00.000Z', tenant: 'team-b', action: 'silence.create', object: 'other-tenant' },
    ];
    for (const r of rows) await s.log.record(entry(r));
    return s;
  }

  it('answers one tenant only, newest first', async () => {
    const { log } = await seeded();
    expect((await log.query('team-a', {})).map((e) => e.object)).toEqual(['s1', 's1', 'alertmanager config', 's0']);
    expect((await log.query('team-b', {})).map((e) => e.object)).toEqual(['other-tenant']);
    expect(await log.query('team-c', {})).toEqual([]);
  });

  it('filters by action, since (inclusive; RFC 3339 or Unix seconds) and limit', async () => {
    const { log } = await seeded();
    expect((await log.query('team-a', { action: 'silence.create' })).map((e) => e.object)).toEqual(['s1', 's0']);
    expect((await log.query('team-a', { since: '2024-05-01T11:00:00Z' })).map((e) => e.time)).toEqual(['2024-05-01T11:30:00.000Z', '2024-05-01T11:00:00.000Z']);
    expect((await log.query('team-a', { since: String(Date.UTC(2024, 4, 1, 10) / 1000) })).length).toBe(3);
    expect((await log.query('team-a', { since: '2024-05-01T10:30:00+02:00' })).length).toBe(4);
    expect((await log.query('team-a', { limit: 2 })).map((e) => e.time)).toEqual(['2024-05-01T11:30:00.000Z', '2024-05-01T11:00:00.000Z']);
    expect((await log.query('team-a', { action: 'silence.create', since: '2024-05-01T10:00:00Z', limit: 5 })).map((e) => e.object)).toEqual(['s1']);
  });

  it('answers at most 100 by default and 1000 at most', async () => {
    const { log } = setup();
    for (let i = 0; i < 1005; i++) await log.record(entry({ time: new Date(T0 - i * 1000).toISOString(), object: `o${i}` }));
    expect((await log.query('team-a', {})).length).toBe(100);
    const all = await log.query('team-a', { limit: 5000 });
    expect(all.length).toBe(1000);
    expect(all[0]?.object).toBe('o0');
    expect(all[999]?.object).toBe('o999');
  });

  it.each([
    [{ since: 'last week' }, /since: cannot parse "last week"/],
    [{ since: '2024-13-45' }, /since/],
    [{ limit: 0 }, /limit/],
    [{ limit: 2.5 }, /limit/],
  ])('refuses the filter %j naming the parameter', async (filter, message) => {
    const { log } = setup();
    const err = await log.query('team-a', filter).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuditQueryError);
    expect((err as Error).message).toMatch(message);
  });

  it('hides entries past retention, and the store drops them', async () => {
    const { log, clock, store } = setup({ retentionMs: 10 * DAY });
    await log.record(entry({ time: new Date(T0 - 11 * DAY).toISOString(), object: 'old' }));
    await log.record(entry({ time: new Date(T0 - 9 * DAY).toISOString(), object: 'recent' }));
    expect((await log.query('team-a', {})).map((e) => e.object)).toEqual(['recent']);
    clock.t = T0 + 2 * DAY;
    expect(await log.query('team-a', {})).toEqual([]);
    expect(await store.gc(clock.now())).toBe(2);
  });

  it('skips a damaged record with a warning instead of failing the query', async () => {
    const { log, store, logger } = setup();
    await log.record(entry({ object: 'good' }));
    await store.write([{ op: 'put', tenant: 'team-a', kind: 'audit', key: 'zzz', value: '{"time":"x"' }]);
    await store.write([{ op: 'put', tenant: 'team-a', kind: 'audit', key: 'zzy', value: JSON.stringify({ ...entry(), status: 'ok' }) }]);
    expect((await log.query('team-a', {})).map((e) => e.object)).toEqual(['good']);
    const warned = logger.lines.filter((l) => l.level === 'warn');
    expect(warned.map((l) => l.obj['key'])).toEqual(['zzy', 'zzz']);
    expect(String(warned[0]?.obj['err'])).toContain('status');
  });
});

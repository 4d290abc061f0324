import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStaleNaN } from '../../core/stale-nan.js';
import { HeadSet } from '../../tsdb/tsdb-set.js';
import type { TenantTsdb } from '../../tsdb/api.js';
import { loadScrapeConfig } from './config.js';
import type { ScrapeConfig } from './config.js';
import { alignedTimestamp, scrapeFetchFrom } from './scrape-loop.js';
import { ScrapeManager } from './scrape-manager.js';
import type { HttpClient } from '../../core/runtime.js';
import { ManualClock, MetricsServer, recordingLogger, stored } from './test-kit.test-util.js';

let server: MetricsServer;
let address: string;
let clock: ManualClock;
let logger: ReturnType<typeof recordingLogger>;
let tsdb: HeadSet;
let manager: ScrapeManager;

beforeEach(async () => {
  server = new MetricsServer();
  address = await server.start();
  clock = new ManualClock();
  logger = recordingLogger();
  tsdb = new HeadSet({ clock, logger, retentionMs: 0, maintenanceIntervalMs: 0 });
  manager = new ScrapeManager({ tsdb, clock, logger, fetch, readFile: () => Promise.reject(new Error('no files')) });
});

afterEach(async () => {
  await manager.stop();
  await server.close();
  await tsdb.close();
});

function config(job: string): ScrapeConfig {
  const r = loadScrapeConfig(`scrape_configs:\n  - job_name: node\n    tenant: t1\n    scrape_interval: 10s\n    scrape_timeout: 5s\n${job.replaceAll('ADDR', address)}`);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.value;
}
const STATIC = `    static_configs: [{ targets: ['ADDR'], labels: { env: prod } }]\n`;

/**
 * Moves 10s (one scrape of every target) in 1s steps, letting each scrape's real HTTP exchange
 * finish before time moves on, so the 5s timeout fires only for targets that hang.
 */
async function tick(ms = 10_000): Promise<void> {
  for (let i = 0; i < ms; i += 1000) {
    clock.advance(1000);
    await manager.settled();
  }
}

async function values(db: TenantTsdb, name: string): Promise<Array<{ labels: Record<string, string>; v: number[] }>> {
  return (await stored(db, name)).map((s) => ({ labels: { ...s.labels }, v: [...s.v].map((x) => (isStaleNaN(x) ? -999 : x)) }));
}

describe('ScrapeManager with a real HTTP target and TSDB', () => {
  it('scrapes samples with target labels and the report series', async () => {
    server.reply('# TYPE a gauge\na{x="1"} 5\nb 2\n');
    await manager.apply(config(STATIC));
    await tick();
    const db = await tsdb.get('t1');
    const target = { job: 'node', instance: address, env: 'prod' };
    expect(await values(db, 'a')).toEqual([{ labels: { __name__: 'a', x: '1', ...target }, v: [5] }]);
    expect(await values(db, 'up')).toEqual([{ labels: { __name__: 'up', ...target }, v: [1] }]);
    expect((await values(db, 'scrape_samples_scraped'))[0]?.v).toEqual([2]);
    expect((await values(db, 'scrape_samples_post_metric_relabeling'))[0]?.v).toEqual([2]);
    expect((await values(db, 'scrape_series_added'))[0]?.v).toEqual([2]);
    expect((await values(db, 'scrape_duration_seconds'))[0]?.v).toHaveLength(1);
    expect(server.requests[0]?.headers['accept']).toContain('application/openmetrics-text;version=1.0.0');
    expect(server.requests[0]?.headers['x-prometheus-scrape-timeout-seconds']).toBe('5');
    expect(server.requests[0]?.url).toBe('/metrics');
    expect((await stored(await tsdb.get('anonymous'), 'up')).length).toBe(0);
  });

  it('writes a staleness marker when a series disappears, and for everything when the target goes away', async () => {
    server.reply('a 1\nb 2\n');
    await manager.apply(config(STATIC));
    await tick();
    server.reply('a 3\n');
    await tick();
    const db = await tsdb.get('t1');
    expect((await values(db, 'b'))[0]?.v).toEqual([2, -999]);
    expect((await values(db, 'scrape_series_added'))[0]?.v).toEqual([2, 0]);
    const bStored = (await stored(db, 'b'))[0];
    const aStored = (await stored(db, 'a'))[0];
    expect(bStored?.t[1]).toBe(aStored?.t[1]); // marker at the scrape that missed it
    await manager.apply(config('')); // target removed from SD
    await manager.settled();
    expect((await values(db, 'a'))[0]?.v).toEqual([1, 3, -999]);
    expect((await values(db, 'up'))[0]?.v).toEqual([1, 1, -999]);
    const calls = server.requests.length;
    await tick();
    expect(server.requests.length).toBe(calls);
  });

  it('renames clashing labels to exported_* unless honor_labels', async () => {
    server.reply('m{job="other",instance="i",exported_job="e"} 1\n');
    await manager.apply(config(STATIC));
    await tick();
    const db = await tsdb.get('t1');
    expect((await values(db, 'm'))[0]?.labels).toEqual({ __name__: 'm', job: 'node', instance: address, env: 'prod', exported_job: 'e', exported_exported_job: 'other', exported_instance: 'i' });
    await manager.apply(config(`    honor_labels: true\n${STATIC}`));
    await tick();
    const labels = (await values(db, 'm')).map((s) => s.labels);
    expect(labels).toContainEqual({ __name__: 'm', job: 'other', instance: 'i', env: 'prod', exported_job: 'e' });
  });

  it('applies relabel_configs, metric_relabel_configs and honor_timestamps', async () => {
    server.reply('keep_me 1 1700000000500\ngo_drop_me 2\n');
    const job = `${STATIC}    metrics_path: /m
    params: { x: [y] }
    relabel_configs:
      - source_labels: [__address__]
        regex: '127\\.0\\.0\\.1:(.*)'
        target_label: port
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: 'go_.*'
        action: drop
`;
    await manager.apply(config(job));
    await tick();
    const db = await tsdb.get('t1');
    const kept = (await stored(db, 'keep_me'))[0];
    expect(kept?.labels['port']).toBe(address.split(':')[1]);
    expect(kept?.t[0]).toBe(1_700_000_000_500);
    expect(await stored(db, 'go_drop_me')).toHaveLength(0);
    expect((await values(db, 'scrape_samples_scraped'))[0]?.v).toEqual([2]);
    expect((await values(db, 'scrape_samples_post_metric_relabeling'))[0]?.v).toEqual([1]);
    expect(server.requests[0]?.url).toBe('/m?x=y');
  });

  it.each([
    ['bad exposition', (s: MetricsServer) => s.reply('ok 1\ngarbage{ 1\n'), 'line 2'],
    ['HTTP 500', (s: MetricsServer) => (s.handler = (_q, r) => void r.writeHead(500).end('boom')), 'server returned HTTP status 500'],
    ['sample_limit', (s: MetricsServer) => s.reply('a 1\nb 2\nc 3\n'), 'sample limit exceeded (3 > 2)'],
  ])('reports up=0 on %s, logs why and marks earlier series stale', async (_name, breakIt, why) => {
    server.reply('a 1\n');
    await manager.apply(config(`${STATIC}    sample_limit: 2\n`));
    await tick();
    breakIt(server);
    await tick();
    const db = await tsdb.get('t1');
    expect((await values(db, 'up'))[0]?.v).toEqual([1, 0]);
    expect((await values(db, 'a'))[0]?.v).toEqual([1, -999]);
    const warn = logger.lines.find((l) => l.msg === 'scrape failed');
    expect(JSON.stringify(warn?.obj)).toContain(why);
    expect(manager.targets()[0]?.health).toBe('down');
  });

  it('times out a hanging target after scrape_timeout (up=0)', async () => {
    server.handler = () => undefined; // never answers
    await manager.apply(config(STATIC));
    // Step until the scrape has started and timed out, stopping before the next one starts.
    for (let i = 0; i < 20 && manager.targets()[0]?.health !== 'down'; i++) {
      clock.advance(1000);
      await new Promise((r) => setTimeout(r, 5));
    }
    await manager.settled();
    const db = await tsdb.get('t1');
    expect((await values(db, 'up'))[0]?.v).toEqual([0]);
    expect(manager.targets()[0]?.lastError).toContain('context deadline exceeded');
  });

  it('stores scrape time instead of exposed timestamps when honor_timestamps is false', async () => {
    server.reply('a 1 1700000000500\n');
    await manager.apply(config(`${STATIC}    honor_timestamps: false\n`));
    await tick();
    const db = await tsdb.get('t1');
    expect((await stored(db, 'a'))[0]?.t[0]).toBe((await stored(db, 'up'))[0]?.t[0]);
  });

  it('does not scrape targets that relabel_configs drop', async () => {
    await manager.apply(config(`${STATIC}    relabel_configs: [{ source_labels: [env], regex: dev, action: keep }]\n`));
    await tick();
    expect(server.requests).toHaveLength(0);
    expect(manager.targets()).toHaveLength(0);
  });

  it('scrapes through an HttpClient adapter', async () => {
    server.reply('a 7\n# EOF\n', 'application/openmetrics-text; version=1.0.0');
    const client: HttpClient = {
      request: async (req) => {
        const res = await fetch(req.url, { headers: req.headers, ...(req.signal ? { signal: req.signal } : {}) });
        return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
      },
    };
    manager = new ScrapeManager({ tsdb, clock, logger, fetch: scrapeFetchFrom(client), readFile: () => Promise.reject(new Error('none')) });
    await manager.apply(config(STATIC));
    await tick();
    expect((await values(await tsdb.get('t1'), 'a'))[0]?.v).toEqual([7]);
  });

  it('reports up=0 when nothing listens', async () => {
    await manager.apply(config(`    static_configs: [{ targets: ['127.0.0.1:1'] }]\n`));
    await tick();
    expect((await values(await tsdb.get('t1'), 'up'))[0]?.v).toEqual([0]);
  });

  it('sends basic auth and bearer credentials', async () => {
    server.reply('a 1\n');
    await manager.apply(config(`${STATIC}    basic_auth: { username: u, password: p }\n`));
    await tick();
    expect(server.requests[0]?.headers['authorization']).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    await manager.apply(config(`${STATIC}    authorization: { credentials: tok }\n`));
    await tick();
    expect(server.requests[1]?.headers['authorization']).toBe('Bearer tok');
  });

  it('reads file_sd targets, re-reads them every refresh_interval and stales removed targets', async () => {
    server.reply('a 1\n');
    let file = JSON.stringify([{ targets: [address], labels: { from: 'file' } }]);
    manager = new ScrapeManager({ tsdb, clock, logger, fetch: (url, init) => fetch(url, init), readFile: (p) => (p === 'sd.json' ? Promise.resolve(file) : Promise.reject(new Error('ENOENT'))) });
    await manager.apply(config(`    file_sd_configs: [{ files: [sd.json, missing.json], refresh_interval: 30s }]\n`));
    await tick();
    const db = await tsdb.get('t1');
    expect((await values(db, 'up'))[0]?.labels).toEqual({ __name__: 'up', job: 'node', instance: address, from: 'file' });
    expect(logger.lines.some((l) => l.msg?.includes('file_sd: reading file failed'))).toBe(true);
    file = '[]';
    await tick(30_000);
    expect((await values(db, 'a'))[0]?.v.at(-1)).toBe(-999);
    expect(manager.targets()).toHaveLength(0);
  });

  it('spreads first scrapes within the interval and keeps the schedule across reloads', async () => {
    server.reply('a 1\n');
    await manager.apply(config(STATIC));
    await tick();
    const t1 = (await stored(await tsdb.get('t1'), 'up'))[0]?.t[0] ?? 0;
    await manager.apply(config(STATIC));
    await tick();
    const t2 = (await stored(await tsdb.get('t1'), 'up'))[0]?.t[1] ?? 0;
    expect(t2 - t1).toBe(10_000);
    expect(t1 % 10_000).toBe((t2 % 10_000));
  });
});

describe('alignedTimestamp', () => {
  it('stamps the scheduled tick when the timer fired within 2 ms (1% of the interval at most), else the actual time', () => {
    expect(alignedTimestamp(10_001, 10_000, 15_000)).toBe(10_000);
    expect(alignedTimestamp(10_002, 10_000, 15_000)).toBe(10_000);
    expect(alignedTimestamp(10_003, 10_000, 15_000)).toBe(10_003);
    // 1% of a 100 ms interval is 1 ms.
    expect(alignedTimestamp(10_002, 10_000, 100)).toBe(10_002);
    // Never a time before the scheduled tick, never a scheduled tick in the future.
    expect(alignedTimestamp(9_999, 10_000, 15_000)).toBe(9_999);
  });
});

/**
 * Herald's own scrape loop end to end: Debian's prometheus-node-exporter is scraped into tenant
 * `infra` (the job's `tenant`), queried through the Prometheus API, invisible to other tenants,
 * and marked down (up=0) once the exporter stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeHeraldOnly } from './helpers/peers.js';
import { dumpLogsIfFailed, freePort, startServer, type ServerHandle } from './helpers/server.js';
import { request } from './helpers/http.js';

type VectorReply = { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };

describeHeraldOnly(['prometheus-node-exporter'], 'scraping node-exporter into a tenant', () => {
  let server: ServerHandle;
  let exporter: ChildProcess | undefined;
  let dir: string;
  let port: number;

  const query = async (q: string, tenant = 'infra'): Promise<VectorReply> => {
    const r = await request('GET', `${server.url}/prometheus/api/v1/query?query=${encodeURIComponent(q)}`, { tenant });
    expect(r.status, r.text).toBe(200);
    return r.json<VectorReply>();
  };
  const until = async (q: string, ok: (r: VectorReply) => boolean, timeoutMs: number): Promise<VectorReply> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await query(q);
      if (ok(r) || Date.now() > deadline) return r;
      await new Promise((res) => setTimeout(res, 300));
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-e2e-scrape-'));
    port = await freePort();
    exporter = spawn('prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${port}`, '--collector.disable-defaults', '--collector.cpu', '--collector.meminfo', '--collector.loadavg'], { stdio: 'ignore' });
    const scrapeFile = join(dir, 'scrape.yml');
    await writeFile(
      scrapeFile,
      ['scrape_configs:', '- job_name: node', '  tenant: infra', '  scrape_interval: 1s', '  scrape_timeout: 1s', '  static_configs:', `  - targets: ['127.0.0.1:${port}']`, '    labels:', '      env: e2e', ''].join('\n'),
    );
    server = await startServer({ heraldConfig: `scrape:\n  config_file: ${scrapeFile}\n` });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    exporter?.kill('SIGKILL');
    await server?.stop();
    await server?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores node-exporter series with target labels and up=1', async () => {
    const up = await until('up{job="node"}', (r) => r.data.result.length > 0, 30_000);
    expect(up.data.result[0]?.metric).toEqual({ __name__: 'up', env: 'e2e', instance: `127.0.0.1:${port}`, job: 'node' });
    expect(up.data.result[0]?.value[1]).toBe('1');
    const cpus = await until('count(count by (cpu) (node_cpu_seconds_total))', (r) => r.data.result.length > 0, 10_000);
    expect(Number(cpus.data.result[0]?.value[1])).toBeGreaterThan(0);
    const mem = await query('node_memory_MemTotal_bytes');
    expect(Number(mem.data.result[0]?.value[1])).toBeGreaterThan(0);
    expect((await query('scrape_samples_scraped{job="node"}')).data.result[0]?.value[1]).not.toBe('0');
  });

  it('keeps the job in its tenant', async () => {
    expect((await query('up', 'someone-else')).data.result).toEqual([]);
    expect((await query('up', 'anonymous')).data.result).toEqual([]);
  });

  it('marks the target down when the exporter goes away', async () => {
    exporter?.kill('SIGKILL');
    exporter = undefined;
    const down = await until('up{job="node"}', (r) => r.data.result[0]?.value[1] === '0', 15_000);
    expect(down.data.result[0]?.value[1]).toBe('0');
    // Its series went stale, so an instant query no longer sees them.
    expect((await query('node_memory_MemTotal_bytes')).data.result).toEqual([]);
  });
});

/**
 * Dynamic thresholds end to end with real parts (issue 7): the local MariaDB and Redis, read by
 * Debian's prometheus-mysqld-exporter and prometheus-redis-exporter, scraped by Herald into tenants
 * `db-a` and `db-b` (same exporters, one job per tenant), conf.d with different thresholds per
 * tenant, the shipped rule packs `mariadb` and `redis` evaluated once for all tenants, and one
 * webhook per tenant. A load of real connections crosses db-a's thresholds only: db-a's receiver
 * gets the alerts, db-b's gets nothing; a broken db-a.yaml keeps the last good thresholds;
 * `_state_maintenance: enable` (hot reload) resolves them; a critical tier below the load replaces
 * the warning with the critical alert. The thresholds API and the exposition endpoint are checked
 * on the way.
 *
 * The packs are the shipped files with their `for:` shortened to 1s (copied to a temp dir at run
 * time) so the test takes seconds, not minutes; their expressions and keys are untouched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request, webhookConfig } from './helpers/http.js';
import { describeHeraldOnly, IN_CI } from './helpers/peers.js';
import { dumpLogsIfFailed, freePort, REPO_ROOT, startServer, type ServerHandle } from './helpers/server.js';
import { sleep, WebhookReceiver, type Notification } from './helpers/webhook.js';

type VectorReply = { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };

const PEERS = ['prometheus-mysqld-exporter', 'prometheus-redis-exporter', 'mysql'];
const MYSQL_ARGS = ['-uroot', '-h127.0.0.1', '-P3306', '--connect-timeout=5'];
/** Connections the test opens on each server; thresholds sit between the baseline and baseline + LOAD. */
const LOAD = 20;

/** True when something accepts TCP connections on 127.0.0.1:port. */
function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(2000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Runs one statement with the mysql client; the first column of the first row. */
function mysqlScalar(sql: string): string {
  const r = spawnSync('mysql', [...MYSQL_ARGS, '-N', '-B', '-e', sql], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`mysql -e ${JSON.stringify(sql)} failed: ${r.stderr}`);
  return (r.stdout.trim().split('\n')[0] ?? '').split('\t').pop() ?? '';
}

/** `INFO clients` connected_clients from Redis, over a raw RESP connection. */
async function redisConnectedClients(): Promise<number> {
  const s = connect({ host: '127.0.0.1', port: 6379 });
  try {
    const text = await new Promise<string>((resolve, reject) => {
      let buf = '';
      s.setEncoding('utf8');
      s.setTimeout(5000, () => reject(new Error('redis INFO timed out')));
      s.once('error', reject);
      s.on('data', (d: string) => {
        buf += d;
        if (buf.includes('connected_clients:') && buf.endsWith('\r\n')) resolve(buf);
      });
      s.write('INFO clients\r\n');
    });
    const m = /connected_clients:(\d+)/.exec(text);
    if (!m) throw new Error(`no connected_clients in ${text}`);
    return Number(m[1]);
  } finally {
    s.destroy();
  }
}

const until = async <T>(f: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > deadline) return v;
    await sleep(300);
  }
};

/** Mimir's config upload body (POST /api/v1/alerts). */
function mimirBody(amConfig: string): string {
  return `alertmanager_config: |\n${amConfig.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n')}\ntemplate_files: {}\n`;
}

const firing = (alertname: string, severity: string, tenant: string) => (n: Notification) =>
  n.payload.status === 'firing' && n.payload.alerts.some((a) => a.status === 'firing' && a.labels['alertname'] === alertname && a.labels['severity'] === severity && a.labels['tenant'] === tenant);
const resolved = (alertname: string, severity: string) => (n: Notification) =>
  n.payload.alerts.some((a) => a.status === 'resolved' && a.labels['alertname'] === alertname && a.labels['severity'] === severity);
const mentions = (alertname: string) => (n: Notification) => n.payload.alerts.some((a) => a.labels['alertname'] === alertname);

// MariaDB and Redis are services, not binaries: probe them once, skip like a missing peer outside CI.
const servicesUp = (await reachable(3306)) && (await reachable(6379));
const suite = (title: string, body: () => void): void => {
  if (servicesUp || IN_CI) {
    describeHeraldOnly(PEERS, title, body);
    return;
  }
  console.warn(`[e2e] skipping "${title}": MariaDB (127.0.0.1:3306) or Redis (127.0.0.1:6379) not reachable`);
  describe.skip(`${title} [MariaDB/Redis not reachable]`, body);
};

suite('dynamic thresholds with MariaDB, Redis and their exporters', () => {
  let server: ServerHandle;
  let hookA: WebhookReceiver;
  let hookB: WebhookReceiver;
  let dir: string;
  let confd: string;
  const exporters: ChildProcess[] = [];
  const mysqlLoad: ChildProcess[] = [];
  const redisLoad: Socket[] = [];
  let mysqlBase = 0;
  let redisBase = 0;

  const query = async (q: string, tenant: string): Promise<VectorReply> => {
    const r = await request('GET', `${server.url}/prometheus/api/v1/query?query=${encodeURIComponent(q)}`, { tenant });
    expect(r.status, r.text).toBe(200);
    return r.json<VectorReply>();
  };
  const alerts = (tenant: string, alertname: string, severity: string) => query(`ALERTS{alertname="${alertname}", severity="${severity}", alertstate="firing"}`, tenant);
  const dbA = (lines: readonly string[]) => writeFile(join(confd, 'db-a.yaml'), `${lines.join('\n')}\n`);
  /** db-a's thresholds: between the idle baseline and the baseline plus the load. */
  const dbAThresholds = (): string[] => [`mysql_connections: ${mysqlBase + 8}`, `redis_connected_clients: "${redisBase + 8}"`];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-e2e-thresholds-'));
    confd = join(dir, 'conf.d');
    const packs = join(dir, 'rule-packs');
    await mkdir(confd);
    await mkdir(packs);
    for (const pack of ['mariadb', 'redis']) {
      const text = await readFile(join(REPO_ROOT, 'rule-packs', `${pack}.yaml`), 'utf8');
      const fast = text.replace(/^(\s+)for: \S+$/gm, '$1for: 1s');
      expect(fast, `${pack} pack has alerts with for:`).not.toBe(text);
      await writeFile(join(packs, `${pack}.yaml`), fast);
    }

    const mysqldPort = await freePort();
    const redisPort = await freePort();
    exporters.push(
      spawn('prometheus-mysqld-exporter', [`--web.listen-address=127.0.0.1:${mysqldPort}`], { stdio: 'ignore', env: { ...process.env, DATA_SOURCE_NAME: 'root@tcp(127.0.0.1:3306)/' } }),
      spawn('prometheus-redis-exporter', ['-redis.addr', 'redis://127.0.0.1:6379', '-web.listen-address', `127.0.0.1:${redisPort}`], { stdio: 'ignore' }),
    );

    mysqlBase = Number(mysqlScalar("SHOW GLOBAL STATUS LIKE 'Threads_connected'")) + 1; // + the exporter's own
    redisBase = (await redisConnectedClients()) + 1;
    expect(Number(mysqlScalar('SELECT @@max_connections'))).toBeGreaterThan(mysqlBase + LOAD + 5);

    // Defaults far above anything the test produces: only the keys a tenant sets can fire.
    await writeFile(
      join(confd, '_defaults.yaml'),
      [
        'defaults:',
        '  mysql_connections: 100000',
        '  mysql_connections_critical: 200000',
        '  mysql_threads_running: 100000',
        '  mysql_slow_queries: 100000',
        '  redis_memory_usage: 100000',
        '  redis_memory_usage_critical: 200000',
        '  redis_connected_clients: 100000',
        '  redis_connected_clients_critical: 200000',
        '  redis_evicted_keys: 100000',
        '  redis_rejected_connections: 100000',
        'state_filters:',
        '  maintenance:',
        '    severity: info',
        '    default_state: disable',
        '',
      ].join('\n'),
    );
    await dbA(dbAThresholds());
    await writeFile(join(confd, 'db-b.yaml'), `mysql_connections: ${mysqlBase + 500}\nredis_connected_clients: ${redisBase + 5000}\n`);

    const jobs = ['db-a', 'db-b'].flatMap((tenant) =>
      [
        ['mysqld', mysqldPort],
        ['redis', redisPort],
      ].flatMap(([name, port]) => [`- job_name: ${name}-${tenant}`, `  tenant: ${tenant}`, '  scrape_interval: 1s', '  scrape_timeout: 1s', '  static_configs:', `  - targets: ['127.0.0.1:${port}']`]),
    );
    await writeFile(join(dir, 'scrape.yml'), ['scrape_configs:', ...jobs, ''].join('\n'));

    [hookA, hookB] = await Promise.all([WebhookReceiver.start(), WebhookReceiver.start()]);
    server = await startServer({
      heraldConfig: [
        'alertmanager:',
        '  receivers_firewall:',
        "    allow_cidrs: ['127.0.0.1/32']",
        'scrape:',
        `  config_file: ${join(dir, 'scrape.yml')}`,
        'ruler:',
        '  evaluation_interval: 1s',
        '  resend_delay: 1s',
        'thresholds:',
        `  directory: ${confd}`,
        '  poll_interval: 1s',
        '  refresh_interval: 1s',
        '  rule_packs: [mariadb, redis]',
        `  rule_packs_directory: ${packs}`,
        '  evaluation_interval: 1s',
        '  platform_tenant: platform',
        '',
      ].join('\n'),
    });
    const groupBy = ['alertname', 'severity'];
    for (const [tenant, hook] of [
      ['db-a', hookA],
      ['db-b', hookB],
    ] as const) {
      const r = await request('POST', `${server.url}/api/v1/alerts`, {
        tenant,
        raw: mimirBody(webhookConfig(hook.url(`/${tenant}`), { receiver: `${tenant}-hook`, groupBy, groupWait: '1s', groupInterval: '1s' })),
        contentType: 'application/yaml',
      });
      expect(r.status, r.text).toBeLessThan(300);
    }
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    for (const c of mysqlLoad) c.kill('SIGKILL');
    for (const s of redisLoad) s.destroy();
    for (const e of exporters) e.kill('SIGKILL');
    await server?.stop();
    await server?.cleanup();
    await Promise.all([hookA?.close(), hookB?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('scrapes both exporters into both tenants and writes each tenant its own thresholds', async () => {
    for (const tenant of ['db-a', 'db-b']) {
      const up = await until(() => query('mysql_up == 1 or redis_up == 1', tenant), (r) => r.data.result.length === 2, 30_000);
      expect(up.data.result.map((s) => s.metric['job']).sort()).toEqual([`mysqld-${tenant}`, `redis-${tenant}`]);
    }
    const thr = await until(() => query('user_threshold{component="mysql", metric="connections"}', 'db-a'), (r) => r.data.result.length >= 2, 30_000);
    expect(thr.data.result.map((s) => [s.metric['tenant'], s.metric['severity'], s.value[1]]).sort()).toEqual([
      ['db-a', 'critical', '200000'],
      ['db-a', 'warning', String(mysqlBase + 8)],
    ]);
    // db-b's store holds db-b's thresholds only.
    const b = await until(() => query('user_threshold{component="redis", metric="connected_clients"}', 'db-b'), (r) => r.data.result.length >= 2, 30_000);
    expect(new Set(b.data.result.map((s) => s.metric['tenant']))).toEqual(new Set(['db-b']));
    expect(b.data.result.find((s) => s.metric['severity'] === 'warning')?.value[1]).toBe(String(redisBase + 5000));
  });

  it('serves the thresholds API per tenant and refuses API changes to directory tenants', async () => {
    const a = await request('GET', `${server.url}/api/herald/v1/thresholds`, { tenant: 'db-a' });
    expect(a.status, a.text).toBe(200);
    const body = a.json<{ tenant: string; source: string; document: string; resolved: Array<{ key: string; value: number; source: string; labels: Record<string, string> }>; problems: unknown[] }>();
    expect(body.tenant).toBe('db-a');
    expect(body.source).toBe('directory');
    expect(body.document).toContain(`mysql_connections: ${mysqlBase + 8}`);
    expect(body.resolved.find((t) => t.key === 'mysql_connections')).toMatchObject({ value: mysqlBase + 8, source: 'custom' });
    expect(body.resolved.every((t) => t.labels['tenant'] === 'db-a')).toBe(true);
    expect(body.problems).toEqual([]);
    const put = await request('PUT', `${server.url}/api/herald/v1/thresholds`, { tenant: 'db-a', raw: 'mysql_connections: 1\n', contentType: 'application/yaml' });
    expect(put.status, put.text).toBe(409);
    const exposition = await request('GET', `${server.url}/thresholds/metrics`);
    expect(exposition.status).toBe(200);
    expect(exposition.text).toContain('# TYPE user_threshold gauge');
    expect(exposition.text).toMatch(/user_threshold\{[^}]*tenant="db-a"[^}]*\} /);
    expect(exposition.text).toMatch(/user_threshold\{[^}]*tenant="db-b"[^}]*\} /);
  });

  it('a load over db-a’s thresholds fires only db-a’s alerts, to db-a’s receiver', async () => {
    // Quiet before the load: nothing over anyone's threshold.
    expect((await alerts('db-a', 'MariaDBHighConnections', 'warning')).data.result).toEqual([]);
    // Idle sessions: each client waits on its stdin, so killing it closes its connection at once
    // (a running SLEEP() would hold the server thread after the client is gone).
    for (let i = 0; i < LOAD; i++) mysqlLoad.push(spawn('mysql', MYSQL_ARGS, { stdio: ['pipe', 'ignore', 'ignore'] }));
    for (let i = 0; i < LOAD; i++) {
      const s = connect({ host: '127.0.0.1', port: 6379 });
      s.on('error', () => undefined);
      redisLoad.push(s);
    }
    const threads = await until(() => Promise.resolve(Number(mysqlScalar("SHOW GLOBAL STATUS LIKE 'Threads_connected'"))), (n) => n >= mysqlBase + LOAD - 1, 20_000);
    expect(threads).toBeGreaterThanOrEqual(mysqlBase + LOAD - 1);

    const mysqlA = await hookA.waitFor(1, 60_000, firing('MariaDBHighConnections', 'warning', 'db-a'));
    expect(mysqlA[0]?.path).toBe('/db-a');
    expect(mysqlA[0]?.payload.receiver).toBe('db-a-hook');
    const alert = mysqlA[0]?.payload.alerts.find((x) => x.labels['alertname'] === 'MariaDBHighConnections');
    expect(alert?.annotations['runbook_url']).toBe('https://herald.example/runbooks/MariaDBHighConnections');
    expect(alert?.annotations['summary']).toContain('db-a');
    await hookA.waitFor(1, 60_000, firing('RedisTooManyClients', 'warning', 'db-a'));

    // The same data in db-b stays under db-b's thresholds: no alert there, nothing at its receiver.
    await sleep(4000);
    expect((await alerts('db-b', 'MariaDBHighConnections', 'warning')).data.result).toEqual([]);
    expect(hookB.received(mentions('MariaDBHighConnections'))).toEqual([]);
    expect(hookB.received(mentions('RedisTooManyClients'))).toEqual([]);
    expect(hookA.received((n) => n.payload.alerts.some((x) => x.labels['tenant'] !== 'db-a'))).toEqual([]);
    // The pack's ALERTS series land in db-a's own store.
    expect((await alerts('db-a', 'MariaDBHighConnections', 'warning')).data.result.map((s) => s.metric['tenant'])).toEqual(['db-a']);
  });

  it('a broken db-a.yaml is reported and db-a keeps its last good thresholds', async () => {
    await dbA([...dbAThresholds(), 'mysql_conections: 5', '_state_maintenance: enable']);
    const a = await until(
      async () => (await request('GET', `${server.url}/api/herald/v1/thresholds`, { tenant: 'db-a' })).json<{ problems: Array<{ source: string; issues: Array<{ message: string; line?: number }> }> }>(),
      (r) => r.problems.length > 0,
      20_000,
    );
    expect(a.problems[0]?.source).toBe('db-a.yaml');
    expect(a.problems[0]?.issues.some((i) => i.line === 3 && i.message.includes('mysql_conections'))).toBe(true);
    // Neither the typo nor the maintenance switch of the broken file took effect.
    await sleep(3000);
    expect((await alerts('db-a', 'MariaDBHighConnections', 'warning')).data.result).toHaveLength(1);
    expect(hookA.received(resolved('MariaDBHighConnections', 'warning'))).toEqual([]);
  });

  it('maintenance mode (hot reload) resolves db-a’s threshold alerts', async () => {
    await dbA([...dbAThresholds(), '_state_maintenance: enable']);
    await hookA.waitFor(1, 60_000, resolved('MariaDBHighConnections', 'warning'));
    await hookA.waitFor(1, 60_000, resolved('RedisTooManyClients', 'warning'));
    expect((await query('user_state_filter{filter="maintenance"}', 'db-a')).data.result.map((s) => s.metric['tenant'])).toEqual(['db-a']);
    expect((await query('user_state_filter', 'db-b')).data.result).toEqual([]);
    expect((await alerts('db-a', 'MariaDBHighConnections', 'warning')).data.result).toEqual([]);
  });

  it('a critical tier below the load replaces the warning with the critical alert', async () => {
    const before = hookA.received(firing('MariaDBHighConnections', 'warning', 'db-a')).length;
    await dbA([...dbAThresholds(), `mysql_connections_critical: ${mysqlBase + 14}`, '_state_maintenance: disable']);
    const crit = await hookA.waitFor(1, 60_000, firing('MariaDBHighConnections', 'critical', 'db-a'));
    expect(crit[0]?.payload.alerts.find((x) => x.labels['alertname'] === 'MariaDBHighConnections')?.labels['severity']).toBe('critical');
    // The warning stays quiet while its critical tier fires.
    await sleep(4000);
    expect((await alerts('db-a', 'MariaDBHighConnections', 'warning')).data.result).toEqual([]);
    expect((await alerts('db-a', 'MariaDBHighConnections', 'critical')).data.result).toHaveLength(1);
    expect(hookA.received(firing('MariaDBHighConnections', 'warning', 'db-a')).length).toBe(before);
    expect(hookB.received(mentions('MariaDBHighConnections'))).toEqual([]);
  });
});

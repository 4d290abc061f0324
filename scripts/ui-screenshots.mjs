#!/usr/bin/env node
/**
 * Writes the UI screenshots of docs/ui.md (docs/images/ui-<page>.png): starts the built herald on
 * a temporary directory, gives one tenant sample data (a routing tree with webhook receivers, alerts,
 * a silence, a rule group, a thresholds document over the shipped defaults, and real notifications
 * to a local webhook, one of them failing), then photographs each page in Debian's headless
 * Chromium at a laptop's 1366x860, light theme, plus the alerts page in the dark theme.
 *
 *   npm run build && node scripts/ui-screenshots.mjs [--out docs/images] [--chromium /usr/bin/chromium]
 *
 * Not part of `npm test`: it takes a minute and its output is judged by eye.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TENANT = 'payments';
const VIEWPORT = { width: 1366, height: 860 };

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

function log(msg) {
  process.stdout.write(`[ui-screenshots] ${msg}\n`);
}

/** A webhook that answers 200, but 500 to the first three calls on /fail (so retries show), counting what it got. */
async function startWebhook() {
  const got = { ok: 0, failed: 0 };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const fail = (req.url ?? '').startsWith('/fail') && got.failed < 3;
      got[fail ? 'failed' : 'ok']++;
      res.statusCode = fail ? 500 : 200;
      res.end(fail ? 'upstream is down' : 'ok');
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { got, url: (p) => `http://127.0.0.1:${port}${p}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Spawns herald and resolves with its base URL once it logs "Listening on". */
function startHerald(dir, configFile) {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'herald.js'), 'serve', '--web.listen-address', '127.0.0.1:0', '--storage.path', join(dir, 'data'), '--config.file', configFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`herald did not start within 30s:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      for (const line of output.split('\n')) {
        if (!line.includes('"Listening on"')) continue;
        try {
          const rec = JSON.parse(line);
          clearTimeout(timer);
          ok({ child, url: `http://${rec.address}`, logs: () => output });
          return;
        } catch {
          // a partial line: wait for more
        }
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (c) => (output += c));
    child.on('exit', (code) => fail(new Error(`herald exited with ${code}:\n${output}`)));
  });
}

async function call(base, method, path, body, contentType = 'application/json') {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'X-Scope-OrgID': TENANT, ...(body !== undefined ? { 'content-type': contentType } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text}`);
  return text === '' ? undefined : text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text;
}

/** Polls `check` every 500 ms until it returns true or `ms` pass (then warns and goes on). */
async function until(what, check, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if (await check()) return true;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`warning: gave up waiting for ${what}`);
  return false;
}

/** A month six months from now: the sample's time interval shows in the tree but mutes nothing today. */
const FREEZE_MONTH = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'][(new Date().getMonth() + 6) % 12];

function amConfig(hook) {
  return `global:
  resolve_timeout: 5m
route:
  receiver: payments-default
  group_by: [alertname, cluster]
  group_wait: 1s
  group_interval: 5s
  repeat_interval: 4h
  routes:
  - matchers: [team="db"]
    receiver: db-oncall
    group_by: [alertname, instance]
    routes:
    - matchers: [severity="critical"]
      receiver: db-pager
      group_wait: 1s
  - matchers: [team="web"]
    receiver: web-chat
    continue: true
  - matchers: [team=~"web|api"]
    receiver: frontend-tickets
    repeat_interval: 24h
    mute_time_intervals: [change-freeze]
inhibit_rules:
- source_matchers: [severity="critical"]
  target_matchers: [severity="warning"]
  equal: [alertname, instance]
time_intervals:
- name: change-freeze
  time_intervals:
  - months: [${FREEZE_MONTH}]
receivers:
- name: payments-default
  webhook_configs:
  - url: ${hook.url('/default')}
- name: db-oncall
  webhook_configs:
  - url: ${hook.url('/db')}
- name: db-pager
  webhook_configs:
  - url: ${hook.url('/pager')}
    http_config:
      authorization:
        credentials: not-a-real-token
- name: web-chat
  webhook_configs:
  - url: ${hook.url('/fail/web')}
- name: frontend-tickets
  webhook_configs:
  - url: ${hook.url('/tickets')}
`;
}

const RULES = `name: payments-api
interval: 5s
rules:
- alert: PaymentsErrorBudgetBurn
  expr: vector(0.042)
  labels:
    severity: critical
    team: api
  annotations:
    summary: Payments API is burning its error budget
- alert: CheckoutLatencyHigh
  expr: vector(1.7)
  for: 1h
  labels:
    severity: warning
    team: web
  annotations:
    summary: Checkout p99 latency above 1.5s
- alert: LedgerReplicationLag
  expr: vector(3) > 60
  for: 5m
  labels:
    severity: warning
    team: db
- record: payments:requests:rate5m
  expr: vector(1250)
`;

const THRESHOLDS = `# payments team: MariaDB and Redis
mysql_connections: 120
mysql_connections_critical: 180
mysql_slow_queries: disable
redis_memory_usage_critical: 95
redis_connected_clients: "800"
redis_queue_length{queue="settlements"}: 200
_state_maintenance: disable
`;

function alertBody(labels, annotations, minutesAgo) {
  return { labels, annotations, startsAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString(), generatorURL: 'http://prometheus.example:9090/graph?g0.expr=up' };
}

const ALERTS = [
  alertBody({ alertname: 'MySQLReplicationBroken', team: 'db', severity: 'critical', instance: 'db-2:9104', cluster: 'eu-1' }, { summary: 'Replica db-2 stopped replicating', runbook_url: 'https://runbooks.example/mysql-replication' }, 42),
  alertBody({ alertname: 'MySQLReplicationBroken', team: 'db', severity: 'warning', instance: 'db-2:9104', cluster: 'eu-1' }, { summary: 'Replica db-2 lags' }, 40),
  alertBody({ alertname: 'DiskAlmostFull', team: 'db', severity: 'warning', instance: 'db-1:9100', cluster: 'eu-1', mountpoint: '/var/lib/mysql' }, { summary: '/var/lib/mysql is 91% full', description: 'Grows 2% a day; full in 4 days.' }, 180),
  alertBody({ alertname: 'HighErrorRate', team: 'web', severity: 'critical', instance: 'web-3:8080', cluster: 'eu-1' }, { summary: '5xx above 5% for 10m', runbook_url: 'https://runbooks.example/web-5xx' }, 12),
  alertBody({ alertname: 'CertificateExpiring', team: 'api', severity: 'warning', instance: 'api.payments.example:443', cluster: 'eu-2' }, { summary: 'TLS certificate expires in 9 days' }, 600),
  alertBody({ alertname: 'NightlyBatchLate', team: 'batch', severity: 'info', cluster: 'eu-2' }, { summary: 'Settlement batch has not finished' }, 5),
];

async function main() {
  const out = resolve(ROOT, arg('--out', join('docs', 'images')));
  const exe = arg('--chromium', which('chromium') ?? which('chromium-browser'));
  if (!exe) throw new Error('chromium is not installed (apt-get install chromium), or pass --chromium <path>');
  for (const f of [join(ROOT, 'dist', 'cli', 'main.js'), join(ROOT, 'web', 'dist', 'index.html')]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  await mkdir(out, { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), 'herald-ui-screenshots-'));
  const hook = await startWebhook();
  let herald;
  let browser;
  try {
    const confd = join(dir, 'conf.d');
    await mkdir(confd);
    await copyFile(join(ROOT, 'conf.d.example', '_defaults.yaml'), join(confd, '_defaults.yaml'));
    const configFile = join(dir, 'herald.yml');
    await writeFile(configFile, `alertmanager:\n  receivers_firewall:\n    allow_cidrs: ['127.0.0.1/32']\nthresholds:\n  directory: ${confd}\n  poll_interval: 1s\n  refresh_interval: 5s\n`);
    herald = await startHerald(dir, configFile);
    const base = herald.url;
    log(`herald at ${base}, data in ${dir}`);

    const indented = amConfig(hook).split('\n').map((l) => (l ? `  ${l}` : l)).join('\n');
    await call(base, 'POST', '/api/v1/alerts', `alertmanager_config: |\n${indented}\ntemplate_files: {}\n`, 'application/yaml');
    await call(base, 'POST', '/prometheus/config/v1/rules/payments', RULES, 'application/yaml');
    await call(base, 'PUT', '/api/herald/v1/thresholds', THRESHOLDS, 'application/yaml');
    await call(base, 'POST', '/api/v2/alerts', ALERTS);
    const now = Date.now();
    await call(base, 'POST', '/api/v2/silences', {
      matchers: [
        { name: 'alertname', value: 'CertificateExpiring', isRegex: false, isEqual: true },
        { name: 'cluster', value: 'eu-2', isRegex: false, isEqual: true },
      ],
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3 * 86_400_000).toISOString(),
      createdBy: 'maria@payments.example',
      comment: 'Renewal ordered, waiting for the CA (TICKET-4821)',
    });
    await call(base, 'POST', '/api/v2/silences', {
      matchers: [{ name: 'instance', value: 'web-.*', isRegex: true, isEqual: true }],
      startsAt: new Date(now + 86_400_000).toISOString(),
      endsAt: new Date(now + 86_400_000 + 2 * 3600_000).toISOString(),
      createdBy: 'ops@payments.example',
      comment: 'Planned web tier upgrade',
    });

    await until('notifications (one failing)', async () => {
      const h = await call(base, 'GET', '/api/herald/v1/notifications');
      return h.items.some((e) => e.outcome === 'failed') && h.items.filter((e) => e.outcome === 'success').length >= 3;
    });
    await until('the firing rule', async () => JSON.stringify(await call(base, 'GET', '/prometheus/api/v1/rules')).includes('"state":"firing"'));

    browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const shots = [
      ['alerts', '/alerts', '[data-testid="alert"]', 'light'],
      ['alerts-dark', '/alerts', '[data-testid="alert"]', 'dark'],
      ['silences', '/silences', 'text=TICKET-4821', 'light'],
      ['silence-editor', `/silences/new?${new URLSearchParams([['matcher', 'alertname="DiskAlmostFull"'], ['matcher', 'instance="db-1:9100"']])}`, 'form', 'light'],
      ['routing', '/routing', '[data-testid="route-node"]', 'light'],
      ['rules', '/rules', '[data-testid="rule"]', 'light'],
      ['notifications', '/notifications', '[data-testid="notification"]', 'light'],
      ['thresholds', '/thresholds', '[data-testid="threshold"]', 'light'],
      ['status', '/status', '[data-testid="config"]', 'light'],
    ];
    for (const [name, hash, ready, theme] of shots) {
      const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: theme, timezoneId: 'Europe/Berlin', locale: 'en-GB' });
      await context.addInitScript(`localStorage.setItem('herald.tenant', ${JSON.stringify(TENANT)}); localStorage.setItem('herald.theme', ${JSON.stringify(theme)});`);
      const page = await context.newPage();
      await page.goto(`${base}/#${hash}`);
      await page.locator('main h1').first().waitFor({ timeout: 15_000 });
      try {
        await page.locator(ready).first().waitFor({ timeout: 15_000 });
      } catch {
        log(`warning: ${name}: "${ready}" did not appear (page not written yet, or its API is missing)`);
      }
      if (name === 'thresholds') {
        // The tenant's own values are on the redis keys (one with a dimension).
        try {
          await page.getByRole('searchbox', { name: 'Key' }).fill('redis', { timeout: 2000 });
        } catch {
          log('warning: thresholds: no key filter');
        }
      }
      if (name === 'routing') {
        // Show the route test too: an alert of the web team goes to two receivers (continue).
        try {
          await page.getByRole('radio', { name: 'Text' }).check({ timeout: 2000 });
          const text = page.getByRole('textbox', { name: 'Labels' });
          await text.fill('{alertname="HighErrorRate", team="web", severity="critical"}');
          await text.press('Enter');
          await page.getByTestId('route-test-result').waitFor({ timeout: 10_000 });
        } catch {
          log('warning: routing: the route test did not answer');
        }
      }
      await page.waitForLoadState('networkidle');
      const file = join(out, `ui-${name}.png`);
      await page.screenshot({ path: file });
      log(`wrote ${file}`);
      await context.close();
    }
    log(`webhook got ${hook.got.ok} notifications (and ${hook.got.failed} failing on purpose)`);
  } catch (e) {
    if (herald) process.stderr.write(herald.logs().slice(-5000));
    throw e;
  } finally {
    await browser?.close();
    if (herald && herald.child.exitCode === null) {
      const gone = new Promise((r) => herald.child.once('exit', r));
      herald.child.kill('SIGTERM');
      await gone;
    }
    await hook.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`[ui-screenshots] ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});

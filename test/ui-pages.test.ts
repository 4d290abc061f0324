/**
 * The UI's Routing, Rules, Notifications, Thresholds and Status pages in Debian's headless
 * Chromium against the built herald (issue 10). One tenant gets a small routing tree (uploaded with
 * POST /api/v1/alerts, receivers on local webhooks, one answering 500), a rule group (ruler config
 * API), a thresholds document (thresholds API over a conf.d with _defaults.yaml) and an alert, so
 * every page has real content; a second tenant has none of it and its pages stay empty. Also: the
 * theme switch sets `data-theme`, Tab reaches the navigation, Enter submits the route test.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { launchBrowser, type BrowserHandle } from './helpers/browser.js';
import { alert, request } from './helpers/http.js';
import { describeHeraldOnly } from './helpers/peers.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';
import { WebhookReceiver } from './helpers/webhook.js';

const TENANT = 'ui-pages';
const SECRET = 'sup3r-secret-token';
const OTHER = 'ui-pages-other';

function amConfig(okUrl: string, failUrl: string): string {
  return [
    'route:',
    '  receiver: team-default',
    '  group_by: [alertname]',
    '  group_wait: 1s',
    '  group_interval: 2s',
    '  repeat_interval: 1h',
    '  routes:',
    '  - matchers: [team="db"]',
    '    receiver: db-pager',
    '    routes:',
    '    - matchers: [severity="critical"]',
    '      receiver: db-critical',
    '  - matchers: [team="web"]',
    '    receiver: web-hook',
    '    continue: true',
    '  - matchers: [team=~"web|api"]',
    '    receiver: frontend-chat',
    'receivers:',
    '- name: team-default',
    '- name: db-pager',
    '  webhook_configs:',
    `  - url: ${okUrl}`,
    '- name: db-critical',
    '  webhook_configs:',
    `  - url: ${okUrl.replace(/\/db$/, '/critical')}`,
    '    http_config:',
    '      authorization:',
    `        credentials: ${SECRET}`,
    '- name: web-hook',
    '  webhook_configs:',
    `  - url: ${failUrl}`,
    '    max_alerts: 0',
    '- name: frontend-chat',
    '',
  ].join('\n');
}

const mimirBody = (am: string): string => `alertmanager_config: |\n${am.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n')}\ntemplate_files: {}\n`;

const RULE_GROUP = [
  'name: app-rules',
  'interval: 1s',
  'rules:',
  '- alert: AlwaysFiring',
  '  expr: vector(1)',
  '  labels:',
  '    severity: warning',
  '- alert: NeverFiring',
  '  expr: vector(1) == 2',
  '- record: job:answer:sum',
  '  expr: vector(42)',
  '',
].join('\n');

const DEFAULTS = [
  'defaults:',
  '  mysql_connections: 80',
  '  mysql_connections_critical: 150',
  '  mysql_slow_queries: 1',
  'state_filters:',
  '  maintenance:',
  '    severity: info',
  '    default_state: disable',
  '',
].join('\n');

/** One attribute of every element a locator finds (the tests' tsconfig has no DOM types). */
async function attrs(l: Locator, name: string): Promise<(string | null)[]> {
  return Promise.all((await l.all()).map((x) => x.getAttribute(name)));
}

/** The `data-theme` of the page's root element. */
const theme = (page: Page): Promise<string | null> => page.locator('html').getAttribute('data-theme');

describeHeraldOnly(['chromium'], 'UI pages: routing, rules, notifications, thresholds, status', () => {
  let server: ServerHandle;
  let browser: BrowserHandle;
  let ok: WebhookReceiver;
  let failing: WebhookReceiver;

  /** A fresh page showing `hash` for `tenant` (the switcher remembers the tenant in localStorage). */
  async function open(hash: string, tenant = TENANT): Promise<Page> {
    const { page } = await browser.newPage();
    page.setDefaultTimeout(30_000);
    await page.addInitScript(`localStorage.setItem('herald.tenant', ${JSON.stringify(tenant)})`);
    await page.goto(`${server.url}/#${hash}`);
    return page;
  }

  beforeAll(async () => {
    [ok, failing] = await Promise.all([WebhookReceiver.start(), WebhookReceiver.start()]);
    failing.status = 500;
    const dir = await mkdtemp(join(tmpdir(), 'herald-e2e-ui-pages-'));
    const confd = join(dir, 'conf.d');
    await mkdir(confd);
    await writeFile(join(confd, '_defaults.yaml'), DEFAULTS);
    server = await startServer({
      storageDir: dir,
      heraldConfig: [
        'alertmanager:',
        "  receivers_firewall:\n    allow_cidrs: ['127.0.0.1/32']",
        'thresholds:',
        `  directory: ${confd}`,
        '  poll_interval: 1s',
        '  refresh_interval: 1s',
        '',
      ].join('\n'),
    });
    const up = await request('POST', `${server.url}/api/v1/alerts`, { tenant: TENANT, raw: mimirBody(amConfig(ok.url('/db'), failing.url('/web'))), contentType: 'application/yaml' });
    expect(up.status, up.text).toBeLessThan(300);
    const rules = await request('POST', `${server.url}/prometheus/config/v1/rules/app`, { tenant: TENANT, raw: RULE_GROUP, contentType: 'application/yaml' });
    expect(rules.status, rules.text).toBe(202);
    const th = await request('PUT', `${server.url}/api/herald/v1/thresholds`, { tenant: TENANT, raw: 'mysql_connections: 50\nmysql_slow_queries: disable\n_state_maintenance: enable\n', contentType: 'application/yaml' });
    expect(th.status, th.text).toBe(204);
    const posted = await request('POST', `${server.url}/api/v2/alerts`, {
      tenant: TENANT,
      body: [alert({ alertname: 'DiskFull', team: 'db', instance: 'db-1' }), alert({ alertname: 'SlowPage', team: 'web', instance: 'web-1' })],
    });
    expect(posted.status, posted.text).toBe(200);
    browser = await launchBrowser();
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await server?.cleanup();
    await Promise.all([ok?.close(), failing?.close()]);
  });

  it('draws the routing tree and tests labels from rows and from text', async () => {
    const page = await open('/routing');
    const nodes = page.getByTestId('route-node');
    await page.locator('[data-path="2"]').waitFor();
    expect(await nodes.count()).toBe(5);
    expect(await page.locator('[data-path="0.0"]').textContent()).toContain('severity="critical"');
    expect(await page.locator('[data-path="1"]').textContent()).toContain('continue');

    // Rows: alertname is offered; typing in the last row adds another; Enter submits.
    await page.getByLabel('Label value 1', { exact: true }).fill('DiskFull');
    await page.getByLabel('Label name 2', { exact: true }).fill('team');
    await page.getByLabel('Label value 2', { exact: true }).fill('db');
    await page.getByLabel('Label name 3', { exact: true }).fill('severity');
    await page.getByLabel('Label value 3', { exact: true }).fill('critical');
    await page.getByLabel('Label value 3', { exact: true }).press('Enter');
    const result = page.getByTestId('route-test-result');
    await result.waitFor();
    expect(await result.locator('.rt-receivers li').allTextContents()).toEqual(['db-critical']);
    await page.locator('[data-path="0.0"][data-matched="true"]').waitFor();
    expect(await page.locator('[data-matched="true"]').count()).toBe(1);

    // Text: continue on the web route makes two receivers get it.
    await page.getByRole('radio', { name: 'Text' }).check();
    const text = page.getByRole('textbox', { name: 'Labels' });
    expect(await text.inputValue()).toBe('{alertname="DiskFull", severity="critical", team="db"}');
    await text.fill('{team="web"}');
    await text.press('Enter');
    await page.locator('[data-path="2"][data-matched="true"]').waitFor();
    expect(await result.locator('.rt-receivers li').allTextContents()).toEqual(['web-hook', 'frontend-chat']);
    expect(await page.locator('[data-path="1"]').getAttribute('data-matched')).toBe('true');

    // A label set the server cannot take is explained, not sent.
    await text.fill('{team=~"web"}');
    await text.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'use name="value"' }).waitFor();

    // Collapsing the root hides its children.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('button', { name: 'Collapse root route' }).click();
    await page.getByText('3 child routes hidden').waitFor();
    expect(await nodes.count()).toBe(1);
    // A test that matches inside a folded route opens the way to it.
    await text.fill('{team="db", severity="critical"}');
    await text.press('Enter');
    await page.locator('[data-path="0.0"][data-matched="true"]').waitFor();
    await page.close();
  });

  it("shows the tenant's rule groups with health, state and the firing alert", async () => {
    const page = await open('/rules');
    const firing = page.locator('[data-rule="AlwaysFiring"]');
    await firing.locator('.rl-rule-head .badge.firing').waitFor();
    await firing.getByTestId('rule-alert').first().waitFor();
    expect(await firing.getByTestId('rule-alert').first().textContent()).toContain('severity="warning"');
    expect(await firing.textContent()).toContain('vector(1)');
    expect(await firing.textContent()).toContain('health: ok');
    const group = page.getByTestId('rule-group');
    expect(await group.textContent()).toContain('app-rules');
    expect(await page.getByRole('region', { name: 'Namespace app' }).count()).toBe(1);
    expect(await page.getByTestId('rule').count()).toBe(3);

    await page.getByRole('searchbox', { name: 'Name' }).fill('answer');
    await page.getByTestId('rule').first().waitFor();
    expect(await page.getByTestId('rule').count()).toBe(1);
    expect(await page.getByTestId('rule').getAttribute('data-rule')).toBe('job:answer:sum');

    await page.getByRole('searchbox', { name: 'Name' }).fill('');
    await page.getByRole('checkbox', { name: /firing/ }).uncheck();
    await page.locator('[data-rule="AlwaysFiring"]').waitFor({ state: 'detached' });
    expect(await attrs(page.getByTestId('rule'), 'data-rule')).toEqual(['NeverFiring']);
    await page.close();

    const other = await open('/rules', OTHER);
    await other.getByText('This tenant has no rule groups.').waitFor();
    await other.close();
  });

  it('lists notification attempts with failures highlighted and filters by outcome', async () => {
    await ok.waitFor(1, 30_000);
    await failing.waitFor(1, 30_000);
    const page = await open('/notifications');
    const entries = page.getByTestId('notification');
    await page.locator('[data-outcome="success"]').first().waitFor();
    await page.locator('[data-outcome="failed"]').first().waitFor();
    const failed = page.locator('[data-outcome="failed"]').first();
    expect(await failed.getAttribute('class')).toContain('nf-failed');
    expect(await failed.textContent()).toContain('web-hook');
    expect(await failed.textContent()).toContain('HTTP 500');
    const success = page.locator('[data-outcome="success"]').first();
    expect(await success.textContent()).toContain('db-pager');
    expect(await success.textContent()).toContain('1 firing');

    await page.getByRole('combobox', { name: 'Outcome' }).selectOption('failed');
    await page.waitForURL(/outcome=failed/);
    await page.locator('[data-outcome="success"]').first().waitFor({ state: 'detached' });
    expect(new Set(await attrs(entries, 'data-outcome'))).toEqual(new Set(['failed']));

    await page.getByRole('button', { name: 'Reset' }).click();
    await page.getByRole('combobox', { name: 'Receiver' }).fill('db-pager');
    await page.getByRole('combobox', { name: 'Receiver' }).press('Enter');
    await page.waitForURL(/receiver=db-pager/);
    await page.locator('[data-outcome="failed"]').first().waitFor({ state: 'detached' });
    expect(await entries.count()).toBeGreaterThan(0);
    await page.close();

    const other = await open('/notifications', OTHER);
    await other.getByText('No notification attempts yet.').waitFor();
    await other.close();
  });

  it('shows effective thresholds with their source, and maintenance on', async () => {
    const page = await open('/thresholds');
    const row = (key: string) => page.locator(`[data-testid="threshold"][data-key="${key}"]`);
    await row('mysql_connections').waitFor();
    expect(await row('mysql_connections').getAttribute('data-source')).toBe('custom');
    expect(await row('mysql_connections').textContent()).toContain('50');
    expect(await row('mysql_connections_critical').getAttribute('data-source')).toBe('default');
    expect(await row('mysql_connections_critical').textContent()).toContain('critical');
    expect(await row('mysql_slow_queries').getAttribute('data-source')).toBe('disabled');
    expect(await page.locator('[data-testid="state-filter"][data-filter="maintenance"]').textContent()).toContain('on');
    await page.getByText('maintenance on').waitFor();

    await page.getByRole('combobox', { name: 'Source' }).selectOption('disabled');
    await row('mysql_connections').waitFor({ state: 'detached' });
    expect(await page.getByTestId('threshold').count()).toBe(1);
    await page.close();

    // The other tenant gets the defaults only.
    const other = await open('/thresholds', OTHER);
    await other.locator('[data-key="mysql_connections"][data-source="default"]').waitFor();
    expect(await other.locator('[data-source="custom"]').count()).toBe(0);
    await other.close();
  });

  it('shows version, uptime, the config without secrets, and usage against limits', async () => {
    const page = await open('/status');
    const config = page.getByTestId('config');
    await config.waitFor();
    expect(await config.textContent()).toContain('db-pager');
    expect(await config.textContent()).toContain('<secret>');
    expect(await config.textContent()).not.toContain(SECRET);
    expect(await page.getByTestId('uptime').textContent()).toMatch(/^\d+[smhd]/);
    await page.getByRole('button', { name: 'Copy config' }).waitFor();
    const ruleGroups = page.locator('[data-testid="usage"][data-name="rule_groups"]');
    expect(await ruleGroups.textContent()).toContain('ruler_max_rule_groups_per_tenant');
    expect(await ruleGroups.locator('td.num').textContent()).toBe('1');
    expect(await page.locator('[data-testid="usage"][data-name="active_series"]').textContent()).toContain('max_global_series_per_user');
    await page.close();
  });

  it('switches theme, and Tab reaches the navigation', async () => {
    const page = await open('/thresholds');
    await page.getByTestId('threshold').first().waitFor();
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    expect(await theme(page)).toBe('dark');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
    expect(await theme(page)).toBe('light');
    // "System theme" follows the browser's preference (this context prefers light, then dark).
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
    expect(await theme(page)).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => theme(page)).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // From the top of a freshly loaded page, Tab walks the skip link and the navigation.
    await page.reload();
    await page.getByTestId('threshold').first().waitFor();
    const focused: unknown[] = [];
    for (let i = 0; i < 15 && !focused.includes('#/routing'); i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate("document.activeElement && document.activeElement.closest('nav') ? document.activeElement.getAttribute('href') : null"));
    }
    expect(focused).toContain('#/alerts');
    expect(focused).toContain('#/routing');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/routing$/);
    await page.getByRole('heading', { name: 'Routing', level: 1 }).waitFor();
    await page.close();
  });
});

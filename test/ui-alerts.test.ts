/**
 * The Alerts page and the tenant switcher in headless Chromium against the real herald process:
 * switching tenant shows only that tenant's alerts, the matcher filter completes label names and
 * values and keeps its state in the hash, and with authentication a user limited to one tenant is
 * offered only that tenant and never receives another tenant's alerts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hashPassword, sha256Hex } from '../src/auth/index.js';
import { launchBrowser, type BrowserHandle } from './helpers/browser.js';
import { alert, request, silence } from './helpers/http.js';
import { describeHeraldOnly } from './helpers/peers.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';

const ADMIN_TOKEN = 'ui-alerts-admin-token-0123456789';

const TEAM_A = [
  alert({ alertname: 'TeamADiskFull', severity: 'critical', instance: 'db-1' }, { annotations: { summary: 'Disk almost full on db-1', runbook_url: 'https://runbooks.example.com/disk' } }),
  alert({ alertname: 'TeamALatency', severity: 'warning', instance: 'api-1' }),
];
const TEAM_B = [alert({ alertname: 'TeamBQueueStuck', severity: 'critical', instance: 'mq-1' })];

/** team-c routes by `team` to receivers whose names differ only where a regex `.` would match. */
const TEAM_C_CONFIG = [
  'alertmanager_config: |',
  '  route:',
  '    receiver: ops',
  '    group_by: [alertname]',
  '    routes:',
  '    - receiver: db.team',
  '      matchers: [team="db"]',
  '    - receiver: dbXteam',
  '      matchers: [team="x"]',
  '  receivers:',
  '  - name: ops',
  '  - name: db.team',
  '  - name: dbXteam',
  'template_files: {}',
  '',
].join('\n');

async function postAlerts(url: string, tenant: string, alerts: unknown[], headers: Record<string, string> = {}): Promise<void> {
  const r = await request('POST', `${url}/api/v2/alerts`, { tenant, body: alerts, headers });
  expect(r.status, r.text).toBe(200);
}

const alertCards = (page: Page) => page.locator('[data-testid="alert"]');
const card = (page: Page, name: string) => page.locator('[data-testid="alert"]', { has: page.getByRole('heading', { name, exact: true }) });
const tenantSelect = (page: Page) => page.getByRole('combobox', { name: 'Tenant', exact: true });
const suggestions = (page: Page, name?: string) => page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option', name === undefined ? {} : { name, exact: true });
const shownNames = async (page: Page): Promise<string[]> => (await alertCards(page).locator('.alert-name').allTextContents()).sort();

describeHeraldOnly(['chromium'], 'UI: alerts page and tenant switcher', () => {
  let browser: BrowserHandle;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('without authentication', () => {
    let server: ServerHandle;
    beforeAll(async () => {
      server = await startServer();
      await postAlerts(server.url, 'team-a', TEAM_A);
      await postAlerts(server.url, 'team-b', TEAM_B);
      const cfg = await request('POST', `${server.url}/api/v1/alerts`, { tenant: 'team-c', raw: TEAM_C_CONFIG, contentType: 'application/yaml' });
      expect(cfg.status, cfg.text).toBeLessThan(300);
      await postAlerts(server.url, 'team-c', [alert({ alertname: 'DbDown', team: 'db' }), alert({ alertname: 'XDown', team: 'x' }), alert({ alertname: 'OpsDown' })]);
      const sil = await request('POST', `${server.url}/api/v2/silences`, { tenant: 'team-c', body: silence({ alertname: 'OpsDown' }) });
      expect(sil.status, sil.text).toBe(200);
    });
    afterEach((ctx) => dumpLogsIfFailed(ctx, server));
    afterAll(async () => {
      await server?.stop();
      await server?.cleanup();
    });

    it('shows only the selected tenant’s alerts, grouped, and switches tenant', async () => {
      const { context, page } = await browser.newPage();
      try {
        await page.goto(`${server.url}/#/alerts`);
        await tenantSelect(page).selectOption('team-a');
        await card(page, 'TeamADiskFull').waitFor();
        await expect.poll(() => shownNames(page)).toEqual(['TeamADiskFull', 'TeamALatency']);
        await expect.poll(() => page.getByTestId('alerts-count').textContent()).toMatch(/^2 alerts in \d+ groups?$/);
        // Annotations: the summary is shown, a URL annotation is a link.
        const disk = card(page, 'TeamADiskFull');
        await disk.getByText('Disk almost full on db-1').waitFor();
        expect(await disk.getByRole('link', { name: 'https://runbooks.example.com/disk' }).getAttribute('href')).toBe('https://runbooks.example.com/disk');
        expect(await disk.getAttribute('data-fingerprint')).toMatch(/^[0-9a-f]{16}$/);

        await tenantSelect(page).selectOption('team-b');
        await card(page, 'TeamBQueueStuck').waitFor();
        await expect.poll(() => shownNames(page)).toEqual(['TeamBQueueStuck']);

        await tenantSelect(page).selectOption('team-a');
        await expect.poll(() => shownNames(page)).toEqual(['TeamADiskFull', 'TeamALatency']);
      } finally {
        await context.close();
      }
    });

    it('filters by a matcher typed with autocompletion, keeps it in the hash, and reports a bad matcher', async () => {
      const { context, page } = await browser.newPage();
      try {
        await page.goto(`${server.url}/#/alerts`);
        await tenantSelect(page).selectOption('team-a');
        await expect.poll(() => shownNames(page)).toEqual(['TeamADiskFull', 'TeamALatency']);

        const input = page.getByRole('combobox', { name: 'Filter' });
        await input.click();
        await input.pressSequentially('sev');
        await suggestions(page, 'severity').click();
        expect(await input.inputValue()).toBe('severity=');
        await expect.poll(() => suggestions(page).allTextContents()).toEqual(['severity="critical"', 'severity="warning"']);
        await suggestions(page, 'severity="critical"').click();
        await expect.poll(() => shownNames(page)).toEqual(['TeamADiskFull']);
        expect(decodeURIComponent(new URL(page.url()).hash)).toBe('#/alerts?filter={severity="critical"}');

        // A reload keeps the filter (the hash), and a label chip click adds a matcher.
        await page.reload();
        await expect.poll(() => shownNames(page)).toEqual(['TeamADiskFull']);
        await card(page, 'TeamADiskFull').getByRole('button', { name: 'instance="db-1"' }).click();
        await page.getByRole('list', { name: 'Active filters' }).getByText('instance="db-1"').waitFor();

        // Keyboard only: Down/Enter through the list, Escape closes it.
        await page.getByRole('button', { name: 'Clear filters' }).click();
        await expect.poll(() => shownNames(page)).toEqual(['TeamADiskFull', 'TeamALatency']);
        await input.fill('');
        await input.pressSequentially('inst');
        expect(await input.getAttribute('aria-expanded')).toBe('true');
        await input.press('ArrowDown');
        const activeId = await input.getAttribute('aria-activedescendant');
        expect(await page.locator(`[id="${activeId}"]`).textContent()).toContain('instance');
        await input.press('Enter');
        expect(await input.inputValue()).toBe('instance=');
        await input.pressSequentially('api');
        await input.press('ArrowDown');
        await input.press('Enter');
        await expect.poll(() => shownNames(page)).toEqual(['TeamALatency']);
        await input.pressSequentially('sev');
        await input.press('Escape');
        expect(await input.getAttribute('aria-expanded')).toBe('false');

        // A bad matcher is reported inline and changes nothing.
        await input.fill('severity=~"("');
        await input.press('Enter');
        await page.getByRole('alert').filter({ hasText: 'invalid regular expression' }).waitFor();
        expect(await input.getAttribute('aria-invalid')).toBe('true');
        await expect.poll(() => shownNames(page)).toEqual(['TeamALatency']);
      } finally {
        await context.close();
      }
    });

    it('filters by receiver (the exact name) and by state, and collapses a group', async () => {
      const { context, page } = await browser.newPage();
      try {
        await page.goto(`${server.url}/#/alerts`);
        await tenantSelect(page).selectOption('team-c');
        await expect.poll(() => shownNames(page)).toEqual(['DbDown', 'OpsDown', 'XDown']);
        await card(page, 'OpsDown').getByText('silenced by').waitFor();

        // `db.team` as a bare regex would also match `dbXteam`: the page escapes the name.
        await page.getByLabel('Receiver', { exact: true }).selectOption('db.team');
        await expect.poll(() => shownNames(page)).toEqual(['DbDown']);
        expect(new URL(page.url()).hash).toContain('receiver=db.team');
        await page.getByRole('region', { name: /receiver db\.team/ }).waitFor();
        await page.getByLabel('Receiver', { exact: true }).selectOption('');
        await expect.poll(() => shownNames(page)).toEqual(['DbDown', 'OpsDown', 'XDown']);

        await page.getByRole('checkbox', { name: 'Silenced' }).uncheck();
        await expect.poll(() => shownNames(page)).toEqual(['DbDown', 'XDown']);
        expect(new URL(page.url()).hash).toContain('silenced=false');
        await page.getByRole('checkbox', { name: 'Active' }).uncheck();
        await page.getByRole('checkbox', { name: 'Silenced' }).check();
        await expect.poll(() => shownNames(page)).toEqual(['OpsDown']);
        await page.getByRole('checkbox', { name: 'Active' }).check();
        await expect.poll(() => page.getByTestId('alerts-count').textContent()).toBe('3 alerts in 3 groups');

        const toggle = page.getByRole('button', { name: 'Collapse group alertname="XDown"' });
        await toggle.click();
        await expect.poll(() => shownNames(page)).toEqual(['DbDown', 'OpsDown']);
        await page.getByRole('button', { name: 'Expand group alertname="XDown"' }).click();
        await expect.poll(() => shownNames(page)).toEqual(['DbDown', 'OpsDown', 'XDown']);
      } finally {
        await context.close();
      }
    });

    it('hands an alert’s labels to the silence editor', async () => {
      const { context, page } = await browser.newPage();
      try {
        await page.goto(`${server.url}/#/alerts`);
        await tenantSelect(page).selectOption('team-a');
        await card(page, 'TeamALatency').getByRole('button', { name: 'Silence', exact: true }).click();
        await expect.poll(() => new URL(page.url()).hash).toMatch(/^#\/silences\/new\?/);
        const params = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
        expect(params.getAll('matcher')).toEqual(['alertname="TeamALatency"', 'instance="api-1"', 'severity="warning"']);
      } finally {
        await context.close();
      }
    });
  });

  describe('with authentication required', () => {
    let server: ServerHandle;
    beforeAll(async () => {
      const hash = await hashPassword('password-a');
      server = await startServer({
        heraldConfig: [
          'auth:',
          '  mode: required',
          '  users:',
          '  - username: alice',
          `    password_hash: '${hash}'`,
          '    tenants: [team-a]',
          '    role: viewer',
          '  tokens:',
          '  - name: ops',
          `    token_sha256: ${sha256Hex(ADMIN_TOKEN)}`,
          "    tenants: '*'",
          '    role: admin',
          '',
        ].join('\n'),
      });
      const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
      await postAlerts(server.url, 'team-a', TEAM_A, admin);
      await postAlerts(server.url, 'team-b', TEAM_B, admin);
    });
    afterEach((ctx) => dumpLogsIfFailed(ctx, server));
    afterAll(async () => {
      await server?.stop();
      await server?.cleanup();
    });

    it('offers a user limited to team-a only team-a, and never loads team-b’s alerts', async () => {
      const { context, page } = await browser.newPage();
      // The browser remembers team-b from an earlier visit: the UI must not use it for alice.
      await context.addInitScript({ content: "if (localStorage.getItem('herald.tenant') === null) localStorage.setItem('herald.tenant', 'team-b');" });
      const answered: { tenant: string; status: number; url: string }[] = [];
      page.on('response', (res) => {
        const u = new URL(res.url());
        if (u.pathname.startsWith('/api/v2/alerts')) answered.push({ tenant: res.request().headers()['x-scope-orgid'] ?? '', status: res.status(), url: u.pathname });
      });
      try {
        await page.goto(`${server.url}/#/alerts`);
        await page.getByLabel('Username').fill('alice');
        await page.locator('input[type="password"]').fill('password-a');
        await page.getByRole('button', { name: 'Sign in' }).click();

        await card(page, 'TeamADiskFull').waitFor();
        await expect.poll(() => shownNames(page)).toEqual(['TeamADiskFull', 'TeamALatency']);
        await expect.poll(() => tenantSelect(page).locator('option').allTextContents()).toEqual(['team-a']);
        expect(await tenantSelect(page).inputValue()).toBe('team-a');

        // A refresh later, still only team-a's alerts, and no team-b alert list ever reached the page.
        await page.getByRole('button', { name: 'Refresh' }).click();
        await expect.poll(() => answered.filter((r) => r.tenant === 'team-a' && r.status === 200).length).toBeGreaterThanOrEqual(3);
        expect(await shownNames(page)).toEqual(['TeamADiskFull', 'TeamALatency']);
        expect(await page.getByText('TeamBQueueStuck').count()).toBe(0);
        expect(answered.filter((r) => r.tenant === 'team-b' && r.status === 200)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});

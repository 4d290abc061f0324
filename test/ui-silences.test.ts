/**
 * The Silences pages in headless Chromium against the real herald process: a silence created
 * from an alert's Silence button (with the live preview showing that alert) silences it, as the
 * Alerts page, the silence's detail page and the v2 API all confirm; expiring from the list moves
 * a silence to Expired; editing keeps the change; duplicating pre-fills the editor; and a bad
 * regular expression, caught in the browser or only by the server, creates nothing.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser, type BrowserHandle } from './helpers/browser.js';
import { alert, request, silence } from './helpers/http.js';
import { describeHeraldOnly } from './helpers/peers.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';

const TENANT = 'team-silences';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface ApiAlert {
  fingerprint: string;
  labels: Record<string, string>;
  status: { state: string; silencedBy: string[] };
}
interface ApiSilence {
  id: string;
  comment: string;
  endsAt: string;
  startsAt: string;
  status: { state: string };
}

const card = (page: Page, name: string) => page.locator('[data-testid="alert"]', { has: page.getByRole('heading', { name, exact: true }) });
const listed = (page: Page, id: string) => page.locator(`[data-testid="silence"][data-silence-id="${id}"]`);
/** `YYYY-MM-DDTHH:mm:ss` on Berlin clocks, as the editor's datetime inputs hold times. */
/** A `datetime-local` value with its seconds: Chromium leaves `:00` out when the seconds are zero. */
const withSeconds = (local: string): string => (/T\d\d:\d\d$/.test(local) ? `${local}:00` : local);
const berlin = (iso: string): string => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso)).replace(' ', 'T');
/** One attribute of every element a locator finds, in document order. */
const attrs = async (l: Locator, name: string): Promise<(string | null)[]> => Promise.all((await l.all()).map((x) => x.getAttribute(name)));
const hashPath = (page: Page): string => new URL(page.url()).hash.split('?')[0] ?? '';

describeHeraldOnly(['chromium'], 'UI: silences', () => {
  let browser: BrowserHandle;
  let server: ServerHandle;

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await request(method, `${server.url}${path}`, { tenant: TENANT, ...(body !== undefined ? { body } : {}) });
    expect(r.status, `${method} ${path}: ${r.text}`).toBe(200);
    return r.text === '' ? (undefined as T) : r.json<T>();
  }
  const silences = (): Promise<ApiSilence[]> => api<ApiSilence[]>('GET', '/api/v2/silences');
  const createSilence = async (matchers: Record<string, string>, comment: string): Promise<string> =>
    (await api<{ silenceID: string }>('POST', '/api/v2/silences', silence(matchers, { comment }))).silenceID;

  /** A fresh browser context whose UI starts on TENANT. */
  async function open(hash: string): Promise<{ context: BrowserContext; page: Page }> {
    const { context, page } = await browser.newPage();
    await context.addInitScript({ content: `localStorage.setItem('herald.tenant', ${JSON.stringify(TENANT)});` });
    await page.goto(`${server.url}/${hash}`);
    return { context, page };
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer();
    const r = await request('POST', `${server.url}/api/v2/alerts`, {
      tenant: TENANT,
      body: [alert({ alertname: 'SilenceMe', severity: 'warning', instance: 'web-1' }), alert({ alertname: 'KeepFiring', severity: 'critical', instance: 'db-1' })],
    });
    expect(r.status, r.text).toBe(200);
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await server?.cleanup();
  });

  it('creates a silence from an alert, previews it, and the alert turns silenced', async () => {
    const { context, page } = await open('#/alerts');
    try {
      const target = card(page, 'SilenceMe');
      await target.waitFor();
      const fingerprint = await target.getAttribute('data-fingerprint');
      expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
      await target.getByRole('button', { name: 'Silence', exact: true }).click();

      // The editor holds the alert's labels as matcher rows, and the preview shows that alert only.
      await expect.poll(() => hashPath(page)).toBe('#/silences/new');
      await expect.poll(() => page.getByLabel('Label name, matcher 1').inputValue()).toBe('alertname');
      expect(await page.getByLabel('Value, matcher 1').inputValue()).toBe('SilenceMe');
      expect(await page.getByTestId('matcher-row').count()).toBe(3);
      await expect.poll(() => page.getByTestId('preview-count').textContent()).toBe('1');
      expect(await page.getByTestId('preview-alert').getAttribute('data-fingerprint')).toBe(fingerprint);
      // The times are in the browser's zone, and say so.
      await page.getByText('times in Europe/Berlin').waitFor();
      expect(await page.getByLabel('Duration', { exact: true }).inputValue()).toBe('2h');

      // Without a comment nothing is sent: the field says why.
      await page.getByRole('button', { name: 'Create silence' }).click();
      await page.getByText('A comment is required').waitFor();
      expect(await page.getByLabel('Comment').getAttribute('aria-invalid')).toBe('true');
      expect(await silences()).toEqual([]);

      await page.getByLabel('Duration', { exact: true }).fill('1d3h');
      const end = await page.getByLabel('End', { exact: true }).inputValue();
      await page.getByLabel('Created by').fill('oncall-anna');
      await page.getByLabel('Comment').fill('web-1 is being replaced');
      await page.getByRole('button', { name: 'Create silence' }).click();

      // Saved: the detail page of the new silence lists the alert it silences.
      await expect.poll(() => hashPath(page)).toMatch(/^#\/silences\/[0-9a-f-]{36}$/);
      const id = decodeURIComponent(hashPath(page).slice('#/silences/'.length));
      expect(id).toMatch(UUID);
      const detail = page.getByTestId('silence-detail');
      await detail.getByText('web-1 is being replaced').waitFor();
      await detail.getByText('oncall-anna').waitFor();
      await expect.poll(() => attrs(page.getByTestId('silenced-alert'), 'data-fingerprint')).toEqual([fingerprint]);

      // The API agrees.
      const listedSilences = await silences();
      expect(listedSilences.map((s) => [s.id, s.comment, s.status.state])).toEqual([[id, 'web-1 is being replaced', 'active']]);
      // The end is the one the editor showed, read in the browser's zone (Europe/Berlin).
      expect(berlin(listedSilences[0]!.endsAt)).toBe(withSeconds(end));
      const silenced = await api<ApiAlert[]>('GET', '/api/v2/alerts?silenced=true&active=false&inhibited=false');
      expect(silenced.map((a) => [a.labels['alertname'], a.status.state, a.status.silencedBy])).toEqual([['SilenceMe', 'suppressed', [id]]]);

      // The Alerts page shows it silenced by this silence with the Silenced filter on, and hides
      // it with the filter off.
      await page.goto(`${server.url}/#/alerts`);
      await card(page, 'KeepFiring').waitFor();
      const silencedFilter = page.getByRole('checkbox', { name: 'Silenced' });
      await silencedFilter.check();
      await card(page, 'SilenceMe').locator(`a[href="#/silences/${id}"]`).first().waitFor();
      await silencedFilter.uncheck();
      await expect.poll(() => card(page, 'SilenceMe').count()).toBe(0);
      await card(page, 'KeepFiring').waitFor();

      // The next editor remembers who created the last silence.
      await page.goto(`${server.url}/#/silences/new`);
      await expect.poll(() => page.getByLabel('Created by').inputValue()).toBe('oncall-anna');
    } finally {
      await context.close();
    }
  });

  it('expires a silence from the list after asking, and lists it under Expired', async () => {
    const id = await createSilence({ alertname: 'KeepFiring' }, 'expire me');
    const { context, page } = await open('#/silences');
    try {
      const item = listed(page, id);
      await item.getByText('expire me').waitFor();
      await page.getByRole('link', { name: /^Active\s+\d+$/ }).waitFor();

      // Escape closes the confirmation and expires nothing.
      await item.getByRole('button', { name: 'Expire', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Expire this silence?' });
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect((await api<ApiSilence>('GET', `/api/v2/silence/${id}`)).status.state).toBe('active');

      await item.getByRole('button', { name: 'Expire', exact: true }).click();
      await dialog.getByRole('button', { name: 'Expire silence' }).click();
      await item.waitFor({ state: 'detached' });
      await expect.poll(async () => (await api<ApiSilence>('GET', `/api/v2/silence/${id}`)).status.state).toBe('expired');

      await page.getByRole('link', { name: /^Expired\s+\d+$/ }).click();
      await expect.poll(() => new URL(page.url()).hash).toBe('#/silences?state=expired');
      const expired = listed(page, id);
      await expired.getByText('expire me').waitFor();
      await expired.getByText('expired', { exact: true }).waitFor();
      // An expired silence cannot be expired (or edited) again; it can be duplicated.
      expect(await expired.getByRole('button', { name: 'Expire', exact: true }).count()).toBe(0);
      expect(await expired.getByRole('link', { name: 'Edit', exact: true }).count()).toBe(0);
      await expired.getByRole('link', { name: 'Duplicate', exact: true }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('edits a silence and duplicates one', async () => {
    const id = await createSilence({ alertname: 'KeepFiring', instance: 'db-1' }, 'before the edit');
    const { context, page } = await open('#/silences');
    try {
      // The matcher filter narrows the list (the v2 filter parameter).
      await page.getByLabel('Filter by matchers').fill('instance="db-1"');
      await page.getByLabel('Filter by matchers').press('Enter');
      await expect.poll(() => new URL(page.url()).hash).toBe(`#/silences?filter=${encodeURIComponent('instance="db-1"')}`);
      await expect.poll(() => attrs(page.getByTestId('silence'), 'data-silence-id')).toEqual([id]);

      await listed(page, id).getByRole('link', { name: 'Edit', exact: true }).click();
      await expect.poll(() => hashPath(page)).toBe(`#/silences/${id}/edit`);
      const comment = page.getByLabel('Comment');
      await expect.poll(() => comment.inputValue()).toBe('before the edit');
      await comment.fill('after the edit');
      await page.getByLabel('Duration', { exact: true }).fill('3h');
      await page.getByRole('button', { name: 'Save silence' }).click();

      await expect.poll(() => hashPath(page)).toMatch(/^#\/silences\/[0-9a-f-]{36}$/);
      const newId = decodeURIComponent(hashPath(page).slice('#/silences/'.length));
      // Matchers and start unchanged: the silence is updated in place, as Alertmanager does.
      expect(newId).toBe(id);
      await page.getByTestId('silence-detail').getByText('after the edit').waitFor();
      const saved = await api<ApiSilence>('GET', `/api/v2/silence/${newId}`);
      expect(saved.comment).toBe('after the edit');
      expect(saved.status.state).toBe('active');
      expect(Date.parse(saved.endsAt) - Date.parse(saved.startsAt)).toBe(3 * 3600_000);

      // Duplicate: same matchers and comment, a new silence.
      await page.getByRole('link', { name: 'Duplicate', exact: true }).click();
      await expect.poll(() => new URL(page.url()).hash).toBe(`#/silences/new?from=${newId}`);
      await expect.poll(() => comment.inputValue()).toBe('after the edit');
      expect(await page.getByLabel('Value, matcher 2').inputValue()).toBe('db-1');
      expect(await page.getByLabel('Duration', { exact: true }).inputValue()).toBe('3h');
      await page.getByRole('button', { name: 'Create silence' }).click();
      await expect.poll(() => hashPath(page)).toMatch(/^#\/silences\/[0-9a-f-]{36}$/);
      expect(hashPath(page)).not.toBe(`#/silences/${newId}`);
    } finally {
      await context.close();
    }
  });

  it('reports a bad regular expression, from the browser or from the server, and creates nothing', async () => {
    const before = (await silences()).length;
    const { context, page } = await open(`#/silences/new?matcher=${encodeURIComponent('alertname="NothingFiresThis"')}`);
    try {
      await expect.poll(() => page.getByLabel('Value, matcher 1').inputValue()).toBe('NothingFiresThis');
      await page.getByText('No alert matches these matchers now').waitFor();
      await page.getByLabel('Comment').fill('bad regex');
      await page.getByLabel('Created by').fill('e2e');

      await page.getByRole('button', { name: 'Add matcher' }).click();
      await expect.poll(() => page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label') ?? null")).toBe('Label name, matcher 2');
      await page.getByLabel('Label name, matcher 2').fill('job');
      await page.getByLabel('Operator, matcher 2').selectOption('=~');
      await page.getByLabel('Value, matcher 2').fill('.*');
      await page.getByText('matches every alert, with or without the label').waitFor();

      // Caught while typing: the field says so, and Create sends nothing.
      await page.getByLabel('Value, matcher 2').fill('(api');
      await page.getByText(/invalid regular expression/).first().waitFor();
      expect(await page.getByLabel('Value, matcher 2').getAttribute('aria-invalid')).toBe('true');
      await page.getByRole('button', { name: 'Create silence' }).click();
      expect(hashPath(page)).toBe('#/silences/new');

      // A lookahead is a JavaScript regex but not an RE2 one: the server refuses it, verbatim.
      await page.getByLabel('Value, matcher 2').fill('(?=api)api');
      expect(await page.getByLabel('Value, matcher 2').getAttribute('aria-invalid')).toBe('false');
      await page.getByRole('button', { name: 'Create silence' }).click();
      await page.locator('form .error[role="alert"]').filter({ hasText: /invalid regular expression/ }).waitFor();
      expect(hashPath(page)).toBe('#/silences/new');
      expect((await silences()).length).toBe(before);
    } finally {
      await context.close();
    }
  });
});

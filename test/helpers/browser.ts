/**
 * Headless Chromium (Debian's `chromium`) driven by playwright-core, for the UI's end-to-end tests.
 * The flags are the ones this machine needs: no sandbox (root), no GPU, and none of Chromium's
 * background connections (the network is closed; they would be refused by the dozen).
 */
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { which } from './peers.js';

export const CHROMIUM = which('chromium') ?? which('chromium-browser');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserHandle {
  readonly browser: Browser;
  /** A fresh context (own storage) with a page, viewport of a laptop screen. */
  newPage(opts?: { colorScheme?: 'light' | 'dark' }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserHandle> {
  if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium)');
  // Playwright refuses --user-data-dir with launch() and gives each launch its own temporary profile.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  return {
    browser,
    async newPage(opts = {}) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 820 }, colorScheme: opts.colorScheme ?? 'light', timezoneId: 'Europe/Berlin' });
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      await browser.close();
    },
  };
}

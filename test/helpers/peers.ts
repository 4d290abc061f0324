/**
 * Peer binaries (amtool, prometheus, prometheus-alertmanager) and which server the suite targets.
 * Outside CI a missing peer skips the suites that need it (counted and reported); in CI
 * (`CI=true`) a missing peer fails them, so a broken runner image cannot pass silently.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/** True when running under CI: missing peers are failures, never skips. */
export const IN_CI = /^(1|true|yes)$/i.test(process.env['CI'] ?? '');

/** Which server the end-to-end suite talks to: herald (default) or the real Alertmanager 0.25. */
export type Target = 'herald' | 'alertmanager';

/** Reads HERALD_E2E_TARGET; anything but `alertmanager` means herald. */
export function target(): Target {
  return process.env['HERALD_E2E_TARGET'] === 'alertmanager' ? 'alertmanager' : 'herald';
}

/** Absolute path of an executable on PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

const skipped: string[] = [];

/** Peers a suite needs: the target server's binary is added when the target is Alertmanager. */
function required(peers: readonly string[]): string[] {
  const all = new Set(peers);
  if (target() === 'alertmanager') all.add('prometheus-alertmanager');
  return [...all];
}

/**
 * `describe` that needs peer binaries. Missing outside CI: the suite is skipped and counted.
 * Missing in CI: one failing test names what is missing.
 */
export function describeWithPeers(peers: readonly string[], title: string, body: () => void): void {
  const missing = required(peers).filter((p) => which(p) === undefined);
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  if (IN_CI) {
    describe(title, () => {
      it(`requires peer binaries (${missing.join(', ')})`, () => {
        throw new Error(`CI=true and peer binaries are missing: ${missing.join(', ')}; install prometheus, prometheus-alertmanager and prometheus-node-exporter`);
      });
    });
    return;
  }
  skipped.push(`${title} (missing: ${missing.join(', ')})`);
  // Reported at collection, when vitest shows console output; vitest's summary counts the tests.
  console.warn(`[e2e] skipping suite ${skipped.length} "${title}": peer binaries missing (${missing.join(', ')}); in CI this fails`);
  describe.skip(`${title} [missing: ${missing.join(', ')}]`, body);
}

/** Suites skipped so far in this file for missing peers. */
export function skippedSuites(): readonly string[] {
  return skipped;
}

/** `describe` for behaviour only Herald has (tenancy, kill -9 durability): skipped when targeting Alertmanager. */
export function describeHeraldOnly(peers: readonly string[], title: string, body: () => void): void {
  if (target() !== 'herald') {
    describe.skip(`${title} [herald only]`, body);
    return;
  }
  describeWithPeers(peers, title, body);
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig } from './check-config.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'herald-check-'));
const good = join(dir, 'good.yml');
writeFileSync(good, 'route:\n  receiver: a\nreceivers:\n  - name: a\n');
const bad = join(dir, 'bad.yml');
writeFileSync(bad, 'route:\n  receiver: a\nreceivers:\n  - name: a\nrecievers: []\n');

describe('check-config', () => {
  it('succeeds on a valid file', () => {
    const c = capture();
    expect(checkConfig([good], c.io)).toBe(0);
    expect(c.out[0]).toBe(`Checking '${good}'  SUCCESS`);
    expect(c.out).toContain(' - 1 receivers');
    expect(c.err).toEqual([]);
  });

  it('prints FILE: line L, column C: message and exits 1', () => {
    const c = capture();
    expect(checkConfig([good, bad], c.io)).toBe(1);
    expect(c.err.length).toBeGreaterThan(0);
    expect(c.err[0]).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line 5, column 1: .*recievers`));
  });

  it('reports a missing file', () => {
    const c = capture();
    expect(checkConfig([join(dir, 'missing.yml')], c.io)).toBe(1);
    expect(c.err[0]).toMatch(/missing\.yml: .*no such file/);
  });
});

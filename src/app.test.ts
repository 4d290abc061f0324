import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';

// The app wires the real engine; until every module it imports exists, these tests are skipped.
const READY = ['./alertmanager/engine.ts', './core/matchers/index.ts'].every((f) => existsSync(new URL(f, import.meta.url)));

function logCapture() {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (b: Buffer) => {
    for (const l of b.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l));
  });
  return { stream, lines };
}

describe.skipIf(!READY)('createApp', () => {
  it('listens on port 0, logs the address, serves the API and stops', async () => {
    const { createApp } = await import('./app.js');
    const dir = mkdtempSync(join(tmpdir(), 'herald-app-'));
    const log = logCapture();
    const app = await createApp({ storagePath: join(dir, 'data'), listenAddress: '127.0.0.1:0', logStream: log.stream });
    const address = await app.start();
    try {
      expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
      await new Promise((r) => setTimeout(r, 20));
      expect(log.lines.find((l) => l['msg'] === 'Listening on')?.['address']).toBe(address);
      const res = await fetch(`http://${address}/-/healthy`);
      expect(res.status).toBe(200);
      const st = await fetch(`http://${address}/api/v2/receivers`);
      expect(await st.json()).toEqual([{ name: 'empty-receiver' }]);
      expect(existsSync(join(dir, 'data', 'herald.db'))).toBe(true);
    } finally {
      await app.stop();
    }
  });

  it('refuses an invalid drop-in config with positions', async () => {
    const { createApp, ConfigFileError } = await import('./app.js');
    const dir = mkdtempSync(join(tmpdir(), 'herald-app-'));
    const file = join(dir, 'am.yml');
    writeFileSync(file, 'route:\n  receiver: a\nreceivers:\n  - name: a\nbogus: 1\n');
    const err = await createApp({ storagePath: dir, listenAddress: '127.0.0.1:0', alertmanagerConfigFile: file, logStream: new PassThrough() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigFileError);
    expect((err as Error).message).toMatch(new RegExp(`am\\.yml: line 5, column 1: `));
  });

  it.each([
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    [':9093', { host: '0.0.0.0', port: 9093 }],
    ['[::1]:9093', { host: '::1', port: 9093 }],
  ])('parseListenAddress(%s)', async (addr, want) => {
    const { parseListenAddress } = await import('./app.js');
    expect(parseListenAddress(addr)).toEqual(want);
  });

  it('parseListenAddress refuses garbage', async () => {
    const { parseListenAddress } = await import('./app.js');
    expect(() => parseListenAddress('localhost')).toThrow(/invalid address/);
  });
});

describe.skipIf(!READY)('herald CLI', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
  }

  it.each([
    [['--version'], 0, /herald, version \d+\.\d+\.\d+/],
    [['--help'], 0, /usage: herald/],
    [[], 2, /usage: herald/],
  ])('%j exits %i', async (argv, code, text) => {
    const { main } = await import('./cli/main.js');
    const c = io();
    expect(await main(argv, c.io)).toBe(code);
    expect(c.out.join('\n')).toMatch(text);
  });

  it.each([
    [['nope'], "unknown command 'nope'"],
    [['serve', '--bogus=1'], "unknown long flag '--bogus'"],
    [['serve', '--log.level=loud'], '--log.level must be one of'],
    [['check-config'], 'check-config needs at least one file'],
  ])('%j is a usage error (exit 2)', async (argv, msg) => {
    const { main } = await import('./cli/main.js');
    const c = io();
    expect(await main(argv, c.io)).toBe(2);
    expect(c.err.join('\n')).toContain(msg);
  });

  it('serve with an invalid Herald config exits 1 and prints positions', async () => {
    const { main } = await import('./cli/main.js');
    const dir = mkdtempSync(join(tmpdir(), 'herald-cli-'));
    const file = join(dir, 'herald.yml');
    writeFileSync(file, 'multitenancy:\n  require_tenant: 3\n');
    const c = io();
    expect(await main(['serve', `--config.file=${file}`, '--storage.path', dir, '--web.listen-address=127.0.0.1:0'], c.io)).toBe(1);
    expect(c.err.join('\n')).toContain(`${file}: line 2, column 19: multitenancy.require_tenant must be a boolean`);
  });
});

import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../core/runtime.js';
import { readKeyPair, watchKeyPair } from './tls.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'tls');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function recordingLogger(lines: string[]): Logger {
  const log: Logger = {
    debug: () => undefined,
    info: (_o, m) => void lines.push(`info ${m}`),
    warn: (_o, m) => void lines.push(`warn ${m}`),
    error: (o, m) => void lines.push(`error ${m} ${JSON.stringify(o)}`),
    child: () => log,
  };
  return log;
}

/** The CN of the certificate a new TLS connection is served. */
function servedName(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const cn = String(s.getPeerCertificate().subject.CN);
      s.end();
      resolve(cn);
    });
    s.on('error', reject);
  });
}

async function until(what: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('web.tls key pair', () => {
  it('reads a good pair and names the file and the problem otherwise', () => {
    expect(readKeyPair({ certFile: join(FIXTURES, 'a.crt'), keyFile: join(FIXTURES, 'a.key') }).cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(() => readKeyPair({ certFile: join(FIXTURES, 'nope.crt'), keyFile: join(FIXTURES, 'a.key') })).toThrow(/web\.tls\.cert_file: cannot read .*nope\.crt/);
    expect(() => readKeyPair({ certFile: join(FIXTURES, 'a.crt'), keyFile: join(FIXTURES, 'b.key') })).toThrow(/not a usable certificate and key/);
    expect(() => readKeyPair({ certFile: join(FIXTURES, 'README.md'), keyFile: join(FIXTURES, 'a.key') })).toThrow(/not a usable certificate and key/);
  });

  it('serves a renewed certificate without a restart, and keeps the old one when the new does not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const files = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
    copyFileSync(join(FIXTURES, 'a.crt'), files.certFile);
    copyFileSync(join(FIXTURES, 'a.key'), files.keyFile);
    const server: Server = createServer(readKeyPair(files), (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => server.close());
    const port = (server.address() as { port: number }).port;
    const lines: string[] = [];
    cleanups.push(watchKeyPair(server, files, recordingLogger(lines), 20));
    expect(await servedName(port)).toBe('herald-test-a');

    // Renewed on disk (as cert-manager rewrites a mounted Secret): new connections get it.
    writeFileSync(files.keyFile, readFileSync(join(FIXTURES, 'b.key')));
    writeFileSync(files.certFile, readFileSync(join(FIXTURES, 'b.crt')));
    const later = new Date(Date.now() + 5000);
    utimesSync(files.certFile, later, later);
    await until(async () => (await servedName(port)) === 'herald-test-b');
    expect(lines.some((l) => l.startsWith('info Reloaded the TLS certificate'))).toBe(true);

    // A broken renewal is logged and the working certificate stays.
    const seen = lines.length;
    writeFileSync(files.certFile, 'not a certificate');
    const later2 = new Date(Date.now() + 10_000);
    utimesSync(files.certFile, later2, later2);
    await until(() => Promise.resolve(lines.slice(seen).some((l) => l.startsWith('error TLS certificate changed but does not load'))));
    expect(await servedName(port)).toBe('herald-test-b');
  });
});

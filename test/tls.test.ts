/**
 * HTTPS for Herald's own listener (`web.tls`): what the Kubernetes admission webhook needs, since
 * kube-apiserver only calls webhooks over HTTPS.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HERALD_BIN, REPO_ROOT, dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'tls');
const CA = readFileSync(join(FIXTURES, 'a.crt'));

function tlsConfig(cert: string, key: string): string {
  return `web:\n  tls:\n    cert_file: ${cert}\n    key_file: ${key}\n`;
}

function https(port: number, method: string, path: string, body?: string): Promise<{ status: number; text: string; subject: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, method, path, ca: CA, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      // Read while the socket is attached: a kept-alive socket is released once the body ends.
      const subject = String((res.socket as TLSSocket).getPeerCertificate().subject.CN);
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, subject }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('web.tls: Herald serves HTTPS', () => {
  let h: ServerHandle | undefined;
  beforeAll(async () => {
    h = await startServer({ heraldConfig: tlsConfig(join(FIXTURES, 'a.crt'), join(FIXTURES, 'a.key')) });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, h));
  afterAll(async () => {
    await h?.stop();
    await h?.cleanup();
  });

  it('answers over TLS with the configured certificate, verified against it', async () => {
    const r = await https(h!.port, 'GET', '/-/healthy');
    expect(r.status).toBe(200);
    expect(r.subject).toBe('herald-test-a');
  });

  it('serves the admission webhook over TLS (AdmissionReview v1)', async () => {
    const object = {
      apiVersion: 'monitoring.coreos.com/v1beta1',
      kind: 'AlertmanagerConfig',
      metadata: { namespace: 'team-a', name: 'routing' },
      spec: { route: { receiver: 'missing' }, receivers: [{ name: 'r' }] },
    };
    const review = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u-1', operation: 'CREATE', namespace: 'team-a', name: 'routing', object } };
    const r = await https(h!.port, 'POST', '/admission-alertmanagerconfigs/validate', JSON.stringify(review));
    expect(r.status).toBe(200);
    const res = JSON.parse(r.text) as { response: { uid: string; allowed: boolean; status?: { message: string } } };
    expect(res.response.uid).toBe('u-1');
    expect(res.response.allowed).toBe(false);
    expect(res.response.status?.message).toMatch(/missing/);
  });

  it('does not answer plain HTTP on the TLS port', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port: h!.port, path: '/-/healthy', timeout: 5000 }, (res) => {
        res.resume();
        resolve(`status ${res.statusCode}`);
      });
      req.on('error', () => resolve('error'));
      req.on('timeout', () => {
        req.destroy();
        resolve('error');
      });
      req.end();
    });
    expect(outcome).not.toBe('status 200');
  });
});

describe('web.tls: a bad key pair stops the start with the file named', () => {
  const serve = (config: string): Promise<{ code: number | null; stderr: string }> =>
    (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'herald-tls-'));
      const file = join(dir, 'herald.yml');
      await writeFile(file, config);
      return new Promise((resolve) => {
        execFile(process.execPath, [HERALD_BIN, 'serve', '--config.file', file, '--storage.path', join(dir, 'data'), '--web.listen-address', '127.0.0.1:0'], { timeout: 60_000 }, (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr: stdout + stderr });
        });
      });
    })();

  it.each([
    ['a missing key file', tlsConfig(join(FIXTURES, 'a.crt'), join(FIXTURES, 'nope.key')), /web\.tls\.key_file: cannot read .*nope\.key/],
    ['a key that does not belong to the certificate', tlsConfig(join(FIXTURES, 'a.crt'), join(FIXTURES, 'b.key')), /not a usable certificate and key/],
    ['a certificate without its key', 'web:\n  tls:\n    cert_file: /x.crt\n', /web\.tls: cert_file and key_file are both required/],
  ])('%s', async (_name, config, message) => {
    const r = await serve(config);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });
});

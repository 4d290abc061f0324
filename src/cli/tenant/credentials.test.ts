import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, TEST_HTTP_CLIENT } from '../../net/test-fakes.js';
import type { Reply, SeenRequest, TestServer } from '../../net/test-fakes.js';
import { UsageError } from '../args.js';
import type { Output } from '../output.js';
import { authorizationHeader, describeCredentials, resolveCredentials } from './credentials.js';
import { HeraldAuthError, HeraldClient } from './herald-client.js';
import { runTenant } from './index.js';

const PACKS = join(import.meta.dirname, '../../../rule-packs');
const TOKEN = 'tok-s3cret_value';
const PASSWORD = 'pa55:word-s3cret';

function capture(): Output & { lines: string[]; errors: string[]; all(): string } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), all: () => [...lines, ...errors].join('\n') };
}

describe('resolveCredentials', () => {
  const flags = (o: Record<string, string>) => new Map(Object.entries(o));
  it.each<[string, Record<string, string>, Record<string, string>, ReturnType<typeof resolveCredentials>]>([
    ['nothing', {}, {}, undefined],
    ['--token', { token: ' abc ' }, {}, { kind: 'bearer', token: 'abc' }],
    ['HERALD_TOKEN', {}, { HERALD_TOKEN: 'abc' }, { kind: 'bearer', token: 'abc' }],
    ['--username/--password', { username: 'u', password: 'p w' }, {}, { kind: 'basic', username: 'u', password: 'p w' }],
    ['--username with HERALD_PASSWORD', { username: 'u' }, { HERALD_PASSWORD: 'p' }, { kind: 'basic', username: 'u', password: 'p' }],
    ['flags over the environment', { token: 'f' }, { HERALD_USERNAME: 'u', HERALD_PASSWORD: 'p' }, { kind: 'bearer', token: 'f' }],
    ['a user from the environment', {}, { HERALD_USERNAME: 'u', HERALD_PASSWORD: 'p' }, { kind: 'basic', username: 'u', password: 'p' }],
    ['empty variables count as unset', {}, { HERALD_TOKEN: '', HERALD_USERNAME: '' }, undefined],
  ])('%s', (_name, f, env, want) => {
    expect(resolveCredentials(flags(f), env)).toEqual(want);
  });

  it.each<[string, Record<string, string>, Record<string, string>, string]>([
    ['token and user flags', { token: 't', username: 'u' }, {}, 'give --token or --username/--password, not both'],
    ['token and user variables', {}, { HERALD_TOKEN: 't', HERALD_USERNAME: 'u' }, 'HERALD_TOKEN and HERALD_USERNAME/HERALD_PASSWORD are all set'],
    ['a user without a password', { username: 'u' }, {}, 'user "u" needs a password: add --password (or HERALD_PASSWORD)'],
    ['a password without a user', { password: PASSWORD }, {}, 'a password was given without a user name: add --username (or HERALD_USERNAME)'],
    ['a token with spaces', { token: 'a b' }, {}, '--token: a bearer token is visible ASCII without spaces'],
    ['a user name with a colon', { username: 'a:b', password: 'p' }, {}, 'a user name has no ":" or line breaks'],
  ])('refuses %s, naming flags and never the secret', (_name, f, env, message) => {
    let err: unknown;
    try {
      resolveCredentials(flags(f), env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(message);
    expect((err as Error).message).not.toContain(PASSWORD);
  });

  it('encodes the Authorization header and describes credentials without secrets', () => {
    expect(authorizationHeader({ kind: 'bearer', token: 'abc' })).toBe('Bearer abc');
    expect(authorizationHeader({ kind: 'basic', username: 'team-a', password: 'pä:ss' })).toBe(`Basic ${Buffer.from('team-a:pä:ss').toString('base64')}`);
    expect(describeCredentials({ kind: 'basic', username: 'team-a', password: PASSWORD })).toBe('user "team-a"');
    expect(describeCredentials({ kind: 'bearer', token: TOKEN })).toBe('a bearer token');
  });
});

/**
 * A Herald with `auth.mode: required`: a bearer token and a user for tenant db-a; 401 without
 * (or with wrong) credentials, 403 for another tenant; error bodies in each API family's shape.
 */
function authHerald(): (req: SeenRequest) => Reply {
  const basicOk = `Basic ${Buffer.from(`team-a:${PASSWORD}`).toString('base64')}`;
  return (req) => {
    const path = req.url.split('?')[0] ?? '';
    const auth = req.headers['authorization'];
    const prom = path.startsWith('/prometheus/');
    const refuse = (status: number, message: string): Reply => ({
      status,
      headers: { 'content-type': 'application/json', ...(status === 401 ? { 'www-authenticate': 'Basic realm="herald", Bearer' } : {}) },
      body: JSON.stringify(prom ? { status: 'error', errorType: status === 401 ? 'unauthorized' : 'forbidden', error: message } : path.startsWith('/api/v2/') ? message : { error: message }),
    });
    if (auth === undefined) return refuse(401, 'authentication required');
    if (auth !== `Bearer ${TOKEN}` && auth !== basicOk) return refuse(401, 'invalid credentials');
    if (req.headers['x-scope-orgid'] !== 'db-a') return refuse(403, `forbidden: not allowed for tenant "${req.headers['x-scope-orgid'] ?? ''}"`);
    const json = (body: unknown): Reply => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (path === '/prometheus/api/v1/alerts') return json({ status: 'success', data: { alerts: [{ labels: { alertname: 'RedisTooManyClients', tenant: 'db-a' }, state: 'firing' }] } });
    if (path === '/prometheus/api/v1/rules') return json({ status: 'success', data: { groups: [] } });
    if (path === '/prometheus/api/v1/query') return json({ status: 'success', data: { resultType: 'vector', result: [] } });
    if (path === '/api/herald/v1/thresholds' && req.method === 'PATCH') return json({});
    if (path === '/api/herald/v1/thresholds') return json({ tenant: 'db-a', source: 'api', document: '', resolved: [], stateFilters: [], problems: [] });
    if (path === '/api/v2/alerts') return json([]);
    if (path === '/api/v2/status') return json({ config: { original: 'route:\n  receiver: db-a\n' } });
    return { status: 404, body: 'not found' };
  };
}

async function withServer(f: (s: TestServer) => Promise<void>): Promise<void> {
  const server = await startServer(authHerald());
  try {
    await f(server);
  } finally {
    await server.close();
  }
}

const run = (argv: string[], out: Output, env: Record<string, string> = {}) => runTenant(argv, out, { http: TEST_HTTP_CLIENT, env });

describe('herald tenant against a Herald that requires authentication', () => {
  it('says which credentials to pass when none were sent (401)', async () => {
    await withServer(async (s) => {
      for (const argv of [
        ['check-alert', 'db-a', 'RedisTooManyClients', '--url', s.url, '--packs-dir', PACKS],
        ['diagnose', 'db-a', '--url', s.url, '--packs-dir', PACKS],
        ['patch', 'db-a', 'redis_connected_clients=300', '--url', s.url],
      ]) {
        const out = capture();
        expect(await run(argv, out), argv[0]).toBe(1);
        expect(out.errors).toHaveLength(1);
        expect(out.errors[0]).toMatch(/^herald: http:\/\/127\.0\.0\.1:\d+\/\S+: status 401: Herald requires authentication \(authentication required\); pass --token TOKEN \(or set HERALD_TOKEN\) for a bearer token, or --username USER --password PASS \(or set HERALD_USERNAME and HERALD_PASSWORD\) for a user$/);
      }
      expect(s.requests.every((r) => r.headers['authorization'] === undefined)).toBe(true);
    });
  });

  it('sends a bearer token from --token or HERALD_TOKEN', async () => {
    await withServer(async (s) => {
      const a = capture();
      expect(await run(['check-alert', 'db-a', 'RedisTooManyClients', '--url', s.url, '--token', TOKEN, '--packs-dir', PACKS], a)).toBe(0);
      expect(a.lines).toEqual(['RedisTooManyClients is firing for tenant db-a']);
      const b = capture();
      expect(await run(['diagnose', 'db-a', '--url', s.url, '--packs-dir', PACKS], b, { HERALD_TOKEN: TOKEN })).toBe(1);
      expect(b.all()).toContain('[ok]   config: threshold document valid (api)');
      expect(b.all()).not.toContain('401');
      expect(s.requests.length).toBeGreaterThan(4);
      expect(s.requests.every((r) => r.headers['authorization'] === `Bearer ${TOKEN}`)).toBe(true);
    });
  });

  it('sends a user as Basic auth (password from the environment) and PATCHes with it', async () => {
    await withServer(async (s) => {
      const out = capture();
      expect(await run(['patch', 'db-a', 'redis_connected_clients=300', '--url', s.url, '--username', 'team-a'], out, { HERALD_PASSWORD: PASSWORD })).toBe(0);
      expect(out.lines).toEqual(['tenant db-a: 1 key(s) updated']);
      expect(s.requests[0]?.method).toBe('PATCH');
      expect(s.requests[0]?.headers['authorization']).toBe(`Basic ${Buffer.from(`team-a:${PASSWORD}`).toString('base64')}`);
    });
  });

  it('says the credentials were not accepted (401), never printing them', async () => {
    await withServer(async (s) => {
      const a = capture();
      expect(await run(['check-alert', 'db-a', '--url', s.url, '--username', 'team-a', '--password', `${PASSWORD}x`, '--packs-dir', PACKS], a)).toBe(1);
      expect(a.errors[0]).toContain('status 401: Herald did not accept user "team-a" (invalid credentials); check the user name and password, or pass --token');
      const b = capture();
      expect(await run(['diagnose', 'db-a', '--url', s.url, '--packs-dir', PACKS], b, { HERALD_TOKEN: `${TOKEN}x` })).toBe(1);
      expect(b.errors).toEqual([expect.stringContaining('status 401: Herald did not accept a bearer token (invalid credentials); check the token')]);
      expect(b.lines).toEqual(['diagnosing tenant db-a']);
      for (const text of [a.all(), b.all()]) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(TOKEN);
      }
    });
  });

  it('says whose credentials may not act on the tenant (403)', async () => {
    await withServer(async (s) => {
      const out = capture();
      expect(await run(['check-alert', 'db-b', 'X', '--url', s.url, '--token', TOKEN, '--packs-dir', PACKS], out)).toBe(1);
      expect(out.errors[0]).toContain('status 403: a bearer token may not do this for tenant "db-b" (forbidden: not allowed for tenant "db-b"); use credentials whose tenants include "db-b"');
      expect(out.all()).not.toContain(TOKEN);
    });
  });

  it('takes user:password@ in the URL as Basic credentials and never shows the password', async () => {
    await withServer(async (s) => {
      const withUser = s.url.replace('http://', `http://team-a:${encodeURIComponent(PASSWORD)}x@`);
      const out = capture();
      expect(await run(['check-alert', 'db-a', '--url', withUser, '--packs-dir', PACKS], out)).toBe(1);
      expect(out.errors[0]).toMatch(/^herald: http:\/\/127\.0\.0\.1:\d+\/prometheus\/api\/v1\/alerts: status 401: Herald did not accept user "team-a"/);
      expect(out.all()).not.toContain('s3cret');
      const ok = new HeraldClient(TEST_HTTP_CLIENT, s.url.replace('http://', `http://team-a:${encodeURIComponent(PASSWORD)}@`), 'db-a');
      expect(await ok.alerts()).toHaveLength(1);
      await expect(new HeraldClient(TEST_HTTP_CLIENT, s.url, 'db-a').alerts()).rejects.toBeInstanceOf(HeraldAuthError);
    });
  });

  it('refuses credential flags where no Herald is involved, and ambiguous credentials', async () => {
    await expect(run(['patch', 'db-a', 'a_b=1', '--dir', '/nonexistent', '--token', TOKEN], capture())).rejects.toThrow('--token is for talking to a running Herald (patch --url URL)');
    await expect(run(['check-alert', 'db-a', '--url', 'http://x', '--token', TOKEN, '--username', 'u'], capture())).rejects.toThrow('not both');
    await expect(run(['migrate', 'legacy.yml', '--password', PASSWORD], capture())).rejects.toThrow('--password is for talking to a running Herald (with --shadow URL)');
  });
});

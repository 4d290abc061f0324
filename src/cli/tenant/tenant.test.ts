import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, TEST_HTTP_CLIENT } from '../../net/test-fakes.js';
import type { Reply, SeenRequest } from '../../net/test-fakes.js';
import { UsageError } from '../args.js';
import type { Output } from '../output.js';
import { routeReceivers } from './diagnose.js';
import { runTenant } from './index.js';
import { applyAssignments, parseAssignment } from './patch.js';
import { parseReceiver } from './receivers.js';

const REPO = join(import.meta.dirname, '../../..');
const PACKS = join(REPO, 'rule-packs');

function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-tenant-'));
  copyFileSync(join(REPO, 'conf.d.example/_defaults.yaml'), join(dir, '_defaults.yaml'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const deps = (prompt?: (q: string) => Promise<string>) => ({ http: TEST_HTTP_CLIENT, env: {}, ...(prompt ? { prompt } : {}) });

describe('patch', () => {
  it.each([
    ['mysql_connections=70', { key: 'mysql_connections', value: 70 }],
    ['mysql_connections=80:critical', { key: 'mysql_connections', value: '80:critical' }],
    ['redis_queue_length{queue="a=b"}=5', { key: 'redis_queue_length{queue="a=b"}', value: 5 }],
    ['mysql_connections=', { key: 'mysql_connections', value: null }],
  ])('parses %s', (arg, want) => expect(parseAssignment(arg)).toEqual(want));

  it('refuses an argument without =', () => expect(() => parseAssignment('nokey')).toThrow(UsageError));

  it('keeps comments and order', () => {
    const text = '# head\nb_x: 1 # keep me\na_y: 2\n';
    expect(applyAssignments(text, [{ key: 'b_x', value: 5 }, { key: 'c_z', value: 'disable' }, { key: 'a_y', value: null }])).toBe('# head\nb_x: 5 # keep me\nc_z: disable\n');
  });

  it('edits the tenant file after validation', async () => {
    writeFileSync(join(dir, 'db-a.yaml'), '# db-a\nmysql_connections: 50 # tight\n');
    const out = capture();
    expect(await runTenant(['patch', 'db-a', 'mysql_connections=60', 'redis_connected_clients=disable', '--dir', dir], out, deps())).toBe(0);
    expect(readFileSync(join(dir, 'db-a.yaml'), 'utf8')).toBe('# db-a\nmysql_connections: 60 # tight\nredis_connected_clients: disable\n');
  });

  it('writes nothing when the result is invalid, and names the problem', async () => {
    writeFileSync(join(dir, 'db-a.yaml'), 'mysql_connections: 50\n');
    const out = capture();
    expect(await runTenant(['patch', 'db-a', 'mysql_bogus_key=1', '--dir', dir], out, deps())).toBe(1);
    expect(readFileSync(join(dir, 'db-a.yaml'), 'utf8')).toBe('mysql_connections: 50\n');
    expect(out.errors[0]).toContain('not changed');
    expect(out.errors.join('\n')).toMatch(/db-a\.yaml: line 2, column 1: .*mysql_bogus_key/);
  });

  it('PATCHes the API with the tenant header', async () => {
    const server = await startServer(() => ({ status: 204 }));
    try {
      const out = capture();
      expect(await runTenant(['patch', 'db-a', 'mysql_connections=60', 'redis_connected_clients=', '--url', server.url], out, deps())).toBe(0);
      const req = server.requests[0] as SeenRequest;
      expect(req.method).toBe('PATCH');
      expect(req.url).toBe('/api/herald/v1/thresholds');
      expect(req.headers['x-scope-orgid']).toBe('db-a');
      expect(JSON.parse(req.body)).toEqual({ mysql_connections: 60, redis_connected_clients: null });
    } finally {
      await server.close();
    }
  });

  it('reports 400 issues and 409 from the API', async () => {
    const replies: Reply[] = [
      { status: 400, body: JSON.stringify({ error: 'invalid document', issues: [{ message: 'no default for key "x_y"', line: 3, column: 1 }] }) },
      { status: 409, body: JSON.stringify({ error: 'tenant db-a is configured by conf.d/db-a.yaml' }) },
    ];
    const server = await startServer((_r, n) => replies[n] as Reply);
    try {
      const a = capture();
      expect(await runTenant(['patch', 'db-a', 'x_y=1', '--url', server.url], a, deps())).toBe(1);
      expect(a.errors).toEqual(['tenant db-a: refused (400): invalid document', '  line 3, column 1: no default for key "x_y"']);
      const b = capture();
      expect(await runTenant(['patch', 'db-a', 'x_y=1', '--url', server.url], b, deps())).toBe(1);
      expect(b.errors[0]).toContain('conf.d/db-a.yaml');
    } finally {
      await server.close();
    }
  });

  it('rejects bad tenants and mixed modes', async () => {
    await expect(runTenant(['patch', 'bad/tenant', 'a_b=1', '--dir', dir], capture(), deps())).rejects.toThrow(UsageError);
    await expect(runTenant(['patch', 'db-a', 'a_b=1', '--dir', dir, '--url', 'http://x'], capture(), deps())).rejects.toThrow('not both');
  });
});

describe('scaffold', () => {
  it('writes a valid file and an Alertmanager config from flags', async () => {
    const out = capture();
    const code = await runTenant(
      ['scaffold', '--dir', dir, '--packs-dir', PACKS, '--tenant', 'db-c', '--pack', 'mariadb', '--set', 'mysql_connections=60', '--set', 'mysql_slow_queries=disable', '--receiver', 'webhook=http://hooks.example/db-c', '--non-interactive'],
      out,
      deps(),
    );
    expect(out.errors).toEqual([]);
    expect(code).toBe(0);
    const text = readFileSync(join(dir, 'db-c.yaml'), 'utf8');
    expect(text).toContain('mysql_connections: 60\nmysql_slow_queries: disable\n');
    const am = out.lines.join('\n');
    expect(am).toContain('alertmanager_config: |');
    expect(am).toContain('- url: http://hooks.example/db-c');
  });

  it('asks on a terminal: Enter keeps defaults, answers are validated', async () => {
    const answers = ['db-d', 'redis', 'abc', '300', 'disable', '', '', '', '', '', '', 'email=ops@example.com', ''];
    const asked: string[] = [];
    const prompt = (q: string) => {
      asked.push(q);
      return Promise.resolve(answers.shift() ?? '');
    };
    const out = capture();
    expect(await runTenant(['scaffold', '--dir', dir, '--packs-dir', PACKS, '--am-out', join(dir, 'am.yaml')], out, deps(prompt))).toBe(0);
    expect(asked[0]).toBe('Tenant id: ');
    expect(asked).toContain('  redis_connected_clients [500]: ');
    expect(out.errors.join('\n')).toContain('"abc" is not a number');
    const text = readFileSync(join(dir, 'db-d.yaml'), 'utf8');
    expect(text).toMatch(/redis_connected_clients: 300\nredis_connected_clients_critical: disable\n/);
    expect(readFileSync(join(dir, 'am.yaml'), 'utf8')).toContain('to: ops@example.com');
  });

  it('refuses an invalid --set, an existing file, unknown packs', async () => {
    const a = capture();
    expect(await runTenant(['scaffold', '--dir', dir, '--packs-dir', PACKS, '--tenant', 'db-e', '--set', 'nope_key=1'], a, deps())).toBe(1);
    expect(a.errors.join('\n')).toContain('nope_key');
    writeFileSync(join(dir, 'db-f.yaml'), '{}\n');
    await expect(runTenant(['scaffold', '--dir', dir, '--packs-dir', PACKS, '--tenant', 'db-f'], capture(), deps())).rejects.toThrow('exists');
    const c = capture();
    expect(await runTenant(['scaffold', '--dir', dir, '--packs-dir', PACKS, '--tenant', 'db-g', '--pack', 'oracle'], c, deps())).toBe(1);
    expect(c.errors[0]).toContain('no pack named "oracle"');
  });

  it.each([
    ['webhook=ftp://x', 'http or https'],
    ['email=nobody', 'not an email address'],
    ['pager=1', 'expected webhook=URL'],
  ])('refuses receiver %s', (arg, msg) => expect(() => parseReceiver(arg)).toThrow(msg));
});

const LEGACY = `groups:
- name: legacy
  rules:
  - alert: TooManyClients
    expr: redis_connected_clients{namespace="db-a"} > 100
  - alert: TooManyClients
    expr: redis_connected_clients{namespace="db-b"} > 400
  - alert: Both
    expr: redis_up{namespace="db-a"} == 0 and mysql_up{namespace="db-a"} == 0
`;

function promVector(samples: number[]): Reply {
  return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: samples.map((v) => ({ metric: {}, value: [1, String(v)] })) } }) };
}

describe('migrate', () => {
  it('converts onto the shipped pack key and reports what it refused', async () => {
    const file = join(dir, 'legacy.yml');
    writeFileSync(file, LEGACY);
    const out = capture();
    const code = await runTenant(['migrate', file, '--defaults', join(dir, '_defaults.yaml'), '--packs-dir', PACKS, '--out', join(dir, 'out')], out, deps());
    expect(code).toBe(1);
    expect(readFileSync(join(dir, 'out/db-a.yaml'), 'utf8')).toContain('redis_connected_clients: 100');
    expect(readFileSync(join(dir, 'out/db-b.yaml'), 'utf8')).toContain('redis_connected_clients: 400');
    expect(out.lines).toContain("refused: legacy/Both: 'and' combines several conditions; a threshold key holds one comparison");
    expect(out.errors).toEqual([]);
  });

  it('--shadow reports tenants where old and new disagree', async () => {
    const file = join(dir, 'legacy.yml');
    writeFileSync(file, LEGACY.split('  - alert: Both')[0] ?? '');
    // db-a: legacy fires (one series over 100), pack max also fires; db-b: legacy fires, pack does not (answered empty).
    const server = await startServer((req) => {
      const tenant = req.headers['x-scope-orgid'];
      const q = decodeURIComponent(req.url.split('query=')[1] ?? '');
      if (tenant === 'db-b' && q.startsWith('max')) return promVector([]);
      return promVector([150]);
    });
    try {
      const out = capture();
      expect(await runTenant(['migrate', file, '--packs-dir', PACKS, '--shadow', server.url], out, deps())).toBe(1);
      const text = out.lines.join('\n');
      expect(text).toContain('agree    tenant db-a TooManyClients: both fire');
      expect(text).toContain('DISAGREE tenant db-b TooManyClients: legacy fires, the pack would not');
      expect(server.requests.map((r) => decodeURIComponent(r.url.split('query=')[1] ?? ''))).toContain('max (redis_connected_clients) > 400');
    } finally {
      await server.close();
    }
  });

  it('names an unreadable legacy file', async () => {
    const out = capture();
    expect(await runTenant(['migrate', join(dir, 'missing.yml'), '--packs-dir', PACKS], out, deps())).toBe(1);
    expect(out.errors[0]).toMatch(/missing\.yml: no such file/);
  });
});

/** A fake Herald answering the tools' reads. */
function fakeHerald(state: { alerts?: unknown[]; value?: number; thresholdValue?: number; maintenance?: boolean; problems?: unknown[]; amAlerts?: unknown[]; ruleErr?: boolean }) {
  return (req: SeenRequest): Reply => {
    const path = req.url.split('?')[0];
    const json = (body: unknown): Reply => ({ status: 200, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    if (path === '/prometheus/api/v1/alerts') return json({ status: 'success', data: { alerts: state.alerts ?? [] } });
    if (path === '/prometheus/api/v1/rules')
      return json({ status: 'success', data: { groups: [{ name: 'g', file: 'f', rules: [{ type: 'alerting', name: 'X', query: 'up', health: state.ruleErr ? 'err' : 'ok', lastError: 'boom' }] }] } });
    if (path === '/api/herald/v1/thresholds')
      return json({
        tenant: 'db-a',
        source: 'directory',
        document: 'redis_connected_clients: 200\n',
        resolved: state.thresholdValue === undefined ? [] : [{ labels: { tenant: 'db-a', component: 'redis', metric: 'connected_clients', severity: 'warning' }, value: state.thresholdValue, key: 'redis_connected_clients', source: 'custom' }],
        stateFilters: state.maintenance ? [{ filter: 'maintenance', severity: 'info' }] : [],
        problems: state.problems ?? [],
      });
    if (path === '/prometheus/api/v1/query') {
      const q = decodeURIComponent(req.url.split('query=')[1] ?? '');
      if (q === 'tenant:redis_connected_clients:max') return promVector(state.value === undefined ? [] : [state.value]);
      if (q === 'count(user_threshold)') return promVector([12]);
      if (q.startsWith('count by (__name__)')) return { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'redis_connected_clients' }, value: [1, '1'] }] } }) };
      return promVector([]);
    }
    if (path === '/api/v2/alerts') return json(state.amAlerts ?? []);
    if (path === '/api/v2/status') return json({ config: { original: 'route:\n  receiver: db-a\n  routes:\n  - receiver: pager\nreceivers: [{name: db-a}, {name: pager}]\n' } });
    return { status: 404, body: 'not found' };
  };
}

describe('check-alert', () => {
  it.each([
    [{ value: 120, thresholdValue: 200 }, 'tenant:redis_connected_clients:max = 120 is not > the threshold 200 (redis_connected_clients, custom)'],
    [{ thresholdValue: 200 }, 'no series: tenant:redis_connected_clients:max has no value for the tenant'],
    [{ value: 120 }, 'no threshold redis_connected_clients: no default and not set by the tenant'],
    [{ value: 300, thresholdValue: 200, maintenance: true }, 'state filter "maintenance" is on for the tenant (_state_maintenance): threshold alerts are silenced'],
    [{ value: 300, thresholdValue: 200 }, '= 300 > 200 (redis_connected_clients, custom) holds'],
  ])('explains why RedisTooManyClients is not firing (%j)', async (state, reason) => {
    const server = await startServer(fakeHerald(state));
    try {
      const out = capture();
      expect(await runTenant(['check-alert', 'db-a', 'RedisTooManyClients', '--url', server.url, '--packs-dir', PACKS], out, deps())).toBe(1);
      expect(out.lines[0]).toBe('RedisTooManyClients is not firing for tenant db-a (pack redis). Why:');
      expect(out.lines.join('\n')).toContain(reason);
    } finally {
      await server.close();
    }
  });

  it('says when the alert fires, and lists active alerts', async () => {
    const server = await startServer(fakeHerald({ alerts: [{ labels: { alertname: 'RedisTooManyClients', tenant: 'db-a' }, state: 'firing', value: '3e+02', activeAt: '2026-01-01T00:00:00Z' }] }));
    try {
      const a = capture();
      expect(await runTenant(['check-alert', 'db-a', 'RedisTooManyClients', '--url', server.url, '--packs-dir', PACKS], a, deps())).toBe(0);
      expect(a.lines).toEqual(['RedisTooManyClients is firing for tenant db-a (value 3e+02) since 2026-01-01T00:00:00Z']);
      const b = capture();
      expect(await runTenant(['check-alert', 'db-a', '--url', server.url, '--packs-dir', PACKS], b, deps())).toBe(0);
      expect(b.lines[0]).toMatch(/^firing +RedisTooManyClients/);
      const c = capture();
      expect(await runTenant(['check-alert', 'db-a', 'NoSuchAlert', '--url', server.url, '--packs-dir', PACKS], c, deps())).toBe(1);
      expect(c.lines[0]).toContain('no such alerting rule');
    } finally {
      await server.close();
    }
  });

  it('fails cleanly when Herald is unreachable', async () => {
    const out = capture();
    expect(await runTenant(['check-alert', 'db-a', 'X', '--url', 'http://127.0.0.1:1', '--packs-dir', PACKS], out, deps())).toBe(1);
    expect(out.errors[0]).toMatch(/^herald: http:\/\/127\.0\.0\.1:1\/prometheus\/api\/v1\/alerts: /);
  });

  it('needs --url', async () => {
    await expect(runTenant(['check-alert', 'db-a'], capture(), deps())).rejects.toThrow('--url');
  });
});

describe('diagnose', () => {
  it('passes when every link holds', async () => {
    const server = await startServer(fakeHerald({ thresholdValue: 200, amAlerts: [{ labels: { alertname: 'RedisTooManyClients' }, receivers: [{ name: 'db-a' }], status: { state: 'active' } }] }));
    try {
      const out = capture();
      const code = await runTenant(['diagnose', 'db-a', '--url', server.url, '--packs-dir', PACKS], out, deps());
      const text = out.lines.join('\n');
      expect(text).toContain('[ok]   config: threshold document valid (directory), 1 threshold(s)');
      expect(text).toContain('redis: 1/');
      expect(text).toContain('route tree receivers: db-a, pager');
      expect(text).toContain('db-a <- RedisTooManyClients');
      expect(text).toMatch(/\[warn\] thresholds: 12 user_threshold series emitted \(the API resolves 1/);
      expect(code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('fails on document problems, rule errors and unrouted alerts', async () => {
    const server = await startServer(
      fakeHerald({ problems: [{ source: 'conf.d/db-a.yaml', issues: [{ message: 'no default for key "x_y"', line: 2, column: 1 }] }], ruleErr: true, amAlerts: [{ labels: { alertname: 'A' }, receivers: [], status: { state: 'active' } }] }),
    );
    try {
      const out = capture();
      expect(await runTenant(['diagnose', 'db-a', '--url', server.url, '--packs-dir', PACKS], out, deps())).toBe(1);
      const text = out.lines.join('\n');
      expect(text).toContain('[FAIL] config: threshold document has errors');
      expect(text).toContain('conf.d/db-a.yaml:2:1: no default for key "x_y"');
      expect(text).toContain('[FAIL] rules: 1 of 1 rule(s) fail to evaluate');
      expect(text).toContain('f/g/X: boom');
      expect(text).toContain('[FAIL] routing: 1 alert(s) reach no receiver');
      expect(out.lines.at(-1)).toBe('3 check(s) failed');
    } finally {
      await server.close();
    }
  });

  it('reads the route tree receivers', () => {
    expect(routeReceivers('route:\n  receiver: a\n  routes:\n  - receiver: b\n    routes: [{receiver: a}, {receiver: c}]\n')).toEqual(['a', 'b', 'c']);
  });
});

describe('usage', () => {
  it('prints help and refuses unknown sub-commands', async () => {
    const out = capture();
    expect(await runTenant(['--help'], out, deps())).toBe(0);
    for (const sub of ['scaffold', 'migrate', 'check-alert', 'diagnose', 'patch']) expect(out.lines[0]).toContain(`  ${sub} `);
    await expect(runTenant(['frobnicate'], capture(), deps())).rejects.toThrow("unknown tenant sub-command 'frobnicate'");
    await expect(runTenant([], capture(), deps())).rejects.toThrow('needs a sub-command');
  });
});

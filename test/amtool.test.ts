/**
 * amtool 0.25 against the server: alerts, silences (add/query/expire/import) and the routing
 * tree, as an operator uses them with a drop-in Alertmanager config.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { amtool, amtoolOk } from './helpers/amtool.js';
import { describeWithPeers } from './helpers/peers.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';
import { WebhookReceiver } from './helpers/webhook.js';

const ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describeWithPeers(['amtool'], 'amtool against the server', () => {
  let server: ServerHandle;
  let hook: WebhookReceiver;

  beforeAll(async () => {
    hook = await WebhookReceiver.start();
    const amConfig = [
      'route:',
      '  receiver: team-default',
      '  group_by: [alertname]',
      '  group_wait: 1s',
      '  group_interval: 2s',
      '  repeat_interval: 1h',
      '  routes:',
      '  - matchers: [\'severity="critical"\']',
      '    receiver: team-pager',
      '    continue: true',
      '  - matchers: [\'team="db"\']',
      '    receiver: team-db',
      'receivers:',
      '- name: team-default',
      '  webhook_configs:',
      `  - url: ${hook.url('/default')}`,
      '- name: team-pager',
      '  webhook_configs:',
      `  - url: ${hook.url('/pager')}`,
      '- name: team-db',
      '  webhook_configs:',
      `  - url: ${hook.url('/db')}`,
      '',
    ].join('\n');
    server = await startServer({ amConfig });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await server?.stop();
    await server?.cleanup();
    await hook?.close();
  });

  it('alert add is delivered through the routing tree and shown by alert query', async () => {
    await amtoolOk(server.url, ['alert', 'add', 'alertname=AmtoolE2E', 'severity=critical', 'team=db', '--annotation=summary=from amtool']);
    const table = await amtoolOk(server.url, ['alert', 'query']);
    expect(table).toMatch(/^Alertname\s+Starts At\s+Summary\s+State/m);
    expect(table).toMatch(/AmtoolE2E\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+from amtool\s+active/);

    const extended = await amtoolOk(server.url, ['alert', 'query', '-o', 'extended', 'alertname=AmtoolE2E']);
    expect(extended).toContain('alertname="AmtoolE2E"');
    expect(extended).toContain('severity="critical"');
    expect(extended).toContain('summary="from amtool"');

    const json = JSON.parse(await amtoolOk(server.url, ['alert', 'query', '-o', 'json'])) as Array<{ labels: Record<string, string>; receivers: Array<{ name: string }>; fingerprint: string }>;
    const mine = json.filter((a) => a.labels['alertname'] === 'AmtoolE2E');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(mine[0]!.receivers.map((r) => r.name).sort()).toEqual(['team-db', 'team-pager']);

    // continue: true on the pager route, so both the pager and the db receiver are notified.
    const pager = await hook.waitFor(1, 15_000, (n) => n.path === '/pager');
    const db = await hook.waitFor(1, 15_000, (n) => n.path === '/db');
    expect(pager[0]!.payload.alerts[0]!.labels['alertname']).toBe('AmtoolE2E');
    expect(pager[0]!.payload.receiver).toBe('team-pager');
    expect(db[0]!.payload.receiver).toBe('team-db');
    expect(hook.received((n) => n.path === '/default')).toHaveLength(0);

    const none = await amtoolOk(server.url, ['alert', 'query', 'alertname=NoSuchAlert']);
    expect(none).not.toContain('AmtoolE2E');
  });

  it('silence add, query, expire and import round-trip', async () => {
    const id = (await amtoolOk(server.url, ['silence', 'add', 'alertname=AmtoolE2E', 'team=db', '--comment=maintenance window', '--author=e2e', '--duration=1h'])).trim();
    expect(id).toMatch(ID_RE);

    const table = await amtoolOk(server.url, ['silence', 'query']);
    expect(table).toMatch(/^ID\s+Matchers\s+Ends At\s+Created By\s+Comment/m);
    expect(table).toContain(id);
    expect(table).toMatch(/alertname="AmtoolE2E" team="db"/);
    expect(table).toContain('maintenance window');
    expect((await amtoolOk(server.url, ['silence', 'query', '-q'])).trim().split('\n')).toContain(id);

    // The silenced alert now shows as suppressed.
    const alerts = await amtoolOk(server.url, ['alert', 'query', '-s', '-o', 'extended', 'alertname=AmtoolE2E']);
    expect(alerts).toContain('suppressed');

    const exported = await amtoolOk(server.url, ['silence', 'query', '-o', 'json']);
    const silences = JSON.parse(exported) as Array<{ id: string; matchers: unknown[]; status: { state: string } }>;
    expect(silences.find((s) => s.id === id)?.status.state).toBe('active');
    const file = join(server.storageDir, 'silences-export.json');
    await writeFile(file, exported);

    await amtoolOk(server.url, ['silence', 'expire', id]);
    expect(await amtoolOk(server.url, ['silence', 'query', '-q'])).not.toContain(id);
    expect(await amtoolOk(server.url, ['silence', 'query', '--expired', '-q'])).toContain(id);

    // Expiring again (or an unknown id) is an error amtool reports.
    const again = await amtool(server.url, ['silence', 'expire', '00000000-0000-4000-8000-000000000000']);
    expect(again.code).not.toBe(0);

    // Import re-creates the exported silences under new ids.
    const imported = (await amtoolOk(server.url, ['silence', 'import', file])).trim().split('\n').filter(Boolean);
    expect(imported.length).toBe(silences.length);
    for (const newId of imported) expect(newId).toMatch(ID_RE);
    expect(imported).not.toContain(id);
    const after = await amtoolOk(server.url, ['silence', 'query']);
    expect(after).toContain(imported[0]!);
    expect(after).toContain('maintenance window');
  });

  it('config routes show prints the routing tree; routes test resolves receivers', async () => {
    const tree = await amtoolOk(server.url, ['config', 'routes', 'show']);
    expect(tree).toContain('Routing tree:');
    expect(tree).toMatch(/└── default-route\s+receiver: team-default/);
    expect(tree).toMatch(/├── \{severity="critical"\}\s+continue: true\s+receiver: team-pager/);
    expect(tree).toMatch(/└── \{team="db"\}\s+receiver: team-db/);

    expect((await amtoolOk(server.url, ['config', 'routes', 'test', 'severity=critical', 'team=db'])).trim()).toBe('team-pager,team-db');
    expect((await amtoolOk(server.url, ['config', 'routes', 'test', 'team=web'])).trim()).toBe('team-default');
  });
});

/**
 * `*_file` secrets in the operator's Alertmanager config, end to end with the real herald
 * process: the webhook URL (url_file) and the Authorization credentials
 * (http_config.authorization.credentials_file) are read from files at send time, so a rotated
 * credential is used by the next notification. Tenant uploads still may not name files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeHeraldOnly } from './helpers/peers.js';
import { alert, request } from './helpers/http.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';
import { WebhookReceiver } from './helpers/webhook.js';

describeHeraldOnly([], 'operator *_file secrets', () => {
  let server: ServerHandle;
  let hook: WebhookReceiver;
  const dir = mkdtempSync(join(tmpdir(), 'herald-e2e-secrets-'));
  const urlFile = join(dir, 'url');
  const tokenFile = join(dir, 'token');

  beforeAll(async () => {
    hook = await WebhookReceiver.start('127.0.0.1');
    writeFileSync(urlFile, `${hook.url('/secret')}\n`);
    writeFileSync(tokenFile, 's3cr3t-one\n');
    server = await startServer({
      amConfig: [
        'route:',
        '  receiver: files',
        '  group_by: [alertname]',
        '  group_wait: 0s',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        'receivers:',
        '- name: files',
        '  webhook_configs:',
        `  - url_file: ${urlFile}`,
        '    http_config:',
        '      authorization:',
        `        credentials_file: ${tokenFile}`,
        '',
      ].join('\n'),
    });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await server?.stop();
    await server?.cleanup();
    await hook?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends to the URL read from url_file with the credentials read from credentials_file', async () => {
    expect((await request('POST', `${server.url}/api/v2/alerts`, { body: [alert({ alertname: 'FromFiles' })] })).status).toBe(200);
    const [n] = await hook.waitFor(1, 20_000, (x) => x.path === '/secret');
    expect(n?.headers['authorization']).toBe('Bearer s3cr3t-one');
    expect(n?.payload.receiver).toBe('files');
  });

  it('picks up a rotated credential on the next notification', async () => {
    writeFileSync(tokenFile, 'rotated-two-longer\n');
    expect((await request('POST', `${server.url}/api/v2/alerts`, { body: [alert({ alertname: 'AfterRotation' })] })).status).toBe(200);
    const got = await hook.waitFor(1, 20_000, (x) => x.path === '/secret' && x.payload.groupLabels['alertname'] === 'AfterRotation');
    expect(got[0]?.headers['authorization']).toBe('Bearer rotated-two-longer');
  });

  it('still refuses *_file settings in tenant uploads', async () => {
    const body = `alertmanager_config: |\n  route:\n    receiver: r\n  receivers:\n  - name: r\n    webhook_configs:\n    - url_file: ${urlFile}\n`;
    const up = await request('POST', `${server.url}/api/v1/alerts`, { tenant: 'team-files', raw: body, contentType: 'application/yaml' });
    expect(up.status).toBe(400);
    expect(up.text).toContain('url_file is not allowed in tenant configurations');
  });
});

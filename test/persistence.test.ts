/**
 * Durability across a crash: alerts, silences and the notification log survive `kill -9`, so a
 * restarted server neither loses state nor re-sends a notification before repeat_interval.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeHeraldOnly } from './helpers/peers.js';
import { alert, request, silence, webhookConfig } from './helpers/http.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';
import { sleep, WebhookReceiver } from './helpers/webhook.js';

type Gettable = Array<{ labels: Record<string, string>; status: { state: string; silencedBy: string[] } }>;

describeHeraldOnly([], 'persistence across kill -9', () => {
  let first: ServerHandle | undefined;
  let second: ServerHandle | undefined;
  let hook: WebhookReceiver;
  let silenceId = '';
  const amConfig = (): string => webhookConfig(hook.url('/persist'), { groupWait: '1s', groupInterval: '2s', repeatInterval: '1h' });

  beforeAll(async () => {
    hook = await WebhookReceiver.start();
    first = await startServer({ amConfig: amConfig() });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, first, second));
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await (second ?? first)?.cleanup();
    await hook?.close();
  });

  it('before the crash: alerts notified once, silenced alert not notified', async () => {
    const s = await request('POST', `${first!.url}/api/v2/silences`, { body: silence({ alertname: 'PersistSilenced' }, { comment: 'survives kill -9' }) });
    expect(s.status, s.text).toBe(200);
    silenceId = s.json<{ silenceID: string }>().silenceID;
    const r = await request('POST', `${first!.url}/api/v2/alerts`, {
      body: [alert({ alertname: 'Persist', instance: 'i1' }), alert({ alertname: 'Persist', instance: 'i2' }), alert({ alertname: 'PersistSilenced', instance: 'i9' })],
    });
    expect(r.status, r.text).toBe(200);
    const got = await hook.waitFor(1, 15_000);
    expect(got[0]!.payload.alerts.map((a) => a.labels['instance']).sort()).toEqual(['i1', 'i2']);
    // Let a group_interval pass so the notification log entry is certainly written.
    await sleep(2500);
    expect(hook.received()).toHaveLength(1);
  });

  it('after kill -9 and a restart on the same storage: silence and alerts are still there', async () => {
    await first!.kill9();
    second = await startServer({ amConfig: amConfig(), storageDir: first!.storageDir });
    const sil = await request('GET', `${second.url}/api/v2/silence/${silenceId}`);
    expect(sil.status, sil.text).toBe(200);
    const got = sil.json<{ comment: string; status: { state: string } }>();
    expect(got.comment).toBe('survives kill -9');
    expect(got.status.state).toBe('active');

    const alerts = (await request('GET', `${second.url}/api/v2/alerts`)).json<Gettable>();
    const byInstance = new Map(alerts.map((a) => [a.labels['instance'], a]));
    expect([...byInstance.keys()].sort()).toEqual(['i1', 'i2', 'i9']);
    expect(byInstance.get('i9')!.status.state).toBe('suppressed');
    expect(byInstance.get('i9')!.status.silencedBy).toEqual([silenceId]);
  });

  it('no duplicate notification before repeat_interval', async () => {
    // group_wait (1s) + two group_intervals (2s each) + margin.
    await sleep(7000);
    expect(hook.received(), hook.describe()).toHaveLength(1);
  });

  it('a new alert in the same group triggers a notification with the whole group', async () => {
    const r = await request('POST', `${second!.url}/api/v2/alerts`, { body: [alert({ alertname: 'Persist', instance: 'i3' })] });
    expect(r.status, r.text).toBe(200);
    const got = await hook.waitFor(2, 15_000);
    expect(got[1]!.payload.alerts.map((a) => a.labels['instance']).sort()).toEqual(['i1', 'i2', 'i3']);
    expect(got[1]!.payload.groupLabels).toEqual({ alertname: 'Persist' });
    expect(hook.received((n) => n.payload.alerts.some((a) => a.labels['alertname'] === 'PersistSilenced'))).toHaveLength(0);
  });
});

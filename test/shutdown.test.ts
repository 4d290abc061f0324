/**
 * Shutdown while notifications are failing: SIGTERM must end the process on its own (the test
 * helpers' stop() would SIGKILL after 10 s and hide a hang). A webhook that refuses connections
 * keeps the notification pipeline retrying; a retry of a stopping engine once started a new
 * notification HTTP worker after the old one was closed, and the process never exited.
 */
import { afterAll, afterEach, expect, it } from 'vitest';
import { describeHeraldOnly } from './helpers/peers.js';
import { alert, request, webhookConfig } from './helpers/http.js';
import { dumpLogsIfFailed, freePort, startServer, type ServerHandle } from './helpers/server.js';
import { sleep } from './helpers/webhook.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describeHeraldOnly([], 'shutdown with notifications failing', () => {
  let server: ServerHandle | undefined;
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await server?.stop();
    await server?.cleanup();
  });

  it('exits by itself on SIGTERM while webhooks are being retried', async () => {
    // Nothing listens on this port: every attempt is refused and retried.
    const refused = `http://127.0.0.1:${await freePort()}/hook`;
    server = await startServer({ amConfig: webhookConfig(refused, { groupWait: '0s', groupInterval: '1s' }) });
    const r = await request('POST', `${server.url}/api/v2/alerts`, { body: Array.from({ length: 20 }, (_, i) => alert({ alertname: 'Refused', instance: `i${i}` })) });
    expect(r.status, r.text).toBe(200);
    const deadline = Date.now() + 15_000;
    while (!server.logs().includes('Notify attempt failed') && Date.now() < deadline) await sleep(100);
    expect(server.logs()).toContain('Notify attempt failed');
    process.kill(server.pid, 'SIGTERM');
    const gone = Date.now() + 25_000;
    while (alive(server.pid) && Date.now() < gone) await sleep(100);
    expect(alive(server.pid), 'herald still running 25 s after SIGTERM').toBe(false);
    expect(server.logs()).toContain('"msg":"Stopped"');
  }, 60_000);
});

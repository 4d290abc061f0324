import { describe, expect, it } from 'vitest';
import { fail, issue, ok } from '../../../core/result.js';
import { NOOP_LOGGER } from '../../../core/runtime.js';
import type { StateKind, StateOp, StateRecord, TenantState } from '../../../core/state-store.js';
import type { AlertmanagerConfig } from '../../config/types.js';
import { LITERAL_TEMPLATES } from '../../template/api.js';
import { FakeHttp, ManualClock } from '../test-fakes.js';
import type { IntegrationDefinition } from '../types.js';
import { createTenantNotificationState, resolveReceiver } from './engine-hooks.js';
import { sampleAlerts, testReceiver } from './receiver-test.js';

const running = (original: string): AlertmanagerConfig =>
  ({ receivers: [{ name: 'team', integrations: [] }], original, global: { resolveTimeoutMs: 0, settings: {} } }) as unknown as AlertmanagerConfig;

describe('resolveReceiver', () => {
  it('validates a posted receiver inside the running global section, in tenant mode', () => {
    const seen: Array<{ text: string; tenantMode: boolean | undefined }> = [];
    const load = (text: string, opts?: { tenantMode?: boolean }) => {
      seen.push({ text, tenantMode: opts?.tenantMode });
      return ok({ receivers: [{ name: 'new', integrations: [] }] } as unknown as AlertmanagerConfig);
    };
    const r = resolveReceiver({ receiverConfig: { name: 'new', slack_configs: [{ channel: '#x' }] } }, running('global:\n  slack_api_url: https://hooks.slack.com/x\nroute: {receiver: team}\n'), load, true);
    expect(r.name).toBe('new');
    expect(JSON.parse(seen[0]?.text ?? '')).toEqual({ route: { receiver: 'new' }, receivers: [{ name: 'new', slack_configs: [{ channel: '#x' }] }], global: { slack_api_url: 'https://hooks.slack.com/x' } });
    expect(seen[0]?.tenantMode).toBe(true);
  });

  it('reports loader problems by path inside receiver_config', () => {
    const load = () => fail([issue('x', 'bad global', { path: ['global', 'smtp_from'] }), issue('y', 'missing channel', { path: ['receivers', 0, 'slack_configs', 0] })]);
    expect(() => resolveReceiver({ receiverConfig: { name: 'n' } }, running(''), load, false)).toThrow('invalid receiver_config: global.smtp_from: bad global; receiver_config.slack_configs.0: missing channel');
  });

  it('finds a running receiver or says it is missing', () => {
    const load = () => ok({} as AlertmanagerConfig);
    expect(resolveReceiver({ receiver: 'team' }, running(''), load, false).name).toBe('team');
    expect(() => resolveReceiver({ receiver: 'x' }, running(''), load, false)).toThrow('receiver "x" not found');
  });
});

describe('testReceiver', () => {
  it('bounds each integration by the timeout', async () => {
    const clock = new ManualClock(0);
    const hang: IntegrationDefinition = {
      name: 'hang',
      sendResolvedDefault: true,
      validate: (raw) => ok(raw),
      create: () => ({
        notify: (ctx) =>
          new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ ok: false, retryable: true, error: String((ctx.signal.reason as Error).message) }))),
      }),
    };
    const p = testReceiver({ name: 'r', integrations: [{ type: 'hang', index: 0, sendResolved: true, settings: {} }] }, sampleAlerts(undefined, 0), {
      tenant: 't',
      integrations: new Map([['hang', hang]]),
      deps: { http: new FakeHttp(), clock, logger: NOOP_LOGGER, version: '1', templates: LITERAL_TEMPLATES },
      externalURL: '',
      timeoutMs: 100,
    });
    expect(await clock.drive(p)).toEqual({ receiver: 'r', integrations: [{ type: 'hang', index: 0, ok: false, retryable: true, error: 'test notification timed out after 100ms', latencyMs: 100 }] });
  });
});

describe('createTenantNotificationState', () => {
  it('restores the history', async () => {
    const rows: StateRecord[] = [{ tenant: 't', kind: 'history', key: '000000000000005-000000', value: JSON.stringify({ id: '000000000000005-000000', time: 5, receiver: 'r', integration: 'webhook', integrationIndex: 0, groupKey: 'g', firing: [], resolved: [], firingCount: 0, resolvedCount: 0, outcome: 'success', retry: 0, latencyMs: 1 }) }];
    const state: TenantState = {
      tenant: 't',
      put: (kind: StateKind, key: string, value: string): StateOp => ({ op: 'put', tenant: 't', kind, key, value }),
      del: (kind: StateKind, key: string): StateOp => ({ op: 'delete', tenant: 't', kind, key }),
      write: () => Promise.resolve(),
      load: () => Promise.resolve(rows),
    };
    const s = await createTenantNotificationState({ state, clock: new ManualClock(10), logger: NOOP_LOGGER, historyBounds: () => ({ maxEntries: 10, maxAgeMs: 0 }), rateLimits: () => ({ total: 1, perIntegration: 0 }) });
    expect(s.history.query({}).items.map((e) => e.receiver)).toEqual(['r']);
    expect([s.rateLimiter.take('x'), s.rateLimiter.take('x')]).toEqual([undefined, 'tenant']);
  });
});

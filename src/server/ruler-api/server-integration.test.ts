import { describe, expect, it } from 'vitest';
import { buildServer } from '../server.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { FakeRuler, standInMarshalNamespaces, standInMarshalRuleGroup, standInParseRuleGroup } from './test-fakes.js';
import { versionInfo } from '../../version.js';
import { fakeLoadConfig, fakeParseMatcher, fakeClock } from '../test-fakes.js';
import { createMetrics } from '../metrics.js';

describe('ruler API in the real server', () => {
  it('routes coexist with the other families', async () => {
    const ruler = new FakeRuler();
    const metrics = createMetrics(false);
    let require = false;
    const app = await buildServer({
      registry: {} as never, loadConfig: fakeLoadConfig, marshalConfig: () => '', parseMatcher: fakeParseMatcher, clock: fakeClock(), logger: NOOP_LOGGER,
      metrics: metrics.alertmanager, promRegistry: metrics.registry, versionInfo: versionInfo('v20'), startedAt: 0, requireTenant: () => require, reload: () => Promise.resolve(),
      prometheusApi: { store: () => Promise.reject(new Error('x')), clock: fakeClock(), logger: NOOP_LOGGER, versionInfo: versionInfo('v20'), rulerConfigApi: true, requireTenant: () => require },
      rulerApi: { ruler, parseRuleGroup: standInParseRuleGroup, marshalRuleGroup: standInMarshalRuleGroup, marshalNamespaces: standInMarshalNamespaces, logger: NOOP_LOGGER, requireTenant: () => require },
    });
    const h = { 'X-Scope-OrgID': 'A' };
    let r = await app.inject({ method: 'POST', url: '/prometheus/config/v1/rules/ns', headers: { ...h, 'content-type': 'application/json' }, payload: '{"name":"g","rules":[{"alert":"A","expr":"up"}]}' });
    expect([r.statusCode, r.body]).toEqual([202, '{"status":"success","data":null,"errorType":"","error":""}']);
    r = await app.inject({ method: 'POST', url: '/api/v1/rules/ns2', headers: { ...h, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name: g\nrules:\n- record: a\n  expr: b\n' });
    expect(r.statusCode).toBe(202);
    r = await app.inject({ url: '/prometheus/config/v1/rules/', headers: h });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('ns2:');
    r = await app.inject({ url: '/prometheus/api/v1/rules', headers: h });
    expect(r.body).toBe('{"status":"success","data":{"groups":[]}}');
    r = await app.inject({ url: '/prometheus/api/v1/status/buildinfo', headers: h });
    expect(r.json<{ data: { features: { ruler_config_api: string } } }>().data.features.ruler_config_api).toBe('true');
    r = await app.inject({ method: 'POST', url: '/prometheus/config/v1/rules/ns', headers: h, payload: 'x'.repeat(2 * 1024 * 1024) });
    expect([r.statusCode, r.headers['content-type']]).toEqual([413, 'text/plain; charset=utf-8']);
    r = await app.inject({ method: 'PUT', url: '/prometheus/config/v1/rules/ns', headers: h });
    expect(r.statusCode).toBe(404);
    require = true;
    r = await app.inject({ url: '/prometheus/config/v1/rules' });
    expect([r.statusCode, r.body]).toEqual([401, 'no org id']);
    await app.close();
  });
});

import { createHash } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { AlertingRuleView, GroupView, RecordingRuleView } from '../../ruler/api.js';
import { rulerApiRoutes } from './routes.js';
import { FakeRuler, standInMarshalNamespaces, standInMarshalRuleGroup, standInParseRuleGroup } from './test-fakes.js';

// 2018-07-04T18:27:12.606Z, the docs' example instant (20:27:12.606 +02:00) in UTC.
const ACTIVE_AT = Date.UTC(2018, 6, 4, 18, 27, 12, 606);
const EVAL_AT = Date.UTC(2018, 6, 4, 18, 30, 0, 0);

const highLatency: AlertingRuleView = {
  type: 'alerting',
  name: 'HighRequestLatency',
  query: 'job:request_latency_seconds:mean5m{job="myjob"} > 0.5',
  labels: { severity: 'page' },
  annotations: { summary: 'High request latency' },
  health: 'ok',
  lastError: '',
  evaluationTime: 0.000312,
  lastEvaluation: EVAL_AT,
  state: 'firing',
  durationSeconds: 600,
  keepFiringForSeconds: 0,
  alerts: [
    { labels: { severity: 'page', alertname: 'HighRequestLatency' }, annotations: { summary: 'High request latency' }, state: 'firing', activeAt: ACTIVE_AT, keepFiringSince: 0, value: 1, resolvedAt: 0 },
    // Resolved, retained for resending: never listed.
    { labels: { severity: 'page', alertname: 'HighRequestLatency', job: 'old' }, annotations: {}, state: 'inactive', activeAt: ACTIVE_AT - 60_000, keepFiringSince: 0, value: 0.7, resolvedAt: EVAL_AT },
  ],
};

const inprogress: RecordingRuleView = {
  type: 'recording',
  name: 'job:http_inprogress_requests:sum',
  query: 'sum by (job) (http_inprogress_requests)',
  labels: {},
  health: 'ok',
  lastError: '',
  evaluationTime: 0.0001,
  lastEvaluation: EVAL_AT,
};

const example: GroupView = { name: 'example', file: '/rules.yaml', intervalSeconds: 60, limit: 0, rules: [highLatency, inprogress], evaluationTime: 0.0005, lastEvaluation: EVAL_AT };

const neverRun: AlertingRuleView = {
  type: 'alerting',
  name: 'Broken',
  query: 'up{job="x"} == 0',
  labels: { team: 'db', severity: 'ticket' },
  annotations: {},
  health: 'unknown',
  lastError: '',
  evaluationTime: 0,
  lastEvaluation: 0,
  state: 'inactive',
  durationSeconds: 0,
  keepFiringForSeconds: 0,
  alerts: [],
};

const failing: RecordingRuleView = { ...inprogress, name: 'job:errors:rate5m', query: 'rate(errors[5m])', labels: { team: 'db' }, health: 'err', lastError: 'vector cannot contain metrics with the same labelset' };

const keepFiring: AlertingRuleView = {
  ...highLatency,
  name: 'Flapping',
  labels: {},
  annotations: {},
  keepFiringForSeconds: 300,
  durationSeconds: 0,
  alerts: [{ labels: { alertname: 'Flapping' }, annotations: {}, state: 'firing', activeAt: ACTIVE_AT, keepFiringSince: EVAL_AT, value: 1234.5, resolvedAt: 0 }],
};

const dbGroup: GroupView = { name: 'db', file: 'team/db', intervalSeconds: 30.5, limit: 10, rules: [neverRun, failing], evaluationTime: 0, lastEvaluation: 0 };
const flapGroup: GroupView = { name: 'flap', file: 'team/db', intervalSeconds: 60, limit: 0, rules: [keepFiring], evaluationTime: 1e-7, lastEvaluation: EVAL_AT };

let app: FastifyInstance;
let ruler: FakeRuler;
beforeEach(async () => {
  ruler = new FakeRuler();
  ruler.views.set('A', [example, dbGroup, flapGroup]);
  ruler.views.set('B', [{ ...example, name: 'b-only', file: 'b.yaml' }]);
  app = Fastify();
  await app.register(
    rulerApiRoutes({
      ruler,
      parseRuleGroup: standInParseRuleGroup,
      marshalRuleGroup: standInMarshalRuleGroup,
      marshalNamespaces: standInMarshalNamespaces,
      logger: NOOP_LOGGER,
      requireTenant: () => false,
    }),
  );
});
afterEach(async () => {
  await app.close();
});

const get = (url: string, tenant = 'A') => app.inject({ url: `/prometheus/api/v1${url}`, headers: { 'X-Scope-OrgID': tenant } });
const groupNames = async (url: string, tenant = 'A'): Promise<string[]> => {
  const r = await get(url, tenant);
  expect(r.statusCode, r.body).toBe(200);
  return r.json<{ data: { groups: { name: string }[] } }>().data.groups.map((g) => g.name);
};
const ruleNames = async (url: string): Promise<string[]> => {
  const r = await get(url);
  expect(r.statusCode, r.body).toBe(200);
  return r.json<{ data: { groups: { rules: { name: string }[] }[] } }>().data.groups.flatMap((g) => g.rules.map((x) => x.name));
};
const badData = async (url: string, message: string) => {
  const r = await get(url);
  expect(r.statusCode).toBe(400);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  expect(r.json()).toEqual({ status: 'error', errorType: 'bad_data', error: message });
};

const EXAMPLE_JSON =
  '{"name":"example","file":"/rules.yaml","rules":[' +
  '{"state":"firing","name":"HighRequestLatency","query":"job:request_latency_seconds:mean5m{job=\\"myjob\\"} \\u003e 0.5","duration":600,"keepFiringFor":0,' +
  '"labels":{"severity":"page"},"annotations":{"summary":"High request latency"},' +
  '"alerts":[{"labels":{"alertname":"HighRequestLatency","severity":"page"},"annotations":{"summary":"High request latency"},"state":"firing","activeAt":"2018-07-04T18:27:12.606Z","value":"1e+00"}],' +
  '"health":"ok","evaluationTime":0.000312,"lastEvaluation":"2018-07-04T18:30:00Z","type":"alerting"},' +
  '{"name":"job:http_inprogress_requests:sum","query":"sum by (job) (http_inprogress_requests)","labels":{},"health":"ok","evaluationTime":0.0001,"lastEvaluation":"2018-07-04T18:30:00Z","type":"recording"}' +
  '],"interval":60,"limit":0,"evaluationTime":0.0005,"lastEvaluation":"2018-07-04T18:30:00Z"}';

const DB_JSON =
  '{"name":"db","file":"team/db","rules":[' +
  '{"state":"inactive","name":"Broken","query":"up{job=\\"x\\"} == 0","duration":0,"keepFiringFor":0,"labels":{"severity":"ticket","team":"db"},"annotations":{},"alerts":[],' +
  '"health":"unknown","evaluationTime":0,"lastEvaluation":"0001-01-01T00:00:00Z","type":"alerting"},' +
  '{"name":"job:errors:rate5m","query":"rate(errors[5m])","labels":{"team":"db"},"health":"err","lastError":"vector cannot contain metrics with the same labelset","evaluationTime":0.0001,"lastEvaluation":"2018-07-04T18:30:00Z","type":"recording"}' +
  '],"interval":30.5,"limit":10,"evaluationTime":0,"lastEvaluation":"0001-01-01T00:00:00Z"}';

const FLAP_JSON =
  '{"name":"flap","file":"team/db","rules":[' +
  '{"state":"firing","name":"Flapping","query":"job:request_latency_seconds:mean5m{job=\\"myjob\\"} \\u003e 0.5","duration":0,"keepFiringFor":300,"labels":{},"annotations":{},' +
  '"alerts":[{"labels":{"alertname":"Flapping"},"annotations":{},"state":"firing","activeAt":"2018-07-04T18:27:12.606Z","keepFiringSince":"2018-07-04T18:30:00Z","value":"1.2345e+03"}],' +
  '"health":"ok","evaluationTime":0.000312,"lastEvaluation":"2018-07-04T18:30:00Z","type":"alerting"}' +
  '],"interval":60,"limit":0,"evaluationTime":1e-7,"lastEvaluation":"2018-07-04T18:30:00Z"}';

describe('GET /prometheus/api/v1/rules', () => {
  it('golden body: every field in Prometheus’ order, omitempty as its struct tags say', async () => {
    const r = await get('/rules');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.body).toBe(`{"status":"success","data":{"groups":[${EXAMPLE_JSON},${DB_JSON},${FLAP_JSON}]}}`);
  });

  it('matches the example in Prometheus’ docs/querying/api.md', async () => {
    // The documented example (keys sorted there, activeAt in +02:00 with nanoseconds), minus what differs only in zone/precision.
    const documented = {
      data: {
        groups: [
          {
            rules: [
              {
                alerts: [{ annotations: { summary: 'High request latency' }, labels: { alertname: 'HighRequestLatency', severity: 'page' }, state: 'firing', value: '1e+00' }],
                annotations: { summary: 'High request latency' },
                duration: 600,
                health: 'ok',
                labels: { severity: 'page' },
                name: 'HighRequestLatency',
                query: 'job:request_latency_seconds:mean5m{job="myjob"} > 0.5',
                type: 'alerting',
              },
              { health: 'ok', name: 'job:http_inprogress_requests:sum', query: 'sum by (job) (http_inprogress_requests)', type: 'recording' },
            ],
            file: '/rules.yaml',
            interval: 60,
            limit: 0,
            name: 'example',
          },
        ],
      },
      status: 'success',
    };
    const body = (await get('/rules?file[]=/rules.yaml')).json<typeof documented>();
    expect(body).toMatchObject(documented);
    const alert = (body.data.groups[0]?.rules[0] as { alerts: { activeAt: string }[] }).alerts[0];
    expect(Date.parse(alert?.activeAt ?? '')).toBe(Date.parse('2018-07-04T20:27:12.606+02:00'));
  });

  it('type=alert|record (any case); another type is bad_data', async () => {
    expect(await ruleNames('/rules?type=alert')).toEqual(['HighRequestLatency', 'Broken', 'Flapping']);
    expect(await ruleNames('/rules?type=RECORD')).toEqual(['job:http_inprogress_requests:sum', 'job:errors:rate5m']);
    expect(await groupNames('/rules?type=record')).toEqual(['example', 'db']);
    await badData('/rules?type=alerts', 'invalid parameter "type": not supported value "alerts"');
  });

  it('rule_name[], rule_group[], file[]; groups left with no rule are dropped', async () => {
    expect(await ruleNames('/rules?rule_name[]=Broken&rule_name[]=Flapping')).toEqual(['Broken', 'Flapping']);
    expect(await groupNames('/rules?rule_name[]=Flapping')).toEqual(['flap']);
    expect(await groupNames('/rules?rule_group[]=db&rule_group[]=flap')).toEqual(['db', 'flap']);
    expect(await groupNames('/rules?file[]=team/db')).toEqual(['db', 'flap']);
    expect(await groupNames('/rules?file[]=team%2Fdb&rule_group[]=flap')).toEqual(['flap']);
    expect(await groupNames('/rules?file[]=nope')).toEqual([]);
    expect((await get('/rules?file[]=nope')).body).toBe('{"status":"success","data":{"groups":[]}}');
  });

  it('Mimir’s names without [] work; the [] form wins when both are given', async () => {
    expect(await groupNames('/rules?rule_group=db')).toEqual(['db']);
    expect(await ruleNames('/rules?rule_name=Broken')).toEqual(['Broken']);
    expect(await groupNames('/rules?file=/rules.yaml')).toEqual(['example']);
    expect(await groupNames('/rules?file=/rules.yaml&file[]=team/db')).toEqual(['db', 'flap']);
  });

  it('match[] selects rules by their configured labels, sets OR-ed', async () => {
    expect(await ruleNames('/rules?match[]={team="db"}')).toEqual(['Broken', 'job:errors:rate5m']);
    expect(await ruleNames('/rules?match[]={team="db",severity="ticket"}')).toEqual(['Broken']);
    expect(await ruleNames(`/rules?match[]=${encodeURIComponent('{severity=~"page|ticket"}')}&match[]={team="nobody"}`)).toEqual(['HighRequestLatency', 'Broken']);
    // Matching is on definition labels: `alertname` is not one of them.
    expect(await ruleNames('/rules?match[]={alertname="HighRequestLatency"}')).toEqual([]);
  });

  it('bad match[]: bad_data with the parser’s message', async () => {
    await badData('/rules?match[]={team=""}', 'match[] must contain at least one non-empty matcher');
    const r = await get('/rules?match[]={team=');
    expect(r.statusCode).toBe(400);
    expect(r.json<{ errorType: string; error: string }>().errorType).toBe('bad_data');
    expect(r.json<{ error: string }>().error).not.toBe('');
  });

  it('exclude_alerts=true gives `"alerts":null`; Go booleans accepted; anything else is bad_data', async () => {
    const r = await get('/rules?exclude_alerts=true&rule_name[]=HighRequestLatency');
    expect(r.body).toContain('"alerts":null,');
    expect(r.body).not.toContain('activeAt');
    for (const v of ['1', 't', 'T', 'TRUE', 'True']) expect((await get(`/rules?exclude_alerts=${v}`)).body).not.toContain('activeAt');
    for (const v of ['0', 'f', 'false', 'FALSE', '']) expect((await get(`/rules?exclude_alerts=${v}`)).body).toContain('activeAt');
    await badData('/rules?exclude_alerts=Yes', 'invalid parameter "exclude_alerts": error converting exclude_alerts: strconv.ParseBool: parsing "yes": invalid syntax');
  });

  it('group_limit pages through groups with groupNextToken = sha256("file;group")', async () => {
    const token = createHash('sha256').update('team/db;flap').digest('hex');
    const first = await get('/rules?group_limit=2');
    expect(first.body).toBe(`{"status":"success","data":{"groups":[${EXAMPLE_JSON},${DB_JSON}],"groupNextToken":"${token}"}}`);
    const second = await get(`/rules?group_limit=2&group_next_token=${token}`);
    expect(second.body).toBe(`{"status":"success","data":{"groups":[${FLAP_JSON}]}}`);
    expect(await groupNames('/rules?group_limit=3')).toEqual(['example', 'db', 'flap']);
    expect((await get('/rules?group_limit=3')).body).not.toContain('groupNextToken');
    // The token of a group the other filters drop still positions the page.
    expect(await groupNames(`/rules?group_limit=1&group_next_token=${createHash('sha256').update('team/db;db').digest('hex')}&type=alert`)).toEqual(['db']);
  });

  it.each([
    ['/rules?group_next_token=abc', 'invalid parameter "group_next_token": group_limit needs to be present in order to paginate over the groups'],
    ['/rules?group_limit=abc', 'invalid parameter "group_limit": group_limit needs to be a valid number: strconv.ParseInt: parsing "abc": invalid syntax'],
    ['/rules?group_limit=99999999999', 'invalid parameter "group_limit": group_limit needs to be a valid number: strconv.ParseInt: parsing "99999999999": value out of range'],
    ['/rules?group_limit=0', 'invalid parameter "group_limit": group_limit needs to be greater than 0'],
    ['/rules?group_limit=-1', 'invalid parameter "group_limit": group_limit needs to be greater than 0'],
    ['/rules?group_limit=1&group_next_token=deadbeef', "invalid parameter \"group_next_token\": invalid group_next_token 'deadbeef'. were rule groups changed?"],
  ])('%s: bad_data', async (url, message) => {
    await badData(url, message);
  });

  it('a ruler failure is an internal error in the envelope', async () => {
    ruler.groups = () => {
      throw new Error('ruler exploded');
    };
    const r = await get('/rules');
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({ status: 'error', errorType: 'internal', error: 'ruler exploded' });
  });

  it('tenant isolation: each tenant sees only its groups', async () => {
    expect(await groupNames('/rules', 'B')).toEqual(['b-only']);
    expect(await groupNames('/rules', 'C')).toEqual([]);
    expect(await groupNames('/rules?file[]=team/db', 'B')).toEqual([]);
    expect((await get('/rules', 'C')).body).toBe('{"status":"success","data":{"groups":[]}}');
  });
});

describe('GET /prometheus/api/v1/alerts', () => {
  it('golden body: active alerts of every alerting rule, resolved ones left out', async () => {
    const r = await get('/alerts');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.body).toBe(
      '{"status":"success","data":{"alerts":[' +
        '{"labels":{"alertname":"HighRequestLatency","severity":"page"},"annotations":{"summary":"High request latency"},"state":"firing","activeAt":"2018-07-04T18:27:12.606Z","value":"1e+00"},' +
        '{"labels":{"alertname":"Flapping"},"annotations":{},"state":"firing","activeAt":"2018-07-04T18:27:12.606Z","keepFiringSince":"2018-07-04T18:30:00Z","value":"1.2345e+03"}' +
        ']}}',
    );
  });

  it('matches the example in Prometheus’ docs/querying/api.md', async () => {
    ruler.views.set('D', [{ ...example, rules: [{ ...highLatency, alerts: [{ labels: { alertname: 'my-alert' }, annotations: {}, state: 'firing', activeAt: ACTIVE_AT, keepFiringSince: 0, value: 1, resolvedAt: 0 }] }] }]);
    expect((await get('/alerts', 'D')).json()).toMatchObject({ data: { alerts: [{ annotations: {}, labels: { alertname: 'my-alert' }, state: 'firing', value: '1e+00' }] }, status: 'success' });
  });

  it('no alerts: an empty list', async () => {
    expect((await get('/alerts', 'C')).body).toBe('{"status":"success","data":{"alerts":[]}}');
  });

  it('tenant isolation: B sees only its alerts', async () => {
    const b = (await get('/alerts', 'B')).json<{ data: { alerts: { labels: Record<string, string> }[] } }>();
    expect(b.data.alerts.map((a) => a.labels.alertname)).toEqual(['HighRequestLatency']);
    expect(JSON.stringify(b)).not.toContain('Flapping');
  });
});

describe('GET /api/herald/v1/rules/problems', () => {
  it("lists the tenant's own broken rule files only", async () => {
    ruler.fileProblems.set('A', [{ namespace: 'app', file: '/rules/A/app.yml', messages: ['/rules/A/app.yml: 4:11: group "g", rule 1, "X": could not parse expression: ...'] }]);
    const a = await app.inject({ url: '/api/herald/v1/rules/problems', headers: { 'X-Scope-OrgID': 'A' } });
    expect(a.statusCode).toBe(200);
    expect(a.json()).toEqual({ problems: [{ namespace: 'app', file: '/rules/A/app.yml', messages: ['/rules/A/app.yml: 4:11: group "g", rule 1, "X": could not parse expression: ...'] }] });
    const b = await app.inject({ url: '/api/herald/v1/rules/problems', headers: { 'X-Scope-OrgID': 'B' } });
    expect(b.json()).toEqual({ problems: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { alert, defaultTemplates, GOLDEN_ALERT, notifyCtx, resolved, serverPool, testDeps, validated } from '../../../../net/test-fakes.js';
import type { Reply, SeenRequest } from '../../../../net/test-fakes.js';
import { groupKeyHash } from '../shared/templating.js';
import { jiraConfig } from './config.js';
import { createJiraNotifier, searchJql, searchURL } from './notifier.js';

const serve = serverPool();
const HASH = groupKeyHash('{}:{alertname="HighLatency"}');
const LABEL = `ALERT{${HASH}}`;
const cfg = (url: string, raw: Record<string, unknown> = {}) =>
  validated(jiraConfig, { api_url: `${url}/rest/api/2`, project: 'OPS', issue_type: 'Bug', http_config: { basic_auth: { username: 'u', password: 'p' } }, ...raw });

/** A Jira that knows at most one issue, OPS-7, in the given status category. */
function jira(existing?: 'new' | 'done', overrides: Partial<Record<string, Reply>> = {}) {
  return (req: SeenRequest): Reply => {
    const route = `${req.method} ${req.url}`;
    if (overrides[route]) return overrides[route];
    if (route.endsWith('/search') || route.endsWith('/search/jql')) {
      const issues = existing ? [{ key: 'OPS-7', fields: { status: { name: existing, statusCategory: { key: existing } } } }] : [];
      return { status: 200, body: JSON.stringify({ issues }) };
    }
    if (route === 'POST /rest/api/2/issue') return { status: 201, body: '{"key":"OPS-8"}' };
    if (route === 'PUT /rest/api/2/issue/OPS-7') return { status: 204 };
    if (route === 'GET /rest/api/2/issue/OPS-7/transitions') return { status: 200, body: '{"transitions":[{"id":"11","name":"To Do"},{"id":"31","name":"Done"}]}' };
    if (route === 'POST /rest/api/2/issue/OPS-7/transitions') return { status: 204 };
    return { status: 404, body: 'no route ' + route };
  };
}

const HEADERS = { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.34.0', authorization: 'Basic dTpw', 'accept-language': 'en' };

describe('jira', () => {
  it('searches, then creates an issue with the exact fields', async () => {
    const s = await serve(jira());
    const n = createJiraNotifier(cfg(s.url, { labels: ['team-{{ .Receiver }}', 'alertmanager'], fields: { customfield_1: 'x', customfield_2: '{{ len .Alerts }}', customfield_3: { value: '{{ .Status }}' } } }), testDeps());
    expect(await n.notify(notifyCtx(), [alert({ alertname: 'HighLatency' })])).toEqual({ ok: true });
    expect(s.requests).toEqual([
      {
        method: 'POST',
        url: '/rest/api/2/search',
        headers: HEADERS,
        body: `{"fields":["status"],"jql":"statusCategory != Done and project=\\"OPS\\" and labels=\\"${LABEL}\\" order by status ASC,resolutiondate DESC","maxResults":2}\n`,
      },
      {
        method: 'POST',
        url: '/rest/api/2/issue',
        headers: HEADERS,
        body:
          '{"fields":{"customfield_1":"x","customfield_2":1,"customfield_3":{"value":"firing"},"description":"[jira.default.description:firing]",' +
          `"issuetype":{"name":"Bug"},"labels":["${LABEL}","alertmanager","team-team-X"],"priority":{"name":"[jira.default.priority:firing]"},` +
          '"project":{"key":"OPS"},"summary":"[jira.default.summary:firing]"}}\n',
      },
    ]);
  });

  it('updates an open issue without summary/description when enable_update is false', async () => {
    const s = await serve(jira('new'));
    const n = createJiraNotifier(cfg(s.url, { summary: { template: 'S', enable_update: false }, description: { template: 'D', enable_update: false }, priority: '' }), testDeps());
    expect(await n.notify(notifyCtx(), [alert({ alertname: 'HighLatency' })])).toEqual({ ok: true });
    expect(s.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /rest/api/2/search', 'PUT /rest/api/2/issue/OPS-7']);
    expect(s.requests[1]!.body).toBe(`{"fields":{"issuetype":{"name":"Bug"},"labels":["${LABEL}"],"project":{"key":"OPS"}}}\n`);
  });

  it('resolves an open issue through resolve_transition', async () => {
    const s = await serve(jira('new'));
    const n = createJiraNotifier(cfg(s.url, { resolve_transition: 'Done' }), testDeps());
    expect(await n.notify(notifyCtx(), [resolved({ alertname: 'HighLatency' })])).toEqual({ ok: true });
    expect(s.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /rest/api/2/search',
      'PUT /rest/api/2/issue/OPS-7',
      'GET /rest/api/2/issue/OPS-7/transitions',
      'POST /rest/api/2/issue/OPS-7/transitions',
    ]);
    expect(s.requests[2]!.body).toBe('');
    expect(s.requests[3]!.body).toBe('{"transition":{"id":"31"}}\n');
  });

  it('reopens a done issue when firing again, searching within reopen_duration', async () => {
    const s = await serve(jira('done'));
    const n = createJiraNotifier(cfg(s.url, { reopen_transition: 'To Do', reopen_duration: '2h', wont_fix_resolution: "Won't Fix" }), testDeps());
    expect(await n.notify(notifyCtx(), [alert({ alertname: 'HighLatency' })])).toEqual({ ok: true });
    expect(JSON.parse(s.requests[0]!.body).jql).toBe(
      `(resolution is EMPTY or resolution != "Won't Fix") and (resolutiondate is EMPTY OR resolutiondate >= -120m) and project="OPS" and labels="${LABEL}" order by status ASC,resolutiondate DESC`,
    );
    expect(s.requests[3]!.body).toBe('{"transition":{"id":"11"}}\n');
  });

  it('a resolved group without an issue sends nothing more', async () => {
    const s = await serve(jira());
    expect(await createJiraNotifier(cfg(s.url), testDeps()).notify(notifyCtx(), [resolved({ a: '1' })])).toEqual({ ok: true });
    expect(s.requests).toHaveLength(1);
  });

  it('an unknown transition fails for good', async () => {
    const s = await serve(jira('new'));
    const r = await createJiraNotifier(cfg(s.url, { resolve_transition: 'Closed' }), testDeps()).notify(notifyCtx(), [resolved({ a: '1' })]);
    expect(r).toEqual({ ok: false, retryable: false, error: "can't find transition Closed for issue OPS-7" });
  });

  it('API v3 takes the description as JSON (ADF) and rejects anything else', async () => {
    const s = await serve((req) => (req.url.includes('/search') ? { status: 200, body: '{"issues":[]}' } : { status: 201, body: '{}' }));
    const adf = '{"type":"doc","version":1,"content":[]}';
    const ok = await createJiraNotifier(validated(jiraConfig, { api_url: `${s.url}/rest/api/3`, project: 'P', issue_type: 'Task', description: ` ${adf} ` }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(ok).toEqual({ ok: true });
    expect(s.requests[1]!.body).toContain(`"description":{"content":[],"type":"doc","version":1}`);
    const badDesc = await createJiraNotifier(validated(jiraConfig, { api_url: `${s.url}/rest/api/3`, project: 'P', issue_type: 'Task', description: 'plain' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(badDesc).toEqual({ ok: false, retryable: false, error: 'description template: invalid JSON for API v3' });
  });

  it.each([
    { route: 'POST /rest/api/2/search', status: 500, want: { retryable: true, error: 'failed to look up existing issues: HTTP request to JIRA API: unexpected status code 500: boom', reason: 'serverError' } },
    { route: 'POST /rest/api/2/search', status: 429, want: { retryable: true, error: 'failed to look up existing issues: HTTP request to JIRA API: unexpected status code 429: boom', reason: 'rateLimited' } },
    { route: 'POST /rest/api/2/issue', status: 400, want: { retryable: false, error: 'failed to POST request to "issue": unexpected status code 400: boom', reason: 'clientError' } },
  ])('$status on $route', async ({ route, status, want }) => {
    const s = await serve(jira(undefined, { [route]: { status, body: 'boom' } }));
    expect(await createJiraNotifier(cfg(s.url), testDeps()).notify(notifyCtx(), [alert({ a: '1' })])).toEqual({ ok: false, ...want });
  });

  it('template errors fail for good; transport errors are final as upstream', async () => {
    const s = await serve(jira());
    const r = await createJiraNotifier(cfg(s.url, { summary: '{{ nope }}' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(r.ok ? '' : r.error).toMatch(/^summary template: /);
    await s.close();
    const t = await createJiraNotifier(cfg(s.url), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(t).toMatchObject({ ok: false, retryable: false });
  });

  it('summary is cut to 255 runes', async () => {
    const s = await serve(jira());
    await createJiraNotifier(cfg(s.url, { summary: 'ß'.repeat(300) }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(JSON.parse(s.requests[1]!.body).fields.summary).toBe('ß'.repeat(254) + '…');
  });

  it.each([
    ['https://x.atlassian.net/rest/api/2', 'auto', 'https://x.atlassian.net/rest/api/3/search/jql'],
    ['https://jira.corp/rest/api/2', 'auto', 'https://jira.corp/rest/api/2/search'],
    ['https://jira.corp/rest/api/2/', 'cloud', 'https://jira.corp/rest/api/3/search/jql'],
    ['https://x.atlassian.net/rest/api/2', 'datacenter', 'https://x.atlassian.net/rest/api/2/search'],
  ])('search URL for %s (%s)', (api, type, want) => expect(searchURL(api, type)).toBe(want));

  it('JQL for a resolved group ignores reopen_duration', () => {
    expect(searchJql({ reopen_transition: 'x', reopen_duration: 3_600_000 }, 'P', 'h', false)).toBe('statusCategory != Done and project="P" and labels="ALERT{h}" order by status ASC,resolutiondate DESC');
  });
});

describe('jira with the built-in default templates', () => {
  it('renders the default summary and priority', async () => {
    const s = await serve(jira());
    await createJiraNotifier(cfg(s.url), testDeps({ templates: defaultTemplates() })).notify(notifyCtx(), [GOLDEN_ALERT]);
    const f = JSON.parse(s.requests[1]!.body).fields;
    expect(f.summary).toBe('[FIRING:1] HighLatency (critical)');
    expect(f.priority).toEqual({ name: 'High' });
    expect(typeof f.description).toBe('string');
  });
});

/**
 * Jira issues. Mirrors Alertmanager's notify/jira/jira.go: look up the group's issue by its
 * `ALERT{<group key hash>}` label with JQL (skipping won't-fix resolutions, reopening within
 * reopen_duration), then create it (POST issue) or update it (PUT issue/<key>, summary and
 * description only when enable_update allows), then run the reopen/resolve transition by name.
 * A resolved group without an issue sends nothing. 5xx and 429 are retried; as upstream, transport
 * errors are not.
 */
import type { Alert } from '../../../../core/alert.js';
import { goQuote } from '../../../../core/labels.js';
import type { HttpRequest, HttpResponse } from '../../../../core/runtime.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { goJsonEncode, goJsonString } from '../../../../core/go-json.js';
import type { GoJsonValue } from '../../../../core/go-json.js';
import { httpConfigHeaders, sendRequest, userAgent } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { groupKeyHash, tmpl, truncateInRunes } from '../shared/templating.js';
import type { Tmpl } from '../shared/templating.js';
import { deepCopyWithTemplate, encodeIssueFields, toGoJson } from './payload.js';
import type { IssueFields } from './payload.js';

export const MAX_SUMMARY_RUNES = 255;
export const MAX_DESCRIPTION_RUNES = 32767;

type Obj = Readonly<Record<string, unknown>>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** The first template error so far (a call, so checks after each field are not narrowed away). */
const terr = (t: Tmpl): string | undefined => t.error;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/** url.JoinPath for one relative path. */
export function joinPath(base: string, path: string): string {
  const u = new URL(base);
  u.pathname = u.pathname.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
  return u.toString();
}

/** Where issue searches go: /search, or Jira Cloud's /search/jql on API v3. */
export function searchURL(apiURL: string, apiType: string): string {
  const host = new URL(apiURL).host;
  if (apiType === 'cloud' || (apiType === 'auto' && host.endsWith('atlassian.net'))) return joinPath(apiURL, '/search/jql').replace('/rest/api/2/', '/rest/api/3/');
  return joinPath(apiURL, '/search');
}

/** The JQL upstream searches with. */
export function searchJql(s: Obj, project: string, groupHash: string, firing: boolean): string {
  let jql = '';
  const wontFix = str(s['wont_fix_resolution']);
  if (wontFix !== '') jql += `(resolution is EMPTY or resolution != ${goQuote(wontFix)}) and `;
  const reopenMinutes = Math.floor((typeof s['reopen_duration'] === 'number' ? s['reopen_duration'] : 0) / 60_000);
  if (firing && str(s['reopen_transition']) !== '' && reopenMinutes > 0) jql += `(resolutiondate is EMPTY OR resolutiondate >= -${reopenMinutes}m) and `;
  else jql += 'statusCategory != Done and ';
  return jql + `project=${goQuote(project)} and labels=${goQuote(`ALERT{${groupHash}}`)} order by status ASC,resolutiondate DESC`;
}

interface FoundIssue {
  readonly key: string;
  readonly statusCategory?: string;
}

type Api = { ok: true; body: string } | { ok: false; result: Extract<NotifyResult, { ok: false }> };

const bad = (error: string, retryable = false): { ok: false; result: Extract<NotifyResult, { ok: false }> } => ({ ok: false, result: { ok: false, retryable, error } });

/** Builds the issue fields (prepareIssueRequestBody); template failures come back as text. */
export function issueFields(s: Obj, t: Tmpl, groupHash: string, apiV3: boolean): IssueFields | { error: string } {
  const summaryTpl = str(obj(s['summary'])['template']);
  const summary = t.text(summaryTpl);
  if (terr(t) !== undefined) return { error: `summary template: ${terr(t)}` };
  const project = t.text(str(s['project']));
  if (terr(t) !== undefined) return { error: `project template: ${terr(t)}` };
  const issuetype = t.text(str(s['issue_type']));
  if (terr(t) !== undefined) return { error: `issue_type template: ${terr(t)}` };
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj(s['fields']))) {
    custom[k] = deepCopyWithTemplate(v, t);
    if (terr(t) !== undefined) return { error: `fields template: ${terr(t)}` };
  }
  const f: IssueFields = { project, issuetype, summary: truncateInRunes(summary, MAX_SUMMARY_RUNES).text, custom };
  const descText = truncateInRunes(t.text(str(obj(s['description'])['template'])), MAX_DESCRIPTION_RUNES).text;
  if (terr(t) !== undefined) return { error: `description template: ${terr(t)}` };
  if (apiV3) {
    const trimmed = descText.trim();
    if (trimmed !== '') {
      try {
        f.description = { json: JSON.parse(trimmed) as unknown };
      } catch {
        return { error: 'description template: invalid JSON for API v3' };
      }
    }
  } else if (descText !== '') {
    f.description = { text: descText };
  }
  const labels: string[] = [];
  const rawLabels = Array.isArray(s['labels']) ? (s['labels'] as unknown[]) : [];
  for (let i = 0; i < rawLabels.length; i++) {
    const l = t.text(str(rawLabels[i]));
    if (terr(t) !== undefined) return { error: `labels[${i}] template: ${terr(t)}` };
    labels.push(l);
  }
  labels.push(`ALERT{${groupHash}}`);
  f.labels = labels.sort();
  const priority = t.text(str(s['priority']));
  if (terr(t) !== undefined) return { error: `priority template: ${terr(t)}` };
  if (priority !== '') f.priority = priority;
  return f;
}

/** Builds the Jira Notifier for one validated jira_configs entry. */
export function createJiraNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const apiURL = str(s['api_url']);
  const apiType = str(s['api_type']) || 'auto';
  const apiV3 = /\/3$/.test(safePath(apiURL).replace(/\/+$/, ''));
  const headers = { ...httpConfigHeaders(s['http_config']), 'User-Agent': userAgent(deps.version), 'Content-Type': 'application/json', 'Accept-Language': 'en' };
  const enableUpdate = (k: string): boolean => obj(s[k])['enable_update'] !== false;

  async function call(method: HttpRequest['method'], url: string, body: GoJsonValue | undefined, signal: AbortSignal): Promise<Api> {
    let res: HttpResponse | undefined;
    const http = { request: async (r: HttpRequest) => (res = await deps.http.request(r)) };
    const req: Omit<HttpRequest, 'signal'> = body === undefined ? { url, method, headers } : { url, method, headers, body: goJsonEncode(body) };
    const sent = await sendRequest({ ...deps, http }, req, signal, 0, [429], 'jira');
    if (res === undefined) return sent.ok ? bad('no response') : bad(sent.error); // upstream: transport errors are final
    if (!sent.ok) return { ok: false, result: sent };
    return { ok: true, body: res.body };
  }
  const wrap = (prefix: string, r: Extract<NotifyResult, { ok: false }>): NotifyResult => ({ ...r, error: `${prefix}${r.error}` });

  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      if (safePath(apiURL) === '') return { ok: false, retryable: false, error: `invalid Jira api_url ${JSON.stringify(apiURL)}` };
      const data = buildTemplateData(ctx, alerts);
      const firing = data.status === 'firing';
      const hash = groupKeyHash(ctx.groupKey);
      const t = tmpl(deps.templates, data);
      const project = t.text(str(s['project']));
      if (terr(t) !== undefined) return { ok: false, retryable: false, error: `failed to look up existing issues: invalid project template or value: ${terr(t)}` };

      const search = { fields: ['status'], jql: searchJql(s, project, hash, firing), maxResults: 2 };
      const found = await call('POST', searchURL(apiURL, apiType), search, ctx.signal);
      if (!found.ok) return wrap('failed to look up existing issues: HTTP request to JIRA API: ', found.result);
      const existing = parseSearch(found.body);
      if (existing instanceof Error) return { ok: false, retryable: false, error: `failed to look up existing issues: ${existing.message}` };
      if (existing === undefined && !firing) return { ok: true };

      const fields = issueFields(s, t, hash, apiV3);
      if ('error' in fields) return { ok: false, retryable: false, error: fields.error };
      const path = existing === undefined ? 'issue' : `issue/${existing.key}`;
      const method = existing === undefined ? 'POST' : 'PUT';
      if (existing !== undefined) {
        if (!enableUpdate('description')) delete fields.description;
        if (!enableUpdate('summary')) delete fields.summary;
      }
      const sent = await call(method, joinPath(apiURL, path), { fields: encodeIssueFields(fields) }, ctx.signal);
      if (!sent.ok) return wrap(`failed to ${method} request to ${goJsonString(path)}: `, sent.result);
      if (existing === undefined || existing.statusCategory === undefined) return { ok: true };

      const done = existing.statusCategory === 'done';
      const transition = firing ? (done ? str(s['reopen_transition']) : '') : done ? '' : str(s['resolve_transition']);
      if (transition === '') return { ok: true };
      const tpath = joinPath(apiURL, `issue/${existing.key}/transitions`);
      const list = await call('GET', tpath, undefined, ctx.signal);
      if (!list.ok) return list.result;
      const id = findTransition(list.body, transition);
      if (id instanceof Error) return { ok: false, retryable: false, error: id.message };
      if (id === undefined) return { ok: false, retryable: false, error: `can't find transition ${transition} for issue ${existing.key}` };
      const moved = await call('POST', tpath, { transition: toGoJson({ id }) }, ctx.signal);
      return moved.ok ? { ok: true } : moved.result;
    },
  };
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname || '/';
  } catch {
    return '';
  }
}

function parseSearch(body: string): FoundIssue | undefined | Error {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    return e as Error;
  }
  const issues = obj(v)['issues'];
  const first = Array.isArray(issues) ? obj(issues[0]) : {};
  if (!Array.isArray(issues) || issues.length === 0) return undefined;
  const status = obj(obj(first['fields'])['status']);
  const key = str(first['key']);
  if (key === '' || Object.keys(status).length === 0) return { key };
  return { key, statusCategory: str(obj(status['statusCategory'])['key']) };
}

function findTransition(body: string, name: string): string | undefined | Error {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    return e as Error;
  }
  const list = obj(v)['transitions'];
  if (!Array.isArray(list)) return undefined;
  for (const tr of list) if (str(obj(tr)['name']) === name) return str(obj(tr)['id']);
  return undefined;
}

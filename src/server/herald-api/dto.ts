/**
 * Herald API wire formats: request bodies checked field by field (every problem named by its
 * JSON path), history entries with RFC 3339 times.
 */
import type { HistoryEntry, SampleAlertInput, TemplatePreviewRequest, TestReceiverRequest } from '../../alertmanager/notify/history/index.js';
import { formatTime } from '../../core/alert.js';

/** A request body that does not have the expected shape. */
export class BodyError extends Error {}

type Obj = Readonly<Record<string, unknown>>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringMap(v: unknown, path: string, problems: string[]): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) {
    problems.push(`${path}: must be an object of strings`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string') out[k] = x;
    else problems.push(`${path}.${k}: must be a string`);
  }
  return out;
}

function checkKeys(o: Obj, allowed: readonly string[], path: string, problems: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${path === '' ? '' : `${path}.`}${k}: unknown field`);
}

function sampleAlerts(v: unknown, problems: string[]): SampleAlertInput[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) {
    problems.push('alerts: must be an array');
    return undefined;
  }
  return v.map((a: unknown, i) => {
    const path = `alerts[${i}]`;
    if (!isObj(a)) {
      problems.push(`${path}: must be an object`);
      return {};
    }
    checkKeys(a, ['labels', 'annotations', 'status'], path, problems);
    const labels = stringMap(a['labels'], `${path}.labels`, problems);
    const annotations = stringMap(a['annotations'], `${path}.annotations`, problems);
    for (const name of Object.keys(labels ?? {})) if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) problems.push(`${path}.labels: invalid label name ${JSON.stringify(name)}`);
    const status = a['status'];
    if (status !== undefined && status !== 'firing' && status !== 'resolved') problems.push(`${path}.status: must be "firing" or "resolved"`);
    return { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}), ...(status === 'firing' || status === 'resolved' ? { status } : {}) };
  });
}

function done<T>(problems: readonly string[], value: T): T {
  if (problems.length > 0) throw new BodyError(problems.join('; '));
  return value;
}

/** `{ receiver }` or `{ receiver_config }`, plus optional `alerts`. Throws BodyError. */
export function testReceiverRequest(body: unknown): TestReceiverRequest {
  if (!isObj(body)) throw new BodyError('body must be a JSON object');
  const problems: string[] = [];
  checkKeys(body, ['receiver', 'receiver_config', 'alerts'], '', problems);
  const receiver = body['receiver'];
  const rc = body['receiver_config'];
  if (receiver !== undefined && typeof receiver !== 'string') problems.push('receiver: must be a string');
  if (rc !== undefined && !isObj(rc)) problems.push('receiver_config: must be an object');
  if ((receiver === undefined) === (rc === undefined)) problems.push('exactly one of receiver or receiver_config is required');
  const alerts = sampleAlerts(body['alerts'], problems);
  return done(problems, {
    ...(typeof receiver === 'string' ? { receiver } : {}),
    ...(isObj(rc) ? { receiverConfig: rc } : {}),
    ...(alerts ? { alerts } : {}),
  });
}

/** `{ template, alerts?, template_files? }`. Throws BodyError. */
export function templatePreviewRequest(body: unknown): TemplatePreviewRequest {
  if (!isObj(body)) throw new BodyError('body must be a JSON object');
  const problems: string[] = [];
  checkKeys(body, ['template', 'alerts', 'template_files'], '', problems);
  const template = body['template'];
  if (typeof template !== 'string') problems.push('template: required string');
  const alerts = sampleAlerts(body['alerts'], problems);
  const files = stringMap(body['template_files'], 'template_files', problems);
  return done(problems, { template: typeof template === 'string' ? template : '', ...(alerts ? { alerts } : {}), ...(files ? { templateFiles: files } : {}) });
}

/** One history entry on the wire. */
export function historyEntryToDto(e: HistoryEntry): Record<string, unknown> {
  return {
    id: e.id,
    time: formatTime(e.time),
    receiver: e.receiver,
    integration: e.integration,
    integrationIndex: e.integrationIndex,
    groupKey: e.groupKey,
    outcome: e.outcome,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    retry: e.retry,
    latencyMs: e.latencyMs,
    firingCount: e.firingCount,
    resolvedCount: e.resolvedCount,
    firing: e.firing,
    resolved: e.resolved,
  };
}

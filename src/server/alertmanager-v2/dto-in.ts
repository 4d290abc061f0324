/**
 * Alertmanager v2 wire format -> domain, with the checks go-swagger's generated validators make
 * (required fields, types, date-time format). Messages follow go-swagger's wording.
 */
import type { SilenceInput } from '../../alertmanager/silence/types.js';
import { parseTime, ZERO_TIME } from '../../core/alert.js';
import type { Alert, Millis } from '../../core/alert.js';
import type { Labels } from '../../core/labels.js';
import { newMatcher } from '../../core/matcher.js';
import type { Matcher } from '../../core/matcher.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';

/** A posted alert before postAlertsHandler's normalisation (times may be ZERO_TIME). */
export interface PostedAlert {
  labels: Record<string, string>;
  annotations: Labels;
  startsAt: Millis;
  endsAt: Millis;
  generatorURL: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Where a field is in the body, as go-swagger names it: `field`, or `<index>.field` for the items
 * of a list. Only built for a message: valid alerts never pay for the text.
 */
function fieldName(field: string, index: number | undefined): string {
  return index === undefined ? field : `${index}.${field}`;
}

function labelSet(v: unknown, field: string, issues: Issue[], index?: number): Record<string, string> {
  if (!isObject(v)) {
    const where = fieldName(field, index);
    issues.push(issue('type', `${where} in body must be of type object`, { path: [where] }));
    return {};
  }
  // The parsed body is ours alone, so a valid object is used as is (no copy on the hot path).
  let valid = true;
  for (const k in v) {
    const val = v[k];
    if (typeof val !== 'string') {
      valid = false;
      const where = fieldName(field, index);
      issues.push(issue('type', `${where}.${k} in body must be of type string: "${typeof val}"`, { path: [where, k] }));
    }
  }
  return valid ? (v as Record<string, string>) : {};
}

/** The last time text parsed within one body: alerts of one batch usually share their endsAt. */
interface TimeMemo {
  text: string;
  value: Millis | undefined;
}

function time(v: unknown, field: string, issues: Issue[], memo?: TimeMemo, index?: number): Millis {
  if (v === undefined || v === null) return ZERO_TIME;
  let t: Millis | undefined;
  if (typeof v !== 'string') t = undefined;
  else if (memo === undefined) t = parseTime(v);
  else if (memo.text === v) t = memo.value;
  else {
    t = parseTime(v);
    memo.text = v;
    memo.value = t;
  }
  if (t === undefined) {
    const where = fieldName(field, index);
    issues.push(issue('format', `${where} in body must be of type date-time: ${JSON.stringify(v)}`, { path: [where] }));
    return ZERO_TIME;
  }
  return t;
}

/** Decodes a postableAlerts body; the whole request is refused when its shape is wrong, as go-swagger does. */
export function postableAlertsFromDto(body: unknown): Result<PostedAlert[]> {
  if (!Array.isArray(body)) return fail([issue('type', 'alerts in body must be of type array')]);
  const issues: Issue[] = [];
  const out: PostedAlert[] = [];
  const starts: TimeMemo = { text: '', value: undefined };
  const ends: TimeMemo = { text: '', value: undefined };
  body.forEach((raw: unknown, i) => {
    if (!isObject(raw)) {
      issues.push(issue('type', `${i} in body must be of type object`, { path: [i] }));
      return;
    }
    if (raw['labels'] === undefined || raw['labels'] === null) issues.push(issue('required', `${i}.labels in body is required`, { path: [i, 'labels'] }));
    const labels = raw['labels'] == null ? {} : labelSet(raw['labels'], 'labels', issues, i);
    const annotations = raw['annotations'] == null ? {} : labelSet(raw['annotations'], 'annotations', issues, i);
    const g = raw['generatorURL'];
    let generatorURL = '';
    if (g !== undefined && g !== null) {
      if (typeof g !== 'string') issues.push(issue('type', `${i}.generatorURL in body must be of type uri: ${JSON.stringify(g)}`, { path: [i, 'generatorURL'] }));
      else generatorURL = g;
    }
    out.push({
      labels,
      annotations,
      startsAt: time(raw['startsAt'], 'startsAt', issues, starts, i),
      endsAt: time(raw['endsAt'], 'endsAt', issues, ends, i),
      generatorURL,
    });
  });
  return issues.length > 0 ? fail(issues) : ok(out);
}

/**
 * Alertmanager's postAlertsHandler normalisation: updatedAt = now; a missing start becomes the end
 * (or now); a missing end becomes now + resolve_timeout with timeout = true; empty labels dropped.
 */
export function normaliseAlert(p: PostedAlert, now: Millis, resolveTimeoutMs: number): Alert {
  let labels = p.labels;
  for (const k in p.labels) {
    if (p.labels[k] !== '') continue;
    labels = {};
    for (const n in p.labels) if (p.labels[n] !== '') labels[n] = p.labels[n] as string;
    break;
  }
  let startsAt = p.startsAt;
  if (startsAt === ZERO_TIME) startsAt = p.endsAt === ZERO_TIME ? now : p.endsAt;
  const timeout = p.endsAt === ZERO_TIME;
  const endsAt = timeout ? now + resolveTimeoutMs : p.endsAt;
  return { labels, annotations: p.annotations, startsAt, endsAt, generatorURL: p.generatorURL, updatedAt: now, timeout };
}

/** Decodes a postableSilence body (api/v2/compat.go PostableSilenceToProto). */
export function postableSilenceFromDto(body: unknown): Result<SilenceInput> {
  if (!isObject(body)) return fail([issue('type', 'silence in body must be of type object')]);
  const issues: Issue[] = [];
  for (const f of ['matchers', 'startsAt', 'endsAt', 'createdBy', 'comment']) {
    if (body[f] === undefined || body[f] === null) issues.push(issue('required', `${f} in body is required`, { path: [f] }));
  }
  for (const f of ['createdBy', 'comment', 'id']) {
    if (body[f] !== undefined && body[f] !== null && typeof body[f] !== 'string') issues.push(issue('type', `${f} in body must be of type string: "${typeof body[f]}"`, { path: [f] }));
  }
  const matchers: Matcher[] = [];
  const raw = body['matchers'];
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw)) issues.push(issue('type', 'matchers in body must be of type array', { path: ['matchers'] }));
    else if (raw.length === 0) issues.push(issue('min_items', 'matchers in body should have at least 1 items', { path: ['matchers'] }));
    else {
      raw.forEach((m: unknown, i) => {
        if (!isObject(m) || typeof m['name'] !== 'string' || typeof m['value'] !== 'string' || typeof m['isRegex'] !== 'boolean') {
          issues.push(issue('type', `matchers.${i} in body must have string name, string value and boolean isRegex`, { path: ['matchers', i] }));
          return;
        }
        const isEqual = m['isEqual'] === undefined || m['isEqual'] === null ? true : m['isEqual'] === true;
        const type = m['isRegex'] ? (isEqual ? '=~' : '!~') : isEqual ? '=' : '!=';
        const r = newMatcher(m['name'], type, m['value']);
        if (!r.ok) issues.push(...r.issues.map((x) => issue(x.code, `failed to convert API silence to internal silence: ${x.message}`, { path: ['matchers', i] })));
        else matchers.push(r.value);
      });
    }
  }
  const startsAt = time(body['startsAt'], 'startsAt', issues);
  const endsAt = time(body['endsAt'], 'endsAt', issues);
  const annotations = body['annotations'] == null ? undefined : labelSet(body['annotations'], 'annotations', issues);
  if (issues.length > 0) return fail(issues);
  const id = typeof body['id'] === 'string' && body['id'] !== '' ? body['id'] : undefined;
  return ok({
    ...(id !== undefined ? { id } : {}),
    matchers,
    startsAt,
    endsAt,
    createdBy: body['createdBy'] as string,
    comment: body['comment'] as string,
    ...(annotations !== undefined ? { annotations } : {}),
  });
}

/**
 * The stored form of a silence (StateStore kind 'silence', key = silence id): JSON with matchers as
 * `{name, type, value}`. Times are Unix milliseconds.
 */
import { newMatcher } from '../../core/matcher.js';
import type { Matcher, MatchType } from '../../core/matcher.js';
import type { StateRecord } from '../../core/state-store.js';
import type { Silence } from './types.js';

interface SilenceJson {
  id: string;
  matchers: { name: string; type: MatchType; value: string }[];
  startsAt: number;
  endsAt: number;
  updatedAt: number;
  createdBy: string;
  comment: string;
  annotations?: Record<string, string>;
}

/** Serialises a silence for the store. Key order is fixed so sizes are stable for the size limit. */
export function encodeSilence(s: Silence): string {
  const j: SilenceJson = {
    id: s.id,
    matchers: s.matchers.map((m) => ({ name: m.name, type: m.type, value: m.value })),
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    updatedAt: s.updatedAt,
    createdBy: s.createdBy,
    comment: s.comment,
  };
  if (s.annotations !== undefined) j.annotations = { ...s.annotations };
  return JSON.stringify(j);
}

/** Reads a stored silence and compiles its matchers; a string says why the record is unusable. */
export function decodeSilence(r: StateRecord): Silence | string {
  let j: unknown;
  try {
    j = JSON.parse(r.value);
  } catch (e) {
    return `not JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (typeof j !== 'object' || j === null) return 'not an object';
  const o = j as Partial<Record<keyof SilenceJson, unknown>>;
  if (typeof o.id !== 'string' || o.id !== r.key) return 'id does not match the record key';
  for (const f of ['startsAt', 'endsAt', 'updatedAt'] as const) {
    const v = o[f];
    if (typeof v !== 'number' || !Number.isFinite(v)) return `${f} is not a time`;
  }
  if (typeof o.createdBy !== 'string' || typeof o.comment !== 'string') return 'createdBy/comment missing';
  if (!Array.isArray(o.matchers) || o.matchers.length === 0) return 'no matchers';
  const matchers: Matcher[] = [];
  for (const raw of o.matchers as unknown[]) {
    const m = raw as Partial<Record<'name' | 'type' | 'value', unknown>>;
    if (typeof m.name !== 'string' || typeof m.value !== 'string' || typeof m.type !== 'string') return 'malformed matcher';
    if (m.type !== '=' && m.type !== '!=' && m.type !== '=~' && m.type !== '!~') return `unknown matcher type ${m.type}`;
    const built = newMatcher(m.name, m.type, m.value);
    if (!built.ok) return built.issues[0]?.message ?? 'invalid matcher';
    matchers.push(built.value);
  }
  let annotations: Record<string, string> | undefined;
  if (o.annotations !== undefined) {
    if (typeof o.annotations !== 'object' || o.annotations === null) return 'annotations is not an object';
    annotations = {};
    for (const [k, v] of Object.entries(o.annotations)) {
      if (typeof v !== 'string') return 'annotation value is not a string';
      annotations[k] = v;
    }
  }
  const s: Silence = {
    id: o.id,
    matchers,
    startsAt: o.startsAt as number,
    endsAt: o.endsAt as number,
    updatedAt: o.updatedAt as number,
    createdBy: o.createdBy,
    comment: o.comment,
  };
  return annotations === undefined ? s : { ...s, annotations };
}

/**
 * Query parameters of the v2 read endpoints, parsed as go-swagger and api/v2/api.go do:
 * booleans default to true, `filter` is repeated matcher strings, `receiver` an anchored regex.
 */
import { compileAnchored } from '../../core/matcher.js';
import type { Matcher } from '../../core/matcher.js';
import type { Result } from '../../core/result.js';

export type MatcherParser = (input: string) => Result<Matcher>;
export type Query = Record<string, string | string[] | undefined>;

/** A parameter problem; the message is the 400 body. */
export class ParamError extends Error {}

const TRUE = new Set(['true', '1', 'yes', 'y', 'on', 'selected', 'checked']);
const FALSE = new Set(['false', '0', 'no', 'n', 'off']);

function single(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** swag.ConvertBool semantics; default true. */
export function boolParam(q: Query, name: string): boolean {
  const v = single(q, name);
  if (v === undefined || v === '') return true;
  const l = v.toLowerCase();
  if (TRUE.has(l)) return true;
  if (FALSE.has(l)) return false;
  throw new ParamError(`${name} in query must be of type boolean: "${v}"`);
}

/** parseFilter: one matcher per `filter` value; the first bad one fails the request. */
export function filterParam(q: Query, parse: MatcherParser): Matcher[] {
  const raw = q['filter'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const out: Matcher[] = [];
  for (const s of list) {
    const r = parse(s);
    if (!r.ok) throw new ParamError(r.issues.map((i) => i.message).join('; '));
    out.push(r.value);
  }
  return out;
}

/** `receiver` compiled as ^(?:re)$; undefined when absent. */
export function receiverParam(q: Query): ((name: string) => boolean) | undefined {
  const v = single(q, 'receiver');
  if (v === undefined) return undefined;
  const r = compileAnchored(v);
  if (!r.ok) throw new ParamError(`failed to parse receiver param: ${r.issues[0]?.message ?? 'invalid regex'}`);
  const re = r.value;
  return (name) => re.test(name);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** go-swagger validates `silenceID` as a uuid before the handler runs. */
export function isUuid(s: string): boolean {
  return UUID.test(s);
}

/**
 * The parameters GET /alerts and GET /alerts/groups share, plus their state flags (`unprocessed`
 * for alerts, `muted` for groups), each defaulting to true.
 */
export function alertListParams<F extends string>(
  q: Query,
  parse: MatcherParser,
  flags: readonly F[],
): { filter: Matcher[]; receiver?: (name: string) => boolean } & Record<F, boolean> {
  const receiver = receiverParam(q);
  const out: Record<string, unknown> = { filter: filterParam(q, parse) };
  if (receiver) out['receiver'] = receiver;
  for (const f of flags) out[f] = boolParam(q, f);
  return out as { filter: Matcher[]; receiver?: (name: string) => boolean } & Record<F, boolean>;
}

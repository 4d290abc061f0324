/**
 * Parameter parsing of Prometheus' HTTP API (web/api/v1/api.go parseTime, parseDuration and
 * their "invalid parameter" errors). Times are ms.
 */
import { parseDurationMs } from '../../promql/parser/index.js';

/** A parameter the client got wrong: errorType bad_data, HTTP 400. */
export class BadParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadParamError';
  }
}

// Prometheus' minTime/maxTime sentinels, as clients send them (e.g. Grafana's "0001-01-01...").
const MIN_TIME_MS = -9223372036854776;
const MAX_TIME_MS = 9223372036854776;
const MIN_TIME_TEXT = '-292273086-05-16T16:47:06Z';
const MAX_TIME_TEXT = '292277025-08-18T07:12:54.999999999Z';

/** parseTime: Unix seconds (fractions allowed) or RFC 3339; undefined text gives `dflt`. */
export function parseTimeParam(name: string, text: string | undefined, dflt: number): number {
  if (text === undefined || text === '') return dflt;
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    const s = Number(text);
    if (Number.isFinite(s)) return Math.round(s * 1000);
  }
  if (text === MIN_TIME_TEXT) return MIN_TIME_MS;
  if (text === MAX_TIME_TEXT) return MAX_TIME_MS;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const t = Date.parse(text);
    if (!Number.isNaN(t)) return t;
  }
  throw new BadParamError(`invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(text)} to a valid timestamp`);
}

/** parseDuration: seconds as a float, or a Prometheus duration (`5m`, `1h30m`). */
export function parseDurationParam(name: string, text: string): number {
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    const s = Number(text);
    const ms = s * 1000;
    if (Number.isFinite(ms) && Math.abs(ms) < 9.2e18) return Math.round(ms);
    throw new BadParamError(`invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(text)} to a valid duration. It overflows int64`);
  }
  const d = parseDurationMs(text);
  if (d !== undefined) return d;
  throw new BadParamError(`invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(text)} to a valid duration`);
}

/** One value of a parameter from the query string or form body; repeated keys give the first. */
export function single(params: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Every value of a repeatable parameter (`match[]`). */
export function many(params: Readonly<Record<string, string | string[] | undefined>>, name: string): string[] {
  const v = params[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/**
 * Reads the JSON a Prometheus-compatible `/api/v1/query` answers (web/api/v1/api.go and
 * json_codec.go upstream; Mimir, VictoriaMetrics and Thanos answer alike): the
 * `{status, data: {resultType, result}}` envelope on success, `{status: "error", errorType, error}`
 * on failure. Sample values are strings ("1.5", "NaN", "+Inf", "-Inf"), timestamps float seconds.
 * Every problem comes back as text saying where in the document it is; nothing here throws.
 */
import type { Labels } from '../../core/labels.js';
import type { RuleSample, RuleSeries } from '../api.js';

/** A decoded result, by Prometheus' resultType. */
export type QueryData =
  | { readonly resultType: 'vector'; readonly samples: RuleSample[] }
  | { readonly resultType: 'scalar'; readonly sample: RuleSample }
  | { readonly resultType: 'matrix'; readonly series: RuleSeries[] }
  | { readonly resultType: 'string' };

export type DecodedResponse =
  | { readonly ok: true; readonly data: QueryData }
  /** The remote's own error envelope. */
  | { readonly ok: false; readonly kind: 'remote'; readonly errorType: string; readonly error: string }
  /** Not JSON, or JSON of another shape. */
  | { readonly ok: false; readonly kind: 'malformed'; readonly problem: string };

class Malformed extends Error {}

const INF = /^[+-]?inf(inity)?$/i;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A sample value as Go's strconv.ParseFloat reads Prometheus' output; undefined when it is none. */
export function parseSampleValue(text: string): number | undefined {
  if (/^nan$/i.test(text)) return NaN;
  if (INF.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return DECIMAL.test(text) ? Number(text) : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function labelsAt(v: unknown, where: string): Labels {
  if (!isObject(v)) throw new Malformed(`${where}.metric is not an object`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw new Malformed(`${where}.metric.${k} is not a string`);
    out[k] = x;
  }
  return out;
}

/** [seconds, "value"] -> [ms, value]. */
function pointAt(v: unknown, where: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw new Malformed(`${where} is not a [time, "value"] pair`);
  const [ts, text] = v as [unknown, unknown];
  if (typeof ts !== 'number' || !Number.isFinite(ts)) throw new Malformed(`${where}[0] is not a timestamp in seconds`);
  if (typeof text !== 'string') throw new Malformed(`${where}[1] is not a string`);
  const value = parseSampleValue(text);
  if (value === undefined) throw new Malformed(`${where}[1] ${JSON.stringify(text)} is not a number`);
  return [Math.round(ts * 1000), value];
}

function arrayAt(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new Malformed(`${where} is not an array`);
  return v as unknown[];
}

function noHistograms(item: Record<string, unknown>, where: string): void {
  if ('histogram' in item || 'histograms' in item) throw new Malformed(`${where} holds native histogram samples, which rules over a remote backend do not support`);
}

function decodeData(data: unknown): QueryData {
  if (!isObject(data)) throw new Malformed('data is not an object');
  const { resultType, result } = data;
  switch (resultType) {
    case 'vector':
      return {
        resultType,
        samples: arrayAt(result, 'data.result').map((item, i) => {
          const where = `data.result[${i}]`;
          if (!isObject(item)) throw new Malformed(`${where} is not an object`);
          noHistograms(item, where);
          const [t, v] = pointAt(item['value'], `${where}.value`);
          return { labels: labelsAt(item['metric'], where), t, v };
        }),
      };
    case 'scalar': {
      const [t, v] = pointAt(result, 'data.result');
      return { resultType, sample: { labels: {}, t, v } };
    }
    case 'matrix':
      return {
        resultType,
        series: arrayAt(result, 'data.result').map((item, i) => {
          const where = `data.result[${i}]`;
          if (!isObject(item)) throw new Malformed(`${where} is not an object`);
          noHistograms(item, where);
          const points = arrayAt(item['values'] ?? [], `${where}.values`);
          const t: number[] = new Array<number>(points.length);
          const v: number[] = new Array<number>(points.length);
          points.forEach((p, k) => {
            [t[k], v[k]] = pointAt(p, `${where}.values[${k}]`);
          });
          return { labels: labelsAt(item['metric'], where), t, v };
        }),
      };
    case 'string':
      return { resultType };
    default:
      throw new Malformed(`data.resultType ${JSON.stringify(resultType)} is not one of vector, scalar, matrix, string`);
  }
}

/** Decodes a response body (any status: Prometheus sends its error envelope with 4xx, 422 and 5xx). */
export function decodeQueryResponse(body: string): DecodedResponse {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { ok: false, kind: 'malformed', problem: 'response is not JSON' };
  }
  if (!isObject(doc)) return { ok: false, kind: 'malformed', problem: 'response is not a JSON object' };
  if (doc['status'] === 'error') {
    const error = typeof doc['error'] === 'string' ? doc['error'] : 'unknown error';
    const errorType = typeof doc['errorType'] === 'string' ? doc['errorType'] : '';
    return { ok: false, kind: 'remote', errorType, error };
  }
  if (doc['status'] !== 'success') return { ok: false, kind: 'malformed', problem: `status ${JSON.stringify(doc['status'])} is neither "success" nor "error"` };
  try {
    return { ok: true, data: decodeData(doc['data']) };
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, kind: 'malformed', problem: e.message };
    throw e;
  }
}

/**
 * The JSON Prometheus' API writes (web/api/v1/json_codec.go and util/jsonutil): sample values as
 * strings with strconv's shortest formatting ('e' below 1e-6 and from 1e21 on, "+Inf", "NaN"),
 * timestamps as seconds with up to three decimals, result shapes per value type.
 */
import type { Labels } from '../../core/labels.js';
import { sortedNames } from '../../core/labels.js';
import { goJsonString } from '../../core/go-json.js';
import { formatFloatF } from '../../promql/index.js';
import type { QueryValue } from '../../promql/index.js';

/** jsonutil.MarshalFloat's text (without the quotes). */
export function promFloat(v: number): string {
  const abs = Math.abs(v);
  if (abs !== 0 && Number.isFinite(v) && (abs < 1e-6 || abs >= 1e21)) {
    // strconv 'e' with shortest digits: mantissa digits, exponent with sign and at least 2 digits.
    const [mant = '0', exp = '0'] = v.toExponential().split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return formatFloatF(v);
}

/** jsonutil.MarshalTimestamp: whole seconds, then `.` and three digits when there are milliseconds. */
export function promTimestamp(t: number): string {
  const neg = t < 0;
  const a = Math.abs(t);
  const secs = Math.floor(a / 1000);
  const frac = a % 1000;
  return (neg ? '-' : '') + String(secs) + (frac !== 0 ? '.' + String(frac).padStart(3, '0') : '');
}

/** A label set as Prometheus writes it: names sorted, strings escaped as Go's encoder does. */
export function encodeLabels(labels: Labels): string {
  const names = sortedNames(labels);
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    const n = names[i] as string;
    out += (i > 0 ? ',' : '') + goJsonString(n) + ':' + goJsonString(labels[n] as string);
  }
  return out + '}';
}

const metric = encodeLabels;

/** `data` of a query response: {"resultType": ..., "result": ...} as raw JSON text. */
export function encodeQueryData(v: QueryValue): string {
  switch (v.type) {
    case 'scalar':
      return `{"resultType":"scalar","result":[${promTimestamp(v.t)},"${promFloat(v.v)}"]}`;
    case 'string':
      return `{"resultType":"string","result":[${promTimestamp(v.t)},${goJsonString(v.v)}]}`;
    case 'vector': {
      const parts = v.samples.map((s) => `{"metric":${metric(s.labels)},"value":[${promTimestamp(s.t)},"${promFloat(s.v)}"]}`);
      return `{"resultType":"vector","result":[${parts.join(',')}]}`;
    }
    case 'matrix': {
      const parts = v.series.map((s) => {
        const points: string[] = new Array<string>(s.t.length);
        for (let i = 0; i < s.t.length; i++) points[i] = `[${promTimestamp(s.t[i] as number)},"${promFloat(s.v[i] as number)}"]`;
        return `{"metric":${metric(s.labels)},"values":[${points.join(',')}]}`;
      });
      return `{"resultType":"matrix","result":[${parts.join(',')}]}`;
    }
  }
}

/**
 * Hand-written decoder for remote_write 1.0's `prometheus.WriteRequest` (prompb/remote.proto,
 * types.proto). Reads timeseries labels and float samples; exemplars, native histograms, metadata
 * and unknown fields are skipped by wire type. Sample values are copied byte for byte into a
 * Float64Array so NaN payloads (the staleness marker) survive: V8 may canonicalise a NaN that
 * passes through an ordinary JS number.
 */
import type { Result } from '../../core/result.js';
import { fail, issue, ok } from '../../core/result.js';
import { copyDouble, DecodeError, expectWireType, Reader, WT_FIXED64, WT_LEN, WT_VARINT } from './proto-reader.js';

/** One decoded series: labels in wire order (validated later), samples in wire order. */
export interface DecodedSeries {
  readonly names: string[];
  readonly values: string[];
  readonly t: Float64Array;
  readonly v: Float64Array;
  /** Native histogram samples in this series (not stored by Herald). */
  readonly histograms: number;
  /** Name of the first label whose name or value is not valid UTF-8 (replaced by U+FFFD). */
  readonly invalidUtf8?: string;
}

export interface DecodedWriteRequest {
  readonly series: DecodedSeries[];
  readonly samples: number;
  readonly histograms: number;
}

/** Column storage shared by every series of one request; each series gets views into it. */
interface Columns {
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly vBytes: Uint8Array;
  next: number;
}

function decodeSample(r: Reader, end: number, cols: Columns): void {
  const outer = r.end;
  r.end = end;
  const index = cols.next++;
  while (r.pos < end) {
    const fieldKey = r.tag();
    const field = Math.floor(fieldKey / 8);
    const wt = fieldKey & 7;
    if (field === 1) {
      expectWireType(r, wt, WT_FIXED64, 'Sample.value');
      copyDouble(r, cols.vBytes, index);
    } else if (field === 2) {
      expectWireType(r, wt, WT_VARINT, 'Sample.timestamp');
      cols.t[index] = r.int64('timestamp');
    } else r.skip(wt, field);
  }
  r.end = outer;
}

function decodeLabel(r: Reader, end: number, names: string[], values: string[]): boolean {
  const outer = r.end;
  r.end = end;
  let name = '';
  let value = '';
  let valid = true;
  while (r.pos < end) {
    const fieldKey = r.tag();
    const field = Math.floor(fieldKey / 8);
    const wt = fieldKey & 7;
    if (field === 1 || field === 2) {
      expectWireType(r, wt, WT_LEN, field === 1 ? 'Label.name' : 'Label.value');
      const str = r.string();
      if (field === 1) name = str.s;
      else value = str.s;
      valid &&= str.valid;
    } else r.skip(wt, field);
  }
  r.end = outer;
  names.push(name);
  values.push(value);
  return valid;
}

function decodeSeries(r: Reader, end: number, cols: Columns): DecodedSeries {
  const outer = r.end;
  r.end = end;
  const first = cols.next;
  const names: string[] = [];
  const values: string[] = [];
  let histograms = 0;
  let invalidUtf8: string | undefined;
  while (r.pos < end) {
    const fieldKey = r.tag();
    const field = Math.floor(fieldKey / 8);
    const wt = fieldKey & 7;
    if (field === 1) {
      expectWireType(r, wt, WT_LEN, 'TimeSeries.labels');
      if (!decodeLabel(r, r.lengthEnd(), names, values) && invalidUtf8 === undefined) invalidUtf8 = names[names.length - 1];
    } else if (field === 2) {
      expectWireType(r, wt, WT_LEN, 'TimeSeries.samples');
      decodeSample(r, r.lengthEnd(), cols);
    } else {
      if (field === 4 && wt === WT_LEN) histograms++;
      r.skip(wt, field);
    }
  }
  r.end = outer;
  const out: DecodedSeries = { names, values, t: cols.t.subarray(first, cols.next), v: cols.v.subarray(first, cols.next), histograms };
  return invalidUtf8 === undefined ? out : { ...out, invalidUtf8 };
}

/** Samples in the request, counted by skipping, so the columns are allocated once. */
function countSamples(buf: Uint8Array): number {
  const r = new Reader(buf, 0, buf.length);
  let n = 0;
  while (r.pos < r.end) {
    const fieldKey = r.tag();
    const field = Math.floor(fieldKey / 8);
    const wt = fieldKey & 7;
    if (field !== 1 || wt !== WT_LEN) {
      r.skip(wt, field);
      continue;
    }
    const end = r.lengthEnd();
    const outer = r.end;
    r.end = end;
    while (r.pos < end) {
      const fKey = r.tag();
      const f = Math.floor(fKey / 8);
      const w = fKey & 7;
      if (f === 2 && w === WT_LEN) n++;
      r.skip(w, f);
    }
    r.end = outer;
  }
  return n;
}

/** Decodes a (decompressed) remote_write 1.0 body. */
export function decodeWriteRequest(buf: Uint8Array): Result<DecodedWriteRequest> {
  const series: DecodedSeries[] = [];
  let samples = 0;
  let histograms = 0;
  try {
    const total = countSamples(buf);
    const v = new Float64Array(total);
    const cols: Columns = { t: new Float64Array(total), v, vBytes: new Uint8Array(v.buffer), next: 0 };
    const r = new Reader(buf, 0, buf.length);
    while (r.pos < r.end) {
      const fieldKey = r.tag();
      const field = Math.floor(fieldKey / 8);
      const wt = fieldKey & 7;
      if (field === 1) {
        expectWireType(r, wt, WT_LEN, 'WriteRequest.timeseries');
        const s = decodeSeries(r, r.lengthEnd(), cols);
        series.push(s);
        samples += s.t.length;
        histograms += s.histograms;
      } else r.skip(wt, field);
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return fail([issue('protobuf_invalid', `protobuf: invalid WriteRequest at byte ${e.at}: ${e.message}`, { span: { start: e.at, end: e.at + 1 } })]);
  }
  return ok({ series, samples, histograms });
}

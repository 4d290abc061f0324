/**
 * Hand-written decoder for remote_write 1.0's `prometheus.WriteRequest` (prompb/remote.proto,
 * types.proto). Reads timeseries labels and float samples; exemplars, native histograms, metadata
 * and unknown fields are skipped by wire type. Sample values are copied byte for byte into a
 * Float64Array so NaN payloads (the staleness marker) survive: V8 may canonicalise a NaN that
 * passes through an ordinary JS number.
 */
import type { Result } from '../../core/result.js';
import { fail, issue, ok } from '../../core/result.js';
import { hashBytes } from './label-cache.js';
import type { CachedLabels, LabelCache } from './label-cache.js';
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
  /** The cache entry of this label set (names and values are then shared with it: do not change them). */
  readonly cached?: CachedLabels;
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

/** Decodes the Label fields among `r.buf[start, end)` (other fields are skipped). */
function decodeLabels(r: Reader, start: number, end: number): { names: string[]; values: string[]; invalidUtf8?: string } {
  const outer = r.end;
  const pos = r.pos;
  r.pos = start;
  r.end = end;
  const names: string[] = [];
  const values: string[] = [];
  let invalidUtf8: string | undefined;
  while (r.pos < end) {
    const fieldKey = r.tag();
    const field = Math.floor(fieldKey / 8);
    const wt = fieldKey & 7;
    if (field === 1) {
      expectWireType(r, wt, WT_LEN, 'TimeSeries.labels');
      if (!decodeLabel(r, r.lengthEnd(), names, values) && invalidUtf8 === undefined) invalidUtf8 = names[names.length - 1];
    } else r.skip(wt, field);
  }
  r.end = outer;
  r.pos = pos;
  return invalidUtf8 === undefined ? { names, values } : { names, values, invalidUtf8 };
}

/**
 * One TimeSeries. Label fields are first only skipped and hashed; when they are contiguous (as
 * every sender writes them) and `cache` knows their bytes, the strings are not decoded at all.
 */
function decodeSeries(r: Reader, end: number, cols: Columns, cache: LabelCache | undefined): DecodedSeries {
  const outer = r.end;
  const start = r.pos;
  r.end = end;
  const first = cols.next;
  let labelsStart = -1;
  let labelsEnd = -1;
  let contiguous = true;
  let histograms = 0;
  while (r.pos < end) {
    const at = r.pos;
    const fieldKey = r.tag();
    const field = Math.floor(fieldKey / 8);
    const wt = fieldKey & 7;
    if (field === 1) {
      expectWireType(r, wt, WT_LEN, 'TimeSeries.labels');
      const fieldEnd = r.lengthEnd();
      if (labelsStart < 0) labelsStart = at;
      else if (at !== labelsEnd) contiguous = false;
      labelsEnd = fieldEnd;
      r.pos = fieldEnd;
    } else if (field === 2) {
      expectWireType(r, wt, WT_LEN, 'TimeSeries.samples');
      decodeSample(r, r.lengthEnd(), cols);
    } else {
      if (field === 4 && wt === WT_LEN) histograms++;
      r.skip(wt, field);
    }
  }
  r.end = outer;
  const t = cols.t.subarray(first, cols.next);
  const v = cols.v.subarray(first, cols.next);
  if (labelsStart < 0) return { names: [], values: [], t, v, histograms };
  if (!contiguous || !cache) {
    const l = contiguous ? decodeLabels(r, labelsStart, labelsEnd) : decodeLabels(r, start, end);
    return { ...l, t, v, histograms };
  }
  const hash = hashBytes(r.buf, labelsStart, labelsEnd);
  let cached = cache.get(r.buf, labelsStart, labelsEnd, hash);
  if (!cached) {
    cached = decodeLabels(r, labelsStart, labelsEnd);
    cache.set(r.buf, labelsStart, labelsEnd, hash, cached);
  }
  const out = { names: cached.names, values: cached.values, t, v, histograms, cached };
  return cached.invalidUtf8 === undefined ? out : { ...out, invalidUtf8: cached.invalidUtf8 };
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

/**
 * Decodes a (decompressed) remote_write 1.0 body. With a `cache`, label sets already seen are
 * taken from it (see label-cache.ts).
 */
export function decodeWriteRequest(buf: Uint8Array, cache?: LabelCache): Result<DecodedWriteRequest> {
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
        const s = decodeSeries(r, r.lengthEnd(), cols, cache);
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

/**
 * Writes rule output (recording results, ALERTS, ALERTS_FOR_STATE, stale markers) to a
 * remote_write 1.0 endpoint: one snappy-compressed protobuf WriteRequest per append, with the
 * headers Prometheus' remote_write client sends (storage/remote/client.go). Status handling
 * follows what receivers answer: Prometheus' write handler (storage/remote/write_handler.go)
 * refuses a batch holding an out-of-order, out-of-bounds or duplicate sample with 400 and the
 * reason as text; Mimir answers 400 for samples it refuses. A 400 is reported as rejected
 * samples (the whole batch: the receiver does not say which), anything else not 2xx throws.
 */
import type { Labels } from '../../core/labels.js';
import { sortedNames } from '../../core/labels.js';
import type { Clock, HttpClient } from '../../core/runtime.js';
import { isStaleNaN, writeStaleNaN } from '../../core/stale-nan.js';
import { encodeWriteRequest, snappyEncode } from '../../ingest/remote-write/encode.js';
import type { EncodableSeries } from '../../ingest/remote-write/encode.js';
import type { PeerAuth, RuleSample } from '../api.js';
import { peerHeaders, redactUrl, RemoteBackendError, sendBounded, snippet } from './peer-http.js';

export interface RemoteWriteClientOptions {
  /** The receiver, e.g. http://prometheus:9090/api/v1/write or http://mimir/api/v1/push. */
  readonly url: string;
  readonly tenant: string;
  /** '' = no tenant header. */
  readonly tenantHeader: string;
  readonly auth: PeerAuth;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly http: HttpClient;
  readonly clock: Clock;
}

export interface WriteOutcome {
  readonly rejected: number;
  readonly firstError?: string;
}

function seriesKey(labels: Labels): string {
  let key = '';
  for (const n of sortedNames(labels)) key += `${n}\u0000${labels[n] as string}\u0000`;
  return key;
}

/**
 * Groups samples by series, in order of first appearance, samples in input order. Values go
 * into a Float64Array, stale markers bit by bit, so their payload reaches the wire.
 */
export function toWriteSeries(samples: readonly RuleSample[]): EncodableSeries[] {
  const index = new Map<string, number[]>();
  for (let i = 0; i < samples.length; i++) {
    const key = seriesKey((samples[i] as RuleSample).labels);
    const at = index.get(key);
    if (at) at.push(i);
    else index.set(key, [i]);
  }
  const out: EncodableSeries[] = [];
  for (const positions of index.values()) {
    const t: number[] = new Array<number>(positions.length);
    const v = new Float64Array(positions.length);
    positions.forEach((p, k) => {
      const s = samples[p] as RuleSample;
      t[k] = s.t;
      if (isStaleNaN(s.v)) writeStaleNaN(v, k);
      else v[k] = s.v;
    });
    out.push({ labels: (samples[positions[0] as number] as RuleSample).labels, t, v });
  }
  return out;
}

/** A remote_write 1.0 sender for one tenant. */
export class RemoteWriteClient {
  private readonly headers: Readonly<Record<string, string>>;
  private readonly shownUrl: string;

  constructor(private readonly o: RemoteWriteClientOptions) {
    this.shownUrl = redactUrl(o.url);
    this.headers = {
      ...peerHeaders(o.auth, o.tenantHeader, o.tenant, o.userAgent),
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    };
  }

  /** Sends `samples`; a 400 counts them all as rejected, a transport failure or other status throws RemoteBackendError. */
  async write(samples: readonly RuleSample[], signal?: AbortSignal): Promise<WriteOutcome> {
    if (samples.length === 0) return { rejected: 0 };
    let body: Uint8Array;
    try {
      body = snappyEncode(encodeWriteRequest(toWriteSeries(samples)));
    } catch (e) {
      // A timestamp that is no integer: a bug upstream of here, reported rather than thrown at the evaluation loop.
      return { rejected: samples.length, firstError: e instanceof Error ? e.message : String(e) };
    }
    const res = await sendBounded(this.o.http, this.o.clock, { url: this.o.url, method: 'POST', headers: this.headers, body }, this.o.timeoutMs, signal);
    if (res.status >= 200 && res.status <= 299) return { rejected: 0 };
    const text = snippet(res.body);
    if (res.status === 400) return { rejected: samples.length, firstError: text !== '' ? text : `${this.shownUrl}: status 400` };
    throw new RemoteBackendError(`${this.shownUrl}: remote write failed with status ${res.status}${text !== '' ? `: ${text}` : ''}`, this.shownUrl, res.status);
  }
}

/**
 * The remote_write 1.0 push pipeline, free of HTTP: snappy, protobuf, validation, rate limit,
 * append. Status codes follow Prometheus' receiver (204; 400 for data that a retry cannot fix;
 * 5xx when the store failed, so the sender retries) and Mimir's distributor (429 when the tenant's
 * ingestion rate is exceeded; invalid series are dropped, the rest stored, and the first error
 * answered with 400).
 */
import type { Clock, Logger } from '../../core/runtime.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { AppendSeries, TsdbSet } from '../../tsdb/api.js';
import type { IngestLimits } from './limits.js';
import { errorId, limitHint } from './limits.js';
import type { IngestMetrics, IngestRejectReason } from './metrics.js';
import { decodeWriteRequest } from './protobuf.js';
import { IngestionRateLimiter } from './rate-limiter.js';
import { DEFAULT_MAX_DECODED_BYTES, snappyDecode } from './snappy.js';
import { LabelCache } from './label-cache.js';
import { validateKnownSeries, validateSeries, validationKey } from './validate.js';

export interface RemoteWriteOptions {
  readonly tsdb: TsdbSet;
  readonly limits: (tenant: string) => IngestLimits;
  readonly metrics: IngestMetrics;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Largest decompressed body; default 64 MiB. */
  readonly maxDecodedBytes?: number;
}

/** What one push came to: the HTTP status, the error text (not for 204), and sample counts. */
export interface PushOutcome {
  readonly status: 204 | 400 | 429 | 500;
  readonly message?: string;
  /** Float and histogram samples in the request. */
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
}

/** Tallies refusals by reason and remembers the first message of each kind of failure. */
class Rejections {
  total = 0;
  firstValidation: string | undefined;
  firstStore: string | undefined;
  private readonly byReason = new Map<IngestRejectReason, number>();

  add(reason: IngestRejectReason, n: number, message: string, store = false): void {
    if (n <= 0) return;
    this.total += n;
    this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + n);
    if (store) this.firstStore ??= message;
    else this.firstValidation ??= message;
  }

  report(metrics: IngestMetrics, tenant: string): void {
    for (const [reason, n] of this.byReason) metrics.samplesRejected(tenant, reason, n);
  }
}

/** Decodes, validates and stores remote_write requests, one tenant at a time. */
export class RemoteWriteIngester {
  private readonly rate: IngestionRateLimiter;
  private readonly logger: Logger;
  /** Per tenant: label sets by their wire bytes (tenants' limits differ, so are their outcomes). */
  private readonly labelCaches = new Map<string, LabelCache>();

  constructor(private readonly opts: RemoteWriteOptions) {
    this.rate = new IngestionRateLimiter(opts.clock);
    this.logger = opts.logger ?? NOOP_LOGGER;
  }

  /** Handles one snappy-compressed WriteRequest body for `tenant`. */
  async push(tenant: string, body: Uint8Array): Promise<PushOutcome> {
    const raw = snappyDecode(body, this.opts.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES);
    if (!raw.ok) return { status: 400, message: raw.issues.map((i) => i.message).join('; '), received: 0, accepted: 0, rejected: 0 };
    const now = this.opts.clock.now();
    let cache = this.labelCaches.get(tenant);
    if (!cache) this.labelCaches.set(tenant, (cache = new LabelCache(now)));
    cache.tick(now);
    const decoded = decodeWriteRequest(raw.value, cache);
    if (!decoded.ok) return { status: 400, message: decoded.issues.map((i) => i.message).join('; '), received: 0, accepted: 0, rejected: 0 };
    const req = decoded.value;
    const received = req.samples + req.histograms;
    const { metrics } = this.opts;
    metrics.samplesReceived(tenant, received);
    const limits = this.opts.limits(tenant);
    const rejections = new Rejections();
    const done = (status: PushOutcome['status'], message: string | undefined, accepted: number): PushOutcome => {
      rejections.report(metrics, tenant);
      const out = { status, received, accepted, rejected: rejections.total };
      return message === undefined ? out : { ...out, message };
    };

    const maxSamples = limits.max_samples_per_request;
    if (maxSamples > 0 && received > maxSamples) {
      const message =
        `the request has been rejected because it contains ${received} samples, more than the limit of ${maxSamples} per request` +
        limitHint('max-samples-per-request', 'max_samples_per_request');
      rejections.add('max_samples_per_request', received, message);
      return done(400, message, 0);
    }

    const batch: AppendSeries[] = [];
    const validFor = validationKey(limits);
    let valid = 0;
    for (const s of req.series) {
      if (s.histograms > 0) {
        rejections.add('native_histogram_unsupported', s.histograms, `native histogram samples are not supported by this server${errorId('native-histogram-unsupported')}`);
      }
      const c = s.cached;
      const known = c?.validFor === validFor ? c.labels : undefined;
      const check = known ? validateKnownSeries(s, known, limits, now) : validateSeries(s, limits, now);
      if (c && !known && check.ok === true) {
        // The same frozen object every time lets the TSDB find the series by identity.
        c.labels = Object.freeze(check.labels);
        c.validFor = validFor;
      }
      if (check.ok === 'empty') continue;
      if (check.ok === false) {
        rejections.add(check.problem.reason, s.t.length, check.problem.message);
        continue;
      }
      if (check.future) rejections.add(check.future.reason, check.future.count, check.future.message);
      if (check.t.length === 0) continue;
      batch.push({ labels: check.labels, t: check.t, v: check.v });
      valid += check.t.length;
    }

    const decision = this.rate.allow(tenant, valid, limits.ingestion_rate, limits.ingestion_burst_size);
    if (!decision.ok) {
      const message = decision.burstExceeded
        ? `the request has been rejected because the tenant exceeded the ingestion burst size limit, set to ${limits.ingestion_burst_size}, with ${valid} items. This limit is applied on the total number of samples received` +
          limitHint('tenant-max-ingestion-rate', 'ingestion_burst_size')
        : `the request has been rejected because the tenant exceeded the ingestion rate limit, set to ${limits.ingestion_rate} items/s with a maximum allowed burst of ${limits.ingestion_burst_size}. This limit is applied on the total number of samples received` +
          limitHint('tenant-max-ingestion-rate', 'ingestion_rate', 'ingestion_burst_size');
      rejections.add('rate_limited', valid, message);
      return done(429, message, 0);
    }

    let accepted = 0;
    if (batch.length > 0) {
      try {
        const store = await this.opts.tsdb.get(tenant);
        const result = await store.append(batch);
        accepted = result.accepted;
        for (const r of result.rejected) rejections.add(r.reason, r.count, r.example, true);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.logger.error({ tenant, err: message }, 'remote write append failed');
        return done(500, message, 0);
      }
    }
    // Store refusals first, as Mimir puts ingester errors before validation errors.
    const first = rejections.firstStore ?? rejections.firstValidation;
    return done(first === undefined ? 204 : 400, first, accepted);
  }
}

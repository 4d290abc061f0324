/** A TsdbSet fake for ingestion tests: per-tenant stores that record appends and refuse out-of-order samples. */
import { fingerprint } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { AppendResult, AppendSeries, RejectReason, TenantTsdb, TsdbSet } from '../../tsdb/api.js';

export interface StoredSample {
  readonly labels: Labels;
  readonly t: number;
  /** The value's 64 bits as hex, to compare NaN payloads. */
  readonly bits: string;
  readonly v: number;
}

export class FakeTenantTsdb {
  readonly samples: StoredSample[] = [];
  readonly batches: (readonly AppendSeries[])[] = [];
  private readonly last = new Map<string, number>();
  failWith: Error | undefined;

  constructor(readonly tenant: string) {}

  append(batch: readonly AppendSeries[]): Promise<AppendResult> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.batches.push(batch);
    let accepted = 0;
    const rejected = new Map<RejectReason, { count: number; example: string }>();
    for (const s of batch) {
      if (!(s.v instanceof Float64Array)) throw new Error('values must arrive as a Float64Array');
      const fp = fingerprint(s.labels);
      const words = new Uint32Array(s.v.buffer, s.v.byteOffset, s.v.length * 2);
      for (let i = 0; i < s.t.length; i++) {
        const t = s.t[i] as number;
        const prev = this.last.get(fp);
        if (prev !== undefined && t <= prev) {
          const reason: RejectReason = t === prev ? 'duplicate_timestamp' : 'out_of_order';
          const r = rejected.get(reason) ?? { count: 0, example: reason === 'out_of_order' ? 'out of order sample' : 'duplicate sample for timestamp' };
          r.count++;
          rejected.set(reason, r);
          continue;
        }
        this.last.set(fp, t);
        const bits = (words[i * 2 + 1] as number).toString(16).padStart(8, '0') + (words[i * 2] as number).toString(16).padStart(8, '0');
        this.samples.push({ labels: s.labels, t, bits, v: s.v[i] as number });
        accepted++;
      }
    }
    return Promise.resolve({ accepted, rejected: [...rejected].map(([reason, r]) => ({ reason, ...r })) });
  }
}

export class FakeTsdbSet implements TsdbSet {
  readonly stores = new Map<string, FakeTenantTsdb>();

  store(tenant: string): FakeTenantTsdb {
    let s = this.stores.get(tenant);
    if (!s) {
      s = new FakeTenantTsdb(tenant);
      this.stores.set(tenant, s);
    }
    return s;
  }

  get(tenant: string): Promise<TenantTsdb> {
    return Promise.resolve(this.store(tenant) as unknown as TenantTsdb);
  }

  tenants(): Promise<string[]> {
    return Promise.resolve([...this.stores.keys()]);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

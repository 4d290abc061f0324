/**
 * Finds the silences that could match a label set without testing every silence. Each silence is
 * filed under one of its `name="value"` matchers (non-empty value, `alertname` preferred): an alert
 * can only match it when it carries that exact label. Silences with no such matcher (regex or
 * negative only) sit in a short list that is always scanned. This plays the role of upstream's
 * version index (silence/silence.go QSince), which spares the Silencer a full scan.
 */
import type { Labels } from '../../core/labels.js';
import type { Silence } from './types.js';

type Bucket = Map<string, Silence>;

/** Silences indexed by one equality matcher each. */
export class SilenceIndex {
  /** label name -> label value -> silence id -> silence */
  private readonly byEq = new Map<string, Map<string, Bucket>>();
  /** Silences without a usable equality matcher. */
  private readonly unindexed: Bucket = new Map();
  /** Where each silence is filed, for O(1) removal. */
  private readonly home = new Map<string, { bucket: Bucket; name?: string; value?: string }>();

  get size(): number {
    return this.home.size;
  }

  /** Files a silence (replacing an earlier version with the same id). */
  add(s: Silence): void {
    this.remove(s.id);
    const key = indexKey(s);
    if (key === undefined) {
      this.unindexed.set(s.id, s);
      this.home.set(s.id, { bucket: this.unindexed });
      return;
    }
    let values = this.byEq.get(key.name);
    if (!values) {
      values = new Map();
      this.byEq.set(key.name, values);
    }
    let bucket = values.get(key.value);
    if (!bucket) {
      bucket = new Map();
      values.set(key.value, bucket);
    }
    bucket.set(s.id, s);
    this.home.set(s.id, { bucket, name: key.name, value: key.value });
  }

  /** Removes a silence if filed. */
  remove(id: string): void {
    const h = this.home.get(id);
    if (!h) return;
    this.home.delete(id);
    h.bucket.delete(id);
    if (h.name !== undefined && h.value !== undefined && h.bucket.size === 0) {
      const values = this.byEq.get(h.name);
      values?.delete(h.value);
      if (values?.size === 0) this.byEq.delete(h.name);
    }
  }

  /**
   * Appends to `out` every silence that may match `labels`: a superset of the matching ones, each
   * once. Filling a caller's array keeps the hot path free of per-call closures.
   */
  collect(labels: Labels, out: Silence[]): void {
    for (const [name, values] of this.byEq) {
      const v = labels[name];
      if (v === undefined) continue;
      const bucket = values.get(v);
      if (bucket) for (const s of bucket.values()) out.push(s);
    }
    for (const s of this.unindexed.values()) out.push(s);
  }
}

function indexKey(s: Silence): { name: string; value: string } | undefined {
  let best: { name: string; value: string } | undefined;
  for (const m of s.matchers) {
    if (m.type !== '=' || m.value === '') continue;
    if (m.name === 'alertname') return { name: m.name, value: m.value };
    best ??= { name: m.name, value: m.value };
  }
  return best;
}

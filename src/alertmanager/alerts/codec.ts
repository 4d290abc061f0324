/**
 * How an alert is kept in the StateStore (kind 'alert', key = fingerprint): compact JSON with
 * short keys, times as epoch milliseconds.
 */
import type { Alert } from '../../core/alert.js';

interface Stored {
  l: Record<string, string>;
  a: Record<string, string>;
  s: number;
  e: number;
  u: number;
  g: string;
  t: boolean;
}

/** Serialises an alert for the state store. */
export function encodeAlert(a: Alert): string {
  return JSON.stringify({ l: a.labels, a: a.annotations, s: a.startsAt, e: a.endsAt, u: a.updatedAt, g: a.generatorURL, t: a.timeout });
}

/** Reads a stored alert; undefined when the record is not one this code wrote. */
export function decodeAlert(text: string): Alert | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Partial<Stored>;
  if (!isStringMap(o.l) || !isStringMap(o.a)) return undefined;
  if (typeof o.s !== 'number' || typeof o.e !== 'number' || typeof o.u !== 'number') return undefined;
  if (typeof o.g !== 'string' || typeof o.t !== 'boolean') return undefined;
  return { labels: o.l, annotations: o.a, startsAt: o.s, endsAt: o.e, updatedAt: o.u, generatorURL: o.g, timeout: o.t };
}

function isStringMap(v: unknown): v is Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const k in v) if (typeof (v as Record<string, unknown>)[k] !== 'string') return false;
  return true;
}

import { describe, expect, it } from 'vitest';
import type { Labels } from '../../../../core/labels.js';
import { webhookMessageValue } from '../../template-data.js';
import type { TemplateAlert, TemplateData } from '../../template-data.js';
import { goJsonEncode } from '../../../../core/go-json.js';
import { encodeWebhookMessage } from './notifier.js';

/** The message through the generic value-tree encoder. */
function reference(d: TemplateData, groupKey: string, truncatedAlerts: number): string {
  return goJsonEncode(webhookMessageValue(d, '4', groupKey, truncatedAlerts));
}

// Strings that JSON.stringify and Go's encoder write differently, and ones they write alike.
const TRICKY = ['plain', 'a<b>&c', 'bs\b ff\f', 'back\\b slash', '\\\\b', '\\ud800 as text', 'x\ud800y', '\udc00', '😀<&', '\u2028\u2029', '\u0001\u001f\u007f', '"quoted"\n\t\r', 'é', ''];
const KEYS = ['alertname', 'a', 'B', '_z', 'é', 'ключ', 'x<y', 'sp ace', '0', '10', '😀', '\uffff'];

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function data(seed: number, keys: readonly string[]): TemplateData {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const map = (): Labels => {
    const m: Record<string, string> = {};
    const n = Math.floor(r() * 5);
    for (let i = 0; i < n; i++) m[pick(keys)] = pick(TRICKY);
    return m;
  };
  const alerts: TemplateAlert[] = [];
  for (let i = 0; i < 1 + Math.floor(r() * 4); i++) {
    alerts.push({
      status: r() < 0.5 ? 'firing' : 'resolved',
      labels: map(),
      annotations: map(),
      startsAt: 1_700_000_000_000 + Math.floor(r() * 1e9),
      endsAt: r() < 0.3 ? -62135596800000 : 1_700_000_000_000 + Math.floor(r() * 1e9),
      generatorURL: pick(TRICKY),
      fingerprint: (seed * 7919 + i).toString(16).padStart(16, '0'),
    });
  }
  return { receiver: pick(TRICKY), status: r() < 0.5 ? 'firing' : 'resolved', alerts, groupLabels: map(), commonLabels: map(), commonAnnotations: map(), externalURL: pick(TRICKY) };
}

describe('encodeWebhookMessage', () => {
  it('writes the same bytes as the generic Go encoder', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const d = data(seed, KEYS);
      expect(encodeWebhookMessage(d, `{}:{k="${seed}<"}`, seed % 3)).toBe(reference(d, `{}:{k="${seed}<"}`, seed % 3));
    }
  });

  it('encodes a map again when an alert brings a new one, and reuses the text of the same one', () => {
    const d = data(7, KEYS);
    const first = encodeWebhookMessage(d, 'g', 0);
    expect(encodeWebhookMessage(d, 'g', 0)).toBe(first);
    const a = d.alerts[0] as TemplateAlert;
    const changed: TemplateData = { ...d, alerts: [{ ...a, annotations: { ...a.annotations, summary: 'now <different>' } }, ...d.alerts.slice(1)] };
    const again = encodeWebhookMessage(changed, 'g', 0);
    expect(again).toContain('"summary":"now \\u003cdifferent\\u003e"');
    expect(again).toBe(reference(changed, 'g', 0));
  });

  it('stays right after the cache of encoded maps has rolled over', () => {
    const base = data(11, KEYS);
    const many = Array.from({ length: 40_000 }, (_, i) => ({ ...(base.alerts[0] as TemplateAlert), labels: { alertname: `A${i}` } }));
    const first: TemplateData = { ...base, alerts: many.slice(0, 2) };
    const before = encodeWebhookMessage(first, 'g', 0);
    for (let i = 0; i < many.length; i += 500) encodeWebhookMessage({ ...base, alerts: many.slice(i, i + 500) }, 'g', 0);
    expect(encodeWebhookMessage(first, 'g', 0)).toBe(before);
    expect(before).toBe(reference(first, 'g', 0));
  });

  it('writes Go escapes', () => {
    const d: TemplateData = { receiver: 'r<', status: 'firing', alerts: [], groupLabels: { a: 'x\ud800\b\\b' }, commonLabels: {}, commonAnnotations: {}, externalURL: '\u2028' };
    expect(encodeWebhookMessage(d, 'k&', 0)).toBe(
      '{"receiver":"r\\u003c","status":"firing","alerts":[],"groupLabels":{"a":"x\\ufffd\\u0008\\\\b"},"commonLabels":{},"commonAnnotations":{},"externalURL":"\\u2028","version":"4","groupKey":"k\\u0026","truncatedAlerts":0}\n',
    );
  });
});

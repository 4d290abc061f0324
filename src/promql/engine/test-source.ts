/**
 * Test helpers: a MemorySeriesSource loaded from a compact text (`name{l="v"} 1 2 _ stale` at a
 * fixed interval), parsing with the real parser, and sources that record or stall selects.
 */
import { STALE_NAN } from '../../core/stale-nan.js';
import type { Labels } from '../../core/labels.js';
import type { Matcher } from '../../core/matcher.js';
import type { Expr } from '../ast.js';
import { MemorySeriesSource } from '../memory-source.js';
import { parseExpr } from '../parser/index.js';
import type { SelectHints, SeriesSource, StoredSeries } from '../value.js';

function parseLabels(text: string): Labels {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?(?:\{(.*)\})?$/.exec(text.trim());
  if (!m) throw new Error(`bad series ${text}`);
  const out: Record<string, string> = {};
  if (m[1]) out.__name__ = m[1];
  for (const pair of (m[2] ?? '').split(',').filter((p) => p.trim() !== '')) {
    const [k, v] = pair.split('=');
    out[(k as string).trim()] = JSON.parse((v as string).trim()) as string;
  }
  return out;
}

/**
 * Loads lines `series v0 v1 ...`: value i at i*intervalMs; `_` skips, `stale` writes a marker.
 * The labels are everything before the first space outside braces.
 */
export function load(intervalMs: number, text: string, source = new MemorySeriesSource()): MemorySeriesSource {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const close = line.indexOf('}');
    const split = close >= 0 ? close + 1 : line.indexOf(' ');
    const labels = parseLabels(line.slice(0, split));
    line
      .slice(split)
      .trim()
      .split(/\s+/)
      .forEach((tok, i) => {
        if (tok === '_') return;
        source.add(labels, i * intervalMs, tok === 'stale' ? STALE_NAN : Number(tok));
      });
  }
  return source;
}

/** Parses a query with the real parser (experimental functions on). */
export function parse(q: string): Expr {
  const r = parseExpr(q, { experimentalFunctions: true });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.expr;
}

/** A source that records the hints of each select and delegates to `inner`. */
export class RecordingSource implements SeriesSource {
  readonly calls: Array<{ matchers: readonly Matcher[]; hints: SelectHints }> = [];
  constructor(private readonly inner: SeriesSource = new MemorySeriesSource()) {}
  select(matchers: readonly Matcher[], hints: SelectHints, signal: AbortSignal): Promise<readonly StoredSeries[]> {
    this.calls.push({ matchers, hints });
    return this.inner.select(matchers, hints, signal);
  }
}

/** A source whose select never resolves until the signal aborts (then rejects). */
export class StallingSource implements SeriesSource {
  select(_m: readonly Matcher[], _h: SelectHints, signal: AbortSignal): Promise<readonly StoredSeries[]> {
    return new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
  }
}

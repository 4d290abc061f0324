/**
 * `time_intervals` and the deprecated `mute_time_intervals`: named lists of time intervals,
 * each entry parsed by the timeinterval module. Mirrors (Mute)TimeInterval.UnmarshalYAML and the
 * uniqueness checks of Config.UnmarshalYAML.
 */
import { parseTimeInterval } from '../timeinterval/index.js';
import type { TimeInterval } from '../timeinterval/types.js';
import type { Reporter, StructSchema } from './schema.js';

/** One named interval list. */
export const NAMED_INTERVAL_SCHEMA: StructSchema = {
  type: 'config.plain',
  fields: { name: { kind: 'string', keep: true }, time_intervals: { kind: { list: 'any' }, keep: true } },
};

/**
 * Adds the decoded section's intervals to `into`; `deprecated` picks the upstream wording
 * (`mute time interval`).
 */
export function collectIntervals(list: unknown, deprecated: boolean, into: Map<string, readonly TimeInterval[]>, r: Reporter): void {
  if (!Array.isArray(list)) return;
  const what = deprecated ? 'mute time interval' : 'time interval';
  list.forEach((entry: unknown, i) => {
    const er = r.at(i);
    const o = entry as Record<string, unknown> | undefined;
    const name = typeof o?.['name'] === 'string' ? o['name'] : '';
    if (name === '') {
      er.error(`missing name in ${what}`, 'missing_field');
      return;
    }
    if (into.has(name)) er.error(`${what} ${JSON.stringify(name)} is not unique`, 'duplicate_name', ['name']);
    const items = Array.isArray(o?.['time_intervals']) ? (o['time_intervals'] as unknown[]) : [];
    const parsed: TimeInterval[] = [];
    items.forEach((raw, j) => {
      const res = parseTimeInterval(raw ?? {});
      if (res.ok) parsed.push(res.value);
      else for (const it of res.issues) er.error(it.message, it.code, ['time_intervals', j, ...(it.path ?? [])]);
    });
    into.set(name, parsed);
  });
}

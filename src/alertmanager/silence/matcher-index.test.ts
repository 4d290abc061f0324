import { describe, expect, it } from 'vitest';
import type { Labels } from '../../core/labels.js';
import { mustMatcher } from '../../core/matcher.js';
import type { Matcher } from '../../core/matcher.js';
import { SilenceIndex } from './matcher-index.js';
import type { IndexedSilence } from './matcher-index.js';
import type { Silence } from './types.js';

const sil = (id: string, matchers: Matcher[]): Silence => ({ id, matchers, startsAt: 0, endsAt: 1, updatedAt: 0, createdBy: '', comment: '' });

function ids(idx: SilenceIndex, labels: Labels): string[] {
  const out: IndexedSilence[] = [];
  idx.collect(labels, out);
  return out.map((e) => e.silence.id).sort();
}

describe('SilenceIndex', () => {
  const idx = new SilenceIndex();
  idx.add(sil('eq', [mustMatcher('job', '=', 'api'), mustMatcher('alertname', '=', 'Down')]));
  idx.add(sil('eq-empty', [mustMatcher('team', '=', ''), mustMatcher('env', '=', 'prod')]));
  idx.add(sil('alts', [mustMatcher('instance', '=~', 'web-1|web-2')]));
  idx.add(sil('alts-empty', [mustMatcher('instance', '=~', 'web-3|'), mustMatcher('zone', '=~', 'eu-.*')]));
  idx.add(sil('prefix', [mustMatcher('instance', '=~', 'db-[0-9]+')]));
  idx.add(sil('prefix-long', [mustMatcher('instance', '=~', 'db-10.*')]));
  idx.add(sil('scan', [mustMatcher('env', '!=', 'dev')]));

  it.each([
    { labels: { alertname: 'Down', job: 'x' }, want: ['eq', 'scan'] },
    { labels: { alertname: 'Up' }, want: ['scan'] },
    { labels: { env: 'prod' }, want: ['eq-empty', 'scan'] },
    { labels: { instance: 'web-2' }, want: ['alts', 'scan'] },
    { labels: { instance: 'web-3', zone: 'eu-1' }, want: ['alts-empty', 'scan'] },
    { labels: { instance: 'db-7' }, want: ['prefix', 'scan'] },
    { labels: { instance: 'db-105' }, want: ['prefix', 'prefix-long', 'scan'] },
    { labels: { instance: 'd' }, want: ['scan'] },
  ])('candidates for $labels', ({ labels, want }) => {
    expect(ids(idx, labels)).toEqual(want);
  });

  it('replaces by id and removes completely', () => {
    idx.add(sil('eq', [mustMatcher('alertname', '=', 'Other')]));
    expect(ids(idx, { alertname: 'Down' })).toEqual(['scan']);
    expect(ids(idx, { alertname: 'Other' })).toEqual(['eq', 'scan']);
    for (const id of ['eq', 'eq-empty', 'alts', 'alts-empty', 'prefix', 'prefix-long', 'scan', 'missing']) idx.remove(id);
    expect(idx.size).toBe(0);
    expect(ids(idx, { alertname: 'Other', instance: 'db-105', env: 'prod' })).toEqual([]);
  });
});

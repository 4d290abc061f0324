import { describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { isStaleNaN } from '../../core/stale-nan.js';
import { openMemoryStore } from '../../store/memory.js';
import { DEFAULT_RULER_CONFIG } from '../api.js';
import type { QueryBackend, RuleSample } from '../api.js';
import { createEvalGroup } from '../eval/index.js';
import { createRuler } from './ruler.js';
import { firstSlot, groupOffsetMs } from './schedule.js';
import { T0, TestClock } from './test-kit.test-util.js';

describe('ruler with the real rule evaluation', () => {
  it('writes recording rule output at the group slots and stale markers two intervals after removal', async () => {
    const clock = new TestClock();
    const written: RuleSample[] = [];
    const backend: QueryBackend = {
      queryVector: (expr, t) => Promise.resolve(expr === '1' ? [{ labels: {}, t, v: 1 }] : []),
      queryMatrix: () => Promise.resolve([]),
      append: (samples) => {
        written.push(...samples);
        return Promise.resolve({ rejected: 0 });
      },
    };
    const ruler = createRuler({
      config: DEFAULT_RULER_CONFIG,
      state: openMemoryStore({ now: () => T0 }),
      backendFor: () => Promise.resolve(backend),
      createGroup: createEvalGroup,
      clock,
      logger: NOOP_LOGGER,
    });
    await ruler.start();
    await ruler.store.putGroup('t', 'ns', { name: 'g', limit: 0, labels: {}, rules: [{ kind: 'recording', record: 'one', expr: '1', labels: {} }] });
    const s0 = firstSlot(T0, groupOffsetMs('ns', 'g', 60_000), 60_000);
    await clock.advance(s0 - T0 + 60_000);
    expect(written.map((s) => [s.labels, s.t, s.v])).toEqual([
      [{ __name__: 'one' }, s0, 1],
      [{ __name__: 'one' }, s0 + 60_000, 1],
    ]);
    const view = ruler.groups('t')[0];
    expect(view?.name).toBe('g');
    expect(view?.rules[0]?.health).toBe('ok');

    await ruler.store.deleteGroup('t', 'ns', 'g');
    const removedAt = clock.t;
    written.length = 0;
    await clock.advance(120_000);
    expect(written).toHaveLength(1);
    expect(written[0]?.t).toBe(removedAt);
    expect(isStaleNaN(written[0]?.v ?? 0)).toBe(true);
    await ruler.stop();
  });
});

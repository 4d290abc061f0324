import { describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { ManualClock } from '../../tsdb/test-fakes.js';
import { ThresholdEngine } from './engine.js';
import { formatValue, renderExposition } from './exposition.js';
import { MemoryConfDir } from './test-fakes.js';

const GOLDEN = `# HELP user_threshold Alert threshold of a tenant (Herald dynamic thresholds).
# TYPE user_threshold gauge
user_threshold{component="mysql",metric="connections",severity="critical",tenant="db-a"} 150
user_threshold{component="mysql",metric="connections",severity="warning",tenant="db-a"} 70
user_threshold{component="redis",metric="memory_used_bytes",severity="warning",tenant="db-a"} 2e+09
user_threshold{component="redis",metric="queue_length",queue="a\\"b\\\\c\\nd",severity="critical",tenant="db-a"} 0.25
user_threshold{component="redis",metric="queue_length",severity="warning",tenant="db-a"} 1000
user_threshold{component="mysql",metric="connections",severity="critical",tenant="db-b"} 150
user_threshold{component="mysql",metric="connections",severity="warning",tenant="db-b"} 80
user_threshold{component="redis",metric="memory_used_bytes",severity="warning",tenant="db-b"} 2e+09
user_threshold{component="redis",metric="queue_length",severity="warning",tenant="db-b"} 1e-05
# HELP user_state_filter A state filter switched on for a tenant (1 = on; absent = off).
# TYPE user_state_filter gauge
user_state_filter{filter="maintenance",severity="info",tenant="db-a"} 1
`;

describe('renderExposition', () => {
  it('renders every tenant in the text format (golden)', async () => {
    const fs = new MemoryConfDir();
    fs.write(
      '_defaults.yaml',
      'defaults:\n  mysql_connections: 80\n  mysql_connections_critical: 150\n  redis_memory_used_bytes: 2000000000\n  redis_queue_length: 1000\ndimensions: {redis_queue_length: [queue]}\nstate_filters:\n  maintenance: {default_state: disable}\n',
    );
    fs.write('db-a.yaml', 'mysql_connections: 70\n_state_maintenance: enable\n\'redis_queue_length{queue="a\\"b\\\\c\\nd"}\': "0.25:critical"\n');
    fs.write('db-b.yaml', 'redis_queue_length: 0.00001\n');
    const engine = new ThresholdEngine({ directory: fs.root, fs, clock: new ManualClock(), logger: NOOP_LOGGER });
    await engine.poll();
    expect(engine.problems()).toEqual([]);
    expect(renderExposition(engine)).toBe(GOLDEN);
    // A tenant with a store but no document is served its defaults, as the writer stores them.
    const withDefault = renderExposition(engine, ['db-c', 'db-a']);
    expect(withDefault).toContain('user_threshold{component="mysql",metric="connections",severity="warning",tenant="db-c"} 80\n');
    expect(withDefault.split('\n').filter((l) => l.includes('tenant="db-a"'))).toEqual(GOLDEN.split('\n').filter((l) => l.includes('tenant="db-a"')));
  });

  it('renders only the headers without tenants', () => {
    const engine = new ThresholdEngine({ clock: new ManualClock(), logger: NOOP_LOGGER });
    expect(renderExposition(engine).split('\n').filter((l) => !l.startsWith('#'))).toEqual(['']);
  });

  it.each<[number, string]>([
    [0, '0'],
    [80, '80'],
    [0.5, '0.5'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [1e6, '1e+06'],
    [-2.5e-7, '-2.5e-07'],
    [0.0001, '0.0001'],
    [1e21, '1e+21'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ])('formats %d as Go does: %s', (v, want) => {
    expect(formatValue(v)).toBe(want);
  });
});

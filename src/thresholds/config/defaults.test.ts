import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../core/result.js';
import { parseDefaults } from './defaults.js';

const GOOD = `
defaults:
  mysql_connections: 80
  mysql_connections_critical: 150
  redis_memory_used_bytes: 1.5e9
state_filters:
  maintenance: {severity: info, default_state: disable}
  container_crashloop: {severity: critical, default_state: enable}
  plain:
tenant_keys: [mysql_connections]
dimensions:
  mysql_connections: [db]
  redis_memory_used_bytes: instance
`;

function messages(text: string): string[] {
  const r = parseDefaults(text, '_defaults.yaml');
  if (r.ok) throw new Error('expected errors');
  return r.issues.map((i) => formatIssue(i));
}

describe('parseDefaults', () => {
  it('reads defaults, state filters and tenant keys', () => {
    const r = parseDefaults(GOOD, '_defaults.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect([...r.value.defaults]).toEqual([
      ['mysql_connections', 80],
      ['mysql_connections_critical', 150],
      ['redis_memory_used_bytes', 1.5e9],
    ]);
    expect(r.value.stateFilters.get('maintenance')).toEqual({ name: 'maintenance', severity: 'info', defaultEnabled: false });
    expect(r.value.stateFilters.get('container_crashloop')).toEqual({ name: 'container_crashloop', severity: 'critical', defaultEnabled: true });
    expect(r.value.stateFilters.get('plain')).toEqual({ name: 'plain', severity: 'info', defaultEnabled: false });
    expect([...(r.value.tenantKeys ?? [])]).toEqual(['mysql_connections']);
    expect([...(r.value.dimensions ?? [])]).toEqual([
      ['mysql_connections', ['db']],
      ['redis_memory_used_bytes', ['instance']],
    ]);
  });

  it.each([
    ['', 0],
    ['# only a comment\n', 0],
    ['defaults:\nstate_filters:\n', 0],
  ])('accepts the empty document %j', (text, n) => {
    const r = parseDefaults(text);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.defaults.size).toBe(n);
      expect(r.value.tenantKeys).toBeUndefined();
      expect(r.value.dimensions).toBeUndefined();
    }
  });

  it.each<[string, string, string[]]>([
    ['not a mapping', '- a\n- b\n', ['line 1, column 1: _defaults.yaml must be a mapping with defaults, state_filters, tenant_keys and dimensions']],
    ['yaml syntax', 'defaults:\n  a_b: 1\n  a_b: 2\n', ['line 3, column 3: Map keys must be unique']],
    ['unknown top-level field', 'defaults: {}\ntenant:\n  x: 1\n', ['line 2, column 1: unknown field "tenant" (expected defaults, state_filters, tenant_keys, dimensions)']],
    ['defaults not a map', 'defaults: [1]\n', ['line 1, column 11: defaults must be a mapping of key to number']],
    [
      'bad keys and values',
      'defaults:\n  connections: 1\n  mysql_x: "80"\n  mysql_y: .inf\n  "a_b{x=\\"1\\"}": 3\n  _state_m: 1\n',
      [
        'line 2, column 3: default key "connections" must be <component>_<metric> (letters, digits and underscores, starting with a letter; no dimensions)',
        'line 3, column 12: default of "mysql_x" must be a finite number',
        'line 4, column 12: default of "mysql_y" must be a finite number',
        'line 5, column 3: default key "a_b{x=\\"1\\"}" must be <component>_<metric> (letters, digits and underscores, starting with a letter; no dimensions)',
        'line 6, column 3: default key "_state_m" must be <component>_<metric> (letters, digits and underscores, starting with a letter; no dimensions)',
      ],
    ],
    ['orphan critical tier', 'defaults:\n  mysql_cpu_critical: 90\n', ['line 2, column 3: critical tier "mysql_cpu_critical" has no default for its key "mysql_cpu"']],
    [
      'state filter problems',
      'state_filters:\n  maintenance: {severity: "", default_state: maybe, reasons: []}\n  bad-name: {}\n  x: 3\n',
      [
        'line 2, column 27: state filter "maintenance": severity must be a word such as info',
        'line 2, column 46: state filter "maintenance": default_state must be enable or disable',
        'line 2, column 53: state filter "maintenance": unknown field "reasons" (expected severity, default_state)',
        'line 3, column 3: state filter name "bad-name" must be letters, digits and underscores',
        'line 4, column 6: state filter "x" must be a mapping with severity and default_state',
      ],
    ],
    [
      'tenant keys problems',
      'defaults:\n  a_b: 1\n  a_b_critical: 2\ntenant_keys: [a_b, c_d, a_b_critical, 3]\n',
      [
        'line 4, column 20: tenant key "c_d" has no default',
        'line 4, column 25: tenant_keys lists base keys: "a_b_critical" is allowed through its key "a_b"',
        'line 4, column 39: tenant_keys entries must be keys (strings)',
      ],
    ],
    ['tenant keys not a list', 'tenant_keys: a_b\n', ['line 1, column 14: tenant_keys must be a list of keys']],
    ['dimensions not a mapping', 'dimensions: [a_b]\n', ['line 1, column 13: dimensions must be a mapping of key to a list of label names']],
    [
      'dimensions problems',
      'defaults:\n  a_b: 1\n  a_b_critical: 2\n  c_d: 1\ndimensions:\n  a_b_critical: [x]\n  e_f: [x]\n  "a_b{x=\\"1\\"}": [x]\n  c_d: [tenant, __x, 1x, y, y]\n  a_b: []\n  g_h:\n',
      [
        'line 6, column 3: dimensions lists base keys: "a_b_critical" takes the dimensions of its key "a_b"',
        'line 7, column 3: dimensions: key "e_f" has no default',
        'line 8, column 3: dimensions: "a_b{x=\\"1\\"}" must be a key <component>_<metric> (no braces)',
        'line 9, column 9: dimensions of "c_d": label "tenant" is reserved and cannot be a dimension',
        'line 9, column 17: dimensions of "c_d": label "__x" is reserved and cannot be a dimension',
        'line 9, column 22: dimensions of "c_d": "1x" is not a label name',
        'line 9, column 29: dimensions of "c_d": label "y" appears twice',
        'line 10, column 8: dimensions of "a_b": name at least one label',
        'line 11, column 3: dimensions of "g_h": name at least one label',
      ],
    ],
  ])('reports %s', (_name, text, want) => {
    expect(messages(text)).toEqual(want);
  });
});

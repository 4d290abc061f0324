import { describe, expect, it } from 'vitest';
import { checkAlertTemplate } from './index.js';

describe('checkAlertTemplate', () => {
  it('accepts templates using the variables and Prometheus functions', () => {
    expect(checkAlertTemplate('A', '{{ $labels.instance }} at {{ $value | humanize }} of {{ $externalURL }}')).toBeUndefined();
    expect(checkAlertTemplate('A', '{{ with query "up" }}{{ . | first | value }}{{ end }}')).toBeUndefined();
    expect(checkAlertTemplate('A', '')).toBeUndefined();
  });

  it('reports unknown functions as Go does, under the template __alert_<name>', () => {
    expect(checkAlertTemplate('HighLoad', '{{ foo }}')).toBe('template: __alert_HighLoad:1: function "foo" not defined');
  });

  it('reports undefined variables and syntax errors with the line', () => {
    expect(checkAlertTemplate('A', '{{ $x }}')).toBe('template: __alert_A:1: undefined variable "$x"');
    expect(checkAlertTemplate('A', 'a\n{{ if }}')).toBe('template: __alert_A:2: missing value for if');
    expect(checkAlertTemplate('A', '{{ .Labels')).toMatch(/^template: __alert_A:1: unclosed action/);
  });
});

import { describe, expect, it } from 'vitest';
import { printExpr } from '../printer.js';
import { formatParseError, parseDurationMs, parseExpr, parseMetricSelector, resolveDurations } from './index.js';

describe('parseExpr errors', () => {
  it.each([
    ['rate(x)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
    ['rate(x[5m], 1)', '1:1: parse error: expected 1 argument(s) in call to "rate", got 2'],
    ['foo(x)', '1:1: parse error: unknown function with name "foo"'],
    ['sort_by_label(x, "a")', '1:1: parse error: function "sort_by_label" is not enabled'],
    ['x[5m] + 1', '1:1: parse error: binary expression must contain only scalar and instant vector types'],
    ['1 + on(a) x', '1:1: parse error: vector matching only allowed between instant vectors'],
    ['a + bool b', '1:3: parse error: bool modifier can only be used on comparison operators'],
    ['a and on(x) group_left b', '1:1: parse error: no grouping allowed for "and" operation'],
    ['1 and 2', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
    ['a + on(x) group_left(x) b', '1:3: parse error: label "x" must not occur in ON and GROUP clause at once'],
    ['{a=""}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['(x)[5m]', '1:4: parse error: ranges only allowed for vector selectors'],
    ['x offset 1m offset 2m', '1:1: parse error: offset may not be set multiple times'],
    ['x @ 1 @ 2', '1:1: parse error: @ <timestamp> may not be set multiple times'],
    ['x[5m+1m]', '1:3: parse error: experimental duration expression is not enabled'],
    ['a + fill(0) b', '1:1: parse error: binop fill modifiers are experimental and not enabled'],
    ['x[5m] anchored', '1:1: parse error: anchored modifier is experimental and not enabled'],
    ['limitk(1, x)', '1:1: parse error: limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions'],
    ['x{a=~"("}', '1:3: parse error: error parsing regexp: missing closing ): `(`'],
    ['1 +', '1:4: parse error: unexpected end of input'],
    ['(1', '1:3: parse error: unclosed left parenthesis'],
    ['x{', '1:3: parse error: unexpected end of input inside braces'],
    ['"abc', '1:1: parse error: unterminated quoted string'],
    ['', 'unknown position: parse error: no expression found in input'],
    ['x\n  + rate(y)', '2:10: parse error: expected type range vector in call to function "rate", got instant vector'],
    ['x[0s]', '1:3: parse error: duration must be greater than 0'],
    ['sum(x, y)', '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2'],
    ['-"a"', '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"'],
    ['x[5m][1m:]', '1:1: parse error: subquery is only allowed on instant vector, got matrix instead'],
  ])('%s', (q, want) => {
    const r = parseExpr(q);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatParseError(r.errors[0] as never)).toBe(want);
  });
});

describe('parseExpr values', () => {
  it('folds constant duration expressions when enabled', () => {
    const r = parseExpr('x[5m+1m] offset (1h*2)', { enableDurationExpressions: true });
    expect(r.ok && r.expr).toMatchObject({ kind: 'MatrixSelector', rangeMs: 360_000, vectorSelector: { offsetMs: 7_200_000 } });
  });
  it('keeps the metric name matcher last', () => {
    const r = parseExpr('up{job="a"}');
    expect(r.ok && r.expr.kind === 'VectorSelector' && r.expr.matchers.map((m) => m.name)).toEqual(['job', '__name__']);
  });
  it('parses @ and negative offsets', () => {
    expect(parseExpr('x offset -5m @ 12.5')).toMatchObject({ ok: true, expr: { offsetMs: -300_000, timestampMs: 12_500 } });
  });
  it('unquotes Go escapes', () => {
    expect(parseExpr('"a\\x41\\u00e9\\n"')).toMatchObject({ ok: true, expr: { value: 'aAé\n' } });
  });
});

describe('parseMetricSelector', () => {
  it('returns matchers', () => {
    const r = parseMetricSelector('up{job=~"a.*"}');
    expect(r.ok && r.matchers.map((m) => `${m.name}${m.type}${m.value}`)).toEqual(['job=~a.*', '__name__=up']);
  });
  it.each([
    ['foo offset 5m', 'unexpected <offset>', 4],
    ['up + 1', 'unexpected <op:+>', 3],
    ['x{', 'unexpected end of input inside braces', 2],
  ])('rejects %s', (q, message, start) => {
    expect(parseMetricSelector(q)).toMatchObject({ ok: false, errors: [{ message, pos: { start } }] });
  });
  it('accepts an empty selector (the API checks for a non-empty matcher)', () => {
    expect(parseMetricSelector('{}')).toMatchObject({ ok: true, matchers: [] });
  });
  it('rejects non-selectors', () => {
    expect(parseMetricSelector('rate(x[5m])').ok).toBe(false);
    expect(parseMetricSelector('x{').ok).toBe(false);
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['0', 0],
    ['1y', 31_536_000_000],
    ['1m1h', undefined],
    ['', undefined],
    ['5x', undefined],
  ])('%s', (s, want) => {
    expect(parseDurationMs(s)).toBe(want);
  });
});

const ALL = { experimentalFunctions: true, enableDurationExpressions: true, enableExtendedRangeSelectors: true, enableBinopFillModifiers: true };

describe('postfix modifiers bind tighter than operators (upstream precedence)', () => {
  it.each([
    ['a + b offset 5m', { kind: 'BinaryExpr', rhs: { kind: 'VectorSelector', offsetMs: 300_000 } }],
    ['a + b @ 5', { kind: 'BinaryExpr', rhs: { kind: 'VectorSelector', timestampMs: 5000 } }],
    ['-a offset 1m', { kind: 'UnaryExpr', expr: { kind: 'VectorSelector', offsetMs: 60_000 } }],
    ['-1^2', { kind: 'UnaryExpr', expr: { kind: 'BinaryExpr', op: '^', lhs: { value: 1 } } }],
    ['(a + b)[5m:]', { kind: 'SubqueryExpr', expr: { kind: 'ParenExpr' } }],
  ])('%s', (q, shape) => {
    expect(parseExpr(q)).toMatchObject({ ok: true, expr: shape });
  });
  it('types the operand, not the whole expression', () => {
    expect(parseExpr('a + b[5m:]')).toMatchObject({
      ok: false,
      errors: [{ message: 'binary expression must contain only scalar and instant vector types', pos: { start: 4, end: 10 } }],
    });
  });
});

describe('experimental syntax when enabled', () => {
  it('fill modifiers', () => {
    const r = parseExpr('a + fill_left(-1) fill_right(2) b', ALL);
    expect(r).toMatchObject({ ok: true, expr: { matching: { fillValues: { lhs: -1, rhs: 2 } } } });
  });
  it('anchored / smoothed', () => {
    expect(parseExpr('rate(x[5m] anchored)', ALL)).toMatchObject({ ok: true, expr: { args: [{ vectorSelector: { anchored: true } }] } });
    expect(parseExpr('x smoothed', ALL)).toMatchObject({ ok: true, expr: { smoothed: true } });
    expect(parseExpr('x[1m:] anchored', ALL)).toMatchObject({ ok: false, errors: [{ message: 'anchored modifier is not supported for subqueries' }] });
  });
  it('keeps step() / range() durations for resolveDurations', () => {
    const r = parseExpr('count_over_time(x[STEP()*2]) offset range()', ALL);
    expect(r.ok).toBe(false); // offset on a call is an error
    const q = parseExpr('count_over_time(x[STEP()*2] offset range())', ALL);
    if (!q.ok) throw new Error(q.errors[0]?.message);
    const res = resolveDurations(q.expr, { stepMs: 10_000, rangeMs: 60_000 });
    expect(res).toMatchObject({ ok: true, expr: { args: [{ rangeMs: 20_000, vectorSelector: { offsetMs: 60_000 } }] } });
    expect(resolveDurations(q.expr, { stepMs: 0, rangeMs: 0 })).toEqual({ ok: false, error: '18:26: duration must be greater than 0' });
  });
  it('min_of / max_of as functions and in durations', () => {
    expect(parseExpr('min_of(3, 5)', ALL)).toMatchObject({ ok: true, expr: { kind: 'Call', func: { name: 'min_of' } } });
    expect(parseExpr('x offset max_of(3s, min_of(step(), 1s))', ALL)).toMatchObject({ ok: true });
    expect(parseExpr('min_of(3, 5)')).toMatchObject({ ok: false, errors: [{ message: 'function "min_of" is not enabled' }] });
  });
  it('trim operators', () => {
    expect(parseExpr('h </ 0.5')).toMatchObject({ ok: true, expr: { kind: 'BinaryExpr', op: '</' } });
  });
});

describe('literals', () => {
  it.each([
    ['5.', 5],
    ['0x1F', 31],
    ['1e-3', 0.001],
    ['-Inf', -Infinity],
    ['010', 8],
    ['1_000', 1000],
    ['5m', 300],
  ])('%s', (q, v) => {
    expect(parseExpr(q)).toMatchObject({ ok: true, expr: { kind: 'NumberLiteral', value: v } });
  });
  it('keeps invalid UTF-8 bytes as escaped surrogates and decodes valid sequences', () => {
    expect(parseExpr('"a\\xc5z"')).toMatchObject({ ok: true, expr: { value: 'a\udcc5z' } });
    expect(parseExpr('"\\xc3\\xa9"')).toMatchObject({ ok: true, expr: { value: 'é' } });
  });
  it.each([
    ['"\\q"', 'unknown escape sequence U+0071 \'q\''],
    ['"\\x4"', 'illegal character U+0022 \'"\' in escape sequence'],
    ['`abc', 'unterminated raw string'],
    ['1.5m', 'not a valid duration string: "1.5m"'],
    ['5mm', 'bad number or duration syntax: "5mm"'],
  ])('rejects %s', (q, msg) => {
    expect(parseExpr(q)).toMatchObject({ ok: false, errors: [{ message: msg }] });
  });
});

describe('duration expression values', () => {
  it.each([
    ['foo offset (-1^2)', -1000],
    ['foo offset -(1^2)', -1000],
    ['foo offset -(5)', -5000],
    ['foo offset +(5)', 5000],
    ['foo offset min_of(10s, 20s)', 10_000],
    ['foo offset -max_of(10s, 20s)', -20_000],
    ['foo offset (30m1s-30m1s % 1m)', 1_800_000],
  ])('%s', (q, ms) => {
    expect(parseExpr(q, ALL)).toMatchObject({ ok: true, expr: { offsetMs: ms } });
  });
  it.each([
    ['foo[5m-10m]', 0],
    ['foo[-5m+35m]', 1_800_000],
    ['foo[1h/2]', 1_800_000],
    ['foo[2^3]', 8000],
  ])('range %s', (q, ms) => {
    expect(parseExpr(q, ALL)).toMatchObject({ ok: true, expr: { rangeMs: ms } });
  });
});

describe('robustness', () => {
  const samples = [
    'sum by (job) (rate(http_requests_total{job=~"a.*", code!="500"}[5m] offset 1h @ 100))',
    'a + on(l) group_left(m) b[5m:1m] > bool 3',
    'label_replace(up, "a", "$1", "b", "(.*)") or vector(1)',
    'x offset (1h * 2) + fill(0) y anchored',
    '{"my.metric", "a.b"="c"} # comment',
    "topk(5, 'str' + `raw`)",
  ];
  it('never throws and keeps positions inside the input, for every prefix', () => {
    for (const q of samples) {
      for (let i = 0; i <= q.length; i++) {
        const input = q.slice(0, i);
        const r = parseExpr(input, ALL);
        if (r.ok) continue;
        for (const e of r.errors) {
          expect(e.pos.start).toBeGreaterThanOrEqual(0);
          expect(e.pos.end).toBeLessThanOrEqual(input.length);
          expect(e.pos.start).toBeLessThanOrEqual(e.pos.end);
          expect(e.message).not.toMatch(/^unexpected error/);
        }
      }
    }
  });
});

describe('keywords as metric names (upstream metric_identifier)', () => {
  it.each(['sum', 'by', 'offset{a="b"}', 'start', 'step', 'min', 'sum(sum)', 'a + without'])('accepts %s', (q) => {
    expect(parseExpr(q).ok).toBe(true);
  });
  it.each([
    ['on', 'unexpected <on>'],
    ['bool{a="b"}', 'unexpected <bool>'],
    ['foo + atan2', 'unexpected <op:atan2>'],
    ['group_left', 'unexpected <group_left>'],
  ])('rejects %s', (q, message) => {
    expect(parseExpr(q)).toMatchObject({ ok: false, errors: [{ message }] });
  });
});

describe('printing durations like model.Duration', () => {
  it.each([
    ['foo[1y2w3d4h5m6s7ms]', 'foo[382d4h5m6s7ms]'],
    ['foo[365d]', 'foo[1y]'],
    ['foo[14d]', 'foo[2w]'],
    ['foo[90s]', 'foo[1m30s]'],
  ])('%s', (q, want) => {
    const r = parseExpr(q);
    expect(r.ok && printExpr(r.expr)).toBe(want);
  });
});

import { describe, expect, it } from 'vitest';
import type { Matcher } from '../matcher.js';
import { parseMatcher, parseMatchers } from './parse.js';

type M = [string, string, string];
const triples = (ms: readonly Matcher[]): M[] => ms.map((m) => [m.name, m.type, m.value]);

// Ported from matcher/parse/parse_test.go TestMatchers (UTF-8 parser).
const UTF8_OK: Array<[string, M[]]> = [
  ['', []],
  ['{}', []],
  ['{foo=bar}', [['foo', '=', 'bar']]],
  ['{foo=bar,}', [['foo', '=', 'bar']]],
  ['{foo!=bar}', [['foo', '!=', 'bar']]],
  ['{foo=~[a-z]+}', [['foo', '=~', '[a-z]+']]],
  ['{foo!~[a-z]+}', [['foo', '!~', '[a-z]+']]],
  ['{foo=🙂}', [['foo', '=', '🙂']]],
  ['{foo=🙂bar}', [['foo', '=', '🙂bar']]],
  ['foo=bar', [['foo', '=', 'bar']]],
  ['foo=bar,', [['foo', '=', 'bar']]],
  ['foo!=bar', [['foo', '!=', 'bar']]],
  ['foo=~[a-z]+', [['foo', '=~', '[a-z]+']]],
  ['foo!~[a-z]+', [['foo', '!~', '[a-z]+']]],
  ['{"foo"="bar"}', [['foo', '=', 'bar']]],
  ['{"foo"="bar",}', [['foo', '=', 'bar']]],
  ['{"foo"!="bar"}', [['foo', '!=', 'bar']]],
  ['{"foo"=~"[a-z]+"}', [['foo', '=~', '[a-z]+']]],
  ['{"foo"=~"\\\\d+"}', [['foo', '=~', '\\d+']]],
  ['{"foo"!~"[a-z]+"}', [['foo', '!~', '[a-z]+']]],
  ['{"foo"="🙂"}', [['foo', '=', '🙂']]],
  ['{"foo"="\\xf0\\x9f\\x99\\x82"}', [['foo', '=', '🙂']]],
  ['{"foo"="\\U0001f642"}', [['foo', '=', '🙂']]],
  ['{"foo"="🙂bar"}', [['foo', '=', '🙂bar']]],
  ['{"foo"="bar\\n"}', [['foo', '=', 'bar\n']]],
  ['{"foo"="bar\\t"}', [['foo', '=', 'bar\t']]],
  ['{"foo"="\\"bar\\""}', [['foo', '=', '"bar"']]],
  ['{"foo"="bar\\\\"}', [['foo', '=', 'bar\\']]],
  ['"foo"="bar"', [['foo', '=', 'bar']]],
  ['"foo"="bar",', [['foo', '=', 'bar']]],
  ['{foo=bar,bar!=baz}', [['foo', '=', 'bar'], ['bar', '!=', 'baz']]],
  ['{foo="bar",bar!="baz"}', [['foo', '=', 'bar'], ['bar', '!=', 'baz']]],
  ['foo=bar,bar!=baz', [['foo', '=', 'bar'], ['bar', '!=', 'baz']]],
  ['foo="bar",bar!="baz"', [['foo', '=', 'bar'], ['bar', '!=', 'baz']]],
  [' { foo = "bar" , baz =~ "x" } ', [['foo', '=', 'bar'], ['baz', '=~', 'x']]],
];

// Errors from parse_test.go plus lexer_test.go errors as seen through the parser.
const UTF8_ERR: Array<[string, string, number, number]> = [
  [',', '0:1: unexpected ,: expected label name', 0, 1],
  ['{,}', '1:2: unexpected ,: expected label name', 1, 2],
  ['{', '0:1: end of input: expected close brace', 0, 1],
  ['}', '0:1: }: expected opening brace', 0, 1],
  ['foo=bar}', '0:8: }: expected opening brace', 0, 8],
  ['{foo=bar', '0:8: end of input: expected close brace', 0, 8],
  ['{foo=:"bar"}', '6:11: unexpected "bar": expected a comma or close brace', 6, 11],
  ['{foo="bar\\w"}', '5:12: "bar\\w": invalid input', 5, 12],
  ['{"foo"=~"\\d+"}', '8:13: "\\d+": invalid input', 8, 13],
  ['{foo=bar\\n}', '8:9: \\: invalid input: expected a comma or close brace', 8, 9],
  ['{"foo"="\\xf0\\x9f"}', '7:17: "\\xf0\\x9f": invalid input', 7, 17],
  ['foo=', 'end of input: expected label value', 4, 4],
  ['foo', 'end of input: expected an operator such as \'=\', \'!=\', \'=~\' or \'!~\'', 3, 3],
  ['!', "0:1: unexpected end of input, expected one of '=~'", 0, 1],
  ['~', '0:1: ~: invalid input', 0, 1],
  ['foo=!', "4:5: unexpected end of input, expected one of '=~': expected label value", 4, 5],
  ['foo!=!!', "5:6: !: expected one of '=~': expected label value", 5, 6],
  ['hello!', "5:6: unexpected end of input, expected one of '=~': expected an operator such as '=', '!=', '=~' or '!~'", 5, 6],
  ['\\n', '0:1: \\: invalid input', 0, 1],
  ['hello\\n', "5:6: \\: invalid input: expected an operator such as '=', '!=', '=~' or '!~'", 5, 6],
  ['"hello', '0:6: "hello: missing end "', 0, 6],
  ['"hello\\"', '0:8: "hello\\": missing end "', 0, 8],
  ['{foo=bar}}', '9:10: }: expected end of input', 9, 10],
  ['{foo=bar baz}', '9:12: unexpected baz: expected a comma or close brace', 9, 12],
  ['{foo=bar,,}', '9:10: unexpected ,: expected a matcher or close brace after comma', 9, 10],
  ['{foo=~"[x"}', 'failed to create matcher: error parsing regexp: missing closing ]: `[x)$`', 6, 10],
  ['🙂=a,b', "end of input: expected an operator such as '=', '!=', '=~' or '!~'", 5, 5],
];

describe('parseMatchers utf8', () => {
  it.each(UTF8_OK)('%j', (input, want) => {
    const r = parseMatchers(input, 'utf8');
    expect(r.ok ? triples(r.value) : r.issues).toEqual(want);
  });
  it.each(UTF8_ERR)('%j fails', (input, msg, start, end) => {
    const r = parseMatchers(input, 'utf8');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([expect.objectContaining({ message: msg, span: { start, end } })]);
  });
});

// Ported from pkg/labels/parse_test.go TestMatchers (classic parser).
const CLASSIC: Array<[string, M[] | string]> = [
  ['{}', []],
  [',', 'bad matcher format: '],
  ['{,}', 'bad matcher format: '],
  ["{foo='}", [['foo', '=', "'"]]],
  ['{foo=`}', [['foo', '=', '`']]],
  ['{foo=\\"}', [['foo', '=', '"']]],
  ['{foo=bar}', [['foo', '=', 'bar']]],
  ['{foo="bar"}', [['foo', '=', 'bar']]],
  ['{foo=~bar.*}', [['foo', '=~', 'bar.*']]],
  ['{foo=~"bar.*"}', [['foo', '=~', 'bar.*']]],
  ['{foo!=bar}', [['foo', '!=', 'bar']]],
  ['{foo!="bar"}', [['foo', '!=', 'bar']]],
  ['{foo!~bar.*}', [['foo', '!~', 'bar.*']]],
  ['{foo!~"bar.*"}', [['foo', '!~', 'bar.*']]],
  ['{foo="bar", baz!="quux"}', [['foo', '=', 'bar'], ['baz', '!=', 'quux']]],
  ['{foo="bar", baz!~"quux.*"}', [['foo', '=', 'bar'], ['baz', '!~', 'quux.*']]],
  ['{foo="bar",baz!~".*quux", derp="wat"}', [['foo', '=', 'bar'], ['baz', '!~', '.*quux'], ['derp', '=', 'wat']]],
  ['{foo="bar", baz!="quux", derp="wat"}', [['foo', '=', 'bar'], ['baz', '!=', 'quux'], ['derp', '=', 'wat']]],
  ['{foo="bar", baz!~".*quux.*", derp="wat"}', [['foo', '=', 'bar'], ['baz', '!~', '.*quux.*'], ['derp', '=', 'wat']]],
  ['{foo="bar", instance=~"some-api.*"}', [['foo', '=', 'bar'], ['instance', '=~', 'some-api.*']]],
  ['{foo=""}', [['foo', '=', '']]],
  ['{foo="bar,quux", job="job1"}', [['foo', '=', 'bar,quux'], ['job', '=', 'job1']]],
  ['{foo = "bar", dings != "bums", }', [['foo', '=', 'bar'], ['dings', '!=', 'bums']]],
  ['foo=bar,dings!=bums', [['foo', '=', 'bar'], ['dings', '!=', 'bums']]],
  ['{quote="She said: \\"Hi, ladies! That\'s gender-neutral…\\""}', [['quote', '=', 'She said: "Hi, ladies! That\'s gender-neutral…"']]],
  ['statuscode=~"5.."', [['statuscode', '=~', '5..']]],
  ['tricky=~~~', [['tricky', '=~', '~~']]],
  ['trickier==\\\\=\\=\\"', [['trickier', '=', '=\\=\\="']]],
  ['contains_quote != "\\"" , contains_comma !~ "foo,bar" , ', [['contains_quote', '!=', '"'], ['contains_comma', '!~', 'foo,bar']]],
  ['{foo=bar}}', [['foo', '=', 'bar}']]],
  ['{foo=bar}},}', [['foo', '=', 'bar}}']]],
  ['{foo=,bar=}}', [['foo', '=', ''], ['bar', '=', '}']]],
  ['{foo=bar\\t}', [['foo', '=', 'bar\\t']]],
  ['{foo=bar\\n}', [['foo', '=', 'bar\n']]],
  ['{foo=bar\\}', [['foo', '=', 'bar\\']]],
  ['{foo=bar\\\\}', [['foo', '=', 'bar\\']]],
  ['{foo=bar\\"}', [['foo', '=', 'bar"']]],
  ['job=', [['job', '=', '']]],
  ['job="value', 'matcher value contains unescaped double quote: "value'],
  ['job=value"', 'matcher value contains unescaped double quote: value"'],
  ['trickier==\\\\=\\=\\""', 'matcher value contains unescaped double quote: =\\\\=\\=\\""'],
  ['contains_unescaped_quote = foo"bar', 'matcher value contains unescaped double quote: foo"bar'],
  ['{invalid-name = "valid label"}', 'bad matcher format: invalid-name = "valid label"'],
  ['{foo=~"invalid[regexp"}', 'error parsing regexp: missing closing ]: `[regexp)$`'],
  ['"{foo=\\"bar"}', 'bad matcher format: "{foo=\\"bar"'],
  ['"foo=\\"bar"', 'bad matcher format: "foo=\\"bar"'],
  ['"foo=\\"bar\\""', 'bad matcher format: "foo=\\"bar\\""'],
  ['"foo=\\"bar\\"', 'bad matcher format: "foo=\\"bar\\"'],
  ['"{foo=\\"bar\\"}"', 'bad matcher format: "{foo=\\"bar\\"}"'],
  ['"foo="bar""', 'bad matcher format: "foo="bar""'],
  ['{{foo=', 'bad matcher format: {foo='],
  ['{foo=', [['foo', '=', '']]],
  ['{foo=}b', [['foo', '=', '}b']]],
];

describe('parseMatchers classic', () => {
  it.each(CLASSIC)('%j', (input, want) => {
    const r = parseMatchers(input, 'classic');
    if (typeof want === 'string') {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues.map((i) => i.message)).toEqual([want]);
    } else {
      expect(r.ok ? triples(r.value) : r.issues).toEqual(want);
    }
  });

  it('points the span at the failing matcher', () => {
    const r = parseMatchers('a=b, c-d=e', 'classic');
    expect(!r.ok && r.issues[0]?.span).toEqual({ start: 5, end: 10 });
  });
});

// Ported from matcher/compat/parse_test.go.
describe('fallback mode', () => {
  it.each<[string, M[] | string]>([
    ['{foo=bar,bar=baz}', [['foo', '=', 'bar'], ['bar', '=', 'baz']]],
    ['{foo!bar}', 'bad matcher format: foo!bar'],
    ['{foo🙂=bar,bar=baz🙂}', [['foo🙂', '=', 'bar'], ['bar', '=', 'baz🙂']]],
    ['{foo=!bar,bar=$baz\\n}', [['foo', '=', '!bar'], ['bar', '=', '$baz\n']]],
    ['{foo="\\xf0\\x9f\\x99\\x82"}', [['foo', '=', '\\xf0\\x9f\\x99\\x82']]],
    ['foo=', [['foo', '=', '']]],
  ])('parseMatchers %j', (input, want) => {
    const r = parseMatchers(input);
    if (typeof want === 'string') expect(!r.ok && r.issues.map((i) => i.message)).toEqual([want]);
    else expect(r.ok ? triples(r.value) : r.issues).toEqual(want);
  });

  it.each<[string, M | string]>([
    ['foo=bar', ['foo', '=', 'bar']],
    ['foo!bar', 'bad matcher format: foo!bar'],
    ['foo🙂=bar', ['foo🙂', '=', 'bar']],
    ['foo=!bar\\n', ['foo', '=', '!bar\n']],
    ['foo="\\xf0\\x9f\\x99\\x82"', ['foo', '=', '\\xf0\\x9f\\x99\\x82']],
    ['{foo=bar}', 'unexpected open or close brace: {foo=bar}'],
    ['foo=bar}', 'unexpected open or close brace: foo=bar}'],
    ['foo=bar,bar=baz', ['foo', '=', 'bar,bar=baz']], // classic reads one matcher
  ])('parseMatcher %j', (input, want) => {
    const r = parseMatcher(input);
    if (typeof want === 'string') expect(!r.ok && r.issues.map((i) => i.message)).toEqual([want]);
    else expect(r.ok ? triples([r.value])[0] : r.issues).toEqual(want);
  });
});

// Ported from matcher/parse/parse_test.go TestMatcher.
describe('parseMatcher utf8 and classic', () => {
  it.each<[string, string, M | string]>([
    ['utf8', 'foo=bar,', ['foo', '=', 'bar']],
    ['utf8', '"foo"=~"[a-z]+"', ['foo', '=~', '[a-z]+']],
    ['utf8', 'foo="\\U0001f642"', ['foo', '=', '🙂']],
    ['utf8', '', 'no matchers'],
    ['utf8', 'foo=bar,bar=baz', 'expected 1 matcher, found 2'],
    ['utf8', 'foo="\\xf0\\x9f"', '4:14: "\\xf0\\x9f": invalid input'],
    ['utf8', '{}', 'unexpected open or close brace: {}'],
    ['classic', '{foo=bar}', 'bad matcher format: {foo=bar}'],
    ['classic', 'foo = "bar"', ['foo', '=', 'bar']],
    ['classic', 'foo=~"(x"', 'error parsing regexp: missing closing ): `^(?:(x)$`'],
  ])('%s %j', (mode, input, want) => {
    const r = parseMatcher(input, mode as 'utf8' | 'classic');
    if (typeof want === 'string') expect(!r.ok && r.issues.map((i) => i.message)).toEqual([want]);
    else expect(r.ok ? triples([r.value])[0] : r.issues).toEqual(want);
  });

  it('returns matchers that match', () => {
    const r = parseMatchers('{a=~"b.*", c!="d"}');
    expect(r.ok && r.value.map((m) => [m.matches('bx'), m.matches('d')])).toEqual([[true, false], [true, false]]);
  });
});

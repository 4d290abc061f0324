import { describe, expect, it } from 'vitest';
import { kvValue } from './data.js';
import { buildTemplateSet } from './template-set.js';
import { GoSlice, GoStruct, stringSlice } from './values.js';
import type { GoValue } from './values.js';

function load(limits = {}) {
  const r = buildTemplateSet([], { defaults: false, limits, clock: { now: () => 0 } });
  if (!r.ok) throw new Error('load failed');
  return r.value;
}
const set = load();

const DOT = new GoStruct('main.T', new Map<string, GoValue>([
  ['S', 'hello'], ['I', 3n], ['F', 1.5], ['T', true], ['Empty', ''], ['Z', 0n], ['NilV', null],
  ['List', stringSlice(['a', 'b', 'c'])], ['EmptyList', stringSlice([])],
  ['Ints', new GoSlice('[]int', [1n, 2n, 3n, 4n])],
  ['M', kvValue({ b: '2', a: '1' })],
  ['Nested', new GoStruct('main.N', new Map<string, GoValue>([['Inner', 'x']]))],
]));

const run = (text: string): string => set.executeValue(text, DOT);

/** Go text/template behaviour, output for output. */
const OK: Array<[string, string]> = [
  ['{{.S}} {{.I}} {{.F}} {{.T}}', 'hello 3 1.5 true'],
  ['{{1.0}} {{1e6}} {{0x1F}} {{\'a\'}} {{3}}{{-2}}{{+1}} {{0o17}} {{1_000}}', '1 1e+06 31 97 3-21 15 1000'],
  ['{{ "a\\tb" }}|{{ `a\\nb` }}', 'a\tb|a\\nb'],
  ['{{ printf "%d %s %v %q" 1 "x" true "y" }}', '1 x true "y"'],
  ['{{ printf "%5.2f|%-5s|%05d|%x|%X|%o|%e|%g" 3.14159 "ab" 42 255 255 8 1234.5678 0.000012345 }}', ' 3.14|ab   |00042|ff|FF|10|1.234568e+03|1.2345e-05'],
  ['{{ printf "%d" "x" }}|{{ printf "%s" }}|{{ printf "%s" "a" "b" }}', '%!d(string=x)|%!s(MISSING)|a%!(EXTRA string=b)'],
  ['{{ printf "%s" 1 }}|{{ printf "%d" 1.5 }}|{{ printf "%t" true }}|{{ printf "%x" "hi" }}', '%!s(int=1)|%!d(float64=1.5)|true|6869'],
  ['{{ printf "%8.3s|%6.2f%%|%+d|%T|%T" "abcdef" 12.3456 5 .F .List }}', '     abc| 12.35%|+5|float64|[]string'],
  ['{{ printf "%v|%q|%v|%v" .List .List .Ints .Nested }}', '[a b c]|["a" "b" "c"]|[1 2 3 4]|{x}'],
  ['{{ printf "%v %.1f %g %v" 100000000.0 2.25 100000.0 0.1 }}', '1e+08 2.2 100000 0.1'],
  ['{{ .I | printf "%03d" }}', '003'],
  ['{{ print 1 2 "a" 3 "b" "c" }}', '1 2a3bc'],
  ['{{ println 1 "a" }}', '1 a\n'],
  ['{{ if .T }}yes{{ else }}no{{ end }}', 'yes'],
  ['{{ if .Empty }}a{{ else if .I }}b{{ else }}c{{ end }}', 'b'],
  ['{{ if .NilV }}a{{ else if .Z }}b{{ else if .EmptyList }}c{{ else }}d{{ end }}', 'd'],
  ['{{ with .S }}{{ . }}{{ end }}|{{ with .Empty }}x{{ else }}empty{{ end }}', 'hello|empty'],
  ['{{ with .Empty }}x{{ else with .S }}{{ . }}{{ end }}', 'hello'],
  ['{{ range .List }}{{ . }},{{ end }}', 'a,b,c,'],
  ['{{ range $i, $e := .List }}{{ $i }}={{ $e }} {{ end }}', '0=a 1=b 2=c '],
  ['{{ range .M }}{{ . }}{{ end }}|{{ range $k, $v := .M }}{{ $k }}{{ $v }}{{ end }}', '12|a1b2'],
  ['{{ range .EmptyList }}x{{ else }}none{{ end }}', 'none'],
  ['{{ range .Ints }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}', '13'],
  ['{{ range 3 }}{{ . }}{{ end }}', '012'],
  ['{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}', '2'],
  ['{{ $x := "outer" }}{{ with .S }}{{ $x := "inner" }}{{ $x }}{{ end }} {{ $x }}', 'inner outer'],
  ['{{ $x := 1 }}{{ $x := 2 }}{{ $x }}', '2'],
  ['{{ range .List }}{{ $.S }}{{ end }}', 'hellohellohello'],
  ['{{ $n := 0 }}{{ range .Ints }}{{ $n = . }}{{ end }}{{ $n }}', '4'],
  ['a{{/* c */}}b|a {{- /* c */ -}} b', 'ab|ab'],
  ['a  {{- "x" -}}  b|{{ "a" }} {{- "b" }}', 'axb|ab'],
  ['a\n  {{- .S }}\n', 'ahello\n'],
  ['{{ and 1 0 2 }} {{ or 0 "" "x" }} {{ and .T .S }} {{ or .Empty .Z }}', '0 x hello 0'],
  ['{{ or true (index .List 10) }} {{ and false (index .List 10) }}', 'true false'],
  ['{{ not .Empty }} {{ not 1 }}', 'true false'],
  ['{{ eq .S "x" "hello" }} {{ eq 1 1 }} {{ ne .I 3 }} {{ lt 1 2 }} {{ lt "a" "b" }} {{ ge 1.5 1.5 }} {{ gt .F 1.0 }} {{ le 2 2 }}', 'true true false true true true true true'],
  ['{{ eq .M.zzz "" }} {{ if and .T (eq .S "hello") }}ok{{ end }}', 'true ok'],
  ['{{ len .List }} {{ len .S }} {{ len "héllo" }} {{ len .M }}', '3 5 6 2'],
  ['{{ index .List 1 }} {{ index .M "b" }} {{ index .M "nope" }}|', 'b 2 |'],
  ['{{ slice .S 1 3 }} {{ slice .List 1 }} {{ slice .List }} {{ slice .S 2 }}', 'el [b c] [a b c] llo'],
  ['{{ html "<a href=\'x\'>" }}|{{ js "it\'s \\"q\\" <x>" }}|{{ urlquery "a b&c" }}', '&lt;a href=&#39;x&#39;&gt;|it\\\'s \\"q\\" \\u003Cx\\u003E|a+b%26c'],
  ['{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" .S }}{{ template "t" }}', '[hello][<no value>]'],
  ['{{ block "b" .S }}<{{ . }}>{{ end }}', '<hello>'],
  ['{{ define "a" }} {{ end }}{{ define "a" }}y{{ end }}{{ template "a" }}', 'y'],
  ['{{ with $v := .S }}{{ $v }}{{ . }}{{ end }}', 'hellohello'],
  ['{{ range $i, $v := .Ints }}{{ if $i }},{{ end }}{{ $v }}{{ end }}', '1,2,3,4'],
  ['{{ .M.Remove (stringSlice "a") }} {{ .M.SortedPairs }}', 'b=2 a=1, b=2'],
  ['{{ (index .List 0) | printf "%s!" }} {{ (.Nested).Inner }} {{ .Nested.Inner }}', 'a! x x'],
  ['{{ .NilV }} {{ printf "%v" .NilV }}', '<nil> <nil>'],
  ['{{if and true 1 "hi" | not}}T{{else}}F{{end}} {{ and false 0 }} {{ or 0 0 }} {{ or 0 true }}', 'F false 0 true'],
  ['{{printf "%04x" 127}} {{printf "%g" 3.5}} {{"aaa"|printf}} {{printf "%T" 0xef}}', '007f 3.5 aaa int'],
  ['{{ with 1.5 }}{{.}}{{end}} {{ with .List }}{{.}}{{end}} {{ or .EmptyList "slice is empty" }}', '1.5 [a b c] slice is empty'],
  ['{{ urlquery "http://www.example.org/" }} {{ js "It\'d be nice." }}', 'http%3A%2F%2Fwww.example.org%2F It\\\'d be nice.'],
  ['{{ with $x := $ }}{{ $y := $.Nested.Inner }}{{ $y }}{{ end }}', 'x'],
  ['{{ $ }}', '{hello 3 1.5 true  0 <nil> [a b c] [] [1 2 3 4] a=1, b=2 {x}}'],
];

/** Go's parse and execution errors, text for text. */
const ERRORS: Array<[string, string]> = [
  ['{{ .Nope }}', 'template: :1:3: executing "" at <.Nope>: can\'t evaluate field Nope in type main.T'],
  ['{{ .S.X }}', 'template: :1:3: executing "" at <.S.X>: can\'t evaluate field X in type string'],
  ['{{ .S 1 }}', 'template: :1:3: executing "" at <.S>: S has arguments but cannot be invoked as function'],
  ['{{ 1 2 }}', 'template: :1:3: executing "" at <1>: can\'t give argument to non-function 1'],
  ['{{ nil }}', 'template: :1:3: executing "" at <nil>: nil is not a command'],
  ['{{ eq .S 1 }}', 'template: :1:3: executing "" at <eq .S 1>: error calling eq: incompatible types for comparison'],
  ['{{ eq 1 }}', 'template: :1:3: executing "" at <eq 1>: error calling eq: missing argument for comparison'],
  ['{{ eq }}', 'template: :1:3: executing "" at <eq>: wrong number of args for eq: want at least 1 got 0'],
  ['{{ lt true false }}', 'error calling lt: invalid type for comparison'],
  ['{{ lt 1 1.5 }}', 'error calling lt: incompatible types for comparison'],
  ['{{ len .I }}', 'template: :1:3: executing "" at <len .I>: error calling len: len of type int'],
  ['{{ index .List 5 }}', 'template: :1:3: executing "" at <index .List 5>: error calling index: index out of range: 5'],
  ['{{ index .I 1 }}', "error calling index: can't index item of type int"],
  ['{{ index .List "x" }}', 'error calling index: cannot index slice/array with type string'],
  ['{{ slice .S 3 1 }}', 'error calling slice: invalid slice index: 3 > 1'],
  ['{{ not }}', 'wrong number of args for not: want 1 got 0'],
  ['{{ range .S }}{{ end }}', 'template: :1:9: executing "" at <.S>: range can\'t iterate over hello'],
  ['x\n{{ template "nope" }}', 'template: :2:12: executing "" at <{{template "nope"}}>: template "nope" not defined'],
  ['{{if nil}}x{{end}}', 'nil is not a command'],
  ['{{1|printf}}', 'template: :1:4: executing "" at <printf>: wrong type for value; expected string; got int'],
  ['{{ index nil 1 }}', 'error calling index: index of untyped nil'],
  ['{{ index .M nil }}', 'error calling index: value is nil; should be of type string'],
  ['{{ $x := 1 }}{{ $x 2 }}', "can't give argument to non-function $x"],
  ['{{ (nil).S }}', 'nil is not a command'],
  ['{{ $x := (1.0) }}{{ $x.anything }}', "can't evaluate field anything in type float64"],
  ['{{ nope }}', 'template: :1: function "nope" not defined'],
  ['{{ $x }}', 'template: :1: undefined variable "$x"'],
  ['{{ end }}', 'template: :1: unexpected {{end}}'],
  ['{{ else }}', 'template: :1: unexpected {{else}}'],
  ['a\n{{ if .T }}x', 'template: :2: unexpected EOF'],
  ['{{ "x" | 1 }}', 'template: :1: non executable command in pipeline stage 2'],
  ['{{ break }}', 'template: :1: {{break}} outside {{range}}'],
  ['{{ .S', 'template: :1: unclosed action'],
  ['{{ "abc }}', 'template: :1: unterminated quoted string'],
  ['{{ /* x */ }}', "template: :1: unrecognized character in action: U+002F '/'"],
  ['{{ if }}{{ end }}', 'template: :1: missing value for if'],
  ['{{ 3xy }}', 'template: :1: bad number syntax: "3x"'],
  ['{{ .Labels.foo-bar }}', "template: :1: bad character U+002D '-'"],
  ['{{ $x=1 }}', "template: :1: bad character U+003D '='"],
  ['{{ .S }', 'template: :1: unrecognized character in action: U+007D \'}\''],
  ['{{ \'ab\' }}', 'template: :1: malformed character constant: \'ab\''],
  ['{{ template .S }}', 'template: :1: unexpected ".S" in template clause'],
  ['{{ define "a" }}x{{ end }}\n{{ define "a" }}y{{ end }}', 'template: :2: template: multiple definition of template "a"'],
  ['{{ ( .S }}', 'template: :1: unclosed left paren'],
  ['{{ .S ) }}', 'template: :1: unexpected right paren'],
];

describe('text/template language', () => {
  it.each(OK)('%j', (text, want) => {
    expect(run(text)).toBe(want);
  });
  it.each(ERRORS)('%j fails', (text, want) => {
    expect(() => run(text)).toThrow(want);
  });

  it('renders an empty text as empty without parsing', () => {
    expect(run('')).toBe('');
  });

  it('stops infinite template recursion with Go\'s depth error', () => {
    expect(() => run('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}')).toThrow('exceeded maximum template depth (100000)');
  });

  it('honours a lower depth limit exactly', () => {
    const s = load({ maxDepth: 10 });
    expect(() => s.executeValue('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', undefined)).toThrow(
      'template: :1:28: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (10)',
    );
  });

  it('caps output size', () => {
    const s = load({ maxOutput: 1000 });
    expect(() => s.executeValue('{{ range 100000 }}xxxxxxxxxx{{ end }}', undefined)).toThrow('template output exceeds 1000 characters');
  });

  it('caps execution steps', () => {
    const s = load({ maxSteps: 1000 });
    expect(() => s.executeValue('{{ range 100000 }}{{ end }}', undefined)).toThrow('exceeded maximum number of execution steps (1000)');
  });

  it('never crashes or hangs on random input', () => {
    const parts = ['{{', '}}', '{{-', '-}}', ' ', '.S', '.List', '$x', ':=', '=', '|', '(', ')', '"q"', '`r`', "'c'", '1', '-2.5', 'if', 'else', 'end',
      'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'len', 'index', 'printf', 'eq', 'and', 'nil', 'true', ',', '/*', '*/', '\n', 'x', '$'];
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      let t = '';
      const n = 1 + rand(14);
      for (let j = 0; j < n; j++) t += parts[rand(parts.length)];
      try {
        run(t);
        set.executeValue(t, DOT, true);
      } catch (e) {
        if ((e as Error).name !== 'TemplateExecError') throw new Error(`${JSON.stringify(t)}: ${String(e)}`);
      }
    }
  });

  it('reports absurd nesting as an error, not a crash', () => {
    expect(() => run('{{ ' + '('.repeat(50000) + '1' + ')'.repeat(50000) + ' }}')).toThrow(/^template: /);
    expect(() => run('{{ if true }}'.repeat(20000) + 'x' + '{{ end }}'.repeat(20000))).toThrow(/^template: /);
    const r = buildTemplateSet([{ name: 'deep.tmpl', text: '{{ define "d" }}' + '{{ with . }}'.repeat(30000) + '{{ end }}'.repeat(30000) + '{{ end }}' }]);
    expect(r.ok).toBe(false);
  });

  it('never crashes on garbage input', () => {
    const junk = ['{{', '}}', '{{{{', '{{-}}', '{{ - }}', '{{ $ := 1 }}', '{{ range $a, $b, $c := . }}{{ end }}', '{{ define }}', '{{ (((( }}', "{{ '' }}", '{{ .A.B.C.D }}', '{{ $.x }}'];
    for (const j of junk) {
      try {
        run(j);
      } catch (e) {
        expect((e as Error).name).toBe('TemplateExecError');
        expect((e as Error).message.startsWith('template: ')).toBe(true);
      }
    }
  });
});

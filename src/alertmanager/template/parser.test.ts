import { describe, expect, it } from 'vitest';
import { TemplateParseError, parseTemplate } from './parser.js';

const FUNCS = new Set(['printf', 'len', 'index', 'eq']);

function parseError(name: string, text: string): TemplateParseError | undefined {
  try {
    parseTemplate(name, name, text, FUNCS);
    return undefined;
  } catch (e) {
    if (e instanceof TemplateParseError) return e;
    throw e;
  }
}

// Re-expressed from Go's text/template/parse errorTests: each message must contain the fragment.
const GO_ERRORS: Array<[string, string, string]> = [
  ['unclosed1', 'line1\n{{', 'template: unclosed1:2: unclosed action'],
  ['unclosed2', 'line1\n{{define `x`}}line2\n{{', 'unclosed2:3: unclosed action'],
  ['unclosed3', 'line1\n{{"x"\n"y"\n', 'unclosed3:4: unclosed action started at unclosed3:2'],
  ['unclosed4', '{{\n\n\n\n\n', 'unclosed4:6: unclosed action started at unclosed4:1'],
  ['var1', 'line1\n{{\nx\n}}', 'var1:3: function "x" not defined'],
  ['function', '{{foo}}', 'function "foo" not defined'],
  ['comment1', '{{/*}}', 'comment1:1: unclosed comment'],
  ['comment2', '{{/*\nhello\n}}', 'comment2:1: unclosed comment'],
  ['lparen', '{{.X (1 2 3}}', 'unclosed left paren'],
  ['rparen', '{{.X 1 2 3 ) }}', 'unexpected right paren'],
  ['rparen2', '{{(.X 1 2 3', 'unclosed action'],
  ['space', '{{`x`3}}', 'in operand'],
  ['idchar', '{{a#}}', "'#'"],
  ['charconst', "{{'a}}", 'unterminated character constant'],
  ['stringconst', '{{"a}}', 'unterminated quoted string'],
  ['rawstringconst', '{{`a}}', 'unterminated raw quoted string'],
  ['number', '{{0xi}}', 'number syntax'],
  ['multidefine', '{{define `a`}}a{{end}}{{define `a`}}b{{end}}', 'multiple definition of template'],
  ['eof', '{{range .X}}', 'unexpected EOF'],
  ['variable', '{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}', 'unexpected ":="'],
  ['multidecl', '{{$a,$b,$c := 23}}', 'too many declarations'],
  ['undefvar', '{{$a}}', 'undefined variable'],
  ['wrongdot', '{{true.any}}', 'unexpected . after term'],
  ['wrongpipeline', '{{12|false}}', 'non executable command in pipeline'],
  ['emptypipeline', '{{ ( ) }}', 'missing value for parenthesized pipeline'],
  ['multilinerawstring', '{{ $v := `\n` }} {{', 'multilinerawstring:2: unclosed action'],
  ['rangeundefvar', '{{range $k}}{{end}}', 'undefined variable'],
  ['rangeundefvars', '{{range $k, $v}}{{end}}', 'undefined variable'],
  ['rangemissingvalue1', '{{range $k,}}{{end}}', 'missing value for range'],
  ['rangemissingvalue2', '{{range $k, $v := }}{{end}}', 'missing value for range'],
  ['rangenotvariable1', '{{range $k, .}}{{end}}', 'range can only initialize variables'],
  ['rangenotvariable2', '{{range $k, 123 := .}}{{end}}', 'range can only initialize variables'],
  ['continue outside range', '{{continue}}', '{{continue}} outside {{range}}'],
  ['break with args', '{{range .}}{{break 1}}{{end}}', 'unexpected "1" in {{break}}'],
  ['define not at top', '{{if .}}{{define "x"}}{{end}}{{end}}', 'unexpected <define> in command'],
  ['else else', '{{if .}}{{else}}{{else}}{{end}}', 'expected end; found {{else}}'],
];

describe('parse errors', () => {
  it.each(GO_ERRORS)('%s', (name, text, want) => {
    const e = parseError(name, text);
    expect(e?.message).toContain(want);
    expect(e?.message.startsWith('template: ')).toBe(true);
  });

  it('gives the column of the offending token', () => {
    const e = parseError('f.tmpl', 'abc\n  x {{ nope }}');
    expect(e).toMatchObject({ line: 2, column: 8, parseName: 'f.tmpl' });
  });
});

describe('parsed structure', () => {
  it('collects top-level, define and block trees', () => {
    const trees = parseTemplate('top', 'top', 'a{{block "inner" .}}bar{{.}}baz{{end}}b{{define "d"}}x{{end}}', FUNCS);
    expect([...trees.keys()].sort()).toEqual(['d', 'inner', 'top']);
  });

  it('accepts newlines inside actions and CRLF text', () => {
    expect(() => parseTemplate('t', 't', '{{ printf\n  "%s"\r\n  "x" }}\r\n{{- /* c */ -}}\r\n', FUNCS)).not.toThrow();
  });

  it('allows redefining with an empty body in the same text', () => {
    expect(() => parseTemplate('t', 't', '{{define "a"}}x{{end}}{{define "a"}} {{end}}', FUNCS)).not.toThrow();
  });
});

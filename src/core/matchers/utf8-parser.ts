import type { Matcher, MatchType } from '../matcher.js';
import { buildMatcher } from './errors.js';
import type { MatcherError } from './errors.js';
import { goUnquoteDouble } from './go-strings.js';
import { Tok, Utf8Lexer } from './utf8-lexer.js';
import type { Token } from './utf8-lexer.js';

const OPERATORS: ReadonlyMap<Tok, MatchType> = new Map([
  [Tok.Equals, '='],
  [Tok.NotEquals, '!='],
  [Tok.Matches, '=~'],
  [Tok.NotMatches, '!~'],
]);

const enum State {
  OpenBrace,
  CloseBrace,
  Matcher,
  EndOfMatcher,
  Comma,
  EOF,
  Done,
}

/** Result of one parser step: the next state, or an error. */
type Step = State | MatcherError;

function isErr(x: Token | MatcherError): x is MatcherError {
  return !('kind' in x);
}

function wrap(e: MatcherError, what: string): MatcherError {
  return { ...e, text: `${e.text}: ${what}` };
}

/**
 * Mirrors Alertmanager's matcher/parse grammar (`[{] matcher {, matcher} [,] [}]`, UTF-8, quoted
 * values with Go escapes) and its error texts, e.g. `0:1: unexpected ,: expected label name`.
 */
class Utf8Parser {
  private readonly lexer: Utf8Lexer;
  private readonly endCol: number;
  private hasOpenBrace = false;
  readonly matchers: Matcher[] = [];

  constructor(input: string) {
    this.lexer = new Utf8Lexer(input);
    let n = 0;
    for (const _ of input) n++;
    this.endCol = n;
  }

  /** Upstream's errEOF carries no position; Herald points at the end of the input. */
  private eofError(): MatcherError {
    return { code: 'matcher_syntax', text: 'end of input', start: this.endCol, end: this.endCol };
  }

  /** expectPeek: the next token if it is one of `kinds`, else an error (EOF is an error). */
  private expectPeek(kinds: readonly Tok[]): Token | MatcherError {
    const t = this.lexer.peek();
    if (isErr(t)) return t;
    if (t.kind === Tok.EOF) return this.eofError();
    if (!kinds.includes(t.kind)) {
      return { code: 'matcher_syntax', text: `${t.colStart}:${t.colEnd}: unexpected ${t.value}`, start: t.colStart, end: t.colEnd };
    }
    return t;
  }

  private expect(kinds: readonly Tok[]): Token | MatcherError {
    const t = this.expectPeek(kinds);
    if (!isErr(t)) this.lexer.scan();
    return t;
  }

  private isEof(e: MatcherError): boolean {
    return e.text === 'end of input';
  }

  run(): MatcherError | undefined {
    let s: State = State.OpenBrace;
    while (s !== State.Done) {
      const next = this.step(s);
      if (typeof next !== 'number') return next;
      s = next;
    }
    return undefined;
  }

  private step(s: State): Step {
    switch (s) {
      case State.OpenBrace:
        return this.openBrace();
      case State.CloseBrace:
        return this.closeBrace();
      case State.Matcher:
        return this.matcher();
      case State.EndOfMatcher: {
        const t = this.expectPeek([Tok.Comma, Tok.CloseBrace]);
        if (isErr(t)) return this.isEof(t) ? State.CloseBrace : wrap(t, 'expected a comma or close brace');
        return t.kind === Tok.Comma ? State.Comma : State.CloseBrace;
      }
      case State.Comma: {
        const c = this.expect([Tok.Comma]);
        if (isErr(c)) return wrap(c, 'expected a comma');
        const t = this.expectPeek([Tok.CloseBrace, Tok.Unquoted, Tok.Quoted]);
        if (isErr(t)) return this.isEof(t) ? State.CloseBrace : wrap(t, 'expected a matcher or close brace after comma');
        return t.kind === Tok.CloseBrace ? State.CloseBrace : State.Matcher;
      }
      case State.EOF: {
        const t = this.lexer.scan();
        if (isErr(t)) return wrap(t, 'expected end of input');
        if (t.kind !== Tok.EOF) {
          return { code: 'matcher_syntax', text: `${t.colStart}:${t.colEnd}: ${t.value}: expected end of input`, start: t.colStart, end: t.colEnd };
        }
        return State.Done;
      }
      default:
        return State.Done;
    }
  }

  private openBrace(): Step {
    const t = this.lexer.peek();
    if (isErr(t)) return t;
    if (t.kind === Tok.EOF) return State.EOF;
    if (t.kind === Tok.OpenBrace) {
      this.hasOpenBrace = true;
      this.lexer.scan();
    }
    const n = this.lexer.peek();
    if (isErr(n)) return n;
    if (n.kind === Tok.EOF || n.kind === Tok.CloseBrace) return State.CloseBrace;
    return State.Matcher;
  }

  private closeBrace(): Step {
    const t = this.expect([Tok.CloseBrace]);
    const col = this.lexer.columnEnd;
    if (this.hasOpenBrace) {
      if (isErr(t)) return { ...t, text: `0:${col}: ${t.text}: expected close brace`, start: 0, end: col };
    } else if (!isErr(t)) {
      return { code: 'matcher_syntax', text: `0:${col}: }: expected opening brace`, start: 0, end: col };
    }
    return State.EOF;
  }

  private matcher(): Step {
    const nameTok = this.expect([Tok.Quoted, Tok.Unquoted]);
    if (isErr(nameTok)) return wrap(nameTok, 'expected label name');
    const name = unquote(nameTok);
    if (typeof name !== 'string') return name;
    const opTok = this.expect([Tok.Equals, Tok.NotEquals, Tok.Matches, Tok.NotMatches]);
    if (isErr(opTok)) return wrap(opTok, "expected an operator such as '=', '!=', '=~' or '!~'");
    const op = OPERATORS.get(opTok.kind) as MatchType;
    const valueTok = this.expect([Tok.Unquoted, Tok.Quoted]);
    if (isErr(valueTok)) return wrap(valueTok, 'expected label value');
    const value = unquote(valueTok);
    if (typeof value !== 'string') return value;
    const m = buildMatcher(name, op, value);
    if (!m.ok) {
      return { code: 'invalid_regex', text: `failed to create matcher: ${m.text}`, start: valueTok.colStart, end: valueTok.colEnd };
    }
    this.matchers.push(m.value);
    return State.EndOfMatcher;
  }
}

function unquote(t: Token): string | MatcherError {
  if (t.kind !== Tok.Quoted) return t.value;
  const s = goUnquoteDouble(t.value);
  if (s !== undefined) return s;
  return { code: 'matcher_syntax', text: `${t.colStart}:${t.colEnd}: ${t.value}: invalid input`, start: t.colStart, end: t.colEnd };
}

/** Alertmanager's parse.Matchers: zero or more matchers, or the first error. */
export function parseUtf8Matchers(input: string): { ok: true; value: Matcher[] } | { ok: false; error: MatcherError } {
  const p = new Utf8Parser(input);
  const err = p.run();
  return err ? { ok: false, error: err } : { ok: true, value: p.matchers };
}

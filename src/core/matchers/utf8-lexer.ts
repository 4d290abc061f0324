import { isGoSpace } from './go-strings.js';
import type { MatcherError } from './errors.js';

/** Token kinds of Alertmanager's matcher/parse lexer. */
export enum Tok {
  EOF,
  OpenBrace,
  CloseBrace,
  Comma,
  Equals,
  NotEquals,
  Matches,
  NotMatches,
  Quoted,
  Unquoted,
}

export interface Token {
  readonly kind: Tok;
  readonly value: string;
  /** Code point columns, as upstream's columnStart/columnEnd. */
  readonly colStart: number;
  readonly colEnd: number;
}

const EOF_CP = -1;
const RESERVED = new Set(['{', '}', '!', '=', '~', ',', '\\', '"', "'", '`'].map((c) => c.codePointAt(0) as number));

function isReserved(cp: number): boolean {
  return isGoSpace(cp) || RESERVED.has(cp);
}

const EOF_TOKEN: Token = { kind: Tok.EOF, value: '', colStart: 0, colEnd: 0 };

/**
 * Mirrors Alertmanager's matcher/parse lexer: offsets index the UTF-16 string, columns count code
 * points (Go counts runes), and the first error sticks so later scans return it again.
 */
export class Utf8Lexer {
  private start = 0;
  private pos = 0;
  private width = 0;
  private column = 0;
  private cols = 0;
  private err: MatcherError | undefined;

  constructor(private readonly input: string) {}

  /** Columns consumed so far (upstream's position().columnEnd). */
  get columnEnd(): number {
    return this.cols;
  }

  scan(): Token | MatcherError {
    if (this.err) return this.err;
    for (let r = this.next(); r !== EOF_CP; r = this.next()) {
      if (r === 0x7b) return this.emit(Tok.OpenBrace);
      if (r === 0x7d) return this.emit(Tok.CloseBrace);
      if (r === 0x2c) return this.emit(Tok.Comma);
      if (r === 0x3d || r === 0x21) {
        this.rewind();
        return this.remember(this.scanOperator());
      }
      if (r === 0x22) {
        this.rewind();
        return this.remember(this.scanQuoted());
      }
      if (!isReserved(r)) {
        this.rewind();
        return this.scanUnquoted();
      }
      if (isGoSpace(r)) {
        this.start = this.pos;
        this.column = this.cols;
        continue;
      }
      return this.remember(this.error('invalid input'));
    }
    return EOF_TOKEN;
  }

  peek(): Token | MatcherError {
    const { start, pos, width, column, cols } = this;
    try {
      return this.scan();
    } finally {
      this.start = start;
      this.pos = pos;
      this.width = width;
      this.column = column;
      this.cols = cols;
    }
  }

  private remember(t: Token | MatcherError): Token | MatcherError {
    if (!('kind' in t)) this.err = t;
    return t;
  }

  private scanOperator(): Token | MatcherError {
    if (this.accept('!')) {
      if (this.accept('=')) return this.emit(Tok.NotEquals);
      if (this.accept('~')) return this.emit(Tok.NotMatches);
      return this.expected('=~');
    }
    if (this.accept('=')) return this.emit(this.accept('~') ? Tok.Matches : Tok.Equals);
    return this.expected('!=');
  }

  private scanQuoted(): Token | MatcherError {
    this.next();
    let escaped = false;
    for (let r = this.next(); r !== EOF_CP; r = this.next()) {
      if (escaped) escaped = false;
      else if (r === 0x5c) escaped = true;
      else if (r === 0x22) {
        this.rewind();
        break;
      }
    }
    if (!this.accept('"')) return this.error('missing end "');
    return this.emit(Tok.Quoted);
  }

  private scanUnquoted(): Token {
    for (let r = this.next(); r !== EOF_CP; r = this.next()) {
      if (isReserved(r)) {
        this.rewind();
        break;
      }
    }
    return this.emit(Tok.Unquoted);
  }

  private error(what: string): MatcherError {
    const text = `${this.column}:${this.cols}: ${this.input.slice(this.start, this.pos)}: ${what}`;
    return { code: 'matcher_syntax', text, start: this.column, end: this.cols };
  }

  private expected(valid: string): MatcherError {
    if (this.pos >= this.input.length) {
      const text = `${this.column}:${this.cols}: unexpected end of input, expected one of '${valid}'`;
      return { code: 'matcher_syntax', text, start: this.column, end: this.cols };
    }
    return this.error(`expected one of '${valid}'`);
  }

  private accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF_CP && valid.includes(String.fromCodePoint(r))) return true;
    this.rewind();
    return false;
  }

  private emit(kind: Tok): Token {
    const t: Token = { kind, value: this.input.slice(this.start, this.pos), colStart: this.column, colEnd: this.cols };
    this.start = this.pos;
    this.column = this.cols;
    return t;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF_CP;
    }
    const cp = this.input.codePointAt(this.pos) as number;
    this.width = cp > 0xffff ? 2 : 1;
    this.pos += this.width;
    this.cols++;
    return cp;
  }

  private rewind(): void {
    this.pos -= this.width;
    if (this.width > 0) this.cols--;
  }
}

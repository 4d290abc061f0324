/**
 * Parser for Go text/template: builds trees for the top-level text and every `{{define}}` /
 * `{{block}}`, with Go's parse error texts (`template: <file>:<line>: <reason>`). Functions are
 * checked at parse time against `funcs`, variables against the enclosing scopes, as Go does.
 */
import { isEmptyTree } from './ast.js';
import type {
  ArgNode, CommandNode, ListNode, Node, NumberNode, PipeNode, Tree, VariableNode,
} from './ast.js';
import { lex } from './lexer.js';
import type { Token } from './lexer.js';
import { unquoteGo } from './go-format.js';

/** A parse failure: Go's message plus the line for positioned issues. */
export class TemplateParseError extends Error {
  constructor(message: string, readonly parseName: string, readonly line: number, readonly column: number) {
    super(message);
    this.name = 'TemplateParseError';
  }
}

const MAX_DEPTH = 10000;

/** Parses `text` (named `parseName`) into a map of template name -> tree (top-level under `name`). */
export function parseTemplate(name: string, parseName: string, text: string, funcs: ReadonlySet<string>): Map<string, Tree> {
  const p = new Parser(parseName, text, funcs);
  return p.parseAll(name);
}

function tokenString(t: Token): string {
  if (t.kind === 'eof') return 'EOF';
  if (t.kind === 'error') return t.val;
  if (t.kind === 'keyword') return `<${t.val}>`;
  const q = JSON.stringify(t.val);
  if ([...t.val].length > 10) return JSON.stringify([...t.val].slice(0, 10).join('')) + '...';
  return q;
}

class Parser {
  private readonly toks: Token[];
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private depth = 0;
  private readonly trees = new Map<string, Tree>();

  constructor(private readonly parseName: string, private readonly text: string, private readonly funcs: ReadonlySet<string>) {
    this.toks = lex(text);
  }

  parseAll(name: string): Map<string, Tree> {
    const root: ListNode = { type: 'list', pos: 0, nodes: [] };
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'left') {
        const kw = this.peekAfterLeft();
        if (kw.kind === 'keyword' && kw.val === 'define') {
          this.next();
          this.nextNonSpace();
          this.parseDefinition();
          continue;
        }
      }
      const n = this.textOrAction();
      if ('tok' in n) this.errorAt(n.tok, `unexpected ${n.type === 'end' ? '{{end}}' : '{{else}}'}`);
      root.nodes.push(n);
    }
    this.addTree({ name, parseName: this.parseName, source: this.text, root });
    return this.trees;
  }

  /** Go's Tree.add: two non-empty definitions of one name in one text are an error. */
  private addTree(tree: Tree): void {
    const old = this.trees.get(tree.name);
    if (old && !isEmptyTree(old.root)) {
      if (isEmptyTree(tree.root)) return;
      this.errorAt(this.toks[Math.max(0, this.i - 1)] as Token, `template: multiple definition of template ${JSON.stringify(tree.name)}`);
    }
    this.trees.set(tree.name, tree);
  }

  private parseDefinition(): void {
    const nameTok = this.nextNonSpace();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString') this.errorAt(nameTok, `unexpected ${tokenString(nameTok)} in define clause`);
    const name = this.unquote(nameTok);
    this.expect('right', 'define clause');
    const saved = this.vars;
    this.vars = ['$'];
    const { list, end } = this.itemList();
    if (end.type !== 'end') this.errorAt(end.tok, 'unexpected {{else}}');
    this.vars = saved;
    this.addTree({ name, parseName: this.parseName, source: this.text, root: list });
  }

  // ---- token helpers ----
  private peek(): Token {
    return this.toks[this.i] as Token;
  }
  private next(): Token {
    const t = this.toks[this.i] as Token;
    // The lexer leaves the template name as \0 in "unclosed action started at <name>:<line>".
    if (t.kind === 'error') this.errorAt(t, t.val.replace('\u0000', this.parseName));
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  private backup(n = 1): void {
    this.i -= n;
  }
  private nextNonSpace(): Token {
    let t = this.next();
    while (t.kind === 'space') t = this.next();
    return t;
  }
  /** Skips spaces and returns the next token without consuming it (as Go's peekNonSpace). */
  private peekNonSpace(): Token {
    while (this.peek().kind === 'space') this.next();
    return this.peek();
  }
  private peekAfterLeft(): Token {
    let j = this.i + 1;
    while (this.toks[j]?.kind === 'space') j++;
    return this.toks[j] as Token;
  }
  private expect(kind: Token['kind'], context: string): Token {
    const t = this.nextNonSpace();
    if (t.kind !== kind) this.errorAt(t, `unexpected ${tokenString(t)} in ${context}`);
    return t;
  }
  private errorAt(t: Token, msg: string): never {
    const before = this.text.slice(0, t.pos);
    const col = t.pos - (before.lastIndexOf('\n') + 1);
    throw new TemplateParseError(`template: ${this.parseName}:${t.line}: ${msg}`, this.parseName, t.line, col + 1);
  }
  private unquote(t: Token): string {
    const s = unquoteGo(t.val);
    if (s === undefined) this.errorAt(t, `invalid syntax`);
    return s;
  }

  // ---- lists and actions ----
  /** Parses until {{end}} or {{else}}; returns which ended it. */
  private itemList(): { list: ListNode; end: { type: 'end' | 'else'; tok: Token } } {
    const list: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] };
    for (;;) {
      if (this.peek().kind === 'eof') this.errorAt(this.peek(), 'unexpected EOF');
      const n = this.textOrAction();
      if ('tok' in n) return { list, end: n };
      list.nodes.push(n);
    }
  }

  private textOrAction(): Node | { type: 'end' | 'else'; tok: Token } {
    const t = this.next();
    if (t.kind === 'text') return { type: 'text', pos: t.pos, text: t.val };
    if (t.kind === 'comment') return { type: 'text', pos: t.pos, text: '' };
    if (t.kind === 'left') {
      if (++this.depth > MAX_DEPTH) this.errorAt(t, `max depth exceeded`);
      try {
        return this.action();
      } finally {
        this.depth--;
      }
    }
    return this.errorAt(t, `unexpected ${tokenString(t)} in input`);
  }

  private action(): Node | { type: 'end' | 'else'; tok: Token } {
    const t = this.nextNonSpace();
    if (t.kind === 'keyword') {
      switch (t.val) {
        case 'block': return this.blockControl(t);
        case 'break': return this.breakControl(t, 'break');
        case 'continue': return this.breakControl(t, 'continue');
        case 'else': return this.elseControl(t);
        case 'end': this.expect('right', 'end'); return { type: 'end', tok: t };
        case 'if': return this.branch('if');
        case 'range': return this.branch('range');
        case 'with': return this.branch('with');
        case 'template': return this.templateControl();
        case 'define': return this.errorAt(t, 'unexpected <define> in command');
      }
    }
    this.backup();
    const pipe = this.pipeline('command', 'right');
    return { type: 'action', pos: t.pos, pipe };
  }

  private breakControl(t: Token, kind: 'break' | 'continue'): Node {
    const r = this.nextNonSpace();
    if (r.kind !== 'right') this.errorAt(r, `unexpected ${tokenString(r)} in {{${kind}}}`);
    if (this.rangeDepth === 0) this.errorAt(t, `{{${kind}}} outside {{range}}`);
    return { type: kind, pos: t.pos };
  }

  private elseControl(t: Token): { type: 'else'; tok: Token } {
    const p = this.peekNonSpace();
    if (p.kind === 'keyword' && (p.val === 'if' || p.val === 'with')) {
      // "{{else if ...}}" is "{{else}}{{if ...}}...{{end}}{{end}}": leave the keyword for the caller.
      return { type: 'else', tok: t };
    }
    this.expect('right', 'else');
    return { type: 'else', tok: t };
  }

  private branch(kind: 'if' | 'range' | 'with'): Node {
    const savedVars = this.vars.length;
    const pipe = this.pipeline(kind, 'right');
    if (kind === 'range') this.rangeDepth++;
    let r;
    try {
      r = this.itemList();
    } finally {
      if (kind === 'range') this.rangeDepth--;
    }
    let elseList: ListNode | undefined;
    if (r.end.type === 'else') {
      const p = this.peekNonSpace();
      if ((kind === 'if' && p.kind === 'keyword' && p.val === 'if') || (kind === 'with' && p.kind === 'keyword' && p.val === 'with')) {
        // else-chain: parse the nested branch, which consumes the shared {{end}}.
        const kw = this.nextNonSpace();
        const nested = this.branch(kind);
        elseList = { type: 'list', pos: kw.pos, nodes: [nested] };
      } else {
        const e = this.itemList();
        if (e.end.type !== 'end') this.errorAt(e.end.tok, 'expected end; found {{else}}');
        elseList = e.list;
      }
    }
    this.vars.length = savedVars;
    return { type: kind, pos: pipe.pos, pipe, list: r.list, elseList };
  }

  private templateControl(): Node {
    const nameTok = this.nextNonSpace();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString') this.errorAt(nameTok, `unexpected ${tokenString(nameTok)} in template clause`);
    const name = this.unquote(nameTok);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().kind !== 'right') {
      this.backup();
      pipe = this.pipeline('template clause', 'right');
    }
    return { type: 'template', pos: nameTok.pos, name, pipe };
  }

  private blockControl(t: Token): Node {
    const nameTok = this.nextNonSpace();
    if (nameTok.kind !== 'string' && nameTok.kind !== 'rawString') this.errorAt(nameTok, `unexpected ${tokenString(nameTok)} in block clause`);
    const name = this.unquote(nameTok);
    const pipe = this.pipeline('block clause', 'right');
    const saved = this.vars;
    this.vars = ['$'];
    const { list, end } = this.itemList();
    if (end.type !== 'end') this.errorAt(end.tok, 'unexpected {{else}}');
    this.vars = saved;
    this.addTree({ name, parseName: this.parseName, source: this.text, root: list });
    return { type: 'template', pos: t.pos, name, pipe };
  }

  // ---- pipelines ----
  private pipeline(context: string, end: 'right' | 'rparen'): PipeNode {
    const decl: VariableNode[] = [];
    let isAssign = false;
    const start = this.peekNonSpace();
    // Declarations: "$x :=", "$x =", and in range "$i, $v :=" (as Go's pipeline decls loop).
    for (;;) {
      const save = this.i;
      const v = this.peekNonSpace();
      if (v.kind !== 'variable') break;
      this.next();
      const next = this.peekNonSpace();
      if (next.kind === 'declare' || next.kind === 'assign') {
        this.next();
        isAssign = next.kind === 'assign';
        decl.push({ type: 'variable', pos: v.pos, idents: [v.val] });
        break;
      }
      if (next.kind === 'comma') {
        this.next();
        decl.push({ type: 'variable', pos: v.pos, idents: [v.val] });
        if (context === 'range' && decl.length < 2) {
          const p = this.peekNonSpace();
          if (p.kind === 'variable' || p.kind === 'right' || p.kind === 'rparen') continue;
          this.errorAt(p, 'range can only initialize variables');
        }
        this.errorAt(next, `too many declarations in ${context}`);
      }
      this.i = save;
      break;
    }
    for (const d of decl) {
      const name = d.idents[0] as string;
      if (isAssign) {
        if (!this.vars.includes(name)) this.errorAt(start, `undefined variable "${name}"`);
      } else this.vars.push(name);
    }
    const cmds: CommandNode[] = [];
    for (;;) {
      const t = this.nextNonSpace();
      if (t.kind === end) {
        if (cmds.length === 0) this.errorAt(t, `missing value for ${context}`);
        cmds.slice(1).forEach((c, i) => {
          const a = c.args[0];
          if (a && ['bool', 'dot', 'nil', 'number', 'string'].includes(a.type)) this.errorAt(t, `non executable command in pipeline stage ${i + 2}`);
        });
        return { type: 'pipe', pos: start.pos, isAssign, decl, cmds };
      }
      if (['bool', 'char', 'dot', 'field', 'ident', 'number', 'nil', 'rawString', 'string', 'variable', 'lparen'].includes(t.kind)) {
        this.backup();
        cmds.push(this.command());
        continue;
      }
      this.errorAt(t, `unexpected ${tokenString(t)} in ${context}`);
    }
  }

  private command(): CommandNode {
    const first = this.peekNonSpace();
    const args: ArgNode[] = [];
    for (;;) {
      this.peekNonSpace();
      const op = this.operand();
      if (op) args.push(op);
      const t = this.next();
      if (t.kind === 'space') continue;
      if (t.kind === 'right' || t.kind === 'rparen') this.backup();
      else if (t.kind !== 'pipe') this.errorAt(t, `unexpected ${tokenString(t)} in operand`);
      break;
    }
    if (args.length === 0) this.errorAt(first, 'empty command');
    return { type: 'command', pos: first.pos, args };
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().kind === 'field') {
      const fields: string[] = [];
      while (this.peek().kind === 'field') fields.push(this.next().val.slice(1));
      switch (node.type) {
        case 'field': return { type: 'field', pos: node.pos, idents: [...node.idents, ...fields] };
        case 'variable': return { type: 'variable', pos: node.pos, idents: [...node.idents, ...fields] };
        case 'bool': case 'string': case 'number': case 'nil': case 'dot':
          return this.errorAt(this.toks[this.i - 1] as Token, `unexpected . after term ${JSON.stringify(node.type === 'string' ? node.quoted : node.type === 'number' ? node.text : node.type === 'dot' ? '.' : node.type === 'nil' ? 'nil' : String(node.value))}`);
        default: return { type: 'chain', pos: node.pos, node, fields };
      }
    }
    return node;
  }

  private term(): ArgNode | undefined {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case 'ident':
        if (!this.funcs.has(t.val)) this.errorAt(t, `function "${t.val}" not defined`);
        return { type: 'identifier', pos: t.pos, name: t.val };
      case 'dot': return { type: 'dot', pos: t.pos };
      case 'nil': return { type: 'nil', pos: t.pos };
      case 'variable': {
        if (!this.vars.includes(t.val)) this.errorAt(t, `undefined variable "${t.val}"`);
        return { type: 'variable', pos: t.pos, idents: [t.val] };
      }
      case 'field': return { type: 'field', pos: t.pos, idents: [t.val.slice(1)] };
      case 'bool': return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'char': case 'number': return this.number(t);
      case 'lparen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rparen');
        return { ...pipe, pos: t.pos };
      }
      case 'string': case 'rawString':
        return { type: 'string', pos: t.pos, quoted: t.val, text: this.unquote(t) };
    }
    this.backup();
    return undefined;
  }

  private number(t: Token): NumberNode {
    if (t.kind === 'char') {
      const s = unquoteGo('"' + t.val.slice(1, -1).replace(/"/g, '\\"') + '"');
      const cp = s === undefined ? undefined : s.codePointAt(0);
      if (s === undefined || cp === undefined || [...s].length !== 1) this.errorAt(t, `malformed character constant: ${t.val}`);
      return { type: 'number', pos: t.pos, text: t.val, int: BigInt(cp), float: cp, isChar: true };
    }
    const txt = t.val.replace(/_/g, '');
    if (txt.endsWith('i')) {
      const body = txt.slice(0, -1);
      if (body === '' || Number.isNaN(Number(body.replace(/^[+-]/, '')))) this.errorAt(t, `illegal number syntax: ${JSON.stringify(t.val)}`);
      this.errorAt(t, `complex numbers are not supported: ${t.val}`);
    }
    let int: bigint | undefined;
    let float: number | undefined;
    const neg = txt.startsWith('-');
    const body = txt.replace(/^[+-]/, '');
    if (/^0[xX][0-9a-fA-F]+$|^0[oO][0-7]+$|^0[bB][01]+$|^[0-9]+$/.test(body)) {
      let b = body;
      if (/^0[0-7]+$/.test(b)) b = '0o' + b.slice(1);
      else if (/^0[0-9]+$/.test(b)) this.errorAt(t, `illegal number syntax: "${t.val}"`);
      int = BigInt(b) * (neg ? -1n : 1n);
      float = Number(int);
    } else {
      const f = Number(txt);
      if (Number.isNaN(f)) this.errorAt(t, `illegal number syntax: "${t.val}"`);
      float = f;
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) int = BigInt(f);
    }
    return { type: 'number', pos: t.pos, text: t.val, int, float, isChar: false };
  }
}

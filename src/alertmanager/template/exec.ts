/**
 * The text/template evaluator: walks a tree with Go's semantics (truthiness, variable scopes,
 * range over slices/maps/ints with break/continue, with/else, template calls with a depth limit,
 * field and method lookup, missingkey=zero as Alertmanager sets it) and Go's error texts
 * (`template: <file>:<line>:<col>: executing "<name>" at <<node>>: <reason>`).
 */
import { compareStrings } from '../../core/labels.js';
import type { ArgNode, CommandNode, ListNode, Node, NumberNode, PipeNode, Tree, VariableNode } from './ast.js';
import { nodeString } from './ast.js';
import { GoTime } from './go-time.js';
import { formatV } from './go-format.js';
import { GoMap, GoSlice, GoStruct, SafeContent, isTrue, methodsOf, typeName } from './values.js';
import type { GoMethod, GoValue, ParamKind } from './values.js';

/** A template function: a GoMethod with a name; `lazy` ones (and/or) get unevaluated thunks. */
export interface TemplateFunc extends GoMethod {
  readonly lazy?: (args: Array<() => GoValue>) => GoValue;
}

/** Thrown by functions to report Go's `error calling <fn>: <msg>`. */
export class FuncError extends Error {}

/** An execution failure with Go's full message. */
export class ExecFailure extends Error {}

/** Receives output: text from the template and values from actions (html/template escapes them). */
export interface Output {
  text(s: string): void;
  value(v: GoValue): void;
  readonly length: number;
}

export interface ExecLimits {
  readonly maxDepth: number;
  readonly maxOutput: number;
  readonly maxSteps: number;
}

export const DEFAULT_LIMITS: ExecLimits = { maxDepth: 100000, maxOutput: 32 * 1024 * 1024, maxSteps: 50_000_000 };

/** {{break}} and {{continue}} unwind to the enclosing range as these (pre-built) signals. */
class LoopSignal extends Error {}
const BREAK = new LoopSignal('break');
const CONTINUE = new LoopSignal('continue');
const MISSING: unique symbol = Symbol('missing');
type Final = GoValue | typeof MISSING;

interface Var { readonly name: string; value: GoValue }

/** Where an error is reported: a position and the node (rendered only when an error is raised). */
interface Ctx { readonly pos: number; readonly of: string | ArgNode | CommandNode }

/** Shared execution context for one Execute call. */
export interface ExecEnv {
  readonly trees: { get(name: string): Tree | undefined };
  readonly funcs: ReadonlyMap<string, TemplateFunc>;
  readonly out: Output;
  readonly limits: ExecLimits;
  steps: number;
}

/** Executes `tree` with `dot`, writing to env.out. Throws ExecFailure. */
export function execute(env: ExecEnv, tree: Tree, dot: GoValue): void {
  new State(env, tree, [{ name: '$', value: dot }], 0).walk(dot, tree.root);
}

class State {
  private node: Ctx | undefined;
  constructor(private readonly env: ExecEnv, private readonly tree: Tree, private readonly vars: Var[], private readonly depth: number) {}

  private at(pos: number, of: Ctx['of']): void {
    this.node = { pos, of };
  }

  errorf(msg: string): never {
    const name = this.tree.name;
    if (!this.node) throw new ExecFailure(`template: ${name}: ${msg}`);
    const text = this.tree.source.slice(0, this.node.pos);
    const nl = text.lastIndexOf('\n');
    const lineText = nl < 0 ? text : text.slice(nl + 1);
    const col = Buffer.byteLength(lineText, 'utf8');
    const line = 1 + (text.match(/\n/g)?.length ?? 0);
    const of = this.node.of;
    const ctx = typeof of === 'string' ? of : nodeString(of);
    throw new ExecFailure(`template: ${this.tree.parseName}:${line}:${col}: executing ${JSON.stringify(name)} at <${ctx}>: ${msg}`);
  }

  private step(): void {
    if (++this.env.steps > this.env.limits.maxSteps) this.errorf(`exceeded maximum number of execution steps (${this.env.limits.maxSteps})`);
    if (this.env.out.length > this.env.limits.maxOutput) this.errorf(`template output exceeds ${this.env.limits.maxOutput} characters`);
  }

  walk(dot: GoValue, node: Node): void {
    this.step();
    switch (node.type) {
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'text':
        this.env.out.text(node.text);
        return;
      case 'action': {
        this.at(node.pos, node.pipe);
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node.pipe, v);
        return;
      }
      case 'if': case 'with': {
        const mark = this.vars.length;
        this.at(node.pos, node.pipe);
        const v = this.evalPipeline(dot, node.pipe);
        if (isTrue(v)) this.walk(node.type === 'with' ? v : dot, node.list);
        else if (node.elseList) this.walk(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range': return this.walkRange(dot, node.pipe, node.list, node.elseList, node.pos);
      case 'break': throw BREAK;
      case 'continue': throw CONTINUE;
      case 'template': return this.walkTemplate(dot, node.name, node.pipe, node.pos);
    }
  }

  private walkTemplate(dot: GoValue, name: string, pipe: PipeNode | undefined, pos: number): void {
    const here: Ctx = { pos, of: `{{template ${JSON.stringify(name)}${pipe ? ' ' + nodeString(pipe) : ''}}}` };
    this.node = here;
    const tree = this.env.trees.get(name);
    if (!tree) this.errorf(`template ${JSON.stringify(name)} not defined`);
    if (this.depth >= this.env.limits.maxDepth) this.errorf(`exceeded maximum template depth (${this.env.limits.maxDepth})`);
    const newDot = pipe ? this.evalPipeline(dot, pipe) : undefined;
    const st = new State(this.env, tree, [{ name: '$', value: newDot }], this.depth + 1);
    try {
      st.walk(newDot, tree.root);
    } catch (e) {
      // A JS stack overflow comes before Go's depth limit: report it as that limit.
      if (e instanceof RangeError) {
        this.node = here;
        this.errorf(`exceeded maximum template depth (${this.env.limits.maxDepth})`);
      }
      throw e;
    }
  }

  private walkRange(dot: GoValue, pipe: PipeNode, list: ListNode, elseList: ListNode | undefined, pos: number): void {
    this.at(pos, pipe);
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, pipe);
    const one = (index: GoValue, elem: GoValue): boolean => {
      if (pipe.decl.length > 0) {
        if (pipe.isAssign) {
          if (pipe.decl.length > 1) {
            this.setVar(pipe.decl[0]!.idents[0]!, index);
            this.setVar(pipe.decl[1]!.idents[0]!, elem);
          } else this.setVar(pipe.decl[0]!.idents[0]!, elem);
        } else if (pipe.decl.length > 1) {
          this.vars[this.vars.length - 2]!.value = index;
          this.vars[this.vars.length - 1]!.value = elem;
        } else this.vars[this.vars.length - 1]!.value = elem;
      }
      const inner = this.vars.length;
      try {
        this.walk(elem, list);
      } catch (e) {
        if (e === BREAK) return false;
        if (e !== CONTINUE) throw e;
      } finally {
        this.vars.length = inner;
      }
      return true;
    };
    let n = 0;
    if (val instanceof GoSlice) {
      for (let i = 0; i < val.items.length; i++) {
        n++;
        if (!one(BigInt(i), val.items[i])) break;
      }
    } else if (val instanceof GoMap) {
      for (const k of [...val.entries.keys()].sort(compareStrings)) {
        n++;
        if (!one(k, val.entries.get(k))) break;
      }
    } else if (typeof val === 'bigint') {
      if (pipe.decl.length > 1) this.errorf(`can't use ${formatV(val)} to iterate over more than one variable`);
      for (let i = 0n; i < val; i++) {
        n++;
        if (!one(i, i)) break;
      }
    } else if (val === undefined || val === null) {
      // nothing: Go ranges over an invalid value as empty
    } else {
      this.errorf(`range can't iterate over ${formatV(val)}`);
    }
    if (n === 0 && elseList) this.walk(dot, elseList);
    this.vars.length = mark;
  }

  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Var;
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Var;
      if (v.name === name) return v.value;
    }
    return this.errorf(`undefined variable: ${name}`);
  }

  evalPipeline(dot: GoValue, pipe: PipeNode): GoValue {
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    const v = value === MISSING ? undefined : value;
    for (const d of pipe.decl) {
      const name = d.idents[0] as string;
      if (pipe.isAssign) this.setVar(name, v);
      else this.vars.push({ name, value: v });
    }
    return v;
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: Final): GoValue {
    const first = cmd.args[0] as ArgNode;
    this.at(first.pos, cmd);
    switch (first.type) {
      case 'field': return this.evalFieldChain(dot, dot, first.pos, first, first.idents, cmd.args, final);
      case 'chain': return this.evalChain(dot, first, cmd.args, final);
      case 'identifier': return this.evalFunction(dot, first.name, first.pos, cmd, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable': return this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first.pos, first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': return this.errorf('nil is not a command');
      case 'number': return this.idealConstant(first);
      case 'string': return first.text;
    }
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0] as ArgNode)}`);
  }

  private idealConstant(n: NumberNode): GoValue {
    this.at(n.pos, n.text);
    if (n.isChar) return n.int;
    if (n.float !== undefined && /[.eEpP]/.test(n.text) && !/^[+-]?0[xX]/.test(n.text)) return n.float;
    if (n.int !== undefined) {
      if (n.int > 2n ** 63n - 1n || n.int < -(2n ** 63n)) this.errorf(`${n.text} overflows int`);
      return n.int;
    }
    if (n.float !== undefined) return n.float;
    return this.errorf(`${n.text} is not a number`);
  }

  private evalChain(dot: GoValue, chain: Extract<ArgNode, { type: 'chain' }>, args: ArgNode[], final: Final): GoValue {
    if (chain.fields.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const recv = this.evalArg(dot, 'any', chain.node);
    return this.evalFieldChain(dot, recv, chain.pos, chain, chain.fields, args, final);
  }

  private evalVariable(dot: GoValue, node: VariableNode, args: ArgNode[], final: Final): GoValue {
    const idents = node.idents;
    const value = this.varValue(idents[0] as string);
    if (idents.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, node.pos, node, idents.slice(1), args, final);
  }

  private evalFieldChain(dot: GoValue, recv: GoValue, pos: number, str: Ctx['of'], idents: string[], args: ArgNode[], final: Final): GoValue {
    let r = recv;
    for (let i = 0; i < idents.length - 1; i++) r = this.evalField(dot, idents[i] as string, pos, str, [], MISSING, r);
    return this.evalField(dot, idents[idents.length - 1] as string, pos, str, args, final, r);
  }

  private evalField(dot: GoValue, name: string, pos: number, str: Ctx['of'], args: ArgNode[], final: Final, recv: GoValue): GoValue {
    this.at(pos, str);
    if (recv === undefined) return undefined; // missingkey=zero: nil data yields no value
    const method = methodsOf(recv)?.[name];
    if (method) return this.evalCall(dot, method, name, { pos, of: str }, args, final);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (recv instanceof GoStruct) {
      if (recv.fields.has(name)) {
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        return recv.fields.get(name);
      }
    } else if (recv instanceof GoMap) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      return recv.entries.has(name) ? recv.entries.get(name) : recv.zero;
    } else if (recv === null) {
      this.errorf(`nil pointer evaluating interface {}.${name}`);
    }
    return this.errorf(`can't evaluate field ${name} in type ${typeName(recv)}`);
  }

  private evalFunction(dot: GoValue, name: string, pos: number, cmd: CommandNode, final: Final): GoValue {
    this.at(pos, name);
    const fn = this.env.funcs.get(name);
    if (!fn) this.errorf(`${JSON.stringify(name)} is not a defined function`);
    return this.evalCall(dot, fn, name, { pos: cmd.pos, of: cmd }, cmd.args, final);
  }

  /** Calls a function or method; args[0] is the function's own node. */
  private evalCall(dot: GoValue, fn: TemplateFunc, name: string, ctx: Ctx, argNodes: ArgNode[], final: Final): GoValue {
    const args = argNodes.slice(1);
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const fixed = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < fixed) this.errorf(`wrong number of args for ${name}: want at least ${fixed} got ${numIn}`);
    } else if (numIn !== fixed) this.errorf(`wrong number of args for ${name}: want ${fixed} got ${numIn}`);
    const kindAt = (i: number): ParamKind => (i < fixed ? (fn.params[i] as ParamKind) : (fn.variadic as ParamKind));
    const here = ctx;
    if (fn.lazy) {
      const thunks: Array<() => GoValue> = args.map((a, i) => () => this.evalArg(dot, kindAt(i), a));
      if (final !== MISSING) thunks.push(() => final);
      return this.callGuard(name, here, () => fn.lazy!(thunks));
    }
    const vals: GoValue[] = args.map((a, i) => this.evalArg(dot, kindAt(i), a));
    if (final !== MISSING) vals.push(this.validateType(final, kindAt(numIn - 1)));
    return this.callGuard(name, here, () => fn.call(vals));
  }

  private callGuard(name: string, here: Ctx | undefined, f: () => GoValue): GoValue {
    try {
      return f();
    } catch (e) {
      if (e instanceof FuncError) {
        this.node = here;
        this.errorf(`error calling ${name}: ${e.message}`);
      }
      throw e;
    }
  }

  private evalArg(dot: GoValue, kind: ParamKind, n: ArgNode): GoValue {
    this.at(n.pos, n);
    switch (n.type) {
      case 'dot': return this.validateType(dot, kind);
      case 'nil':
        if (kind === 'any' || kind === '[]string') return null;
        return this.errorf(`cannot assign nil to ${goKind(kind)}`);
      case 'field': return this.validateType(this.evalFieldChain(dot, dot, n.pos, n, n.idents, [n], MISSING), kind);
      case 'variable': return this.validateType(this.evalVariable(dot, n, [], MISSING), kind);
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), kind);
      case 'identifier': {
        const fn = this.env.funcs.get(n.name);
        if (!fn) return this.errorf(`${JSON.stringify(n.name)} is not a defined function`);
        return this.validateType(this.evalCall(dot, fn, n.name, { pos: n.pos, of: n.name }, [n], MISSING), kind);
      }
      case 'chain': return this.validateType(this.evalChain(dot, n, [], MISSING), kind);
      case 'bool':
        if (kind === 'time' || kind === '[]string') return this.errorf(`can't handle ${nodeString(n)} for arg of type ${goKind(kind)}`);
        if (kind === 'bool' || kind === 'any') return n.value;
        return this.errorf(`expected ${expectWord(kind)}; found ${n.value}`);
      case 'string':
        if (kind === 'time' || kind === '[]string') return this.errorf(`can't handle ${nodeString(n)} for arg of type ${goKind(kind)}`);
        if (kind === 'string' || kind === 'any') return n.text;
        return this.errorf(`expected ${expectWord(kind)}; found ${n.quoted}`);
      case 'number':
        if (kind === 'time' || kind === '[]string') return this.errorf(`can't handle ${nodeString(n)} for arg of type ${goKind(kind)}`);
        if (kind === 'any') return this.idealConstant(n);
        if (kind === 'int' && n.int !== undefined && !/[.eEpP]/.test(n.text)) return n.int;
        if (kind === 'float' && n.float !== undefined) return n.float;
        if (kind === 'int' && n.int !== undefined) return n.int;
        return this.errorf(`expected ${expectWord(kind)}; found ${n.text}`);
    }
  }

  private validateType(v: GoValue, kind: ParamKind): GoValue {
    if (kind === 'any') return v;
    if (v === undefined || v === null) {
      if (kind === '[]string') return null;
      return this.errorf(`invalid value; expected ${goKind(kind)}`);
    }
    const ok = kind === 'string' ? typeof v === 'string'
      : kind === 'int' ? typeof v === 'bigint'
        : kind === 'float' ? typeof v === 'number'
          : kind === 'bool' ? typeof v === 'boolean'
            : kind === 'time' ? v instanceof GoTime
              : v instanceof GoSlice && v.typeName === '[]string';
    if (!ok) this.errorf(`wrong type for value; expected ${goKind(kind)}; got ${typeName(v)}`);
    return v;
  }

  private printValue(pipe: PipeNode, v: GoValue): void {
    this.at(pipe.pos, pipe);
    this.env.out.value(v);
  }
}

function goKind(k: ParamKind): string {
  return k === 'int' ? 'int' : k === 'float' ? 'float64' : k === 'time' ? 'time.Time' : k === 'any' ? 'interface {}' : k;
}

function expectWord(k: ParamKind): string {
  return k === 'int' ? 'integer' : k === 'float' ? 'float' : k === 'bool' ? 'bool' : k === 'string' ? 'string' : goKind(k);
}

/** A string-builder Output for text/template (values printed with fmt's %v). */
export class TextOutput implements Output {
  private parts: string[] = [];
  length = 0;
  text(s: string): void {
    this.parts.push(s);
    this.length += s.length;
  }
  value(v: GoValue): void {
    this.text(v instanceof SafeContent ? v.value : formatV(v));
  }
  toString(): string {
    return this.parts.join('');
  }
}

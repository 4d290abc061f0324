/**
 * The parse tree of a text/template, shaped like text/template/parse's nodes. `pos` is the source
 * offset used for `name:line:col` in execution errors; `str` renders a node as Go's Node.String()
 * does (the `<...>` context in error messages).
 */

export type Node =
  | ListNode | TextNode | ActionNode | IfNode | RangeNode | WithNode | TemplateNode | BreakNode | ContinueNode;

export type ArgNode =
  | FieldNode | ChainNode | VariableNode | DotNode | NilNode | BoolNode | NumberNode | StringNode | IdentifierNode | PipeNode;

export interface ListNode { readonly type: 'list'; readonly pos: number; readonly nodes: Node[] }
export interface TextNode { readonly type: 'text'; readonly pos: number; readonly text: string }
export interface ActionNode { readonly type: 'action'; readonly pos: number; readonly pipe: PipeNode }
export interface BranchBase { readonly pos: number; readonly pipe: PipeNode; readonly list: ListNode; readonly elseList: ListNode | undefined }
export interface IfNode extends BranchBase { readonly type: 'if' }
export interface RangeNode extends BranchBase { readonly type: 'range' }
export interface WithNode extends BranchBase { readonly type: 'with' }
export interface TemplateNode { readonly type: 'template'; readonly pos: number; readonly name: string; readonly pipe: PipeNode | undefined }
export interface BreakNode { readonly type: 'break'; readonly pos: number }
export interface ContinueNode { readonly type: 'continue'; readonly pos: number }

export interface PipeNode {
  readonly type: 'pipe';
  readonly pos: number;
  readonly isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface CommandNode { readonly type: 'command'; readonly pos: number; readonly args: ArgNode[] }
export interface FieldNode { readonly type: 'field'; readonly pos: number; readonly idents: string[] }
export interface ChainNode { readonly type: 'chain'; readonly pos: number; readonly node: ArgNode; readonly fields: string[] }
export interface VariableNode { readonly type: 'variable'; readonly pos: number; readonly idents: string[] }
export interface DotNode { readonly type: 'dot'; readonly pos: number }
export interface NilNode { readonly type: 'nil'; readonly pos: number }
export interface BoolNode { readonly type: 'bool'; readonly pos: number; readonly value: boolean }
export interface NumberNode {
  readonly type: 'number';
  readonly pos: number;
  readonly text: string;
  /** Set when the constant is an integer (Go: IsInt). */
  readonly int: bigint | undefined;
  /** Set when the constant is representable as a float (Go: IsFloat). */
  readonly float: number | undefined;
  readonly isChar: boolean;
}
export interface StringNode { readonly type: 'string'; readonly pos: number; readonly quoted: string; readonly text: string }
export interface IdentifierNode { readonly type: 'identifier'; readonly pos: number; readonly name: string }

/** Node.String() of an argument, pipe or command. */
export function nodeString(n: ArgNode | CommandNode): string {
  switch (n.type) {
    case 'field': return '.' + n.idents.join('.');
    case 'variable': return n.idents.join('.');
    case 'chain': {
      const inner = n.node.type === 'pipe' ? '(' + nodeString(n.node) + ')' : nodeString(n.node);
      return inner + n.fields.map((f) => '.' + f).join('');
    }
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return String(n.value);
    case 'number': return n.text;
    case 'string': return n.quoted;
    case 'identifier': return n.name;
    case 'command': return n.args.map((a) => (a.type === 'pipe' ? '(' + nodeString(a) + ')' : nodeString(a))).join(' ');
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) s = n.decl.map((v) => nodeString(v)).join(', ') + (n.isAssign ? ' = ' : ' := ');
      return s + n.cmds.map((c) => nodeString(c)).join(' | ');
    }
  }
}

/** A named template's tree; `source` is the text of the file it was parsed from (for positions). */
export interface Tree {
  readonly name: string;
  readonly parseName: string;
  readonly source: string;
  readonly root: ListNode;
}

/** An empty tree has only whitespace text (Go's parse.IsEmptyTree): it does not replace a definition. */
export function isEmptyTree(n: Node): boolean {
  switch (n.type) {
    case 'list': return n.nodes.every(isEmptyTree);
    case 'text': return n.text.trim() === '';
    default: return false;
  }
}

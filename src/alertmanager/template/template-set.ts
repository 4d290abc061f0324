/**
 * A set of parsed templates (Alertmanager's Template: defaults, then the tenant's files) and its
 * ExecuteTextString / ExecuteHTMLString: each call parses the given text as a fresh template named
 * "" against the set's definitions, then executes it with text or html/template output rules.
 */
import { compareStrings } from '../../core/labels.js';
import { SYSTEM_CLOCK } from '../../core/runtime.js';
import type { Clock } from '../../core/runtime.js';
import type { Issue, Result } from '../../core/result.js';
import { fail, issue, ok } from '../../core/result.js';
import type { TemplateData } from '../notify/template-data.js';
import type { TemplateSource, Templates } from './api.js';
import { TemplateExecError } from './api.js';
import { isEmptyTree } from './ast.js';
import type { Tree } from './ast.js';
import { builtinFuncs } from './builtins.js';
import { dataValue } from './data.js';
import { DEFAULT_TEMPLATE_SOURCES } from './defaults.js';
import { DEFAULT_LIMITS, ExecFailure, TextOutput, execute } from './exec.js';
import type { ExecLimits, Output, TemplateFunc } from './exec.js';
import { alertmanagerFuncs } from './funcs.js';
import { HtmlOutput } from './html-escape.js';
import { TemplateParseError, parseTemplate } from './parser.js';
import type { GoValue } from './values.js';

const INLINE_CACHE_SIZE = 512;

/** Options of a template set: the clock for `since`, and execution limits. */
export interface TemplateSetOptions {
  readonly clock?: Pick<Clock, 'now'>;
  readonly limits?: Partial<ExecLimits>;
  /** Parse Herald's built-in defaults first (true unless testing upstream files alone). */
  readonly defaults?: boolean;
}

function funcMap(htmlMode: boolean, now: () => number): Map<string, TemplateFunc> {
  const m = builtinFuncs(htmlMode);
  // Alertmanager's funcs are added after text/template's builtins and take precedence.
  for (const [k, v] of alertmanagerFuncs(now)) m.set(k, v);
  return m;
}

/** Adds parsed trees to a set the way Go's AddParseTree does: an empty body does not replace. */
function addTrees(set: Map<string, Tree>, trees: Map<string, Tree>): void {
  for (const [name, tree] of trees) {
    const old = set.get(name);
    if (old && isEmptyTree(tree.root) && !isEmptyTree(old.root)) continue;
    set.set(name, tree);
  }
}

function parseIssue(e: TemplateParseError, file: string): Issue {
  return issue('template_parse', e.message, { path: [file], range: { start: { line: e.line, column: e.column } } });
}

/** A loaded template set. */
export class TemplateSet implements Templates {
  private readonly trees = new Map<string, Tree>();
  private readonly topLevel = new Set<string>();
  private readonly textFuncs: Map<string, TemplateFunc>;
  private readonly htmlFuncs: Map<string, TemplateFunc>;
  private readonly funcNames: Set<string>;
  private readonly limits: ExecLimits;
  private readonly inline = new Map<string, Map<string, Tree>>();

  constructor(options: TemplateSetOptions = {}) {
    const clock = options.clock ?? SYSTEM_CLOCK;
    this.textFuncs = funcMap(false, () => clock.now());
    this.htmlFuncs = funcMap(true, () => clock.now());
    this.funcNames = new Set(this.textFuncs.keys());
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  /** Parses sources in order; returns every file's first parse error as an Issue. */
  load(sources: readonly TemplateSource[]): Issue[] {
    const issues: Issue[] = [];
    for (const src of sources) {
      const base = src.name.replace(/^.*[/\\]/, '');
      try {
        addTrees(this.trees, parseTemplate(base, base, src.text, this.funcNames));
        this.topLevel.add(base);
      } catch (e) {
        if (e instanceof TemplateParseError) issues.push(parseIssue(e, src.name));
        else if (e instanceof RangeError) issues.push(issue('template_parse', `template: ${base}: template nesting too deep`, { path: [src.name] }));
        else issues.push(issue('template_parse', `template: ${base}: internal error: ${e instanceof Error ? e.message : String(e)}`, { path: [src.name] }));
      }
    }
    return issues;
  }

  executeText(text: string, data: TemplateData): string {
    return this.run(text, dataValue(data), new TextOutput(), this.textFuncs);
  }

  executeHtml(text: string, data: TemplateData): string {
    return this.run(text, dataValue(data), new HtmlOutput(), this.htmlFuncs);
  }

  /** Executes with any Go value as dot (tests and the template_test tables). */
  executeValue(text: string, dot: GoValue, html = false): string {
    return this.run(text, dot, html ? new HtmlOutput() : new TextOutput(), html ? this.htmlFuncs : this.textFuncs);
  }

  private run(text: string, dot: GoValue, out: Output & { toString(): string }, funcs: Map<string, TemplateFunc>): string {
    if (text === '') return '';
    const parsed = this.parseInline(text);
    const root = parsed.get('') as Tree;
    // The inline text's definitions shadow the set's, except empty ones (Go's AddParseTree rule).
    const trees = {
      get: (name: string): Tree | undefined => {
        const own = parsed.get(name);
        const base = this.trees.get(name);
        if (own && base && isEmptyTree(own.root) && !isEmptyTree(base.root)) return base;
        return own ?? base;
      },
    };
    try {
      execute({ trees, funcs, out, limits: this.limits, steps: 0 }, root, dot);
    } catch (e) {
      if (e instanceof ExecFailure) throw new TemplateExecError(e.message);
      if (e instanceof RangeError) throw new TemplateExecError(`template: : exceeded maximum template depth (${this.limits.maxDepth})`);
      // Never let an engine bug escape as anything but a template error.
      throw new TemplateExecError(`template: : internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
    return out.toString();
  }

  /** Parses an inline text (cached: integrations render the same config strings again and again). */
  private parseInline(text: string): Map<string, Tree> {
    const hit = this.inline.get(text);
    if (hit) return hit;
    let parsed: Map<string, Tree>;
    try {
      parsed = parseTemplate('', '', text, this.funcNames);
    } catch (e) {
      if (e instanceof TemplateParseError) throw new TemplateExecError(e.message);
      if (e instanceof RangeError) throw new TemplateExecError('template: : template nesting too deep');
      throw e;
    }
    if (this.inline.size >= INLINE_CACHE_SIZE) this.inline.delete(this.inline.keys().next().value as string);
    this.inline.set(text, parsed);
    return parsed;
  }

  definedNames(): readonly string[] {
    return [...this.trees.keys()].filter((n) => n !== '' && !this.topLevel.has(n)).sort(compareStrings);
  }
}

/** Builds a set: Herald's defaults, then `sources`; fails with positioned issues on parse errors. */
export function buildTemplateSet(sources: readonly TemplateSource[], options: TemplateSetOptions = {}): Result<TemplateSet> {
  const set = new TemplateSet(options);
  if (options.defaults !== false) {
    const builtIn = set.load(DEFAULT_TEMPLATE_SOURCES);
    if (builtIn.length > 0) return fail(builtIn);
  }
  const issues = set.load(sources);
  return issues.length > 0 ? fail(issues) : ok(set);
}

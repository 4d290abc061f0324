/**
 * The routing tree flattened for matching: every node by its pre-order number, as a record of four
 * integers (its matchers' range, the end of its subtree, its child index and `continue`) in one
 * typed array, its matchers in one flat array, and children indexed by one equality matcher each
 * (child-index.ts). Matching reads these and never a Route object, which only goes into the
 * result. In pre-order a node's subtree is contiguous, so a matching candidate and its own
 * children sit on the same cache line or two.
 *
 * Why: a tenant's tree rendered from thousands of AlertmanagerConfig objects (issue 8) has tens of
 * thousands of Route objects with their strings and arrays spread over a large heap. Walking them
 * cost a cache and TLB miss on nearly every read, which made such a tree route 4-5 times slower
 * than a small one although the index let it look at as few candidates. Here what one alert reads
 * sits in a handful of lines, and identical matchers are one shared object.
 *
 * The walk is Alertmanager's Route.Match (dispatch/route.go): depth-first, a node that matches
 * goes on to its children, a matching child without `continue` stops its siblings, and a node
 * none of whose children matched is itself the result.
 */
import type { Labels } from '../../core/labels.js';
import type { Matcher } from '../../core/matcher.js';
import { ChildIndex } from './child-index.js';
import type { Bucket } from './child-index.js';

/** Below this many children a plain scan is as fast as the index. */
export const INDEX_MIN_CHILDREN = 8;

/** What the program needs of a tree node. */
export interface ProgramNode {
  readonly ordinal: number;
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly routes: readonly ProgramNode[];
}

const NO_CANDIDATES: Bucket = [];

/** Fields of a node's record in `rec` (RECORD integers per node). */
const RECORD = 4;
const M_START = 0;
const M_END = 1;
/** One past the last ordinal of the subtree: the first child is o + 1, the next sibling of c is rec[c].END. */
const END = 2;
/** (index slot + 1) << 1 | continue. */
const FLAGS = 3;

/** A routing tree compiled for matching; `T` is what results are made of (the Route class). */
export class CompiledRoutes<T extends ProgramNode> {
  /** Nodes by ordinal (pre-order). */
  private readonly nodes: readonly T[];
  private readonly rec: Int32Array;
  /** Node o's own matchers are matchers[rec[o].M_START .. rec[o].M_END). */
  private readonly matchers: readonly Matcher[];
  private readonly indexes: readonly ChildIndex[];

  /** `nodes` in pre-order: nodes[i].ordinal === i, children after their parent, subtrees contiguous. */
  constructor(nodes: readonly T[]) {
    const n = nodes.length;
    const rec = new Int32Array(n * RECORD);
    const matchers: Matcher[] = [];
    const indexes: ChildIndex[] = [];
    const end = (node: ProgramNode): number => (node.routes.length === 0 ? node.ordinal + 1 : end(node.routes[node.routes.length - 1] as ProgramNode));
    for (let o = 0; o < n; o++) {
      const node = nodes[o] as T;
      if (node.ordinal !== o) throw new Error(`route program: node ${o} has ordinal ${node.ordinal}`);
      const r = o * RECORD;
      rec[r + M_START] = matchers.length;
      for (const m of node.matchers) matchers.push(m);
      rec[r + M_END] = matchers.length;
      rec[r + END] = end(node);
      let slot = 0;
      if (node.routes.length >= INDEX_MIN_CHILDREN) {
        indexes.push(new ChildIndex(node.routes, node.routes.map((c) => c.ordinal)));
        slot = indexes.length;
      }
      rec[r + FLAGS] = (slot << 1) | (node.continue ? 1 : 0);
    }
    this.nodes = nodes;
    this.rec = rec;
    this.matchers = matchers;
    this.indexes = indexes;
  }

  /** Appends the routes an alert goes to from node `o` down to `out`; false when o's own matchers fail. */
  matchInto(o: number, labels: Labels, out: T[]): boolean {
    if (!this.own(o, labels)) return false;
    this.below(o, labels, out);
    return true;
  }

  /** Whether node o's own matchers match. */
  private own(o: number, labels: Labels): boolean {
    const ms = this.matchers;
    const end = this.rec[o * RECORD + M_END] as number;
    for (let i = this.rec[o * RECORD + M_START] as number; i < end; i++) {
      const m = ms[i] as Matcher;
      if (!m.matches(labels[m.name] ?? '')) return false;
    }
    return true;
  }

  /** Node o has matched: its matching descendants, else o itself. */
  private below(o: number, labels: Labels, out: T[]): void {
    const start = out.length;
    const rec = this.rec;
    const slot = (rec[o * RECORD + FLAGS] as number) >> 1;
    if (slot === 0) {
      const end = rec[o * RECORD + END] as number;
      for (let c = o + 1; c < end; c = rec[c * RECORD + END] as number) {
        if (!this.own(c, labels)) continue;
        this.below(c, labels, out);
        if (((rec[c * RECORD + FLAGS] as number) & 1) === 0) break;
      }
    } else {
      const index = this.indexes[slot - 1] as ChildIndex;
      if (index.names.length === 1) this.merged(index, labels, out);
      else {
        const order = index.candidates(labels);
        for (let k = 0; k < order.length; k++) {
          const c = order[k] as number;
          if (!this.own(c, labels)) continue;
          this.below(c, labels, out);
          if (((rec[c * RECORD + FLAGS] as number) & 1) === 0) break;
        }
      }
    }
    if (out.length === start) out.push(this.nodes[o] as T);
  }

  /**
   * One indexed label name: the bucket's candidates (whose indexed matcher holds; the bucket has
   * their other matchers) merged by ordinal with the children the index could not place.
   */
  private merged(index: ChildIndex, labels: Labels, out: T[]): void {
    const hit: Bucket = index.single(labels) ?? NO_CANDIDATES;
    const rest = index.rest;
    const rec = this.rec;
    let a = 0;
    let b = 0;
    while (a < hit.length || b < rest.length) {
      let c: number;
      if (a < hit.length && (b === rest.length || (hit[a] as number) < (rest[b] as number))) {
        c = hit[a] as number;
        const n = hit[a + 1] as number;
        let ok = true;
        for (let k = a + 2; k < a + 2 + n; k++) {
          const m = hit[k] as Matcher;
          if (!m.matches(labels[m.name] ?? '')) {
            ok = false;
            break;
          }
        }
        a += 2 + n;
        if (!ok) continue;
      } else {
        c = rest[b++] as number;
        if (!this.own(c, labels)) continue;
      }
      this.below(c, labels, out);
      if (((rec[c * RECORD + FLAGS] as number) & 1) === 0) break;
    }
  }
}

/**
 * Inhibition: a firing source alert mutes target alerts that carry the same values for the rule's
 * `equal` labels. Mirrors Alertmanager's inhibit/inhibit.go (0.29+, per-rule index on the equal
 * labels, PR #4607), with one difference: each index slot holds every source alert sharing the
 * key instead of a single "latest ending" one, so forgetting one source never hides another.
 */
import type { Alert, Millis } from '../../core/alert.js';
import { ZERO_TIME } from '../../core/alert.js';
import { truncate } from '../../core/array.js';
import type { Labels } from '../../core/labels.js';
import { matchesAll, matcherToString } from '../../core/matcher.js';
import type { Matcher } from '../../core/matcher.js';
import type { Clock } from '../../core/runtime.js';
import type { InhibitRuleConfig } from '../config/types.js';
import { ChildIndex } from '../route/child-index.js';
import { INDEX_MIN_CHILDREN } from '../route/compiled.js';

/** One cached source alert of one rule. */
interface SourceEntry {
  readonly fingerprint: string;
  endsAt: Millis;
  /** The source alert matches the rule's target side too (excluded against two-sided targets). */
  readonly twoSided: boolean;
  readonly key: string;
}

/** One compiled rule with its source cache and equal-label index. */
class InhibitRule {
  readonly name: string;
  readonly source: readonly Matcher[];
  readonly target: readonly Matcher[];
  /** Equal label names, deduplicated and sorted so the key does not depend on config order. */
  private readonly equal: readonly string[];
  private readonly sources = new Map<string, SourceEntry>();
  /** equal-key -> fingerprint -> entry. */
  private readonly index = new Map<string, Map<string, SourceEntry>>();

  constructor(cfg: InhibitRuleConfig) {
    this.name = cfg.name ?? '';
    this.source = cfg.sourceMatchers;
    this.target = cfg.targetMatchers;
    this.equal = [...new Set(cfg.equal)].sort();
  }

  /** Key of the equal-label values; an absent label counts as the empty string, as upstream. */
  key(labels: Labels): string {
    const eq = this.equal;
    if (eq.length === 0) return '';
    if (eq.length === 1) return labels[eq[0] as string] ?? '';
    let k = '';
    for (let i = 0; i < eq.length; i++) {
      const v = labels[eq[i] as string] ?? '';
      // Length-prefixed so that no value can forge a separator.
      k += `${v.length}:${v}`;
    }
    return k;
  }

  /** Returns true when the alert became a cached source of this rule just now. */
  observe(alert: Alert, fp: string): boolean {
    // Labels never change under a fingerprint: an alert that fails the source side now always did.
    if (!matchesAll(this.source, alert.labels)) return false;
    const existing = this.sources.get(fp);
    if (existing) {
      existing.endsAt = alert.endsAt;
      return false;
    }
    const entry: SourceEntry = {
      fingerprint: fp,
      endsAt: alert.endsAt,
      twoSided: matchesAll(this.target, alert.labels),
      key: this.key(alert.labels),
    };
    this.sources.set(fp, entry);
    let slot = this.index.get(entry.key);
    if (!slot) {
      slot = new Map();
      this.index.set(entry.key, slot);
    }
    slot.set(fp, entry);
    return true;
  }

  forget(fp: string): void {
    const entry = this.sources.get(fp);
    if (!entry) return;
    this.sources.delete(fp);
    const slot = this.index.get(entry.key);
    if (!slot) return;
    slot.delete(fp);
    if (slot.size === 0) this.index.delete(entry.key);
  }

  /** Drops cached sources resolved at `now` (upstream's 15-minute source-cache GC); returns their fingerprints. */
  gc(now: Millis): string[] {
    const dropped: string[] = [];
    for (const [fp, e] of this.sources) {
      if (e.endsAt !== ZERO_TIME && e.endsAt <= now) {
        this.forget(fp);
        dropped.push(fp);
      }
    }
    return dropped;
  }

  /**
   * Fingerprint of a source alert, not resolved at `now`, with the same equal-label key.
   * `excludeTwoSided` skips sources that also match the target side (no self-inhibition).
   */
  findSource(labels: Labels, self: string, excludeTwoSided: boolean, now: Millis): string | undefined {
    const slot = this.index.get(this.key(labels));
    if (!slot) return undefined;
    for (const e of slot.values()) {
      if (e.endsAt !== ZERO_TIME && e.endsAt <= now) continue;
      if (e.fingerprint === self) continue;
      if (excludeTwoSided && e.twoSided) continue;
      return e.fingerprint;
    }
    return undefined;
  }

  get size(): number {
    return this.sources.size;
  }
}

/**
 * Rules by one equality matcher of one side (route/child-index.ts), so that an alert is checked
 * against the rules it can match rather than every rule: a tenant rendered from thousands of
 * AlertmanagerConfig objects has one inhibit rule per object, each pinned to its namespace, and
 * scanning them all for every posted alert made such a tenant 30 times slower to post to.
 */
class RuleIndex {
  private readonly index: ChildIndex | undefined;
  /** Reused by candidates(): an inhibitor's calls never nest. */
  private readonly ids: number[] = [];
  private readonly found: InhibitRule[] = [];

  constructor(
    private readonly rules: readonly InhibitRule[],
    side: (r: InhibitRule) => readonly Matcher[],
  ) {
    this.index = rules.length >= INDEX_MIN_CHILDREN ? new ChildIndex(rules.map((r) => ({ matchers: side(r) }))) : undefined;
  }

  /**
   * The rules whose indexed matcher holds for `labels`, in config order (all rules when unindexed).
   * Valid until the next call.
   */
  candidates(labels: Labels): readonly InhibitRule[] {
    if (this.index === undefined) return this.rules;
    const ids = this.ids;
    this.index.candidatesInto(labels, ids);
    const out = this.found;
    truncate(out);
    for (let i = 0; i < ids.length; i++) out.push(this.rules[ids[i] as number] as InhibitRule);
    return out;
  }
}

/**
 * What a rule does, independent of the order of its matchers and equal labels: two rules with the
 * same signature inhibit exactly the same alerts with the same sources.
 */
function signature(cfg: InhibitRuleConfig): string {
  const side = (ms: readonly Matcher[]): string[] => ms.map(matcherToString).sort();
  return JSON.stringify([side(cfg.sourceMatchers), side(cfg.targetMatchers), [...new Set(cfg.equal)].sort()]);
}

/** Decides whether a label set is inhibited by the alerts observed so far. */
export class Inhibitor {
  /**
   * One rule per distinct signature, in the order of first appearance. A tenant rendered from
   * AlertmanagerConfig objects carries one copy of the same rule per object of a namespace (the
   * namespace matcher is all that the operator adds); a later copy can never decide anything the
   * first did not (the first rule whose target matches and has a source wins), so it is not kept.
   */
  private readonly rules: readonly InhibitRule[];
  /** Per configured rule, its place in `rules`. */
  private readonly ofConfig: readonly number[];
  private readonly bySource: RuleIndex;
  private readonly byTarget: RuleIndex;
  /** Fingerprint -> the rules that cache it as a source, so forgetting an alert visits only those. */
  private readonly cachedIn = new Map<string, InhibitRule[]>();

  constructor(rules: readonly InhibitRuleConfig[], private readonly clock: Clock) {
    const unique: InhibitRule[] = [];
    const seen = new Map<string, number>();
    this.ofConfig = rules.map((r) => {
      const sig = signature(r);
      let at = seen.get(sig);
      if (at === undefined) {
        at = unique.length;
        seen.set(sig, at);
        unique.push(new InhibitRule(r));
      }
      return at;
    });
    this.rules = unique;
    this.bySource = new RuleIndex(this.rules, (r) => r.source);
    this.byTarget = new RuleIndex(this.rules, (r) => r.target);
  }

  /**
   * Records a stored or updated alert; caches it for every rule whose source side it matches. An
   * alert's labels never change under its fingerprint, so it meets the same candidate rules on
   * every update, including the ones that cached it.
   */
  observe(alert: Alert, fingerprint: string): void {
    for (const r of this.bySource.candidates(alert.labels)) {
      if (!r.observe(alert, fingerprint)) continue;
      const list = this.cachedIn.get(fingerprint);
      if (list === undefined) this.cachedIn.set(fingerprint, [r]);
      else list.push(r);
    }
  }

  /** Forgets a deleted alert. */
  forget(fingerprint: string): void {
    const list = this.cachedIn.get(fingerprint);
    if (list === undefined) return;
    this.cachedIn.delete(fingerprint);
    for (const r of list) r.forget(fingerprint);
  }

  /** Removes cached sources already resolved at now; returns how many were dropped. */
  gc(): number {
    const now = this.clock.now();
    let n = 0;
    for (const r of this.rules) {
      for (const fp of r.gc(now)) {
        n++;
        const list = this.cachedIn.get(fp);
        if (list === undefined) continue;
        const rest = list.filter((x) => x !== r);
        if (rest.length === 0) this.cachedIn.delete(fp);
        else this.cachedIn.set(fp, rest);
      }
    }
    return n;
  }

  /**
   * Fingerprint of a source alert inhibiting `labels`, or undefined. Mirrors Inhibitor.Mutes: the
   * first rule (in config order) whose target side matches and that has a live source wins.
   * `fingerprint` identifies the target; a source never inhibits itself.
   */
  mutes(labels: Labels, fingerprint: string): string | undefined {
    if (this.rules.length === 0) return undefined;
    const now = this.clock.now();
    for (const r of this.byTarget.candidates(labels)) {
      if (!matchesAll(r.target, labels)) continue;
      const twoSided = matchesAll(r.source, labels);
      const src = r.findSource(labels, fingerprint, twoSided, now);
      if (src !== undefined) return src;
    }
    return undefined;
  }

  /** Number of cached source alerts per configured rule (for tests and debugging); copies share one cache. */
  sourceCounts(): number[] {
    return this.ofConfig.map((i) => (this.rules[i] as InhibitRule).size);
  }

  /** Number of distinct rules evaluated (configured rules less exact copies). */
  get distinctRules(): number {
    return this.rules.length;
  }
}

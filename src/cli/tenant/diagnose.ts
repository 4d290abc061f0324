/**
 * `herald tenant diagnose TENANT`: walks the chain a threshold alert needs, link by link, against a
 * running Herald: the tenant's threshold document loads (thresholds API `problems`), the series the
 * packs read are present in its store, its `user_threshold` series are emitted, its rules evaluate
 * (rules API health), and its alerts reach a receiver (Alertmanager v2 alerts' `receivers` and the
 * configured route tree). Prints one line per check; exit code 0 when no check failed.
 */
import { parseDocument } from 'yaml';
import type { PackIndex } from '../../thresholds/migrate/index.js';
import type { Output } from '../output.js';
import type { HeraldClient } from './herald-client.js';
import { HeraldApiError, HeraldAuthError } from './herald-client.js';

type Status = 'ok' | 'warn' | 'fail';

interface Check {
  readonly status: Status;
  readonly title: string;
  readonly details: readonly string[];
}

/** A failed check's detail; credentials refused (401/403) end the whole run with one message instead. */
function errText(e: unknown): string {
  if (e instanceof HeraldAuthError) throw e;
  return e instanceof HeraldApiError || e instanceof Error ? e.message : String(e);
}

/** Metric names (no regex metacharacters in [a-zA-Z0-9_:]) as one alternation. */
function nameRegex(names: readonly string[]): string {
  return names.filter((n) => /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(n)).join('|');
}

async function configCheck(c: HeraldClient): Promise<Check & { resolved?: number }> {
  try {
    const v = await c.thresholds();
    const mine = v.problems.filter((p) => p.source.includes(c.tenant) || p.source === `api:${c.tenant}`);
    if (mine.length > 0) {
      return { status: 'fail', title: 'threshold document has errors (the tenant runs on its last good thresholds)', details: mine.flatMap((p) => p.issues.map((i) => `${p.source}${i.line !== undefined ? `:${i.line}:${i.column ?? 0}` : ''}: ${i.message}`)) };
    }
    const others = v.problems.filter((p) => !mine.includes(p));
    const details = others.length > 0 ? [`platform problems: ${others.map((p) => p.source).join(', ')}`] : [];
    if (v.source === 'none') return { status: 'warn', title: 'no threshold document: the tenant uses the platform defaults', details, resolved: v.resolved.length };
    return { status: others.length > 0 ? 'warn' : 'ok', title: `threshold document valid (${v.source}), ${v.resolved.length} threshold(s), filters on: ${v.stateFilters.map((s) => s.filter).join(', ') || 'none'}`, details, resolved: v.resolved.length };
  } catch (e) {
    return { status: 'fail', title: 'thresholds API not reachable', details: [errText(e)] };
  }
}

async function seriesCheck(c: HeraldClient, packs: readonly PackIndex[]): Promise<Check> {
  if (packs.length === 0) return { status: 'warn', title: 'no local rule packs to check series against (--packs)', details: [] };
  const all = [...new Set(packs.flatMap((p) => p.metrics))].sort();
  try {
    const present = new Set((await c.query(`count by (__name__) ({__name__=~"${nameRegex(all)}"})`)).map((s) => s.metric.__name__ ?? ''));
    const details: string[] = [];
    let used = 0;
    for (const p of packs) {
      const have = p.metrics.filter((m) => present.has(m));
      if (have.length === 0) continue;
      used++;
      const missing = p.metrics.filter((m) => !present.has(m));
      details.push(`${p.name}: ${have.length}/${p.metrics.length} metrics present${missing.length > 0 ? `; missing ${missing.join(', ')}` : ''}`);
    }
    if (used === 0) return { status: 'fail', title: 'no series any pack reads: is the tenant scraped or remote-writing into Herald?', details: [] };
    return { status: details.some((d) => d.includes('missing')) ? 'warn' : 'ok', title: `series present for ${used} pack(s)`, details };
  } catch (e) {
    return { status: 'fail', title: 'series query failed', details: [errText(e)] };
  }
}

async function thresholdSeriesCheck(c: HeraldClient, expected: number | undefined): Promise<Check> {
  try {
    const n = (await c.query('count(user_threshold)'))[0]?.value ?? 0;
    if (n === 0) return { status: 'fail', title: 'no user_threshold series in the tenant store: pack alerts cannot fire', details: [] };
    const differs = expected !== undefined && n !== expected;
    return { status: differs ? 'warn' : 'ok', title: `${n} user_threshold series emitted${differs ? ` (the API resolves ${expected}: a write may be pending)` : ''}`, details: [] };
  } catch (e) {
    return { status: 'fail', title: 'user_threshold query failed', details: [errText(e)] };
  }
}

async function rulesCheck(c: HeraldClient): Promise<Check> {
  try {
    const groups = await c.ruleGroups();
    const rules = groups.flatMap((g) => g.rules.map((r) => ({ g, r })));
    const bad = rules.filter(({ r }) => r.health === 'err');
    if (rules.length === 0) return { status: 'warn', title: 'the rules API lists no rules for the tenant (platform packs may be listed elsewhere)', details: [] };
    if (bad.length > 0) return { status: 'fail', title: `${bad.length} of ${rules.length} rule(s) fail to evaluate`, details: bad.map(({ g, r }) => `${g.file}/${g.name}/${r.name}: ${r.lastError ?? 'error'}`) };
    return { status: 'ok', title: `${rules.length} rule(s) in ${groups.length} group(s) evaluating`, details: [] };
  } catch (e) {
    return { status: 'fail', title: 'rules API not reachable', details: [errText(e)] };
  }
}

/** Receiver names of a route tree (`route.receiver` and every child's), in order. */
export function routeReceivers(configYaml: string): string[] {
  const doc = parseDocument(configYaml);
  const out: string[] = [];
  const walk = (route: unknown): void => {
    if (typeof route !== 'object' || route === null) return;
    const r = route as { receiver?: unknown; routes?: unknown };
    if (typeof r.receiver === 'string' && !out.includes(r.receiver)) out.push(r.receiver);
    if (Array.isArray(r.routes)) r.routes.forEach(walk);
  };
  const js: unknown = doc.toJS();
  if (typeof js === 'object' && js !== null) walk((js as { route?: unknown }).route);
  return out;
}

async function routingCheck(c: HeraldClient): Promise<Check> {
  try {
    const [alerts, config] = await Promise.all([c.amAlerts(), c.amConfig().catch(() => undefined)]);
    const details: string[] = [];
    if (config !== undefined) details.push(`route tree receivers: ${routeReceivers(config).join(', ') || 'none'}`);
    const byReceiver = new Map<string, string[]>();
    for (const a of alerts) for (const r of a.receivers) byReceiver.set(r.name, [...(byReceiver.get(r.name) ?? []), a.labels.alertname ?? '?']);
    for (const [r, names] of byReceiver) details.push(`${r} <- ${[...new Set(names)].join(', ')}`);
    if (alerts.length === 0) return { status: 'ok', title: 'no alerts in the tenant Alertmanager right now', details };
    const lost = alerts.filter((a) => a.receivers.length === 0);
    if (lost.length > 0) return { status: 'fail', title: `${lost.length} alert(s) reach no receiver`, details };
    return { status: 'ok', title: `${alerts.length} alert(s) routed to ${byReceiver.size} receiver(s)`, details };
  } catch (e) {
    return { status: 'fail', title: 'Alertmanager API not reachable', details: [errText(e)] };
  }
}

const MARK: Record<Status, string> = { ok: '[ok]  ', warn: '[warn]', fail: '[FAIL]' };

/** Runs every check; resolves with 0 when none failed, 1 otherwise. */
export async function diagnose(c: HeraldClient, packs: readonly PackIndex[], out: Output): Promise<number> {
  out.out(`diagnosing tenant ${c.tenant}`);
  const config = await configCheck(c);
  const checks: Check[] = [config, await seriesCheck(c, packs), await thresholdSeriesCheck(c, config.resolved), await rulesCheck(c), await routingCheck(c)];
  const labels = ['config', 'series', 'thresholds', 'rules', 'routing'];
  checks.forEach((ch, i) => {
    out.out(`${MARK[ch.status]} ${labels[i]}: ${ch.title}`);
    for (const d of ch.details) out.out(`         ${d}`);
  });
  const failed = checks.filter((ch) => ch.status === 'fail').length;
  out.out(failed === 0 ? 'no problems found' : `${failed} check(s) failed`);
  return failed === 0 ? 0 : 1;
}

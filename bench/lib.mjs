// Helpers the benchmark scripts share: free ports, child processes with readiness detection,
// Herald's "Listening on" log line.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../', import.meta.url));

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Spawns a process; `ready` resolves with what isReady returns for the first matching output line. */
export function launch(cmd, args, isReady) {
  const child = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let resolveReady;
  let rejectReady;
  const ready = new Promise((res, rej) => ((resolveReady = res), (rejectReady = rej)));
  const onData = (chunk) => {
    log = (log + chunk).slice(-20000);
    for (const line of String(chunk).split('\n')) {
      const v = isReady(line);
      if (v !== undefined) resolveReady(v);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('exit', (code, sig) => rejectReady(new Error(`${cmd} exited (${code ?? sig}) before ready:\n${log}`)));
  const timer = setTimeout(() => rejectReady(new Error(`${cmd} not ready in 60 s:\n${log}`)), 60000);
  ready.finally(() => clearTimeout(timer)).catch(() => undefined);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10000);
    await gone;
    clearTimeout(t);
  };
  return { child, ready, stop, logs: () => log };
}

/** The port of Herald's JSON "Listening on" log line, or undefined for any other line. */
export function heraldListeningPort(line) {
  if (!line.includes('Listening on')) return undefined;
  try {
    const rec = JSON.parse(line);
    if (rec.msg === 'Listening on' && typeof rec.address === 'string') return Number(rec.address.slice(rec.address.lastIndexOf(':') + 1));
  } catch {
    /* not a JSON line */
  }
  return undefined;
}

/** The middle value (upper middle for an even count); NaN for none. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
};

/** A process' resident set in MiB (Linux /proc). */
export const rssMiB = (pid) => readFile(`/proc/${pid}/status`, 'utf8').then((t) => Number(/VmRSS:\s+(\d+)/.exec(t)?.[1] ?? 0) / 1024);

/**
 * Rule evaluation time per cycle from a Prometheus-style /api/v1/rules: one reading per interval,
 * the sum of the groups' `evaluationTime`. A reading counts once every group has evaluated and at
 * least `minFresh` of them did since the previous reading (on a loaded machine a group may be one
 * slot late; its last evaluationTime is still one cycle's).
 */
export async function ruleCycleTimes(url, { headers = {}, groupsWanted, cycles, intervalS, filter = () => true, minFresh = 1, log = () => undefined }) {
  const perCycle = [];
  let lastSeen = new Map();
  const deadline = Date.now() + (cycles + 4) * intervalS * 1000 + 60000;
  const key = (g) => `${g.file}/${g.name}`;
  while (perCycle.length < cycles && Date.now() < deadline) {
    await sleep(intervalS * 1000);
    const body = await (await fetch(url, { headers })).json();
    const groups = (body.data?.groups ?? []).filter(filter);
    if (groups.length < groupsWanted) {
      log(`  ${groups.length}/${groupsWanted} groups visible at ${url}`);
      continue;
    }
    if (groups.some((g) => g.lastEvaluation.startsWith('0001'))) continue;
    const fresh = groups.filter((g) => g.lastEvaluation !== lastSeen.get(key(g))).length;
    if (fresh < minFresh * groups.length) continue;
    lastSeen = new Map(groups.map((g) => [key(g), g.lastEvaluation]));
    perCycle.push(groups.reduce((s, g) => s + g.evaluationTime, 0));
  }
  return perCycle;
}

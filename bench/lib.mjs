// Helpers the benchmark scripts share: free ports, child processes with readiness detection,
// Herald's "Listening on" log line.
import { spawn } from 'node:child_process';
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

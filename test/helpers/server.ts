/**
 * Starts the server under test as a child process: the built herald (`node bin/herald.js serve`)
 * or, with HERALD_E2E_TARGET=alertmanager, the real Alertmanager 0.25. Both expose the same
 * handle, so a test reads the same against either.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { target, type Target } from './peers.js';

/** Repository root (test/helpers -> ../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HERALD_BIN = join(REPO_ROOT, 'bin', 'herald.js');
const HERALD_MAIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');

export interface StartOptions {
  /** A plain Alertmanager config for the default tenant (herald: --alertmanager.config.file). */
  readonly amConfig?: string;
  /** Herald's own YAML config (--config.file); ignored for Alertmanager. */
  readonly heraldConfig?: string;
  /** Reuse a storage dir (restart after a crash); a fresh mkdtemp dir otherwise. */
  readonly storageDir?: string;
  readonly externalUrl?: string;
  /** Override the target for this server. */
  readonly target?: Target;
  readonly startTimeoutMs?: number;
}

export interface ServerHandle {
  readonly target: Target;
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly storageDir: string;
  /** Everything the process wrote so far (stdout and stderr, interleaved by arrival). */
  logs(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL at once: a crash. */
  kill9(): Promise<void>;
  /** Removes the storage dir (after stop). */
  cleanup(): Promise<void>;
}

/** A TCP port that was free a moment ago (for peers that cannot report a port-0 listener). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const MAX_LOG = 200_000;

/** Spawns `cmd` and collects its output; `onLine` sees every complete stdout/stderr line. */
export function spawnLogged(cmd: string, args: readonly string[], onLine: (line: string) => void, cwd = REPO_ROOT): { child: ChildProcess; logs: () => string } {
  const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let log = '';
  const feed = (stream: NodeJS.ReadableStream | null): void => {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      log += chunk;
      if (log.length > MAX_LOG) log = log.slice(log.length - MAX_LOG);
      partial += chunk;
      let i: number;
      while ((i = partial.indexOf('\n')) >= 0) {
        onLine(partial.slice(0, i));
        partial = partial.slice(i + 1);
      }
    });
  };
  feed(child.stdout);
  feed(child.stderr);
  return { child, logs: () => log };
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

/** Parses herald's pino line `{"msg":"Listening on","address":"127.0.0.1:PORT"}`. */
export function parseHeraldListening(line: string): number | undefined {
  if (!line.includes('Listening on')) return undefined;
  try {
    const rec = JSON.parse(line) as { msg?: unknown; address?: unknown };
    if (rec.msg !== 'Listening on' || typeof rec.address !== 'string') return undefined;
    const port = Number(rec.address.slice(rec.address.lastIndexOf(':') + 1));
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/** Starts herald or Alertmanager and waits until it listens. */
export async function startServer(opts: StartOptions = {}): Promise<ServerHandle> {
  const tgt = opts.target ?? target();
  const storageDir = opts.storageDir ?? (await mkdtemp(join(tmpdir(), `herald-e2e-${tgt}-`)));
  const args: string[] = [];
  let cmd: string;
  let fixedPort = 0;
  if (tgt === 'herald') {
    if (!existsSync(HERALD_MAIN)) throw new Error(`${HERALD_MAIN} is missing: run \`npm run build\` before the end-to-end tests`);
    cmd = process.execPath;
    args.push(HERALD_BIN, 'serve', '--web.listen-address', '127.0.0.1:0', '--storage.path', storageDir);
    if (opts.heraldConfig !== undefined) {
      const f = join(storageDir, 'herald.yml');
      await writeFile(f, opts.heraldConfig);
      args.push('--config.file', f);
    }
    if (opts.amConfig !== undefined) {
      const f = join(storageDir, 'alertmanager.yml');
      await writeFile(f, opts.amConfig);
      args.push('--alertmanager.config.file', f);
    }
  } else {
    cmd = 'prometheus-alertmanager';
    fixedPort = await freePort();
    const f = join(storageDir, 'alertmanager.yml');
    await writeFile(f, opts.amConfig ?? 'route:\n  receiver: blackhole\nreceivers:\n- name: blackhole\n');
    args.push('--config.file', f, '--storage.path', storageDir, '--web.listen-address', `127.0.0.1:${fixedPort}`, '--cluster.listen-address=');
  }
  if (opts.externalUrl !== undefined) args.push('--web.external-url', opts.externalUrl);

  let onPort: (p: number) => void = () => undefined;
  const portSeen = new Promise<number>((resolve) => (onPort = resolve));
  const { child, logs } = spawnLogged(cmd, args, (line) => {
    if (tgt === 'herald') {
      const p = parseHeraldListening(line);
      if (p !== undefined) onPort(p);
    } else if (line.includes('msg="Listening on"')) {
      onPort(fixedPort);
    }
  });
  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const port = await Promise.race([
    portSeen,
    exited(child).then(() => {
      throw new Error(`${tgt} exited (code ${child.exitCode}, signal ${child.signalCode}) before listening:\n${logs()}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${tgt} did not log "Listening on" within ${timeoutMs} ms:\n${logs()}`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  const pid = child.pid ?? 0;
  return {
    target: tgt,
    url: `http://127.0.0.1:${port}`,
    port,
    pid,
    storageDir,
    logs,
    stop: () => terminate(child, 10_000),
    kill9: async () => {
      const gone = exited(child);
      child.kill('SIGKILL');
      await gone;
    },
    cleanup: () => rm(storageDir, { recursive: true, force: true }),
  };
}

/** Prints a server's logs when the current test failed (use in afterEach with the test context). */
export function dumpLogsIfFailed(ctx: { task: { name: string; result?: { state?: string } } }, ...servers: ReadonlyArray<{ logs(): string; target?: string } | undefined>): void {
  if (ctx.task.result?.state !== 'fail') return;
  for (const s of servers) {
    if (s) console.error(`----- ${s.target ?? 'process'} logs for failed test "${ctx.task.name}" -----\n${s.logs().slice(-20_000)}`);
  }
}

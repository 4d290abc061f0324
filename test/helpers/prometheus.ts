/** Starts the real Prometheus 2.42 with a given config, in a temp TSDB dir. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, freePort, spawnLogged } from './server.js';

export interface PrometheusHandle {
  readonly url: string;
  readonly dir: string;
  logs(): string;
  stop(): Promise<void>;
}

/** Writes `prometheus.yml` (+ rule files) and waits for "Server is ready to receive web requests." */
export async function startPrometheus(config: string, ruleFiles: Record<string, string>, extraArgs: readonly string[] = []): Promise<PrometheusHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-e2e-prometheus-'));
  for (const [name, text] of Object.entries(ruleFiles)) await writeFile(join(dir, name), text);
  const cfg = join(dir, 'prometheus.yml');
  await writeFile(cfg, config);
  const port = await freePort();
  let ready: () => void = () => undefined;
  const readySeen = new Promise<void>((resolve) => (ready = resolve));
  const { child, logs } = spawnLogged(
    'prometheus',
    ['--config.file', cfg, '--storage.tsdb.path', join(dir, 'tsdb'), '--web.listen-address', `127.0.0.1:${port}`, ...extraArgs],
    (line) => {
      if (line.includes('Server is ready to receive web requests')) ready();
    },
    dir,
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    readySeen,
    exited(child).then(() => {
      throw new Error(`prometheus exited before ready:\n${logs()}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`prometheus not ready in 30 s:\n${logs()}`)), 30_000);
    }),
  ]).finally(() => clearTimeout(timer));
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    logs,
    stop: async () => {
      const gone = exited(child);
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(t);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `herald serve`: builds the app from flags, runs until SIGTERM/SIGINT, then stops gracefully. */
import { ConfigFileError, createApp } from '../app.js';
import type { AppOptions } from '../app.js';
import { UsageError } from './args.js';
import type { Output } from './output.js';

export const SERVE_FLAGS = ['config.file', 'storage.path', 'web.listen-address', 'web.external-url', 'alertmanager.config.file', 'log.level'];
const LEVELS = ['debug', 'info', 'warn', 'error'];

/** AppOptions from the serve flags; a bad value is a UsageError. */
export function serveOptions(flags: ReadonlyMap<string, string>): AppOptions {
  const level = flags.get('log.level') ?? 'info';
  if (!LEVELS.includes(level)) throw new UsageError(`--log.level must be one of ${LEVELS.join(', ')}, got '${level}'`);
  const o: Record<string, string> = { logLevel: level };
  const map: [string, keyof AppOptions][] = [
    ['config.file', 'configFile'],
    ['storage.path', 'storagePath'],
    ['web.listen-address', 'listenAddress'],
    ['web.external-url', 'externalURL'],
    ['alertmanager.config.file', 'alertmanagerConfigFile'],
  ];
  for (const [flag, key] of map) {
    const v = flags.get(flag);
    if (v !== undefined) o[key] = v;
  }
  return o;
}

/** Runs the server; resolves with the exit code once stopped. */
export async function serve(flags: ReadonlyMap<string, string>, out: Output): Promise<number> {
  const opts = serveOptions(flags);
  let app;
  try {
    app = await createApp(opts);
    await app.start();
  } catch (e) {
    if (e instanceof ConfigFileError) {
      for (const l of e.lines) out.err(l);
      await app?.stop().catch(() => undefined);
      return 1;
    }
    out.err(`herald: ${e instanceof Error ? e.message : String(e)}`);
    await app?.stop().catch(() => undefined);
    return 1;
  }
  const running = app;
  await new Promise<void>((resolve) => {
    const onSignal = (): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await running.stop();
  return 0;
}

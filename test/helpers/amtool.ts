/** Runs the real `amtool` (Alertmanager 0.25's CLI) against a server. */
import { execFile } from 'node:child_process';

export interface AmtoolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `amtool --alertmanager.url URL ...args`; never throws on a non-zero exit (the test asserts it). */
export function amtool(url: string, args: readonly string[], timeoutMs = 20_000): Promise<AmtoolResult> {
  return new Promise((resolve) => {
    // HOME points nowhere so a developer's ~/.config/amtool/config.yml cannot change the output.
    const env = { ...process.env, HOME: '/nonexistent' };
    execFile('amtool', ['--alertmanager.url', url, ...args], { timeout: timeoutMs, env }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Fails with amtool's output when it exited non-zero; returns stdout. */
export async function amtoolOk(url: string, args: readonly string[]): Promise<string> {
  const r = await amtool(url, args);
  if (r.code !== 0) throw new Error(`amtool ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

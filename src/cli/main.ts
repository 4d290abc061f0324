/**
 * The `herald` command: `serve` (Alertmanager's flag names), `check-config`, `--help`, `--version`.
 * Exit codes: 0 success, 1 failure, 2 usage error.
 */
import { VERSION } from '../version.js';
import { parseArgs, UsageError } from './args.js';
import { checkConfig } from './check-config.js';
import { CONSOLE_OUTPUT } from './output.js';
import type { Output } from './output.js';
import { serve, SERVE_FLAGS } from './serve.js';

export const USAGE = `usage: herald <command> [<flags>] [<args>...]

Multi-tenant Alertmanager-compatible alerting.

Commands:
  serve [<flags>]             Run the server (default port 9093).
  check-config <file>...      Validate Alertmanager configuration files.

Flags for serve:
  --config.file=FILE            Herald's own YAML configuration file.
  --storage.path=DIR            Directory for state (herald.db). Default: ./data
  --web.listen-address=ADDR     Address to listen on. Default: 0.0.0.0:9093
  --web.external-url=URL        URL under which Herald is reached from outside.
  --alertmanager.config.file=FILE
                                A plain Alertmanager config for tenant "anonymous" (drop-in mode).
  --log.level=LEVEL             debug, info, warn or error. Default: info

Global flags:
  -h, --help                    Show this help.
  --version                     Show the version.
`;

/** Runs the command line; resolves with the process exit code. */
export async function main(argv: readonly string[], out: Output = CONSOLE_OUTPUT): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    out.out(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version') {
    out.out(`herald, version ${VERSION} (node ${process.version})`);
    return 0;
  }
  try {
    switch (cmd) {
      case 'serve': {
        const args = parseArgs(rest, SERVE_FLAGS, ['help']);
        if (args.flags.has('help')) {
          out.out(USAGE);
          return 0;
        }
        if (args.positional.length > 0) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
        return await serve(args.flags, out);
      }
      case 'check-config': {
        const args = parseArgs(rest, [], ['help']);
        if (args.flags.has('help')) {
          out.out(USAGE);
          return 0;
        }
        if (args.positional.length === 0) throw new UsageError('check-config needs at least one file');
        return checkConfig(args.positional, out);
      }
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      out.err(`herald: error: ${e.message}, try --help`);
      return 2;
    }
    throw e;
  }
}

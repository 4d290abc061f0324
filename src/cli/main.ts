/**
 * The `herald` command: `serve` (Alertmanager's flag names), `check-config`, `rules check`,
 * `tenant ...` (threshold tools), `--help`, `--version`. Exit codes: 0 success, 1 failure, 2 usage error (`rules check`: 3 for lint
 * problems with --lint-fatal, as promtool).
 */
import { VERSION } from '../version.js';
import { parseArgs, UsageError } from './args.js';
import { runAuth } from './auth.js';
import { checkConfig } from './check-config.js';
import { runKube } from './kube.js';
import { CONSOLE_OUTPUT } from './output.js';
import { runRulesTest } from './rules-test.js';
import { RULES_CHECK_BOOLEANS, RULES_CHECK_FLAGS, rulesCheck, rulesCheckOptions } from './rules-check.js';
import type { Output } from './output.js';
import { serve, SERVE_FLAGS } from './serve.js';
import { runTenant } from './tenant/index.js';

export const USAGE = `usage: herald <command> [<flags>] [<args>...]

Multi-tenant Alertmanager-compatible alerting.

Commands:
  serve [<flags>]             Run the server (default port 9093).
  check-config <file>...      Validate Alertmanager configuration files.
  rules check <file>...       Validate Prometheus rule files (as promtool check rules).
  rules test <file>...        Run Prometheus rule unit tests (as promtool test rules).
  tenant <sub-command>        Threshold tools: scaffold, migrate, check-alert, diagnose, patch
                              (herald tenant --help).
  auth hash-password          Read a password from stdin, print its scrypt hash (auth.users).
  auth hash-token             Print a new bearer token and its sha256 (auth.tokens).
  kube render --dir=DIR --tenant=ID [--config=FILE] [--base=FILE]
                              Print a tenant's rule groups and Alertmanager config from a
                              directory of Kubernetes manifests (CI dry run; herald kube --help).

Flags for serve:
  --config.file=FILE            Herald's own YAML configuration file.
  --storage.path=DIR            Directory for state (herald.db). Default: ./data
  --web.listen-address=ADDR     Address to listen on. Default: 0.0.0.0:9093
  --web.external-url=URL        URL under which Herald is reached from outside.
  --alertmanager.config.file=FILE
                                A plain Alertmanager config for tenant "anonymous" (drop-in mode).
  --log.level=LEVEL             debug, info, warn or error. Default: info

Flags for rules check:
  --lint=duplicate-rules        Lint checks: all, duplicate-rules or none. Default: duplicate-rules
  --lint-fatal                  Exit with code 3 on lint problems.
  --ignore-unknown-fields       Ignore unknown fields in rule files.

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
      case 'rules': {
        const [sub, ...files] = rest;
        if (sub === '--help' || sub === '-h') {
          out.out(USAGE);
          return 0;
        }
        if (sub === 'test') {
          const args = parseArgs(files, [], ['help']);
          if (args.flags.has('help')) {
            out.out(USAGE);
            return 0;
          }
          if (args.positional.length === 0) throw new UsageError('rules test needs at least one file');
          return await runRulesTest(args.positional, out);
        }
        if (sub !== 'check') throw new UsageError(sub === undefined ? 'rules needs a sub-command: check, test' : `unknown rules sub-command '${sub}'`);
        const args = parseArgs(files, RULES_CHECK_FLAGS, RULES_CHECK_BOOLEANS);
        if (args.flags.has('help')) {
          out.out(USAGE);
          return 0;
        }
        if (args.positional.length === 0) throw new UsageError('rules check needs at least one file');
        return rulesCheck(args.positional, out, rulesCheckOptions(args.flags));
      }
      case 'tenant':
        return await runTenant(rest, out);
      case 'auth':
        return await runAuth(rest, out);
      case 'kube':
        return await runKube(rest, out);
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

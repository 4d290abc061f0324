/**
 * `herald tenant <sub-command>`: the tenant tools of dynamic thresholds (issue 7): scaffold,
 * migrate, check-alert, diagnose, patch. Parses flags, wires files, terminal and HTTP, and maps
 * problems to exit codes: 0 success, 1 a problem found or refused, 2 usage error.
 */
import { createInterface } from 'node:readline/promises';
import { FETCH_HTTP_CLIENT } from '../../net/fetch-client.js';
import type { HttpClient } from '../../core/runtime.js';
import { parseArgs, UsageError } from '../args.js';
import type { ParsedArgs } from '../args.js';
import type { Output } from '../output.js';
import { checkAlert } from './check-alert.js';
import { CREDENTIAL_FLAGS, resolveCredentials } from './credentials.js';
import type { HeraldCredentials } from './credentials.js';
import { diagnose } from './diagnose.js';
import { HeraldApiError, HeraldClient } from './herald-client.js';
import { loadPacks, LocalConfigError } from './local-config.js';
import { migrateCommand } from './migrate-cmd.js';
import { parseAssignment, patchTenant } from './patch.js';
import { parseReceiver } from './receivers.js';
import { scaffold } from './scaffold.js';
import type { Prompt } from './scaffold.js';

export const TENANT_USAGE = `usage: herald tenant <sub-command> [<flags>] [<args>...]

Tools for tenants' dynamic thresholds (conf.d/<tenant>.yaml and the thresholds API).

Sub-commands:
  scaffold [--dir conf.d] [--tenant T] [--pack P]... [--set key=value]... [--receiver R]...
           [--am-out FILE] [--packs-dir rule-packs] [--force] [--non-interactive]
      Write conf.d/<tenant>.yaml. On a terminal it asks for the tenant, the packs, each pack's
      thresholds (Enter keeps the platform default, "disable" turns an alert off) and the receivers
      (webhook=URL, email=ADDR, slack=URL); the flags answer the same questions. The file is
      validated against conf.d/_defaults.yaml before it is written. The receivers become a
      Mimir-format Alertmanager config, printed or written to --am-out.
  migrate LEGACY_RULES.yml [--defaults conf.d/_defaults.yaml] [--tenant-label namespace]
          [--packs-dir rule-packs] [--out DIR] [--shadow URL [<credentials>]]
      Turn per-tenant legacy alerts (metric{namespace="a"} > 80) into threshold documents, proposed
      _defaults.yaml additions and pack rules for metrics no pack covers. Lists every rule not
      converted and why. --shadow evaluates legacy and pack conditions side by side in a running
      Herald and reports disagreements. Exit 1 when a rule was refused or a tenant disagrees.
  check-alert TENANT [ALERT] --url URL [<credentials>] [--packs-dir rule-packs]
      Is ALERT pending or firing for TENANT, and if not, why (no series, threshold disabled or
      missing, maintenance on, critical tier instead, value under threshold)? Without ALERT: the
      tenant's active alerts. Exit 0 when firing or pending, 1 otherwise.
  diagnose TENANT --url URL [<credentials>] [--packs-dir rule-packs]
      Check each link: threshold document valid, pack series present, user_threshold emitted,
      rules evaluating, alerts routed to receivers. Exit 1 when a check fails.
  patch TENANT key=value... [--dir conf.d | --url URL [<credentials>]]
      Change keys (key= removes one) in conf.d/<tenant>.yaml keeping comments and order, written
      only when the result is valid; or PATCH the thresholds API document with --url.

Credentials, for a Herald with auth.mode: required (never printed):
  --token TOKEN                  a bearer token (env HERALD_TOKEN)
  --username USER --password PW  a user, sent as Basic auth (env HERALD_USERNAME, HERALD_PASSWORD;
                                 prefer the environment for the password: flags show in ps)
`;

/** What the sub-commands need from the outside; tests replace them. */
export interface TenantDeps {
  readonly http: HttpClient;
  /** Where HERALD_TOKEN, HERALD_USERNAME and HERALD_PASSWORD are read; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A prompt when stdin is a terminal; undefined otherwise. */
  readonly prompt?: Prompt;
}

const BOOLEANS = ['help', 'non-interactive', 'force'];

function parseMulti(argv: readonly string[], known: readonly string[], multi: readonly string[]): { args: ParsedArgs; lists: Map<string, string[]> } {
  const lists = new Map<string, string[]>(multi.map((m) => [m, []]));
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const name = a.startsWith('--') ? a.slice(2).split('=')[0] ?? '' : '';
    if (multi.includes(name)) {
      const eq = a.indexOf('=');
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(`expected argument for flag '--${name}'`);
      lists.get(name)?.push(v);
    } else rest.push(a);
  }
  return { args: parseArgs(rest, known, BOOLEANS), lists };
}

function requireUrl(args: ParsedArgs, sub: string): string {
  const url = args.flags.get('url');
  if (url === undefined) throw new UsageError(`${sub} needs --url of a running Herald`);
  return url;
}

/**
 * Clients for `url`, one per tenant, with the credentials of the flags or the environment (read
 * now, so a credential mistake is a usage error before any work).
 */
function clients(deps: TenantDeps, args: ParsedArgs, url: string): (tenant: string) => HeraldClient {
  const credentials: HeraldCredentials | undefined = resolveCredentials(args.flags, deps.env ?? process.env);
  return (tenant) => new HeraldClient(deps.http, url, tenant, credentials ? { credentials } : {});
}

/** Credential flags only make sense with a Herald to talk to. */
function noCredentialFlags(args: ParsedArgs, why: string): void {
  const given = CREDENTIAL_FLAGS.find((f) => args.flags.has(f));
  if (given !== undefined) throw new UsageError(`--${given} is for talking to a running Herald (${why})`);
}

async function dispatch(sub: string, argv: readonly string[], out: Output, deps: TenantDeps): Promise<number> {
  switch (sub) {
    case 'scaffold': {
      const { args, lists } = parseMulti(argv, ['dir', 'tenant', 'am-out', 'packs-dir'], ['pack', 'set', 'receiver']);
      if (args.flags.has('help')) return help(out);
      if (args.positional.length > 0) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
      const tenant = args.flags.get('tenant');
      const amOut = args.flags.get('am-out');
      const interactive = args.flags.get('non-interactive') !== 'true' && deps.prompt !== undefined;
      return scaffold(
        {
          dir: args.flags.get('dir') ?? 'conf.d',
          packsDir: args.flags.get('packs-dir') ?? 'rule-packs',
          packs: lists.get('pack') ?? [],
          sets: (lists.get('set') ?? []).map(parseAssignment),
          receivers: (lists.get('receiver') ?? []).map(parseReceiver),
          force: args.flags.get('force') === 'true',
          ...(tenant !== undefined ? { tenant } : {}),
          ...(amOut !== undefined ? { amOut } : {}),
          ...(interactive && deps.prompt ? { prompt: deps.prompt } : {}),
        },
        out,
      );
    }
    case 'migrate': {
      const args = parseArgs(argv, ['defaults', 'tenant-label', 'packs-dir', 'out', 'shadow', ...CREDENTIAL_FLAGS], BOOLEANS);
      if (args.flags.has('help')) return help(out);
      const [file, extra] = args.positional;
      if (file === undefined) throw new UsageError('migrate needs a legacy rule file');
      if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
      const shadow = args.flags.get('shadow');
      const defaultsFile = args.flags.get('defaults');
      const outDir = args.flags.get('out');
      if (shadow === undefined) noCredentialFlags(args, 'with --shadow URL');
      const shadowClient = shadow !== undefined ? clients(deps, args, shadow) : undefined;
      return migrateCommand(
        {
          file,
          tenantLabel: args.flags.get('tenant-label') ?? 'namespace',
          packsDir: args.flags.get('packs-dir') ?? 'rule-packs',
          ...(defaultsFile !== undefined ? { defaultsFile } : {}),
          ...(outDir !== undefined ? { outDir } : {}),
          ...(shadowClient !== undefined ? { shadow: shadowClient } : {}),
        },
        out,
      );
    }
    case 'check-alert': {
      const args = parseArgs(argv, ['url', 'packs-dir', ...CREDENTIAL_FLAGS], BOOLEANS);
      if (args.flags.has('help')) return help(out);
      const [tenant, alert, extra] = args.positional;
      if (tenant === undefined) throw new UsageError('check-alert needs a tenant');
      if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
      const c = clients(deps, args, requireUrl(args, 'check-alert'))(tenant);
      return checkAlert({ client: c, packs: loadPacks(args.flags.get('packs-dir') ?? 'rule-packs'), ...(alert !== undefined ? { alert } : {}) }, out);
    }
    case 'diagnose': {
      const args = parseArgs(argv, ['url', 'packs-dir', ...CREDENTIAL_FLAGS], BOOLEANS);
      if (args.flags.has('help')) return help(out);
      const [tenant, extra] = args.positional;
      if (tenant === undefined) throw new UsageError('diagnose needs a tenant');
      if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
      return diagnose(clients(deps, args, requireUrl(args, 'diagnose'))(tenant), loadPacks(args.flags.get('packs-dir') ?? 'rule-packs'), out);
    }
    case 'patch': {
      const args = parseArgs(argv, ['dir', 'url', ...CREDENTIAL_FLAGS], BOOLEANS);
      if (args.flags.has('help')) return help(out);
      const [tenant, ...assignments] = args.positional;
      if (tenant === undefined) throw new UsageError('patch needs a tenant');
      const url = args.flags.get('url');
      const dir = args.flags.get('dir');
      if (url !== undefined && dir !== undefined) throw new UsageError('patch takes --dir or --url, not both');
      if (url === undefined) noCredentialFlags(args, 'patch --url URL');
      return patchTenant({ tenant, changes: assignments.map(parseAssignment), ...(dir !== undefined ? { dir } : {}), ...(url !== undefined ? { client: clients(deps, args, url)(tenant) } : {}) }, out);
    }
    default:
      throw new UsageError(`unknown tenant sub-command '${sub}'`);
  }
}

function help(out: Output): number {
  out.out(TENANT_USAGE);
  return 0;
}

/**
 * Runs `herald tenant ...` (argv after `tenant`). UsageErrors propagate to main(); file and API
 * problems are printed here and exit 1.
 */
export async function runTenant(argv: readonly string[], out: Output, deps?: TenantDeps): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) throw new UsageError('tenant needs a sub-command: scaffold, migrate, check-alert, diagnose, patch');
  if (sub === '--help' || sub === '-h' || sub === 'help') return help(out);
  let close: (() => void) | undefined;
  let d = deps;
  if (!d) {
    let prompt: Prompt | undefined;
    if (sub === 'scaffold' && process.stdin.isTTY) {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      prompt = (q) => rl.question(q);
      close = () => rl.close();
    }
    d = { http: FETCH_HTTP_CLIENT, ...(prompt ? { prompt } : {}) };
  }
  try {
    return await dispatch(sub, rest, out, d);
  } catch (e) {
    if (e instanceof LocalConfigError) {
      for (const l of e.lines) out.err(l);
      return 1;
    }
    if (e instanceof HeraldApiError) {
      out.err(`herald: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    close?.();
  }
}

/**
 * Flag parsing in the style of Alertmanager's kingpin flags: `--flag=value` and `--flag value`,
 * boolean flags without a value, positional arguments kept in order.
 */

/** A command-line mistake; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  readonly flags: Map<string, string>;
  readonly positional: string[];
}

/**
 * Parses `argv` against the known flag names; `booleans` take no value.
 * Unknown flags and missing values are UsageErrors.
 */
export function parseArgs(argv: readonly string[], known: readonly string[], booleans: readonly string[] = []): ParsedArgs {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown short flag '${a}'`);
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (booleans.includes(name)) {
      flags.set(name, eq >= 0 ? a.slice(eq + 1) : 'true');
      continue;
    }
    if (!known.includes(name)) throw new UsageError(`unknown long flag '--${name}'`);
    if (eq >= 0) flags.set(name, a.slice(eq + 1));
    else {
      const v = argv[i + 1];
      if (v === undefined) throw new UsageError(`expected argument for flag '--${name}'`);
      flags.set(name, v);
      i++;
    }
  }
  return { flags, positional };
}

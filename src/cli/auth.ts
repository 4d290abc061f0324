/**
 * `herald auth hash-password` (reads the password from stdin, prints the scrypt string for
 * `auth.users[].password_hash`) and `herald auth hash-token` (prints a new random token and the
 * sha256 that goes into `auth.tokens[].token_sha256`; only the digest is ever stored).
 */
import { hashPassword, newToken, sha256Hex } from '../auth/index.js';
import { UsageError } from './args.js';
import type { Output } from './output.js';

export const AUTH_USAGE = `usage: herald auth <sub-command>

  hash-password     Read a password from stdin, print its scrypt hash for auth.users[].password_hash.
                    echo -n 'secret' | herald auth hash-password
  hash-token        Print a new random bearer token and its sha256 for auth.tokens[].token_sha256.
`;

/** Longest password read from stdin (a guard against piping a file by mistake). */
const MAX_PASSWORD_LENGTH = 1024;

/** Runs `herald auth ...`; resolves with the exit code. Throws UsageError for bad arguments. */
export async function runAuth(args: readonly string[], out: Output, readStdin: () => Promise<string> = readProcessStdin): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h')) {
    out.out(AUTH_USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  switch (sub) {
    case 'hash-password': {
      // One trailing newline is the terminal's or echo's, not the password's.
      const password = (await readStdin()).replace(/\r?\n$/, '');
      if (password === '') {
        out.err('herald auth hash-password: empty password on stdin');
        return 1;
      }
      if (password.length > MAX_PASSWORD_LENGTH) {
        out.err(`herald auth hash-password: password longer than ${MAX_PASSWORD_LENGTH} characters`);
        return 1;
      }
      out.out(await hashPassword(password));
      return 0;
    }
    case 'hash-token': {
      const token = newToken();
      out.out(`token: ${token}`);
      out.out(`token_sha256: ${sha256Hex(token)}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown auth sub-command '${sub}'`);
  }
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > 64 * 1024) break;
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

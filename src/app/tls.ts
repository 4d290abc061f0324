/**
 * HTTPS for Herald's listener (`web.tls` in Herald's config): the key pair read at start, and read
 * again when either file changes, so a certificate renewed on disk (cert-manager, a mounted
 * Secret) is served without a restart. A renewed pair that does not load is logged and the
 * running one is kept.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { Logger } from '../core/runtime.js';
import type { WebTlsConfig } from '../tenancy/herald-config.js';
import { ConfigFileError } from './operator-config.js';

export interface KeyPair {
  readonly key: Buffer;
  readonly cert: Buffer;
}

/** How often the files are checked for a change. */
export const TLS_RELOAD_CHECK_MS = 60_000;

/** Reads and checks the pair; throws ConfigFileError naming the file and what is wrong. */
export function readKeyPair(tls: WebTlsConfig): KeyPair {
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new ConfigFileError([`web.tls.${what}: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`]);
    }
  };
  const pair = { key: read(tls.keyFile, 'key_file'), cert: read(tls.certFile, 'cert_file') };
  try {
    createSecureContext(pair);
  } catch (e) {
    throw new ConfigFileError([`web.tls: ${tls.certFile} and ${tls.keyFile} are not a usable certificate and key: ${e instanceof Error ? e.message : String(e)}`]);
  }
  return pair;
}

function mtimes(tls: WebTlsConfig): string {
  try {
    return `${statSync(tls.certFile).mtimeMs}/${statSync(tls.keyFile).mtimeMs}`;
  } catch {
    return '';
  }
}

/** Re-reads the pair into `server` whenever a file's modification time changes; returns the stopper. */
export function watchKeyPair(server: Server, tls: WebTlsConfig, logger: Logger, everyMs = TLS_RELOAD_CHECK_MS): () => void {
  let seen = mtimes(tls);
  const timer = setInterval(() => {
    const now = mtimes(tls);
    if (now === seen || now === '') return;
    seen = now;
    try {
      const pair = readKeyPair(tls);
      server.setSecureContext(pair);
      logger.info({ cert_file: tls.certFile }, 'Reloaded the TLS certificate');
    } catch (e) {
      logger.error({ err: e instanceof ConfigFileError ? e.lines.join('; ') : String(e) }, 'TLS certificate changed but does not load; serving the previous one');
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

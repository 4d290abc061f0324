/**
 * Serves the built UI (web/dist, vite's output): `GET /` answers index.html, `GET /assets/<file>`
 * the hashed bundles with a long cache. Only plain file names directly inside assets/ are served,
 * so no request reaches another file. While the UI is not built (no index.html), `GET /` answers
 * the plain-text page it answered before, so nothing that reads it breaks.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyPluginCallback, FastifyReply } from 'fastify';
import { sendTextError } from '../errors.js';

/** The repository's web/dist, from src/server/ui-static or dist/server/ui-static alike. */
export const DEFAULT_UI_DIRECTORY = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export interface UiStaticOptions {
  /** Directory holding index.html and assets/. */
  readonly directory: string;
  /** The text GET / answers while the directory has no index.html. */
  fallbackPage(): string;
  /** Reads a whole file (default: node:fs/promises); rejects with an errno code when absent. */
  readonly readFile?: (path: string) => Promise<Buffer>;
}

/** Content types of what vite emits; other extensions are not served. */
const CONTENT_TYPES: ReadonlyMap<string, string> = new Map([
  ['js', 'text/javascript; charset=utf-8'],
  ['mjs', 'text/javascript; charset=utf-8'],
  ['css', 'text/css; charset=utf-8'],
  ['map', 'application/json; charset=utf-8'],
  ['json', 'application/json; charset=utf-8'],
  ['svg', 'image/svg+xml'],
  ['png', 'image/png'],
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['gif', 'image/gif'],
  ['webp', 'image/webp'],
  ['ico', 'image/x-icon'],
  ['woff', 'font/woff'],
  ['woff2', 'font/woff2'],
  ['txt', 'text/plain; charset=utf-8'],
]);

/** A plain file name: no separator, no leading dot (so never `.` or `..`). */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Asset file names carry a content hash: cache them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The content type an asset is served with, or undefined when the name is not servable. */
export function assetContentType(name: string): string | undefined {
  if (!ASSET_NAME.test(name)) return undefined;
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : CONTENT_TYPES.get(name.slice(dot + 1).toLowerCase());
}

const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

function isAbsent(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ABSENT.has(code);
}

function notFound(reply: FastifyReply): FastifyReply {
  return sendTextError(reply, 404, '404 page not found');
}

/** Fastify plugin for `/` and `/assets/*`. */
export function uiStaticRoutes(o: UiStaticOptions) {
  const read = o.readFile ?? ((p: string) => readFile(p));
  const plugin: FastifyPluginCallback = (app: FastifyInstance, _opts, done) => {
    app.addHook('onSend', (_req, reply, payload, next) => {
      reply.header('x-content-type-options', 'nosniff');
      next(null, payload);
    });

    app.get('/', async (_req, reply) => {
      let html: Buffer;
      try {
        html = await read(join(o.directory, 'index.html'));
      } catch (e) {
        if (!isAbsent(e)) throw e;
        return reply.code(200).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-cache').send(o.fallbackPage());
      }
      // Always revalidated: it names the current hashed assets.
      return reply.code(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
    });

    app.get('/assets/*', async (req, reply) => {
      const name = (req.params as Record<string, string | undefined>)['*'] ?? '';
      const type = assetContentType(name);
      if (type === undefined) return notFound(reply);
      let body: Buffer;
      try {
        body = await read(join(o.directory, 'assets', name));
      } catch (e) {
        if (!isAbsent(e)) throw e;
        return notFound(reply);
      }
      return reply.code(200).header('content-type', type).header('cache-control', IMMUTABLE).send(body);
    });
    done();
  };
  return plugin;
}

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assetContentType, DEFAULT_UI_DIRECTORY, uiStaticRoutes } from './static.js';

let root: string;
let built: string;
let app: FastifyInstance | undefined;

const INDEX = '<!doctype html><script type="module" src="./assets/index-abc123.js"></script>';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'herald-ui-static-'));
  built = join(root, 'dist');
  await mkdir(join(built, 'assets', 'sub'), { recursive: true });
  await writeFile(join(root, 'package.json'), '{"secret":true}');
  await writeFile(join(built, 'secret.txt'), 'outside assets');
  await writeFile(join(built, 'index.html'), INDEX);
  await writeFile(join(built, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(built, 'assets', 'index-abc123.css'), 'body{}');
  await writeFile(join(built, 'assets', 'index-abc123.js.map'), '{"version":3}');
  await writeFile(join(built, 'assets', 'logo-1.svg'), '<svg/>');
  await writeFile(join(built, 'assets', 'logo-1.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await writeFile(join(built, 'assets', 'font-1.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  await writeFile(join(built, 'assets', 'run.exe'), 'MZ');
  await writeFile(join(built, 'assets', '.hidden.js'), 'hidden');
  await writeFile(join(built, 'assets', 'sub', 'deep.js'), 'deep');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The plugin on an instance with the server's router options; `reads` records every file read. */
async function serve(directory: string): Promise<{ app: FastifyInstance; reads: string[] }> {
  const reads: string[] = [];
  const { readFile } = await import('node:fs/promises');
  const a = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
  await a.register(uiStaticRoutes({ directory, fallbackPage: () => 'Herald 0.1.0 (placeholder)\n', readFile: (p) => (reads.push(p), readFile(p)) }));
  app = a;
  return { app: a, reads };
}

describe('GET /', () => {
  it('answers index.html, never cached without revalidation', async () => {
    const { app: a } = await serve(built);
    const r = await a.inject({ url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.body).toBe(INDEX);
  });

  it('HEAD answers the same headers without a body', async () => {
    const { app: a } = await serve(built);
    const r = await a.inject({ method: 'HEAD', url: '/' });
    expect([r.statusCode, r.headers['content-type'], r.body]).toEqual([200, 'text/html; charset=utf-8', '']);
  });

  it('falls back to the plain-text page while the UI is not built', async () => {
    const { app: a } = await serve(join(root, 'not-built'));
    const r = await a.inject({ url: '/' });
    expect([r.statusCode, r.headers['content-type'], r.body]).toEqual([200, 'text/plain; charset=utf-8', 'Herald 0.1.0 (placeholder)\n']);
    expect((await a.inject({ url: '/assets/index-abc123.js' })).statusCode).toBe(404);
  });
});

describe('GET /assets/<file>', () => {
  it.each([
    ['index-abc123.js', 'text/javascript; charset=utf-8'],
    ['index-abc123.css', 'text/css; charset=utf-8'],
    ['index-abc123.js.map', 'application/json; charset=utf-8'],
    ['logo-1.svg', 'image/svg+xml'],
    ['logo-1.png', 'image/png'],
    ['font-1.woff2', 'font/woff2'],
  ])('%s as %s with a long cache', async (name, type) => {
    const { app: a } = await serve(built);
    const r = await a.inject({ url: `/assets/${name}` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe(type);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.rawPayload.length).toBeGreaterThan(0);
  });

  it.each(['/assets/..', '/assets/%2e%2e'])('%s is the parent path, / (as a browser resolves it)', async (url) => {
    const { app: a, reads } = await serve(built);
    const r = await a.inject({ url });
    expect([r.statusCode, r.body]).toEqual([200, INDEX]);
    expect(reads).toEqual([join(built, 'index.html')]);
  });

  it('an absent asset is 404', async () => {
    const { app: a } = await serve(built);
    expect((await a.inject({ url: '/assets/index-nothere.js' })).statusCode).toBe(404);
  });

  it.each([
    '/assets/..%2f..%2fpackage.json',
    '/assets/..%2fsecret.txt',
    '/assets/%2e%2e/x',
    '/assets/%2e%2e%2fsecret.txt',
    '/assets/../secret.txt',
    '/assets/..%5csecret.txt',
    '/assets/sub/deep.js',
    '/assets/sub%2fdeep.js',
    '/assets/.hidden.js',
    '/assets/run.exe',
    '/assets/index-abc123.js%00.png',
    '/assets/',
    '/assets/%252e%252e%252fsecret.txt',
  ])('%s is 404 and reads nothing outside assets/', async (url) => {
    const { app: a, reads } = await serve(built);
    const r = await a.inject({ url });
    expect(r.statusCode).toBe(404);
    expect(r.body).not.toContain('"secret":true');
    expect(r.body).not.toContain('outside assets');
    for (const p of reads) expect(p.startsWith(join(built, 'assets') + '/')).toBe(true);
    expect(reads.every((p) => !p.includes('..'))).toBe(true);
  });
});

describe('assetContentType', () => {
  it.each<[string, string | undefined]>([
    ['a.js', 'text/javascript; charset=utf-8'],
    ['A.CSS', 'text/css; charset=utf-8'],
    ['noext', undefined],
    ['..', undefined],
    ['.js', undefined],
    ['a/b.js', undefined],
    ['a b.js', undefined],
    ['a.html', undefined],
  ])('%j -> %j', (name, type) => {
    expect(assetContentType(name)).toBe(type);
  });
});

describe('DEFAULT_UI_DIRECTORY', () => {
  it("is the repository's web/dist", () => {
    expect(DEFAULT_UI_DIRECTORY).toBe(fileURLToPath(new URL('../../../web/dist/', import.meta.url)));
    expect(DEFAULT_UI_DIRECTORY.replace(/\/$/, '').endsWith(join('web', 'dist'))).toBe(true);
  });
});

// A small static file server for the release build (dist/), mounted at a base path such as
// "/" or "/ztgym/", the way a static host (GitHub Pages, S3, nginx) would serve it.
//
// As a command: node e2e/support/static-server.mjs [DIR] [--base /ztgym/] [--port 8081]

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function normalizeBase(base) {
  let b = base.startsWith('/') ? base : `/${base}`;
  if (!b.endsWith('/')) b += '/';
  return b;
}

async function fileFor(root, relative) {
  const target = path.resolve(root, `.${path.posix.sep}${relative}`);
  if (target !== root && !target.startsWith(root + path.sep)) return null; // outside root
  try {
    const info = await stat(target);
    if (info.isDirectory()) return { directory: true, file: path.join(target, 'index.html') };
    return { directory: false, file: target };
  } catch {
    return null;
  }
}

/**
 * Serves `root` under `base` on 127.0.0.1. Resolves to { url, close() }, `url` being the full
 * address of the base path, e.g. http://127.0.0.1:41234/ztgym/.
 */
export async function startStaticServer({ root, base = '/', port = 0, host = '127.0.0.1' }) {
  const rootDir = path.resolve(root);
  const basePath = normalizeBase(base);

  const server = createServer(async (req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');

    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    // "/ztgym" -> "/ztgym/", as static hosts do, so relative asset URLs resolve under the base.
    if (pathname === basePath.slice(0, -1)) return send(301, '', { location: basePath });
    if (!pathname.startsWith(basePath)) return send(404, 'not found\n');

    const found = await fileFor(rootDir, pathname.slice(basePath.length));
    if (found?.directory && !pathname.endsWith('/')) {
      return send(301, '', { location: `${pathname}/` });
    }
    const info = found && (await stat(found.file).catch(() => null));
    if (!info?.isFile()) return send(404, 'not found\n');

    const type = CONTENT_TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'content-length': info.size, 'cache-control': 'no-cache' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(found.file).pipe(res);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: actualPort } = server.address();
  return {
    url: `http://${host}:${actualPort}${basePath}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : fallback;
  };
  const base = option('--base', '/');
  const port = Number(option('--port', '8081'));
  const root = args[0] ?? 'dist';
  const { url } = await startStaticServer({ root, base, port });
  console.log(`serving ${root} at ${url}`);
}

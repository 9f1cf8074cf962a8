// One headless browser and one static server of dist/ for a test file, started before its
// tests and closed after them.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';

import { launchBrowser, REPO_ROOT } from './browser.mjs';
import { startStaticServer } from './static-server.mjs';

export const DIST = path.join(REPO_ROOT, 'dist');

/**
 * Registers the file's before and after hooks. The returned object's `browser` and `url` (the
 * server's address of dist/ at `/`) are set once the before hook has run.
 */
export function serveDist() {
  const shared = { browser: undefined, url: undefined };
  let server;
  before(async () => {
    if (!existsSync(path.join(DIST, 'index.html'))) {
      throw new Error('dist/index.html is missing: run `trunk build --release --offline` first');
    }
    shared.browser = await launchBrowser();
    server = await startStaticServer({ root: DIST, base: '/' });
    shared.url = server.url;
  });
  after(async () => {
    await shared.browser?.close();
    await server?.close();
  });
  return shared;
}

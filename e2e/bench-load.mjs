// First render of the release page (issue 13 item 10): how long from navigation to each
// environment's page on screen, in headless Chromium on localhost, with the browser's cache
// off (every run fetches and compiles the wasm again). A measurement, not a test: it asserts
// nothing about speed and prints one JSON line.
//
//   node e2e/bench-load.mjs [--runs 7]
//
// For each tab (SRE gym, Hardening, Triage) and each run, a new browser context opens
// `#v=1&env=ID` and waits for the tab's stage (`main#main.stage`) to be in the DOM, then reads
// the page's own clock (performance.now(), which starts at navigation):
//   render_ms      navigation start to the tab's stage in the DOM (median and max of the runs)
//   wasm_bytes     the app's .wasm as served (uncompressed), and gzip -9 of it
// plus the load average, since the figures are wall-clock ones on a shared machine.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';

import { launchBrowser, recordProblems, REPO_ROOT } from './support/browser.mjs';
import { startStaticServer } from './support/static-server.mjs';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(args.runs);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const dist = path.join(REPO_ROOT, 'dist');
const wasmFiles = fs.readdirSync(dist).filter((f) => f.endsWith('.wasm'));
const sizes = Object.fromEntries(
  wasmFiles.map((f) => {
    const bytes = fs.readFileSync(path.join(dist, f));
    return [f, { bytes: bytes.length, gzip9: zlib.gzipSync(bytes, { level: 9 }).length }];
  }),
);

const server = await startStaticServer({ root: dist, base: '/' });
const browser = await launchBrowser();
const result = { runs, tabs: {}, wasm: sizes };
try {
  for (const env of ['sre', 'harden', 'triage']) {
    const times = [];
    for (let k = 0; k < runs; k++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      const problems = recordProblems(page);
      await page.goto(`${server.url}#v=1&env=${env}`, { waitUntil: 'commit' });
      await page.locator('main#main.stage').waitFor({ state: 'attached', timeout: 30_000 });
      times.push(await page.evaluate(() => performance.now()));
      if (problems.length) throw new Error(`${env}: ${problems.join('; ')}`);
      await context.close();
    }
    result.tabs[env] = {
      render_ms_median: Math.round(median(times)),
      render_ms_max: Math.round(Math.max(...times)),
    };
  }
} finally {
  await browser.close();
  await server.close();
}
result.load_average_1m = os.loadavg()[0];
console.log(JSON.stringify(result));

// In-page benchmark of the playground (issue 4): the SOP agent at maximum speed with "Keep going"
// ticked, in headless Chromium on the release build (dist/). A measurement, not a test: it
// asserts nothing about speed and prints one JSON line.
//
//   node e2e/bench.mjs [--scenario classic] [--steps 100000] [--sample-seconds 10]
//
// It samples the page's own figures (HUD "Steps/s", data-testid=steps-per-second, and "Steps
// run", data-testid=steps-total) every half second for --sample-seconds, keeps playing until
// "Steps run" reaches --steps, pauses, and reports:
//   steps_per_second_median  median of the HUD's Steps/s samples (the page measures it over
//                            ~0.5 s windows while playing at maximum speed)
//   steps_per_second_overall Steps run / wall time from Play to Pause, measured here
//   steps_total              the HUD's Steps run at the end
//   episodes                 the HUD's episode count at the end
//   dom_nodes                document.getElementsByTagName('*').length at the end
//   dom_nodes_max            the most DOM nodes seen in any sample while playing
//   js_heap_mb               JS heap in use at the end (CDP Runtime.getHeapUsage, after a GC)
//   wasm_memory_mb           the wasm module's linear memory at the end (where the simulator lives)
//   load_average_1m          this machine's load when it finished: the figures are wall-clock ones

import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { launchBrowser, recordProblems, REPO_ROOT } from './support/browser.mjs';
import { startStaticServer } from './support/static-server.mjs';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'classic' },
    steps: { type: 'string', default: '100000' },
    'sample-seconds': { type: 'string', default: '10' },
    'timeout-seconds': { type: 'string', default: '900' },
  },
});
const targetSteps = Number(args.steps);
const sampleMs = Number(args['sample-seconds']) * 1000;
const timeoutMs = Number(args['timeout-seconds']) * 1000;

const median = (xs) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const server = await startStaticServer({ root: path.join(REPO_ROOT, 'dist'), base: '/' });
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = recordProblems(page);
  // trunk's loader announces the wasm instance; keep it to read the linear memory's size.
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => {
      window.__ztgymWasm = e.detail.wasm;
    });
  });

  const url = `${server.url}#v=1&scenario=${encodeURIComponent(args.scenario)}&seed=1&agent=sop&speed=max`;
  await page.goto(url, { waitUntil: 'load' });
  await page.locator('.app-shell').waitFor({ timeout: 20_000 });
  const gotIt = page.getByRole('button', { name: 'Got it', exact: true });
  if (await gotIt.isVisible()) await gotIt.click();
  const notice = page.getByTestId('notice');
  if (await notice.count()) throw new Error(`the page reports: ${await notice.innerText()}`);
  await page.getByLabel('Keep going').check();

  const read = () =>
    page.evaluate(() => {
      const text = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent.trim() ?? null;
      return {
        stepsPerSecond: text('steps-per-second'),
        stepsTotal: text('steps-total'),
        episodes: text('episodes'),
        status: text('episode-status'),
        domNodes: document.getElementsByTagName('*').length,
      };
    });

  const start = await read();
  const startSteps = Number(start.stepsTotal);
  if (!Number.isFinite(startSteps)) throw new Error('the HUD has no "Steps run" (data-testid=steps-total)');
  const started = performance.now();
  await page.getByRole('button', { name: 'Play', exact: true }).click();

  const samples = [];
  let domNodesMax = start.domNodes;
  let last = start;
  for (;;) {
    await sleep(500);
    last = await read();
    const elapsed = performance.now() - started;
    domNodesMax = Math.max(domNodesMax, last.domNodes);
    if (elapsed <= sampleMs && last.stepsPerSecond !== null) samples.push(Number(last.stepsPerSecond));
    if (elapsed >= sampleMs && Number(last.stepsTotal) >= targetSteps) break;
    if (elapsed > timeoutMs) throw new Error(`gave up after ${timeoutMs / 1000} s at ${last.stepsTotal} steps`);
    if (await page.getByRole('button', { name: 'Play', exact: true }).isVisible()) {
      throw new Error(`playing stopped by itself at ${last.stepsTotal} steps (status ${last.status})`);
    }
  }
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const wall = (performance.now() - started) / 1000;
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  const end = await read();

  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasmBytes = await page.evaluate(() => window.__ztgymWasm?.memory?.buffer.byteLength ?? null);

  const mb = (bytes) => (bytes == null ? null : Math.round((bytes / 2 ** 20) * 10) / 10);
  console.log(
    JSON.stringify({
      scenario: args.scenario,
      steps_per_second_median: median(samples),
      steps_per_second_samples: samples.length,
      steps_per_second_overall: Math.round((Number(end.stepsTotal) - startSteps) / wall),
      steps_total: Number(end.stepsTotal),
      episodes: Number.parseInt(end.episodes, 10),
      episodes_hud: end.episodes,
      wall_seconds: Math.round(wall * 10) / 10,
      dom_nodes: end.domNodes,
      dom_nodes_max: domNodesMax,
      js_heap_mb: mb(heap.usedSize),
      wasm_memory_mb: mb(wasmBytes),
      load_average_1m: Math.round(os.loadavg()[0] * 100) / 100,
      page_problems: problems,
    }),
  );
} finally {
  await browser.close();
  await server.close();
}

// In-page benchmark of training (issue 5): the Train panel's Web Worker in headless Chromium on
// the release build (dist/). A measurement, not a test: it asserts nothing about speed and
// prints one JSON line per run.
//
//   node e2e/bench-train.mjs [--scenario classic] [--agent q-lagrangian] [--episodes 2000] [--runs 3]
//
// Each run opens a fresh page (so the worker is loaded cold, as for a first visit), sets the
// algorithm and episodes, clicks Train, and waits for "Finished". Reported per run:
//   wall_seconds_to_finish      Train click to "Finished", measured here
//   seconds_to_compliance_095   the page's own figure: Train click to the first moment the last
//                               100 training episodes had compliance >= 0.95 (data-testid=train-goal)
//   episodes_to_compliance_095  the episodes trained by then
//   worker_episodes_per_second  the page's figure: episodes / wall time in the worker since Start
//   main_thread_long_tasks      main-thread tasks over 50 ms from Train to "Finished"
//                               (PerformanceObserver 'longtask'), with the longest one's duration
//   handover_long_tasks         the same from "Finished" until the trained policy is the agent
//                               (and 500 ms more): the Policy panel drawn for it, the first time
//                               in a fresh tab
//   load_average_1m             this machine's load at the end: the figures are wall-clock ones

import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { launchBrowser, recordProblems, REPO_ROOT } from './support/browser.mjs';
import { startStaticServer } from './support/static-server.mjs';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'classic' },
    agent: { type: 'string', default: 'q-lagrangian' },
    episodes: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '3' },
  },
});

const server = await startStaticServer({ root: path.join(REPO_ROOT, 'dist'), base: '/' });
const browser = await launchBrowser();
try {
  for (let i = 0; i < Number(args.runs); i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = recordProblems(page);
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, ms: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
      // The moment training finishes, seen from the page (the Paused message's own task).
      new MutationObserver(() => {
        const status = document.querySelector('[data-testid=train-status]')?.textContent ?? '';
        if (window.__finishedAt === undefined && status.startsWith('Finished')) window.__finishedAt = performance.now();
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto(`${server.url}#v=1&scenario=${encodeURIComponent(args.scenario)}&seed=1&agent=human&speed=max`);
    await page.locator('.app-shell').waitFor({ timeout: 20_000 });
    const gotIt = page.getByRole('button', { name: 'Got it', exact: true });
    if (await gotIt.isVisible()) await gotIt.click();
    await page.getByTestId('train-kind').selectOption(args.agent);
    // Full pace from the first episode: the default slow start paces its first points for the
    // eye, which a speed figure must leave out.
    await page.getByTestId('train-pace').selectOption('full');
    const episodes = page.getByTestId('train-episodes');
    await episodes.fill(args.episodes);
    await episodes.press('Tab');

    const startedAt = await page.evaluate(() => performance.now());
    const started = performance.now();
    await page.getByTestId('train').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=train-status]')?.textContent.trim().startsWith('Finished'),
      null,
      { timeout: 600_000, polling: 20 },
    );
    const wall = (performance.now() - started) / 1000;
    await page.waitForFunction(() => document.querySelector('[data-testid=agent-select]')?.value === 'policy');
    await page.waitForTimeout(500);
    const goal = (await page.getByTestId('train-goal').textContent()).match(/after ([\d.]+) s \((\d+) episodes\)/);
    const rate = (await page.getByTestId('train-progress').textContent()).match(/([\d.]+) episodes\/s/);
    const [tasks, finishedAt] = await page.evaluate(() => [window.__longTasks, window.__finishedAt]);
    const longTasks = tasks.filter((t) => t.start >= startedAt && t.start < finishedAt);
    const handover = tasks.filter((t) => t.start >= finishedAt);
    console.log(
      JSON.stringify({
        run: i + 1,
        scenario: args.scenario,
        agent: args.agent,
        episodes: Number(args.episodes),
        wall_seconds_to_finish: Math.round(wall * 100) / 100,
        seconds_to_compliance_095: goal ? Number(goal[1]) : null,
        episodes_to_compliance_095: goal ? Number(goal[2]) : null,
        worker_episodes_per_second: rate ? Number(rate[1]) : null,
        main_thread_long_tasks: longTasks.length,
        longest_task_ms: longTasks.reduce((m, t) => Math.max(m, t.ms), 0),
        handover_long_tasks: handover.length,
        handover_longest_task_ms: handover.reduce((m, t) => Math.max(m, t.ms), 0),
        load_average_1m: Math.round(os.loadavg()[0] * 100) / 100,
        problems,
      }),
    );
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}

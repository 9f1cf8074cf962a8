// End-to-end tests of the arena (issue 23 item 2): agents ranked side by side on the same seeds
// in the page's arena worker, with the same figures as `ztgym eval` on those seeds; the seeds
// where they differ most one click from watching on the stage; the table as CSV and Markdown;
// the arena's link reopening the same arena; hostile input refused with a short message.
//
// scripts/test.sh builds dist/ first (trunk build --release --offline).

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { REPO_ROOT, withPage } from './support/browser.mjs';
import { ztgym } from './support/cli.mjs';
import { serveDist } from './support/dist.mjs';

const dist = serveDist();

const byTestId = (page, id) => page.getByTestId(id);
const r6 = (x) => Math.round(x * 1e6) / 1e6;

async function scratch(t) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ztgym-e2e-arena-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function dismissIntro(page) {
  const gotIt = page.getByRole('button', { name: 'Got it', exact: true });
  if (await gotIt.isVisible()) await gotIt.click();
}

/** Checks exactly the agents `keys` (e.g. `builtin:random`) in the arena panel. */
async function pickAgents(page, keys) {
  const boxes = byTestId(page, 'arena-agents').locator('input[type=checkbox]');
  for (let i = 0; i < (await boxes.count()); i += 1) {
    const box = boxes.nth(i);
    const key = (await box.getAttribute('data-testid')).replace(/^arena-agent-/, '');
    await box.setChecked(keys.includes(key));
  }
}

/** Clicks Rank and waits for the table; returns its rows as {label, return, cost, success, score}. */
async function rank(page) {
  await byTestId(page, 'arena-rank').click();
  await byTestId(page, 'arena-table').waitFor({ timeout: 60_000 });
  return rows(page);
}

async function rows(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=arena-row]')].map((tr) => {
      const value = (id) => {
        const cell = tr.querySelector(`[data-testid=${id}]`);
        return cell ? Number(cell.dataset.value) : undefined;
      };
      return {
        label: tr.dataset.agent,
        return: value('arena-return'),
        cost: value('arena-cost'),
        success: value('arena-success'),
        score: value('arena-score'),
      };
    }),
  );
}

/** `ztgym eval --json` on seeds 0-19. */
async function cliEval(...args) {
  const { stdout } = await ztgym('eval', ...args, '--episodes', '20', '--seed', '0', '--json');
  return JSON.parse(stdout);
}

test('arena: three triage agents on 20 seeds rank with the figures of ztgym eval; a link reopens the arena', async (t) => {
  const agents = ['always-allow', 'random', 'rule-based'];
  const cli = Object.fromEntries(
    await Promise.all(agents.map(async (a) => [a, await cliEval('--env', 'triage', '--task', 'L1', '--agent', a)])),
  );
  let link;
  let ranked;
  await withPage(t, dist.browser, `${dist.url}#v=1&task=L1&seed=3&agent=human&speed=normal&env=triage`, async (page) => {
    await dismissIntro(page);
    await pickAgents(page, agents.map((a) => `builtin:${a}`));
    assert.equal(await byTestId(page, 'arena-seeds').inputValue(), '0-19');
    ranked = await rank(page);
    assert.equal(ranked.length, 3);
    for (const row of ranked) {
      const name = agents.find((a) => row.label === a);
      assert.ok(name, row.label);
      const c = cli[name];
      // The command rounds its means to 6 decimals; the arena keeps them whole.
      assert.equal(r6(row.return), c.mean_return, `${name} return`);
      assert.equal(r6(row.cost), c.mean_cost, `${name} cost`);
      assert.equal(r6(row.success), c.pass_rate, `${name} pass rate`);
      assert.equal(r6(row.score), c.mean_score, `${name} score`);
    }
    // Ranked by score, best first.
    const scores = ranked.map((r) => r.score);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    assert.match(await byTestId(page, 'arena-table').textContent(), /\[\d/, 'intervals shown');
    assert.match(await byTestId(page, 'arena-status').textContent(), /Ranked/);

    // A seed where they differ most, one click from watching the first agent play it.
    const first = byTestId(page, 'arena-differ-row').first();
    const seed = await first.getAttribute('data-seed');
    await first.getByTestId('arena-watch').first().click();
    const watched = ranked[0].label;
    await page.waitForFunction(
      ([s, a]) => location.hash.includes(`seed=${s}&`) && location.hash.includes(`agent=${a}&`),
      [seed, watched],
    );

    link = await byTestId(page, 'arena-link').inputValue();
    assert.match(link, /&arena=always-allow,random,rule-based&arena_seeds=0-19/);
  });

  // The link, in a fresh browser, ranks the same arena.
  await withPage(
    t,
    dist.browser,
    link,
    async (page) => {
      await byTestId(page, 'arena-table').waitFor({ timeout: 60_000 });
      assert.deepEqual(await rows(page), ranked);
      assert.equal(await byTestId(page, 'arena-seeds').inputValue(), '0-19');
      assert.equal(await byTestId(page, 'notice').count(), 0, 'no link problem');
    },
    { shot: 'arena-link-reopened' },
  );
});

test('arena: the SRE gym ranks built-in agents and a bundled policy with ztgym eval\'s figures, exported as CSV and Markdown', async (t) => {
  const dir = await scratch(t);
  const policy = path.join(REPO_ROOT, 'assets', 'policies', 'classic-q.json');
  const [random, sop, q] = await Promise.all([
    cliEval('--scenario', 'classic', '--agent', 'random'),
    cliEval('--scenario', 'classic', '--agent', 'sop'),
    cliEval('--policy', policy),
  ]);
  await withPage(t, dist.browser, `${dist.url}#v=1&scenario=classic&seed=0&agent=human&speed=normal&env=sre`, async (page) => {
    await dismissIntro(page);
    await pickAgents(page, ['builtin:random', 'builtin:sop', 'bundled:classic-q']);
    const ranked = await rank(page);
    const byLabel = (end) => ranked.find((r) => r.label.endsWith(end));
    for (const [row, c] of [[byLabel('random'), random], [byLabel('sop'), sop], [byLabel('classic-q.json'), q]]) {
      // The same totals summed in the same order: equal to the bit.
      assert.equal(row.return, c.mean_return, row.label);
      assert.equal(row.cost, c.mean_cost, row.label);
      assert.equal(row.success, c.success_rate, row.label);
      assert.equal(row.score, undefined, 'the SRE gym has no score of its own');
    }
    const [csv] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'arena-download-csv').click()]);
    assert.equal(csv.suggestedFilename(), 'arena-sre-classic.csv');
    const csvPath = path.join(dir, 'a.csv');
    await csv.saveAs(csvPath);
    const lines = (await readFile(csvPath, 'utf8')).trim().split('\n');
    assert.match(lines[0], /^rank,agent,episodes,mean_return,mean_return_low,mean_return_high,/);
    assert.equal(lines.length, 4);
    const best = lines[1].split(',');
    assert.equal(Number(best[3]), ranked[0].return);
    const [md] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'arena-download-md').click()]);
    const mdPath = path.join(dir, 'a.md');
    await md.saveAs(mdPath);
    const markdown = await readFile(mdPath, 'utf8');
    assert.match(markdown, /^## Arena: sre on classic, 20 seeds \(0-19\)/);
    assert.match(markdown, /Student's t for means, Wilson score for rates/);
    // A bundled policy rides in the link by name.
    assert.match(await byTestId(page, 'arena-link').inputValue(), /arena=random,sop,bundled:classic-q&/);
  });
});

test('arena: hardening ranks two built-in agents and its bundled policy with ztgym eval\'s figures', async (t) => {
  const policy = path.join(REPO_ROOT, 'assets', 'policies', 'harden', 'seed001-q.json');
  const [random, greedy, q] = await Promise.all([
    cliEval('--env', 'harden', '--scenario', 'seed001', '--agent', 'random'),
    cliEval('--env', 'harden', '--scenario', 'seed001', '--agent', 'greedy'),
    cliEval('--env', 'harden', '--policy', policy),
  ]);
  // The tab is in production; the arena ranks in the sandbox, as ztgym eval plays.
  await withPage(t, dist.browser, `${dist.url}#v=1&scenario=seed001&seed=0&stage=prod&agent=human&speed=normal&env=harden`, async (page) => {
    await dismissIntro(page);
    await pickAgents(page, ['builtin:random', 'builtin:greedy', 'bundled:seed001-q']);
    assert.equal(await byTestId(page, 'arena-seeds').inputValue(), '0-19');
    const ranked = await rank(page);
    assert.equal(ranked.length, 3);
    const byLabel = (end) => ranked.find((r) => r.label.endsWith(end));
    for (const [row, c] of [[byLabel('random'), random], [byLabel('greedy'), greedy], [byLabel('seed001-q.json'), q]]) {
      assert.ok(row, JSON.stringify(ranked));
      // The same totals summed in the same order: equal to the bit.
      assert.equal(row.return, c.mean_return, `${row.label} return`);
      assert.equal(row.cost, c.mean_cost, `${row.label} cost`);
      assert.equal(row.success, c.success_rate, `${row.label} success`);
    }
    const returns = ranked.map((r) => r.return);
    assert.deepEqual(returns, [...returns].sort((a, b) => b - a), 'ranked by return, best first');
    assert.match(await byTestId(page, 'arena-link').inputValue(), /arena=random,greedy,bundled:seed001-q&|arena=[a-z:0-9,-]*bundled:seed001-q/);
    // Watching a seed plays it as ranked: in the sandbox.
    const first = byTestId(page, 'arena-differ-row').first();
    const seed = await first.getAttribute('data-seed');
    await first.getByTestId('arena-watch').first().click();
    await page.waitForFunction((s) => location.hash.includes(`seed=${s}&`) && location.hash.includes('stage=sandbox'), seed);
  }, { shot: 'arena-harden-ranked' });
});

test('arena: progress shows and Cancel stops a long arena; the page stays responsive', async (t) => {
  await withPage(t, dist.browser, `${dist.url}#v=1&scenario=seed001&seed=0&agent=human&speed=normal&env=harden`, async (page) => {
    await dismissIntro(page);
    await byTestId(page, 'arena-seeds').fill('0-199');
    await byTestId(page, 'arena-rank').click();
    await page.waitForFunction(
      () => /Played [1-9]\d* of 600/.test(document.querySelector('[data-testid=arena-status]')?.textContent ?? ''),
      null,
      { timeout: 30_000 },
    );
    // The main thread answers at once while the worker plays.
    const started = Date.now();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    assert.ok(Date.now() - started < 1000, 'a frame within a second');
    await byTestId(page, 'arena-rank').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=arena-status]')?.textContent === 'Cancelled.');
    assert.equal(await byTestId(page, 'arena-rank').textContent(), 'Rank');
    assert.equal(await byTestId(page, 'arena-table').count(), 0);
  });
});

test('arena: hostile input is refused with a short clear message and changes nothing', async (t) => {
  const dir = await scratch(t);
  const sreFile = path.join(dir, '<img src=x onerror=alert(1)>.json');
  await writeFile(sreFile, await readFile(path.join(REPO_ROOT, 'assets', 'policies', 'classic-q.json')));
  const broken = path.join(dir, 'broken.json');
  await writeFile(broken, '{"format": "ztgym-policy", ');
  await withPage(t, dist.browser, `${dist.url}#v=1&task=L1&seed=0&agent=human&speed=normal&env=triage`, async (page) => {
    await dismissIntro(page);
    const offered = await byTestId(page, 'arena-agents').locator('input').count();
    for (const file of [sreFile, broken]) {
      await byTestId(page, 'arena-policy-file').setInputFiles(file);
      const notice = byTestId(page, 'notice');
      await notice.waitFor();
      const text = await notice.textContent();
      assert.match(text, /The policy was not added/);
      assert.ok(text.length < 450 && !text.includes('\\n'), `${text.length} characters: ${text}`);
      assert.equal(await byTestId(page, 'arena-agents').locator('input').count(), offered, 'nothing added');
      await notice.getByRole('button', { name: 'Dismiss message' }).click();
    }
    assert.equal(await page.locator('img[src=x]').count(), 0, 'a file name is text');
    await byTestId(page, 'arena-seeds').fill('0-999');
    await byTestId(page, 'arena-rank').click();
    assert.match(await byTestId(page, 'notice').textContent(), /at most 200/);
    await byTestId(page, 'arena-seeds').fill('0-19');
    await pickAgents(page, ['builtin:random']);
    await byTestId(page, 'arena-rank').click();
    assert.match(await byTestId(page, 'notice').textContent(), /at least two/);
    assert.equal(await byTestId(page, 'arena-table').count(), 0);
  });
  // A link naming an agent the tab does not have, with markup: refused, shown as text.
  const hostile = `${dist.url}#v=1&task=L1&seed=0&agent=human&speed=normal&env=triage&arena=random,%3Cscript%3Ex%3C/script%3E`;
  await withPage(
    t,
    dist.browser,
    hostile,
    async (page) => {
      const notice = byTestId(page, 'notice').first();
      await notice.waitFor();
      assert.match(await notice.textContent(), /The arena in the link was not opened: agent "<script>x<\/script>" is not one of/);
      assert.equal(await page.locator('script:text("x")').count(), 0);
      assert.equal(await byTestId(page, 'arena-table').count(), 0);
    },
    { shot: 'arena-hostile-link' },
  );
});

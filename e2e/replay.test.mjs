// End-to-end tests of verified replays (issue 23 item 3): a trajectory written by `ztgym run`
// is loaded in each environment's tab, replayed on the stage and verified step by step; one
// reward changed is flagged at its step (and the replay shows that step); hostile files (bad
// JSON, another environment's run, markup in the text, too many steps, an action the
// environment refuses) are refused in the replay box with a clear message, shown as text, and
// change nothing else on the page. Screenshots are kept in test-output/e2e/replay-*.png.
//
// scripts/test.sh builds dist/ first (trunk build --release --offline).

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { SCREENSHOT_DIR, withPage } from './support/browser.mjs';
import { ztgym } from './support/cli.mjs';
import { serveDist } from './support/dist.mjs';

const dist = serveDist();

// Each environment: its tab's link (on the scenario the run plays) and the `ztgym run` words.
const RUNS = {
  sre: {
    link: (agent = 'human') => `${dist.url}#v=1&scenario=classic&level=warmup&seed=1&agent=${agent}&speed=normal`,
    run: ['--scenario', 'classic', '--agent', 'sop', '--seed', '7'],
  },
  triage: {
    link: () => `${dist.url}#v=1&task=L1&seed=1&agent=human&speed=normal&env=triage`,
    run: ['--env', 'triage', '--task', 'L1', '--agent', 'rule-based', '--seed', '4'],
  },
  harden: {
    link: () => `${dist.url}#v=1&scenario=seed001&seed=1&stage=sandbox&agent=human&speed=normal&env=harden`,
    run: ['--env', 'harden', '--scenario', 'seed001', '--agent', 'greedy', '--seed', '2'],
  },
};

const byTestId = (page, id) => page.getByTestId(id);
const replayBox = (page) => page.locator('.verified-replay');

async function scratch(t) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ztgym-replay-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The trajectory `ztgym run` writes for environment `env`, as text and as a file. */
async function recorded(dir, env) {
  const file = path.join(dir, `${env}.jsonl`);
  await ztgym('run', ...RUNS[env].run, '--trajectory', file);
  return { file, text: await readFile(file, 'utf8') };
}

async function dismissIntro(page) {
  const gotIt = page.getByRole('button', { name: 'Got it', exact: true });
  if (await gotIt.isVisible()) await gotIt.click();
}

/** Loads `file` through the replay box's file picker. */
async function load(page, file) {
  await byTestId(page, 'replay-file-input').setInputFiles(file);
}

/** The replay box's own notice, once shown. */
async function boxNotice(page) {
  const notice = replayBox(page).getByTestId('notice');
  await notice.waitFor({ timeout: 10_000 });
  return (await notice.textContent()).trim();
}

for (const env of Object.keys(RUNS)) {
  test(`replay: a ${env} run from the CLI replays on the stage, every step verified`, async (t) => {
    const dir = await scratch(t);
    const { file, text } = await recorded(dir, env);
    const [header, ...steps] = text.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(header.format, 'ztgym-trajectory');
    assert.equal(header.env, env);
    await withPage(t, dist.browser, RUNS[env].link(), async (page) => {
      await dismissIntro(page);
      await load(page, file);
      const verdict = byTestId(page, 'replay-verdict');
      await verdict.waitFor({ timeout: 10_000 });
      assert.equal(await verdict.getAttribute('data-verified'), 'true');
      assert.match(await verdict.textContent(), new RegExp(`all ${steps.length} steps verified`));
      assert.equal(
        (await byTestId(page, 'replay-step-status').textContent()).trim(),
        `Step ${steps.length - 1}: verified`,
      );
      assert.match(await boxNotice(page), /steps verified/);
      // The link carries the recorded seed.
      assert.match(await byTestId(page, 'share-link').inputValue(), new RegExp(`seed=${header.seed}&`));
      const position = byTestId(page, 'replay-position');
      if (await position.count()) {
        assert.equal((await position.first().textContent()).trim(), `${steps.length} / ${steps.length}`);
      }
    }, { shot: `replay-${env}-verified` });
  });
}

test('replay: a tampered reward is flagged at its step, and the replay shows that step', async (t) => {
  const dir = await scratch(t);
  const { text } = await recorded(dir, 'sre');
  const lines = text.trim().split('\n');
  const step = JSON.parse(lines[3]); // line 4: step 2
  const recordedReward = step.reward;
  step.reward = recordedReward + 1;
  lines[3] = JSON.stringify(step);
  const tampered = path.join(dir, 'tampered.jsonl');
  await writeFile(tampered, `${lines.join('\n')}\n`);
  const total = lines.length - 1;

  await withPage(t, dist.browser, RUNS.sre.link(), async (page) => {
    await dismissIntro(page);
    await load(page, tampered);
    const verdict = byTestId(page, 'replay-verdict');
    await verdict.waitFor({ timeout: 10_000 });
    assert.equal(await verdict.getAttribute('data-verified'), 'false');
    assert.match(await verdict.textContent(), /step 2 \(line 4\) differs: recorded reward/);
    assert.match(await verdict.textContent(), new RegExp(`1 of ${total} steps differ`));
    const status = byTestId(page, 'replay-step-status');
    assert.equal(await status.getAttribute('data-differs'), 'true');
    assert.match(
      (await status.textContent()).trim(),
      new RegExp(`^Step 2: differs: recorded reward ${step.reward}(\\.0)?, simulated ${recordedReward}(\\.0)?$`),
    );
    assert.equal((await byTestId(page, 'replay-position').first().textContent()).trim(), `3 / ${total}`);
    // Walking to another step shows it verified; the flagged step is one click away.
    await page.getByRole('slider', { name: 'Replay step' }).fill('2');
    assert.equal((await status.textContent()).trim(), 'Step 1: verified');
    await byTestId(page, 'replay-mismatch').first().click();
    assert.match((await status.textContent()).trim(), /^Step 2: differs/);
  }, { shot: 'replay-tampered' });
});

test('replay: hostile files are refused with a clear message and change nothing else', async (t) => {
  const dir = await scratch(t);
  const { text } = await recorded(dir, 'sre');
  const triage = await recorded(dir, 'triage');
  const [header, ...rest] = text.trim().split('\n');
  const markup = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const refusedAction = JSON.parse(rest[0]);
  refusedAction.action = { tool: 'query_siem_logs', node: 'no-such-node' };
  const cases = [
    ['bad JSON', `${header}\n{"t": 0, oops\n`, /line 2: not JSON/],
    ['another environment', triage.text, /this is a run of "triage", not of sre; open its tab to replay it/],
    [
      'markup in the text',
      text.replace('"env":"sre"', `"env":${JSON.stringify(markup)}`),
      /this is a run of "<img src=x onerror="window.__pwned=1">/,
    ],
    [
      'too many steps',
      `${header}\n${`${rest[0]}\n`.repeat(2001)}`,
      /the run has 2001 steps, more than can be replayed here \(at most 2000\)/,
    ],
    ['an action refused', `${header}\n${JSON.stringify(refusedAction)}\n`, /line 2: field action: the environment refused it/],
    ['another version', text.replace('"version":1', '"version":9'), /version 9 is not known \(this build reads version 1\)/],
  ];
  await withPage(t, dist.browser, RUNS.sre.link('sop'), async (page) => {
    await dismissIntro(page);
    // Something on the stage first: the agent's first step is kept through every refusal.
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent.startsWith('1 /'));
    const share = await byTestId(page, 'share-link').inputValue();
    const stage = await page.locator('.stage').first().innerText();
    for (const [what, body, expected] of cases) {
      const file = path.join(dir, `${what.replace(/\W+/g, '-')}.jsonl`);
      await writeFile(file, body);
      await load(page, file);
      await page.waitForFunction(
        (name) => document.querySelector('.verified-replay [data-testid=notice]')?.textContent.includes(name),
        path.basename(file),
      );
      const notice = await boxNotice(page);
      assert.match(notice, /was not replayed/, what);
      assert.match(notice, expected, `${what}: ${notice}`);
      assert.equal(await replayBox(page).locator('.notice-error').count(), 1, what);
      assert.equal(await byTestId(page, 'replay-verdict').count(), 0, `${what}: no verdict`);
      assert.equal(await byTestId(page, 'share-link').inputValue(), share, `${what}: the link is unchanged`);
      assert.equal(await page.locator('.stage').first().innerText(), stage, `${what}: the stage is unchanged`);
      if (what === 'markup in the text') {
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'replay-hostile-markup.png') });
      }
    }
    // Markup stayed text: nothing ran, no element was made of it.
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('.verified-replay img, .verified-replay script').count(), 0);
    // The page goes on working: a good file still replays.
    await load(page, path.join(dir, 'sre.jsonl'));
    await byTestId(page, 'replay-verdict').waitFor({ timeout: 10_000 });
    assert.equal(await byTestId(page, 'replay-verdict').getAttribute('data-verified'), 'true');
  }, { shot: 'replay-hostile' });
});

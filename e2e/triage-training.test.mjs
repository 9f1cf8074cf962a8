// End-to-end tests of learning in the Triage tab (issue 12 item 7): train Lagrangian Q-learning
// on L1 in the page's worker and see its curves move, inspect the trained policy (its table of
// states with the value of each decision, what it would decide on the message on screen), watch
// it decide, export its policy file and the episode: the file is byte-identical to
// `ztgym train --env triage`, the CLI reads it (`eval`, `run` gives the page's trajectory), and
// a CLI-trained file loads in the page. The inbox's replay slider scrubs back through the
// episode's messages and decisions.
//
// scripts/test.sh builds dist/ first (trunk build --release --offline).

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { withPage } from './support/browser.mjs';
import { ztgym } from './support/cli.mjs';
import { serveDist } from './support/dist.mjs';

const dist = serveDist();

const link = ({ task = 'L1', seed = 3, agent = 'human', speed = 'max' } = {}) =>
  `${dist.url}#v=1&task=${task}&seed=${seed}&agent=${agent}&speed=${speed}&env=triage`;
const byTestId = (page, id) => page.getByTestId(id);
const button = (page, name) => page.getByRole('button', { name, exact: true });
const textOf = async (page, id) => (await byTestId(page, id).first().textContent()).trim();
const agentSelect = (page) => page.getByRole('combobox', { name: 'Agent', exact: true });

async function scratch(t) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ztgym-e2e-triage-train-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function dismissIntro(page) {
  const gotIt = button(page, 'Got it');
  if (await gotIt.isVisible()) await gotIt.click();
}

const curvePoints = (page) =>
  page.evaluate(() => Number(document.querySelector('[data-testid=curve-return]')?.dataset.points ?? 0));

async function waitForPointsAbove(page, n) {
  await page.waitForFunction(
    (was) => Number(document.querySelector('[data-testid=curve-return]')?.dataset.points ?? 0) > was,
    n,
    { timeout: 30_000 },
  );
  return curvePoints(page);
}

/** Clicks a button that downloads a file; returns its name, text and where it was saved. */
async function download(page, dir, locator) {
  const [file] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const where = path.join(dir, `${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(where);
  return { name: file.suggestedFilename(), text: await readFile(where, 'utf8'), path: where };
}

/** The y of each point of a polyline (SVG y grows downwards: a higher value is a smaller y). */
async function ys(page, id) {
  const points = await byTestId(page, id).getAttribute('points');
  return points.trim().split(/\s+/).map((p) => Number(p.split(',')[1]));
}

test('triage: train on L1 in the page, see the curves move, inspect the policy, watch it decide, export its file', async (t) => {
  const dir = await scratch(t);
  const cliPolicy = path.join(dir, 'cli.json');
  const fromCli = ztgym('train', '--env', 'triage', '--task', 'L1', '--agent', 'q-lagrangian', '--episodes', '2000',
    '--seed', '0', '--out', cliPolicy);
  fromCli.catch(() => {});
  let pagePolicy;
  let pageTrajectory;
  await withPage(t, dist.browser, link(), async (page) => {
    await dismissIntro(page);
    assert.equal(await page.locator('.triage-more').count(), 0, 'training is no longer CLI-only');
    assert.equal(await byTestId(page, 'train-kind').inputValue(), 'q-lagrangian');
    assert.equal(await byTestId(page, 'train-episodes').inputValue(), '2000');
    await byTestId(page, 'train').click();

    // The curves grow point by point (a slow start), then training finishes.
    const first = await waitForPointsAbove(page, 2);
    assert.ok((await waitForPointsAbove(page, first)) > first);
    await page.waitForFunction(
      () => document.querySelector('[data-testid=train-status]')?.textContent.startsWith('Finished'),
      null,
      { timeout: 60_000 },
    );
    assert.match(await textOf(page, 'train-progress'), /^2000 \/ 2000 episodes/);
    const speed = await textOf(page, 'train-progress');
    t.diagnostic(`triage L1 q-lagrangian in the page's worker: ${speed}`);
    console.log(`triage-train-bench: ${speed}`);
    // The return curve moves: it ends higher than it starts (smaller y), and λ is drawn.
    const ret = await ys(page, 'curve-return-smooth');
    assert.ok(ret.length > 20, `${ret.length} points`);
    assert.ok(ret[ret.length - 1] < ret[0], `the return rises: y ${ret[0]} then ${ret[ret.length - 1]}`);
    assert.ok(Number(await byTestId(page, 'curve-lambda').getAttribute('data-points')) > 0);
    assert.equal(
      (await byTestId(page, 'curve-cost').locator('figcaption').textContent()).trim(),
      'Cost (legitimate messages blocked) per episode',
    );

    // The trained policy is the tab's and decides as the agent.
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=policy-summary]')?.textContent.includes('q-lagrangian, 2000 episodes'),
    );
    assert.equal(await agentSelect(page).inputValue(), 'policy');
    assert.ok(await button(page, 'Allow').isDisabled(), 'the policy decides, not the person');

    // Inspection: the states it met, each decision's value there, and its decision on screen.
    const rows = await byTestId(page, 'policy-state').count();
    assert.ok(rows > 0, 'states visited in training');
    const heads = await byTestId(page, 'policy-states').locator('thead th').allTextContents();
    assert.deepEqual(heads.slice(0, 7), ['risk', 'sender', 'link', 'attachment', 'asks_for', 'pressure', 'prize']);
    assert.deepEqual(heads.slice(7), ['value of allow', 'value of block', 'value of warn', 'value of investigate', 'visits', 'greedy action']);
    assert.equal(await byTestId(page, 'policy-state-value').count(), 4 * rows);
    assert.equal(await byTestId(page, 'policy-bar').count(), 4);
    assert.equal(await page.locator('[data-testid=policy-bar].chosen').count(), 1);
    assert.equal(await byTestId(page, 'policy-features').locator('li').count(), 7);
    const decision = await textOf(page, 'policy-decision');
    assert.ok(['allow', 'block', 'warn', 'investigate'].includes(decision), decision);
    const chosen = await page.locator('[data-testid=policy-bar].chosen').getAttribute('data-action');
    assert.equal(chosen, decision);
    assert.match(await textOf(page, 'policy-state-now'), /^Now in state \d+/);
    assert.match(await textOf(page, 'policy-who'), /It decides in this run/);

    // Watch it decide to the end of the task.
    await button(page, 'Play').click();
    await byTestId(page, 'episode-over').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('[data-testid=grade]').getAttribute('data-final'), 'true');
    assert.match(await textOf(page, 'explanation'), /The policy chose (Allow|Block|Warn|Investigate) for /);
    pageTrajectory = await download(page, dir, button(page, 'Export trajectory'));
    assert.match(pageTrajectory.name, /^ztgym-triage-L1-policy-seed3\.jsonl$/);

    // Back on the first message: the inspection explains the decision the policy took there.
    await page.getByRole('slider', { name: 'Replay step' }).fill('0');
    // Line 1 is the header (the trajectory format's); line 2 the first step.
    const firstStep = JSON.parse(pageTrajectory.text.split('\n')[1]);
    assert.equal(await textOf(page, 'policy-decision'), firstStep.action.decision);
    assert.match(await textOf(page, 'replayed'), new RegExp(`^Message 1 of \\d+: decided `));

    pagePolicy = await download(page, dir, byTestId(page, 'policy-export'));
    assert.match(pagePolicy.name, /^ztgym-policy-L1-q-lagrangian-2000ep\.json$/);
    const file = JSON.parse(pagePolicy.text);
    assert.equal(file.env, 'message-triage');
    assert.equal(file.scenario, 'L1');
    assert.equal(file.training.episodes, 2000);
  });

  // The page's file is the CLI's, byte for byte; the CLI plays it as the page played it.
  await fromCli;
  assert.equal(pagePolicy.text, await readFile(cliPolicy, 'utf8'), 'same learner, task and seed: same policy file');
  const { stdout } = await ztgym('eval', '--env', 'triage', '--policy', pagePolicy.path, '--episodes', '3', '--json');
  const report = JSON.parse(stdout);
  assert.equal(report.task, 'L1');
  assert.equal(report.episodes, 3);
  const trajectory = path.join(dir, 'cli.jsonl');
  await ztgym('run', '--env', 'triage', '--policy', pagePolicy.path, '--seed', '3', '--trajectory', trajectory);
  assert.equal(pageTrajectory.text, await readFile(trajectory, 'utf8'), 'the page played the CLI\'s episode');

  // And the other way: a CLI-trained file loads in the page and decides.
  await withPage(t, dist.browser, link({ seed: 4 }), async (page) => {
    await dismissIntro(page);
    await byTestId(page, 'policy-file').setInputFiles(cliPolicy);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=notice]')?.textContent.includes('Policy loaded'),
    );
    assert.equal(await agentSelect(page).inputValue(), 'policy');
    assert.match(await textOf(page, 'policy-summary'), /^q-lagrangian, 2000 episodes, from .*cli\.json$/);
    await button(page, 'Play').click();
    await byTestId(page, 'episode-over').waitFor({ timeout: 20_000 });
  });
});

test('triage: the replay slider scrubs back through the messages and decisions', async (t) => {
  await withPage(t, dist.browser, link({ seed: 8 }), async (page) => {
    await dismissIntro(page);
    const slider = page.getByRole('slider', { name: 'Replay step' });
    assert.equal(await textOf(page, 'replay-position'), '0 / 0');
    const senders = [];
    for (const decision of ['Allow', 'Block', 'Warn', 'Allow']) {
      senders.push(await textOf(page, 'sender'));
      await button(page, decision).click();
    }
    const now = await textOf(page, 'sender');
    const trustNow = await textOf(page, 'trust');
    assert.equal(await textOf(page, 'replay-position'), '4 / 4');
    assert.equal(await byTestId(page, 'replayed').count(), 0);

    // Back to the second message: its sender, the decision taken on it, the decisions before.
    await slider.fill('1');
    assert.equal(await textOf(page, 'replay-position'), '1 / 4');
    assert.equal(await textOf(page, 'sender'), senders[1]);
    assert.match(await textOf(page, 'replayed'), /^Message 2 of 4: decided Block, it was /);
    assert.equal(await byTestId(page, 'recent-item').count(), 1);
    await slider.fill('0');
    assert.equal(await textOf(page, 'sender'), senders[0]);
    assert.equal(await textOf(page, 'trust'), '100', 'trust as it was before the first decision');
    assert.equal(await byTestId(page, 'recent-item').count(), 0);

    // The end of the slider is the present; a decision while replaying returns to it.
    await slider.fill('4');
    assert.equal(await textOf(page, 'sender'), now);
    assert.equal(await textOf(page, 'trust'), trustNow);
    assert.equal(await byTestId(page, 'replayed').count(), 0);
    await slider.fill('2');
    await button(page, 'Investigate').click();
    assert.equal(await textOf(page, 'replay-position'), '5 / 5');
    assert.equal(await byTestId(page, 'recent-item').count(), 5);
  });
});

test('tabs: the SRE gym and the Triage tab, both with learning panels, switch both ways cleanly', async (t) => {
  // Each page lives in an owner of its own (src/app.rs): a panel's notices provided on one page
  // once reached the next page a tab opened, which then read them after they were disposed.
  await withPage(t, dist.browser, `${dist.url}#v=1&scenario=classic&level=warmup&seed=1&agent=human&speed=max`, async (page) => {
    await dismissIntro(page);
    for (let k = 0; k < 2; k++) {
      await page.getByRole('tab', { name: /^Triage/ }).click();
      await byTestId(page, 'message').waitFor();
      await byTestId(page, 'policy-drop-zone').waitFor();
      await button(page, 'Block').click();
      await page.getByRole('tab', { name: /^SRE/ }).click();
      await page.locator('#service-graph').waitFor();
      await byTestId(page, 'policy-drop-zone').waitFor();
    }
  });
});

test('triage: agent=policy in a fresh browser plays the task\'s bundled policy, and says so', async (t) => {
  await withPage(t, dist.browser, link({ task: 'L2', agent: 'policy' }), async (page) => {
    await dismissIntro(page);
    assert.match(await textOf(page, 'notice'), /No policy for L2 is kept in this browser: the one bundled with the page \(L2-q\.json\) plays/);
    assert.equal(await agentSelect(page).inputValue(), 'policy');
    assert.match(await textOf(page, 'policy-summary'), /^q, \d+ episodes, from bundled L2-q\.json$/);
    await button(page, 'Play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=steps-total]')?.textContent ?? 0) > 3, null, { timeout: 20_000 });
    // Another task with Policy: its own bundled policy takes over.
    await page.getByLabel('Task').selectOption('L3');
    await page.waitForFunction(() => /\(L3-q\.json\) plays/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
    assert.match(await textOf(page, 'policy-summary'), /from bundled L3-q\.json$/);
  }, { shot: 'triage-bundled-policy' });
});

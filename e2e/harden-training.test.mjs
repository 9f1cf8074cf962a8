// End-to-end tests of learning in the Hardening tab (issue 13 items 6 and 9): train Lagrangian
// Q-learning (breakage as the cost) on seed001 in the page's worker and see its curves, inspect
// the trained policy (what it reads in the twin's state, the value of each of the seven actions,
// the change it would propose), watch it propose, export its policy file and the episode: the
// file is byte-identical to `ztgym train --env harden`, the CLI reads it (`eval`, and `run`
// gives the page's trajectory), and a CLI-trained file loads in the page and plays.
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

const EPISODES = '300';

const link = ({ scenario = 'seed001', seed = 3, agent = 'human', speed = 'max' } = {}) =>
  `${dist.url}#v=1&scenario=${scenario}&seed=${seed}&stage=sandbox&agent=${agent}&speed=${speed}&env=harden`;
const byTestId = (page, id) => page.getByTestId(id);
const button = (page, name) => page.getByRole('button', { name, exact: true });
const textOf = async (page, id) => (await byTestId(page, id).first().textContent()).trim();
const agentSelect = (page) => page.getByRole('combobox', { name: 'Agent', exact: true });

async function scratch(t) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ztgym-e2e-harden-train-'));
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
    { timeout: 60_000 },
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

/** Plays the episode to its end (the player stops by itself). */
async function playToTheEnd(page) {
  await button(page, 'Play').click();
  await page.waitForFunction(() => {
    const [k, n] = document.querySelector('[data-testid=cycle]').textContent.split(' / ').map(Number);
    return k === n;
  }, null, { timeout: 30_000 });
  await button(page, 'Play').waitFor();
}

test('harden: train on seed001 in the page, see the curves, inspect the policy, watch it propose, export its file', async (t) => {
  const dir = await scratch(t);
  const cliPolicy = path.join(dir, 'cli.json');
  const fromCli = ztgym('train', '--env', 'harden', '--scenario', 'seed001', '--agent', 'q-lagrangian',
    '--episodes', EPISODES, '--seed', '0', '--out', cliPolicy);
  fromCli.catch(() => {});
  let pagePolicy;
  let pageTrajectory;
  await withPage(t, dist.browser, link(), async (page) => {
    await dismissIntro(page);
    assert.match(await textOf(page, 'policy-none'), /Train or load a policy for scenario seed001/);
    assert.equal(await byTestId(page, 'train-kind').inputValue(), 'q-lagrangian');
    await byTestId(page, 'train-episodes').fill(EPISODES);
    await byTestId(page, 'train').click();

    // The curves grow point by point (a slow start), then training finishes.
    const first = await waitForPointsAbove(page, 2);
    assert.ok((await waitForPointsAbove(page, first)) > first);
    await page.waitForFunction(
      () => document.querySelector('[data-testid=train-status]')?.textContent.startsWith('Finished'),
      null,
      { timeout: 120_000 },
    );
    const speed = await textOf(page, 'train-progress');
    assert.match(speed, new RegExp(`^${EPISODES} / ${EPISODES} episodes`));
    t.diagnostic(`harden seed001 q-lagrangian in the page's worker: ${speed}`);
    console.log(`harden-train-bench: ${speed}`);
    assert.ok(Number(await byTestId(page, 'curve-return').getAttribute('data-points')) > 20);
    assert.ok(Number(await byTestId(page, 'curve-lambda').getAttribute('data-points')) > 0, 'λ is drawn');
    assert.equal((await byTestId(page, 'curve-cost').locator('figcaption').textContent()).trim(), 'Cost (breakage) per episode');

    // The trained policy is the tab's and proposes as the agent.
    await page.waitForFunction((n) =>
      document.querySelector('[data-testid=policy-summary]')?.textContent.includes(`q-lagrangian, ${n} episodes`), EPISODES,
    );
    assert.equal(await agentSelect(page).inputValue(), 'policy');
    assert.ok(await button(page, 'Propose').isDisabled(), 'the policy proposes, not the person');

    // Inspection: the states it met, and on the twin on screen what it reads, the value of each
    // of seed 001's seven actions, and the change it would propose.
    assert.ok((await byTestId(page, 'policy-state').count()) > 0, 'states visited in training');
    const heads = await byTestId(page, 'policy-states').locator('thead th').allTextContents();
    assert.deepEqual(heads.slice(0, 5), ['risk', 'public_exposure', 'broad_permission', 'identity_gap', 'attack']);
    assert.equal(await byTestId(page, 'policy-bar').count(), 7);
    assert.equal(await page.locator('[data-testid=policy-bar].chosen').count(), 1);
    assert.equal(await byTestId(page, 'policy-features').locator('li').count(), 5);
    assert.match(await byTestId(page, 'policy-features').textContent(), /risk: (low|medium|high|critical)/);
    const chosen = await page.locator('[data-testid=policy-bar].chosen').getAttribute('data-action');
    assert.ok((await textOf(page, 'policy-decision')).startsWith(chosen), chosen);
    assert.match(await textOf(page, 'policy-who'), /It proposes in this run/);
    assert.match(await textOf(page, 'policy-state-now'), /^Now in state \d+/);

    // Watch it propose to the end of the episode; its first proposal is the one inspected.
    const inspected = chosen;
    await playToTheEnd(page);
    pageTrajectory = await download(page, dir, button(page, 'Export trajectory'));
    assert.equal(pageTrajectory.name, 'ztgym-harden-seed001-sandbox-policy-seed3.jsonl');
    // Line 1 is the header (the trajectory format's); line 2 the first step.
    const firstStep = JSON.parse(pageTrajectory.text.split('\n')[1]);
    assert.equal(firstStep.action.id, inspected);

    pagePolicy = await download(page, dir, byTestId(page, 'policy-export'));
    assert.equal(pagePolicy.name, `ztgym-policy-seed001-q-lagrangian-${EPISODES}ep.json`);
    const file = JSON.parse(pagePolicy.text);
    assert.equal(file.env, 'harden');
    assert.equal(file.scenario, 'seed001');
    assert.equal(file.training.episodes, Number(EPISODES));
  });

  // The page's file is the CLI's, byte for byte; the CLI plays it as the page played it.
  await fromCli;
  assert.equal(pagePolicy.text, await readFile(cliPolicy, 'utf8'), 'same learner, scenario and seed: same policy file');
  const { stdout } = await ztgym('eval', '--env', 'harden', '--scenario', 'seed001', '--policy', pagePolicy.path,
    '--episodes', '3', '--json');
  const report = JSON.parse(stdout);
  assert.equal(report.episodes, 3);
  const trajectory = path.join(dir, 'cli.jsonl');
  await ztgym('run', '--env', 'harden', '--scenario', 'seed001', '--policy', pagePolicy.path, '--seed', '3',
    '--trajectory', trajectory);
  assert.equal(pageTrajectory.text, await readFile(trajectory, 'utf8'), 'the page played the CLI\'s episode');

  // And the other way: a CLI-trained file loads in the page and proposes.
  await withPage(t, dist.browser, link({ seed: 4 }), async (page) => {
    await dismissIntro(page);
    await byTestId(page, 'policy-file').setInputFiles(cliPolicy);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=notice]')?.textContent.includes('Policy loaded'),
    );
    assert.equal(await agentSelect(page).inputValue(), 'policy');
    assert.match(await textOf(page, 'policy-summary'), new RegExp(`^q-lagrangian, ${EPISODES} episodes, from .*cli\\.json$`));
    await playToTheEnd(page);
    // A reload finds the policy kept, and the link (agent=policy) plays it again.
    assert.match(page.url(), /agent=policy/);
    await page.reload();
    await dismissIntro(page);
    assert.equal(await agentSelect(page).inputValue(), 'policy');
    assert.match(await textOf(page, 'policy-summary'), /^q-lagrangian, /);
    assert.equal(await byTestId(page, 'policy-bar').count(), 7);
  });
});

test('harden: agent=policy in a fresh browser plays seed 001\'s bundled policy; a policy of another action set is refused by name; without a policy the person proposes', async (t) => {
  const dir = await scratch(t);
  const podPolicy = path.join(dir, 'pods.json');
  await ztgym('train', '--env', 'harden', '--scenario', 'uc02-pod-security', '--agent', 'q', '--episodes', '5',
    '--seed', '0', '--out', podPolicy);
  await withPage(t, dist.browser, link({ agent: 'policy' }), async (page) => {
    await dismissIntro(page);
    // Nothing kept in this browser: the policy bundled with the page for seed 001 plays.
    assert.match(await textOf(page, 'notice'), /No policy for seed001 is kept in this browser: the one bundled with the page \(seed001-q\.json\) plays/);
    assert.equal(await agentSelect(page).inputValue(), 'policy');
    assert.match(await textOf(page, 'policy-summary'), /^q, \d+ episodes, from bundled seed001-q\.json$/);
    await playToTheEnd(page);
    await byTestId(page, 'policy-file').setInputFiles(podPolicy);
    await page.waitForFunction(() =>
      /uc02-pod-security/.test(document.querySelector('.panel-policy [data-testid=notice]')?.textContent ?? ''),
    );
    assert.equal(await agentSelect(page).inputValue(), 'policy', 'the refused file changed nothing');

    // On its own scenario (another action set: the panels are that set's), it loads and plays.
    await page.getByLabel('Scenario').selectOption('uc02-pod-security');
    await byTestId(page, 'policy-file').setInputFiles(podPolicy);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=notice]')?.textContent.includes('Policy loaded'),
    );
    assert.equal(await agentSelect(page).inputValue(), 'policy');
    assert.equal(await byTestId(page, 'policy-bar').count(), 10, 'seed 001\'s seven actions and three pod ones');
    assert.match(await byTestId(page, 'policy-features').textContent(), /posture_gap: /);
    await playToTheEnd(page);
    // On uc04, whose action set has no policy kept or bundled: a person proposes, and the
    // panels say so.
    await page.getByLabel('Scenario').selectOption('uc04-waf-tuning');
    assert.match(await textOf(page, 'notice'), /There is no policy for scenario uc04-waf-tuning: you propose/);
    assert.equal(await agentSelect(page).inputValue(), 'human');
    assert.match(await textOf(page, 'policy-none'), /Train or load a policy for scenario uc04-waf-tuning/);
  });
});

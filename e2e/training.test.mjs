// End-to-end tests of agent policies in the page (issue 5): train in the Web Worker and watch the
// curves grow, stop and resume, export, reload, load the file and play it identically; a policy
// trained in the page equals the CLI's byte for byte; a CLI-trained file plays as the CLI plays
// it; broken files (picked or dropped) are refused with clear errors while the page keeps working.
//
// scripts/test.sh builds dist/ first (trunk build --release --offline).

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { REPO_ROOT, withPage } from './support/browser.mjs';
import { ztgym } from './support/cli.mjs';
import { serveDist } from './support/dist.mjs';

const BUNDLED = path.join(REPO_ROOT, 'assets', 'policies', 'classic-q-lagrangian.json');

const dist = serveDist();

const link = ({ seed = 1, agent = 'human', speed = 'max' } = {}) =>
  `${dist.url}#v=1&scenario=classic&level=warmup&seed=${seed}&agent=${agent}&speed=${speed}`;
const byTestId = (page, id) => page.getByTestId(id);
const button = (page, name) => page.getByRole('button', { name, exact: true });
const textOf = async (page, id) => (await byTestId(page, id).textContent()).trim();

async function scratch(t) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ztgym-e2e-train-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Closes the first-visit intro if it shows (local storage may remember it was closed). */
async function dismissIntro(page) {
  const gotIt = button(page, 'Got it');
  if (await gotIt.isVisible()) await gotIt.click();
}

/** Types a number into a field and commits it, as a person tabbing on would. */
async function setNumber(page, id, value) {
  const input = byTestId(page, id);
  await input.fill(String(value));
  await input.press('Tab');
}

const curvePoints = (page) =>
  page.evaluate(() => Number(document.querySelector('[data-testid=curve-return]')?.dataset.points ?? 0));

/** Waits until the return curve has more than `n` drawn points. */
async function waitForPointsAbove(page, n) {
  await page.waitForFunction(
    (was) => Number(document.querySelector('[data-testid=curve-return]')?.dataset.points ?? 0) > was,
    n,
    { timeout: 30_000 },
  );
  return curvePoints(page);
}

async function waitForTrainStatus(page, prefix) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid=train-status]')?.textContent.trim().startsWith(want),
    prefix,
    { timeout: 60_000 },
  );
}

/** Waits until the policy trained over `episodes` episodes is the tab's policy and plays. */
async function waitForTrainedPolicy(page, episodes) {
  await page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid=policy-summary]')?.textContent.includes(`${n} episodes`) &&
      document.querySelector('[data-testid=agent-select]')?.value === 'policy',
    episodes,
  );
}

/** `[done, total]` from the progress line "done / total episodes · …". */
async function progress(page) {
  const match = (await textOf(page, 'train-progress')).match(/^(\d+) \/ (\d+) episodes/);
  assert.ok(match, 'the progress line names the episodes done and in all');
  return [Number(match[1]), Number(match[2])];
}

/** Clicks a button that downloads a file; returns its name and text. */
async function download(page, dir, locator) {
  const [file] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const where = path.join(dir, `${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(where);
  return { name: file.suggestedFilename(), text: await readFile(where, 'utf8'), path: where };
}

/** Plays the agent at maximum speed to the end of the episode, then exports the trajectory. */
async function playAndExport(page, dir) {
  await button(page, 'Play').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid=episode-status]')?.textContent.trim() !== 'running',
    null,
    { timeout: 20_000 },
  );
  await button(page, 'Play').waitFor();
  return download(page, dir, button(page, 'Export trajectory'));
}

const agentChoice = (page) => byTestId(page, 'agent-select').inputValue();

test('train in the page, watch the curves grow, stop, resume, export, reload, load and play the same', async (t) => {
  const dir = await scratch(t);
  await withPage(t, dist.browser, link({ seed: 5 }), async (page) => {
    await dismissIntro(page);
    assert.equal(await curvePoints(page), 0);
    await setNumber(page, 'train-episodes', 2_000_000);
    await byTestId(page, 'train').click();

    // The curves grow while the page stays usable.
    const first = await waitForPointsAbove(page, 2);
    const later = await waitForPointsAbove(page, first);
    assert.ok(later > first);
    for (const id of ['curve-cost', 'curve-compliance', 'curve-success', 'curve-lambda']) {
      assert.ok(Number(await byTestId(page, id).getAttribute('data-points')) > 0, `${id} is drawn`);
    }
    await byTestId(page, 'train-stop').click();
    await waitForTrainStatus(page, 'Stopped');
    const [stoppedAt, total] = await progress(page);
    assert.equal(total, 2_000_000);
    assert.ok(stoppedAt > 0 && stoppedAt < total, `stopped part way (${stoppedAt} of ${total})`);
    await waitForTrainedPolicy(page, stoppedAt); // the policy so far plays as the agent

    // Resume goes on from there, and stopping again keeps the episodes trained.
    const points = await curvePoints(page);
    await byTestId(page, 'train-resume').click();
    await waitForPointsAbove(page, points);
    await byTestId(page, 'train-stop').click();
    await waitForTrainStatus(page, 'Stopped');
    const [done] = await progress(page);
    assert.ok(done > stoppedAt, `resumed past ${stoppedAt} (now ${done})`);
    await waitForTrainedPolicy(page, done);

    const exported = await download(page, dir, byTestId(page, 'policy-export'));
    assert.match(exported.name, /^ztgym-policy-classic-q-lagrangian-\d+ep\.json$/);
    const file = JSON.parse(exported.text);
    assert.equal(file.format, 'ztgym-policy');
    assert.equal(file.training.episodes, done);
    const before = await playAndExport(page, dir);

    // After a reload, the exported file loads through the file picker and plays identically.
    await page.reload();
    await page.locator('.app-shell').waitFor();
    await dismissIntro(page);
    await byTestId(page, 'policy-file').setInputFiles(exported.path);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=notice]')?.textContent.includes('Policy loaded'),
    );
    assert.equal(await agentChoice(page), 'policy');
    const after = await playAndExport(page, dir);
    assert.equal(after.name, before.name);
    assert.ok(after.text.length > 0);
    assert.equal(after.text, before.text, 'the reloaded policy plays the same trajectory');
  });
});

test('a policy trained in the page is byte-identical to the CLI\'s', async (t) => {
  const dir = await scratch(t);
  const out = path.join(dir, 'cli.json');
  const fromCli = ztgym('train', '--scenario', 'classic', '--agent', 'q-lagrangian', '--episodes', '300',
    '--seed', '4', '--level', 'warmup', '--out', out);
  fromCli.catch(() => {});
  let fromPage;
  await withPage(t, dist.browser, link(), async (page) => {
    await dismissIntro(page);
    await setNumber(page, 'train-episodes', 300);
    await page.getByLabel('Training seed').fill('4');
    await page.getByLabel('Training seed').press('Tab');
    await byTestId(page, 'train').click();
    await waitForTrainStatus(page, 'Finished');
    assert.deepEqual(await progress(page), [300, 300]);
    await waitForTrainedPolicy(page, 300);
    fromPage = await download(page, dir, byTestId(page, 'policy-export'));
  });
  await fromCli;
  assert.equal(fromPage.text, await readFile(out, 'utf8'), 'same config and seed, same policy file');
});

test('a CLI-trained policy file loads, explains itself and plays as the CLI plays it', async (t) => {
  const dir = await scratch(t);
  const trajectory = path.join(dir, 'cli.jsonl');
  const fromCli = ztgym('run', '--scenario', 'classic', '--policy', BUNDLED, '--seed', '7', '--level', 'warmup',
    '--trajectory', trajectory);
  fromCli.catch(() => {});
  await withPage(t, dist.browser, link({ seed: 7 }), async (page) => {
    await dismissIntro(page);
    await byTestId(page, 'policy-file').setInputFiles(BUNDLED);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=notice]')?.textContent.includes('Policy loaded'),
    );
    assert.equal(await agentChoice(page), 'policy');
    // The value of each of the seven actions, one of them chosen.
    assert.equal(await byTestId(page, 'policy-bar').count(), 7);
    assert.equal(await page.locator('[data-testid=policy-bar].chosen').count(), 1);
    assert.ok((await byTestId(page, 'policy-states').locator('tbody tr').count()) > 0);
    const played = await playAndExport(page, dir);
    await fromCli;
    assert.equal(played.text, await readFile(trajectory, 'utf8'));
  });
});

test('broken policy files are refused with clear errors and the page keeps working', async (t) => {
  const good = await readFile(BUNDLED, 'utf8');
  const enterprise = await readFile(path.join(REPO_ROOT, 'assets', 'policies', 'enterprise-q-lagrangian.json'), 'utf8');
  const firstNumber = good.indexOf('"q_reward"');
  const numberAt = good.slice(firstNumber).search(/-?\d/) + firstNumber;
  const numberEnd = numberAt + good.slice(numberAt).search(/[,\]\s]/);
  const withoutKind = JSON.parse(good);
  delete withoutKind.kind;
  const cases = [
    ['truncated.json', good.slice(0, 2000), /truncated\.json: the JSON ends too early/],
    ['version.json', good.replace('"version": 1', '"version": 7'), /version\.json: version: version 7 is not supported/],
    ['scenario.json', enterprise, /scenario\.json: scenario: the policy was trained on "enterprise"/],
    ['missing.json', JSON.stringify(withoutKind), /missing\.json: kind: missing/],
    ['nan.json', good.slice(0, numberAt) + 'NaN' + good.slice(numberEnd), /nan\.json: parameters\.q_reward\[0\]\[0\]: NaN is not a number/],
  ];
  await withPage(t, dist.browser, link({ seed: 2 }), async (page) => {
    await dismissIntro(page);
    for (const [name, text, expected] of cases) {
      await byTestId(page, 'policy-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
      const notice = byTestId(page, 'notice');
      await page.waitForFunction((n) => document.querySelector('[data-testid=notice]')?.textContent.includes(n), name);
      assert.match(await notice.textContent(), expected);
      assert.equal(await agentChoice(page), 'human', `${name} changed nothing`);
    }
    // Dropped on the panel, a broken file is refused the same way.
    await byTestId(page, 'policy-drop-zone').evaluate((zone, text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, cases[0][1]);
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent.includes('dropped.json'));
    assert.match(await byTestId(page, 'notice').textContent(), /dropped\.json: the JSON ends too early/);

    // The page still works: a good file dropped the same way plays to success.
    await byTestId(page, 'policy-drop-zone').evaluate((zone, text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'good.json', { type: 'application/json' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, good);
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent.includes('Policy loaded'));
    assert.equal(await agentChoice(page), 'policy');
    await button(page, 'Play').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=episode-status]')?.textContent.trim() === 'success',
      null,
      { timeout: 20_000 },
    );
  });
});

// End-to-end tests of training people can watch (issue 10, item 5): a run's first curve points
// arrive one at a time over about two seconds, then at full speed; the curves are large, with
// an episode axis and a smoothed line over the raw one; every hyperparameter has a name and a
// one-line explanation, and a bad value (a hyperparameter, the episodes, the training seed) is
// refused where it is typed (a message under the field, Train disabled until it is fixed).
//
// scripts/test.sh builds dist/ first (trunk build --release --offline).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { withPage } from './support/browser.mjs';
import { serveDist } from './support/dist.mjs';

const dist = serveDist();

const link = (seed = 1) => `${dist.url}#v=1&scenario=classic&level=warmup&seed=${seed}&agent=human&speed=max`;
const byTestId = (page, id) => page.getByTestId(id);
const button = (page, name) => page.getByRole('button', { name, exact: true });
const textOf = async (page, id) => (await byTestId(page, id).textContent()).trim();

const LAGRANGIAN_FIELDS = [
  'alpha', 'gamma', 'epsilon_start', 'epsilon_end', 'epsilon_decay_episodes', 'cost_gamma',
  'cost_budget', 'lambda_lr', 'lambda_init', 'lambda_max', 'mask',
];

async function dismissIntro(page) {
  const gotIt = button(page, 'Got it');
  if (await gotIt.isVisible()) await gotIt.click();
}

/** Types `text` into a hyperparameter field, key by key, as a person would. */
async function typeInto(page, name, text) {
  const field = byTestId(page, `hyper-${name}`);
  await field.fill('');
  await field.pressSequentially(text);
}

const problemOf = (page, name) => byTestId(page, `hyper-problem-${name}`);

test('hyperparameters are named and explained; bad values are refused where they are typed', async (t) => {
  await withPage(t, dist.browser, link(), async (page) => {
    await dismissIntro(page);
    await page.locator('details.hyperparameters summary').click();
    for (const name of LAGRANGIAN_FIELDS) {
      const label = page.locator('label.hyper-field', { has: byTestId(page, `hyper-${name}`) });
      assert.equal(await label.count(), 1, name);
      const title = (await label.locator('.hyper-name').innerText()).trim();
      assert.ok(title.includes(name) && title.length > name.length + 3, `${name} has a name: "${title}"`);
      const about = (await label.locator('.hyper-about').innerText()).trim();
      assert.ok(about.length > 20 && about.endsWith('.'), `${name} is explained: "${about}"`);
    }
    const train = byTestId(page, 'train');
    assert.ok(await train.isEnabled());

    await typeInto(page, 'alpha', 'fast');
    assert.match(await problemOf(page, 'alpha').innerText(), /expects a number, found "fast"/);
    assert.equal(await byTestId(page, 'hyper-alpha').inputValue(), 'fast', 'the field keeps what was typed');
    assert.equal(await byTestId(page, 'hyper-alpha').getAttribute('aria-invalid'), 'true');
    assert.ok(await train.isDisabled(), 'Train waits for a fix');
    assert.ok(await byTestId(page, 'train-blocked').isVisible());

    await typeInto(page, 'alpha', '1.5');
    assert.match(await problemOf(page, 'alpha').innerText(), /must be a number in \[0, 1\], found 1\.5/);
    assert.ok(await train.isDisabled());

    await typeInto(page, 'lambda_init', '500');
    assert.match(await problemOf(page, 'lambda_init').innerText(), /must not exceed lambda_max/);
    await typeInto(page, 'epsilon_decay_episodes', '12.5');
    assert.match(await problemOf(page, 'epsilon_decay_episodes').innerText(), /whole number/);

    // Fixed one by one: Train comes back only when every field reads.
    await typeInto(page, 'alpha', '0.25');
    await typeInto(page, 'lambda_init', '0');
    assert.equal(await problemOf(page, 'alpha').count(), 0);
    assert.ok(await train.isDisabled(), 'one field is still wrong');
    await typeInto(page, 'epsilon_decay_episodes', '300');
    assert.equal(await page.locator('[data-testid^=hyper-problem-]').count(), 0);
    assert.equal(await byTestId(page, 'train-blocked').count(), 0);
    assert.ok(await train.isEnabled());
    assert.equal(await page.getByTestId('notice').count(), 0, 'no message at the top of the page');

    // Episodes and the training seed are refused where they are typed too.
    const episodes = byTestId(page, 'train-episodes');
    await episodes.fill('0');
    assert.match(await byTestId(page, 'train-episodes-problem').innerText(), /at least 1/);
    assert.ok(await train.isDisabled());
    await byTestId(page, 'train-seed').fill('-1');
    assert.match(await byTestId(page, 'train-seed-problem').innerText(), /from 0 upwards/);
    await byTestId(page, 'train-seed').fill('0');
    assert.equal(await byTestId(page, 'train-seed-problem').count(), 0);
    assert.ok(await train.isDisabled(), 'episodes still wrong');

    // The values typed are the ones trained with.
    await episodes.fill('200');
    await episodes.press('Tab');
    assert.equal(await byTestId(page, 'train-episodes-problem').count(), 0);
    assert.ok(await train.isEnabled());
    await train.click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=train-status]')?.textContent.startsWith('Finished'),
      null,
      { timeout: 60_000 },
    );
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'policy-export').click()]);
    const file = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(file.training.hyperparameters.alpha, 0.25);
    assert.equal(file.training.hyperparameters.epsilon_decay_episodes, 300);

    // Defaults clears what was typed, for another learner too.
    await typeInto(page, 'gamma', 'x');
    await byTestId(page, 'train-kind').selectOption('q');
    assert.equal(await page.locator('[data-testid^=hyper-problem-]').count(), 0);
    assert.equal(await byTestId(page, 'hyper-lambda_max').count(), 0, 'Q-learning has no multiplier');
    assert.equal(await byTestId(page, 'hyper-gamma').inputValue(), '0.95');
  });
});

test('training starts slowly enough to watch the curves form, then runs at full speed', async (t) => {
  await withPage(t, dist.browser, link(3), async (page) => {
    await dismissIntro(page);
    assert.equal(await byTestId(page, 'train-pace').inputValue(), 'slow-start', 'the default pace');
    const episodes = byTestId(page, 'train-episodes');
    await episodes.fill('40000');
    await episodes.press('Tab');

    // Every value the return curve's drawn-points count takes, with when the page saw it: a
    // MutationObserver records each change, so none is missed however busy the page is.
    // Watched from before the click, so the first point is seen too.
    await page.evaluate(() => {
      window.__timeline = new Promise((resolve) => {
        const card = document.querySelector('[data-testid=curve-return]');
        const started = performance.now();
        const seen = [];
        const observer = new MutationObserver((records) => {
          const now = performance.now() - started;
          // Each record holds the value before its change; the last change's is the current.
          const values = records.slice(1).map((r) => Number(r.oldValue));
          values.push(Number(card.dataset.points));
          for (const v of values) seen.push([now, v]);
          if (values.at(-1) >= 60 || now > 30_000) {
            observer.disconnect();
            resolve(seen);
          }
        });
        observer.observe(card, { attributes: true, attributeFilter: ['data-points'], attributeOldValue: true });
      });
    });
    await byTestId(page, 'train').click();
    const timeline = await page.evaluate(() => window.__timeline);
    const firstAt = timeline.find(([, n]) => n >= 1)?.[0];
    const twentiethAt = timeline.find(([, n]) => n >= 20)?.[0];
    assert.ok(firstAt !== undefined && twentiethAt !== undefined, JSON.stringify(timeline.slice(-5)));
    // 19 waits of 100 ms in the worker between the first 20 points (1.9 s), less what a busy
    // page may delay the first one by.
    assert.ok(twentiethAt - firstAt >= 1500, `the first 20 points took ${twentiethAt - firstAt} ms`);
    const values = timeline.map(([, n]) => n);
    const upTo20 = values.slice(0, values.findIndex((n) => n >= 20) + 1);
    assert.deepEqual(upTo20, upTo20.map((_, k) => k + 1), 'one point at a time at first');
    const steps = values.slice(1).map((n, k) => n - values[k]);
    assert.ok(steps.some((d) => d > 1), 'then several points per message: full speed');

    await byTestId(page, 'train-stop').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=train-status]')?.textContent.startsWith('Stopped'));

    // Larger curves, an episode axis, a smoothed line over the raw one.
    const card = byTestId(page, 'curve-return');
    const plot = await card.locator('svg.curve').boundingBox();
    assert.ok(plot.width >= 280 && plot.height >= 130, `a large plot (${plot.width}x${plot.height})`);
    const drawn = Number(await card.getAttribute('data-points'));
    const polylinePoints = async (selector) =>
      (await card.locator(selector).getAttribute('points')).trim().split(/\s+/).length;
    assert.equal(await polylinePoints('polyline.curve-raw'), drawn);
    assert.equal(await polylinePoints('polyline.curve-smooth'), drawn);
    const raw = await card.locator('polyline.curve-raw').getAttribute('points');
    const smooth = await card.locator('polyline.curve-smooth').getAttribute('points');
    assert.notEqual(raw, smooth, 'the smoothed line is not the raw one');
    const last = (await textOf(page, 'curve-return-last')).match(/at episode (\d+)/)[1];
    const axis = await byTestId(page, 'curve-return-x-axis').locator('span').allInnerTexts();
    assert.deepEqual(axis, ['0', String(Math.round(Number(last) / 2)), last, 'episodes']);
    // Each label sits at its tick (issue 23: the last one was at ~60% of the plot).
    const ticks = await byTestId(page, 'curve-return-x-axis').locator('span.curve-x-tick').evaluateAll((spans) =>
      spans.map((e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, centre: r.left + r.width / 2 }; }),
    );
    assert.ok(Math.abs(ticks[0].left - plot.x) <= 2, `0 at the plot's left (${ticks[0].left} vs ${plot.x})`);
    const middle = plot.x + (plot.width * Math.round(Number(last) / 2)) / Number(last);
    assert.ok(Math.abs(ticks[1].centre - middle) <= 3, `the middle label at its tick (${ticks[1].centre} vs ${middle})`);
    assert.ok(Math.abs(ticks[2].right - (plot.x + plot.width)) <= 2, `the last label at the plot's right (${ticks[2].right})`);
  });
});

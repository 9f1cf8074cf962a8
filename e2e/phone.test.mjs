// End-to-end tests of the page on a phone and of its scores (issue 23, items 4 and 5). At
// 390x844, for each tab: the intro leaves most of the first screen free; with it put away, the
// picture, the caption, the person's actions (and Triage's grade card) are drawn inside the
// viewport, nothing in them or in the HUD is cut sideways, every touch target is at least 40 px
// (a radio or checkbox counts by its label), and after an action the result (the caption) is
// in view below the sticky HUD. The Triage grade card: nothing graded before the first
// decision, "so far" after it, the final grade with the list of mistakes at the end, a mistake
// a click from its replay. The HUD of every environment counts episodes with a rate and a mean
// once an agent keeps going. Screenshots are kept in test-output/e2e/phone-*.png.
//
// scripts/test.sh builds dist/ first (trunk build --release --offline).

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { SCREENSHOT_DIR, withPage } from './support/browser.mjs';
import { serveDist } from './support/dist.mjs';

const dist = serveDist();

const PHONE = { width: 390, height: 844 };

const TABS = {
  sre: { link: 'scenario=classic&level=warmup&seed=1', picture: '#service-graph', actions: '.stage-actions' },
  harden: { link: 'scenario=uc01-network-exposure&seed=1&stage=sandbox', picture: '#harden-twin', actions: '.stage-actions' },
  triage: { link: 'task=L1&seed=3', picture: '#inbox', actions: '.stage-actions', grade: '[data-testid=grade]' },
};

const link = (env, { agent = 'human', speed = 'normal', extra = '' } = {}) =>
  `${dist.url}#v=1&${TABS[env].link}&agent=${agent}&speed=${speed}${extra}&env=${env}`;

const button = (page, name) => page.getByRole('button', { name, exact: true });
const textOf = async (page, id) => (await page.getByTestId(id).first().textContent()).trim();

async function shoot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

async function dismissIntro(page) {
  const gotIt = button(page, 'Got it');
  if (await gotIt.isVisible()) await gotIt.click();
}

/** The box of the first element `selector` names, and whether its content is cut sideways. */
async function boxOf(page, selector) {
  return page.evaluate((s) => {
    const e = document.querySelector(s);
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height, cutSideways: e.scrollWidth > e.clientWidth + 1 };
  }, selector);
}

function assertInside(box, what) {
  assert.ok(box && box.width > 0 && box.height > 0, `${what} is drawn (${JSON.stringify(box)})`);
  const inside =
    box.x >= -0.5 && box.y >= -0.5 && box.x + box.width <= PHONE.width + 0.5 && box.y + box.height <= PHONE.height + 0.5;
  assert.ok(inside, `${what} ${JSON.stringify(box)} is inside ${PHONE.width}x${PHONE.height}`);
  assert.ok(!box.cutSideways, `${what} is not cut sideways`);
}

/** Every HUD value shows whole: no cell or value wider than its box. */
async function assertHudWhole(page, what) {
  const cut = await page.evaluate(() =>
    [...document.querySelectorAll('.stage .hud dl > div')]
      .filter((d) => getComputedStyle(d).display !== 'none')
      .flatMap((d) => [d, ...d.querySelectorAll('dd')])
      .filter((e) => e.scrollWidth > e.clientWidth + 1)
      .map((e) => `${e.textContent.trim()} (${e.scrollWidth} > ${e.clientWidth})`),
  );
  assert.deepEqual(cut, [], `${what}: HUD values cut`);
}

/** Controls a finger presses smaller than 40 px (a radio or checkbox by its label). */
async function smallTargets(page) {
  return page.evaluate(() => {
    const small = [];
    for (const e of document.querySelectorAll('button, select, input, textarea, summary, a[href]')) {
      if (e.classList.contains('visually-hidden') || e.type === 'hidden') continue;
      let r = e.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const label = e.closest('label');
      if ((e.type === 'radio' || e.type === 'checkbox') && label) r = label.getBoundingClientRect();
      if (r.width < 40 || r.height < 40) {
        const name = e.getAttribute('aria-label') || e.textContent.trim().slice(0, 24) || e.type;
        small.push(`${e.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
    }
    return small;
  });
}

/** The caption's box is in view and not under the sticky HUD. */
async function assertResultInView(page, what) {
  await page.waitForTimeout(300);
  const caption = await boxOf(page, '.stage .caption');
  const hud = await boxOf(page, '.stage .hud');
  assert.ok(caption.y >= hud.y + hud.height - 1, `${what}: the caption (y ${caption.y}) is below the HUD (${hud.y + hud.height})`);
  assert.ok(caption.y + Math.min(caption.height, 60) <= PHONE.height, `${what}: the caption's first lines are in view (y ${caption.y})`);
}

/** A person's action on each tab. */
const ACT = {
  sre: async (page) => button(page, 'Wait').click(),
  harden: async (page) => button(page, 'Propose').click(),
  triage: async (page) => page.locator('button[data-key=b]').click(),
};

for (const env of Object.keys(TABS)) {
  test(`phone ${env}: the first screen shows the picture, the caption and the actions, whole, with 40 px targets`, async (t) => {
    await withPage(
      t,
      dist.browser,
      link(env),
      async (page) => {
        const intro = await boxOf(page, '[data-testid=intro]');
        assert.ok(intro && intro.height <= PHONE.height / 3, `the intro leaves the first screen free (${intro?.height} px)`);
        await shoot(page, `phone-${env}-intro`);
        await dismissIntro(page);
        await page.evaluate(() => window.scrollTo(0, 0));
        const tab = TABS[env];
        for (const [what, selector] of Object.entries({ picture: tab.picture, caption: '.stage .caption', actions: tab.actions })) {
          assertInside(await boxOf(page, selector), `${env}: the ${what}`);
        }
        await assertHudWhole(page, env);
        const doc = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(doc <= PHONE.width, `${env}: no horizontal scroll (${doc}px)`);
        assert.deepEqual(await smallTargets(page), [], `${env}: touch targets under 40 px`);
        await shoot(page, `phone-${env}-first-screen`);

        // After an action, its result is in view.
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        await page.locator(`${tab.actions} button`).first().scrollIntoViewIfNeeded();
        await ACT[env](page);
        await assertResultInView(page, env);
        await shoot(page, `phone-${env}-after-action`);
      },
      { viewport: PHONE, shot: `phone-${env}-full` },
    );
  });
}

test('phone triage: the grade card shows nothing before the first decision, then so far, then the mistakes', async (t) => {
  await withPage(
    t,
    dist.browser,
    link('triage'),
    async (page) => {
      await dismissIntro(page);
      const card = page.getByTestId('grade');
      assert.equal(await card.getAttribute('data-state'), 'ungraded');
      assert.equal(await textOf(page, 'letter'), '–');
      assert.equal(await textOf(page, 'verdict'), 'Nothing graded yet');
      assert.equal(await page.getByTestId('score').count(), 0, 'no score before a decision');
      assert.equal(await textOf(page, 'cost'), '0', 'no signed zero');
      assert.equal(await textOf(page, 'return'), '0.00', 'no signed zero');
      const box = await boxOf(page, '[data-testid=grade]');
      assert.ok(box.height > 100, `the grade card is drawn whole on a phone (${box.height} px)`);

      await page.locator('button[data-key=b]').click();
      assert.equal(await card.getAttribute('data-state'), 'so-far');
      assert.match(await textOf(page, 'verdict'), /^So far, 1 of \d+ decided$/);
      assert.match(await textOf(page, 'grade-hint'), /if the task stopped now/);
      await card.scrollIntoViewIfNeeded();
      assertInside(await boxOf(page, '[data-testid=grade]'), 'the grade card');
      await shoot(page, 'phone-triage-grade-so-far');
    },
    { viewport: PHONE, shot: 'phone-triage-grade-states' },
  );
});

test('triage: at the end the grade card lists the mistakes, each a click to its replay', async (t) => {
  await withPage(t, dist.browser, link('triage', { agent: 'always-allow', speed: 'max' }), async (page) => {
    await dismissIntro(page);
    await button(page, 'Play').click();
    const card = page.getByTestId('grade');
    await page.waitForFunction(() => document.querySelector('[data-testid=grade]')?.dataset.state === 'final', null, { timeout: 20_000 });
    assert.match(await textOf(page, 'verdict'), /^Failed \(< 0\.\d\d\)$/);
    assert.match(await textOf(page, 'grade-hint'), /^Task L1, final score\. [A-F][+-]? is the letter of 0\.\d{3}; this task passes at 0\.\d\d\./);
    const mistakes = card.getByTestId('mistake');
    const n = await mistakes.count();
    assert.ok(n > 0, 'always allowing lets threats through');
    assert.match(await mistakes.first().textContent(), /^#\d+ Allowed a [a-z ]+ message/);
    const step = Number(await mistakes.nth(n - 1).getAttribute('data-step'));
    await mistakes.nth(n - 1).click();
    const total = (await textOf(page, 'replay-position')).split(' / ')[1];
    assert.equal(await textOf(page, 'replay-position'), `${step} / ${total}`);
    assert.match(await textOf(page, 'replayed'), new RegExp(`^Message ${step + 1} of ${total}: decided Allow, it was .* \\(wrong\\)\\.$`));
    const message = await boxOf(page, '[data-testid=message]');
    assert.ok(message.y >= 0 && message.y < 800, `the replayed message is in view (y ${message.y})`);
  });
});

for (const [env, agent, mean] of [
  ['sre', 'random', /^-?\d+\.\d$/],
  ['harden', 'random', /^-?\d+\.\d$/],
  ['triage', 'random', /^\d\.\d{3}$/],
]) {
  test(`${env}: the HUD counts episodes with a rate and a mean when an agent keeps going`, async (t) => {
    await withPage(t, dist.browser, link(env, { agent, speed: 'max' }), async (page) => {
      await dismissIntro(page);
      assert.equal(await textOf(page, 'mean'), '–', 'no mean before an episode');
      const keep = page.getByLabel('Keep going');
      if (!(await keep.isVisible())) await page.locator('.settings-toggle').click();
      await keep.check();
      await button(page, 'Play').click();
      await page.waitForFunction(() => /^[2-9]|^\d\d/.test(document.querySelector('[data-testid=episodes]')?.textContent ?? ''), null, {
        timeout: 30_000,
      });
      await button(page, 'Pause').click();
      assert.match(await textOf(page, 'episodes'), /^\d+ \(\d+% (success|passed)/);
      assert.match(await textOf(page, 'mean'), mean);
      await assertHudWhole(page, `${env} at 1280x800 after episodes`);
    });
  });
}

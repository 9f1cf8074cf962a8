// End-to-end tests of the lessons in every tab and the course (issue 23, item 1): one lesson
// engine for the three tabs (a lesson's box shows "Step 2 of 5", a check on each step done, and
// the current step's text, which follows the student); lesson links in every tab, an unknown
// lesson named; the course page (#course, from the header) opening each lesson in order; and
// the stage keeping its size while a lesson runs (the box stands beside the picture).
//
// scripts/test.sh builds dist/ first (trunk build --release --offline).

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { SCREENSHOT_DIR, withPage } from './support/browser.mjs';
import { serveDist } from './support/dist.mjs';

const dist = serveDist();

const button = (page, name) => page.getByRole('button', { name, exact: true });
const byTestId = (page, id) => page.getByTestId(id);
const textOf = async (page, id) => (await byTestId(page, id).first().textContent()).trim();
const lessonLink = (env, lesson) => `${dist.url}#v=1&lesson=${lesson}&env=${env}`;

/** Every cue's words the triage scorer reads in a reasoning: naming them all names any cue. */
const EVERY_CUE = 'lookalike sender, shortened link, suspicious link, attachment, urgent, authority, password, payment, prize';

async function shoot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** The lesson box's state: its lesson, progress text, steps done and the current step's text. */
async function lessonState(page) {
  return page.evaluate(() => {
    const box = document.querySelector('[data-testid=lessons]');
    if (!box) return null;
    const steps = [...box.querySelectorAll('[data-testid=lesson-step]')];
    return {
      lesson: box.dataset.lesson,
      finished: box.dataset.finished === 'true',
      progress: box.querySelector('[data-testid=lesson-progress]').textContent.trim(),
      done: steps.filter((s) => s.dataset.done === 'true').length,
      steps: steps.length,
      checks: steps.filter((s) => s.textContent.trim() === '✓').length,
      text: box.querySelector('[data-testid=lesson-explanation]').textContent.trim(),
    };
  });
}

/** Waits until the lesson box has more than `done` steps done. */
async function waitForStepsDone(page, done, timeout = 20_000) {
  await page.waitForFunction(
    (was) => [...document.querySelectorAll('[data-testid=lesson-step]')].filter((s) => s.dataset.done === 'true').length > was,
    done,
    { timeout },
  );
}

/** Asserts the box moved on by one step: progress and checks advance and the text changed. */
function assertAdvanced(before, after) {
  assert.equal(after.done, before.done + 1, `one more step done (${before.progress} -> ${after.progress})`);
  assert.equal(after.checks, after.done, 'a check mark on every step done');
  assert.notEqual(after.text, before.text, 'the text follows the student');
  if (!after.finished) assert.equal(after.progress, `Step ${after.done + 1} of ${after.steps}`);
}

test('a Triage lesson played to its end: read the cues, step by step', async (t) => {
  await withPage(t, dist.browser, lessonLink('triage', 'cues'), async (page) => {
    const box = byTestId(page, 'lessons');
    await box.waitFor({ state: 'visible' });
    assert.equal(await page.getByRole('tab', { name: /^Triage/ }).getAttribute('aria-selected'), 'true');
    assert.equal(await byTestId(page, 'intro').count(), 0, 'the lesson stands in for the intro');
    let state = await lessonState(page);
    assert.equal(state.lesson, 'cues');
    assert.equal(state.progress, 'Step 1 of 4');
    assert.equal(state.done, 0);
    assert.match(state.text, /Read the sender/);
    assert.match(await byTestId(page, 'lesson-link').inputValue(), /#v=1&lesson=cues&env=triage$/);
    assert.equal(await page.getByLabel('Task').inputValue(), 'L1');

    // Block with every cue named until a threat is stopped (steps 1 to 3), then allow until a
    // safe message is allowed (step 4): the box advances one step at a time.
    for (let decisions = 0; !state.finished; decisions += 1) {
      assert.ok(decisions < 40, `the lesson ends within 40 decisions (at ${state.progress})`);
      const allow = state.done >= 3;
      await page.getByRole('textbox', { name: 'Reasoning' }).fill(EVERY_CUE);
      await button(page, allow ? 'Allow' : 'Block').click();
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid=step]')?.textContent.split('/')[0]) >= n, decisions + 1);
      const now = await lessonState(page);
      assert.ok(now.done >= state.done, 'a step done stays done');
      if (now.done > state.done) {
        // A decision may complete two steps at once (a first decision that stops a threat
        // naming its cue): each step passed through still shows its check.
        assert.equal(now.checks, now.done);
        assert.notEqual(now.text, state.text, 'the text follows the student');
      }
      state = now;
    }
    assert.equal(state.done, 4);
    assert.match(state.progress, /^Done, 4 of 4$/);
    assert.match(state.text, /Lesson done/);
  }, { shot: 'lesson-triage-cues-done' });
});

test('a Triage lesson that plays itself: the adversary adapts, then a second run is set up', async (t) => {
  await withPage(t, dist.browser, lessonLink('triage', 'adversary'), async (page) => {
    await byTestId(page, 'lessons').waitFor({ state: 'visible' });
    let state = await lessonState(page);
    assert.equal(state.progress, 'Step 1 of 3');
    assert.equal(await page.getByLabel('Task').inputValue(), 'L3');
    assert.equal(await byTestId(page, 'agent-select').inputValue(), 'always-block');
    await waitForStepsDone(page, 0, 30_000);
    let next = await lessonState(page);
    assertAdvanced(state, next);
    assert.notEqual(await page.locator('[data-testid=adversary]').getAttribute('data-mode'), 'probing', 'it adapted');
    await waitForStepsDone(page, 1, 30_000);
    state = next;
    next = await lessonState(page);
    assertAdvanced(state, next);
    // The third step sets up its own run: the rule-based agent on the same task and seed.
    await page.waitForFunction(() => document.querySelector('[data-testid=agent-select]')?.value === 'rule-based');
    await waitForStepsDone(page, 2, 30_000);
    state = next;
    next = await lessonState(page);
    assert.equal(next.done, 3);
    assert.ok(next.finished);
    assert.equal(next.checks, 3);
  }, { shot: 'lesson-triage-adversary-done' });
});

test('a Hardening lesson played to its end: the gate says no, and why', async (t) => {
  await withPage(t, dist.browser, lessonLink('harden', 'gate-says-no'), async (page) => {
    await byTestId(page, 'lessons').waitFor({ state: 'visible' });
    assert.equal(await page.getByRole('tab', { name: /^Hardening/ }).getAttribute('aria-selected'), 'true');
    const first = await lessonState(page);
    assert.equal(first.progress, 'Step 1 of 2');
    await page.locator('.candidate[data-allowed=false] input[type=radio]').first().check();
    await button(page, 'Propose').click();
    await waitForStepsDone(page, 0);
    const second = await lessonState(page);
    assertAdvanced(first, second);
    assert.match(second.text, /cannot modify break-glass principal/);
    assert.equal(await textOf(page, 'decision'), 'Denied');
    await shoot(page, 'lesson-harden-gate-denied');
    await page.locator('.candidate[data-allowed=true][data-pass=true]').filter({ hasText: 'app-role' }).first().locator('input[type=radio]').check();
    await button(page, 'Propose').click();
    await waitForStepsDone(page, 1);
    const done = await lessonState(page);
    assert.ok(done.finished);
    assert.equal(done.checks, 2);
    assert.equal(done.progress, 'Done, 2 of 2');
  }, { shot: 'lesson-harden-gate-done' });
});

test('a Hardening lesson through the Rego panel: edit the policy to allow a safe change', async (t) => {
  await withPage(t, dist.browser, lessonLink('harden', 'edit-policy'), async (page) => {
    await byTestId(page, 'lessons').waitFor({ state: 'visible' });
    const first = await lessonState(page);
    assert.equal(first.progress, 'Step 1 of 2');
    const breakglass = page.locator('.candidate').filter({ hasText: 'breakglass-admin' }).first();
    assert.equal(await breakglass.getAttribute('data-allowed'), 'false');
    // The edit the step asks for, in the panel as it is.
    const editor = page.locator('#rego-policy-text');
    const shipped = await editor.inputValue();
    const rule = '  input.action.id == "remove_iam_permission"\n';
    assert.ok(shipped.includes(rule));
    await editor.fill(shipped.replace(rule, `${rule}  input.context.environment == "prod"\n`));
    await byTestId(page, 'rego-panel').getByRole('button', { name: 'Apply', exact: true }).click();
    await waitForStepsDone(page, 0);
    const second = await lessonState(page);
    assertAdvanced(first, second);
    assert.equal(await breakglass.getAttribute('data-allowed'), 'true', 'judged again by the edit');
    await breakglass.locator('input[type=radio]').check();
    await button(page, 'Propose').click();
    await waitForStepsDone(page, 1);
    const done = await lessonState(page);
    assert.ok(done.finished && done.checks === 2, JSON.stringify(done));
  }, { shot: 'lesson-harden-edit-policy-done' });
});

test('an SRE lesson played to its end: the demo checks off its steps as the SOP operator works', async (t) => {
  await withPage(t, dist.browser, lessonLink('sre', 'demo'), async (page) => {
    await byTestId(page, 'lessons').waitFor({ state: 'visible' });
    let state = await lessonState(page);
    assert.equal(state.steps, 3);
    for (let k = state.done; k < 3; k += 1) {
      await waitForStepsDone(page, k, 30_000);
      const next = await lessonState(page);
      assert.ok(next.done > k && next.checks === next.done, JSON.stringify(next));
      state = next;
    }
    assert.ok(state.finished);
    assert.equal(await textOf(page, 'episode-status'), 'success');
  }, { shot: 'lesson-sre-demo-done' });
});

test('lesson links in every tab; an unknown lesson is named and the page still opens', async (t) => {
  for (const [env, lesson, tab] of [['sre', 'play', /^SRE/], ['triage', 'warn', /^Triage/], ['harden', 'recommend', /^Hardening/]]) {
    await withPage(t, dist.browser, lessonLink(env, lesson), async (page) => {
      await byTestId(page, 'lessons').waitFor({ state: 'visible' });
      assert.equal(await page.getByRole('tab', { name: tab }).getAttribute('aria-selected'), 'true');
      assert.equal((await lessonState(page)).lesson, lesson);
      assert.equal(await byTestId(page, 'notice').count(), 0, 'no complaint about lesson=');
    }, { shot: `lesson-link-${env}` });
  }
  await withPage(t, dist.browser, lessonLink('triage', 'fly'), async (page) => {
    const notice = byTestId(page, 'notice');
    await notice.waitFor({ state: 'visible' });
    const text = await notice.innerText();
    assert.match(text, /lesson "fly" is not a lesson of this environment/);
    assert.match(text, /cues, warn, adversary/);
    assert.equal(await byTestId(page, 'lessons').count(), 0);
    assert.equal(await page.getByRole('tab', { name: /^Triage/ }).getAttribute('aria-selected'), 'true');
  }, { shot: 'lesson-link-unknown' });
});

test('the course page, from the header, opens each lesson in order', async (t) => {
  await withPage(t, dist.browser, `${dist.url}#v=1&env=sre`, async (page) => {
    await byTestId(page, 'course-link').click();
    const course = byTestId(page, 'course');
    await course.waitFor({ state: 'visible' });
    assert.equal(await byTestId(page, 'course-link').getAttribute('aria-current'), 'page');
    assert.match(await course.locator('.course-summary').textContent(), /^45 minutes, 11 lessons/);
    const items = await page.evaluate(() => [...document.querySelectorAll('[data-testid=course-lesson]')].map((li) => ({
      env: li.dataset.env,
      lesson: li.dataset.lesson,
      note: li.querySelector('.course-note').textContent,
      time: li.querySelector('.course-time').textContent,
    })));
    assert.equal(items.length, 11);
    assert.deepEqual([...new Set(items.map((i) => i.env))], ['sre', 'triage', 'harden'], 'the tabs in order');
    assert.ok(items.every((i) => /^Teacher's note: \S/.test(i.note)), 'a teacher\'s note per lesson');
    assert.match(items[0].time, /^0–\d+ min$/);
    assert.match(items.at(-1).time, /–45 min$/);
    await shoot(page, 'course-page');

    for (const [k, item] of items.entries()) {
      if (k > 0) {
        await byTestId(page, 'course-link').click();
        await course.waitFor({ state: 'visible' });
      }
      await byTestId(page, 'course-open').nth(k).click();
      await page.waitForFunction((want) => document.querySelector('[data-testid=lessons]')?.dataset.lesson === want, item.lesson);
      assert.equal(await page.locator(`[data-testid=env-tab][data-env=${item.env}]`).getAttribute('aria-selected'), 'true', `${item.env}/${item.lesson}`);
      const state = await lessonState(page);
      assert.match(state.progress, /^Step 1 of \d+$|^Step 2 of \d+$/, `${item.lesson} starts at its beginning (${state.progress})`);
      assert.equal(await byTestId(page, 'course').count(), 0);
    }
  });
});

/** The picture's box on a page: the SRE graph's svg, the inbox, the twin. */
const PICTURES = {
  sre: '#service-graph svg.graph',
  triage: '[data-testid=message]',
  harden: '[data-testid=twin]',
};

async function pictureBox(page, env) {
  await page.locator(PICTURES[env]).first().waitFor({ state: 'visible' });
  return page.evaluate((s) => document.querySelector(s).getBoundingClientRect().toJSON(), PICTURES[env]);
}

for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
  test(`the stage keeps its size while a lesson runs (${viewport.width}x${viewport.height})`, async (t) => {
    for (const [env, lesson] of [['sre', 'break-rule'], ['triage', 'cues'], ['harden', 'breakage']]) {
      let without;
      await withPage(t, dist.browser, `${dist.url}#v=1&env=${env}`, async (page) => {
        const gotIt = button(page, 'Got it');
        if (await gotIt.isVisible()) await gotIt.click();
        without = await pictureBox(page, env);
      }, { viewport, shot: `stage-without-lesson-${env}-${viewport.width}` });
      await withPage(t, dist.browser, lessonLink(env, lesson), async (page) => {
        await byTestId(page, 'lessons').waitFor({ state: 'visible' });
        const withLesson = await pictureBox(page, env);
        assert.ok(Math.abs(withLesson.width - without.width) <= 1 && Math.abs(withLesson.height - without.height) <= 1,
          `${env}: the picture keeps its size (${JSON.stringify(without)} without, ${JSON.stringify(withLesson)} with)`);
        const box = await byTestId(page, 'lessons').boundingBox();
        assert.ok(box.x + box.width <= viewport.width + 0.5, `${env}: the lesson box is inside the width`);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scrollWidth <= viewport.width, `${env}: no horizontal scroll (${scrollWidth}px)`);
        if (viewport.width >= 1000) {
          // Beside the picture, on the first screen.
          assert.ok(box.x >= withLesson.x + withLesson.width, `${env}: the box is beside the picture`);
          assert.ok(box.y + box.height <= viewport.height + 0.5, `${env}: the box is on the first screen`);
        } else {
          // After the picture and its caption, before the actions.
          // The picture's visible bottom: a picture taller than its box scrolls inside it.
          const shown = await page.evaluate((s) => {
            let el = document.querySelector(s);
            let bottom = el.getBoundingClientRect().bottom;
            for (let up = el.parentElement; up; up = up.parentElement) {
              if (getComputedStyle(up).overflowY !== 'visible') bottom = Math.min(bottom, up.getBoundingClientRect().bottom);
            }
            return bottom;
          }, PICTURES[env]);
          assert.ok(box.y >= shown - 0.5, `${env}: the box follows the picture (box at ${box.y}, picture shown to ${shown})`);
        }
        await shoot(page, `stage-with-lesson-${env}-${viewport.width}-first-screen`);
        if (env === 'sre') {
          // The graph readable: its nodes as large as without a lesson.
          const node = await page.locator('#service-graph g.node').first().boundingBox();
          assert.ok(node.height >= 24, `a node is ${node.height}px tall`);
        }
      }, { viewport, shot: `stage-with-lesson-${env}-${viewport.width}` });
    }
  });
}

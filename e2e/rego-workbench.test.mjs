// End-to-end test of the Rego workbench (issue 22 item 4) on the Hardening tab, as a policy
// author uses it: a bundle of a policy, a library in another directory, a test module and a
// data document, edited as tabs; a query evaluated on an input typed to ask "what if"; the
// tests run with coverage on the lines; an error in the library shown at its module, line and
// column; the bundle put in force (the gate's candidates judged by it), carried by the share
// link and a reload, saved as a .tar.gz and loaded back. Screenshots in test-output/e2e/.
//
// scripts/test.sh builds dist/ first (trunk build --release --offline).

import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { SCREENSHOT_DIR, withPage } from './support/browser.mjs';
import { serveDist } from './support/dist.mjs';

const dist = serveDist();
const link = () => `${dist.url}#v=1&scenario=uc01-network-exposure&seed=3&stage=prod&agent=human&speed=normal&env=harden`;

const byTestId = (page, id) => page.getByTestId(id);
const textOf = async (page, id) => (await byTestId(page, id).first().textContent()).trim();
const panel = (page) => byTestId(page, 'rego-panel');
const panelButton = (page, name) => panel(page).getByRole('button', { name, exact: true });
const moduleTab = (page, name) => panel(page).getByRole('tab', { name, exact: true });
const editor = (page) => page.locator('#rego-policy-text');

const POLICY = `package hardening.network

import data.lib.ranges

default allow := false

allow if not blocked

blocked if input.action.id in ranges.blocked_actions

deny contains sprintf("%v is blocked by the data", [input.action.id]) if blocked
`;
const LIBRARY = `package lib.ranges

blocked_actions contains a if some a in data.ranges.blocked
`;
const TESTS = `package hardening.network

test_blocked_action_denied if not allow with input as {"action": {"id": "tighten_inbound_rule"}}

test_other_action_allowed if allow with input as {"action": {"id": "enforce_mfa"}}
`;
const DATA = '{"ranges": {"blocked": ["tighten_inbound_rule"]}}';

async function dismissIntro(page) {
  const gotIt = page.getByRole('button', { name: 'Got it', exact: true });
  if (await gotIt.isVisible()) await gotIt.click();
}

async function shoot(page, name) {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

async function addModule(page, typed) {
  const name = typed.endsWith('.rego') ? typed : `${typed}.rego`;
  await panel(page).getByLabel('Module name').fill(typed);
  await panelButton(page, 'Add module').click();
  await moduleTab(page, name).waitFor();
  assert.equal(await moduleTab(page, name).getAttribute('aria-selected'), 'true', `${name} opens`);
}

/** The three tabs, the data and the policy text, as a page shows them. */
async function assertBundle(page, what) {
  for (const name of ['policy.rego', 'lib/ranges.rego', 'policy_test.rego']) {
    assert.equal(await moduleTab(page, name).count(), 1, `${what}: tab ${name}`);
  }
  await moduleTab(page, 'policy.rego').click();
  assert.equal(await editor(page).inputValue(), POLICY, `${what}: the policy`);
  await moduleTab(page, 'lib/ranges.rego').click();
  assert.equal(await editor(page).inputValue(), LIBRARY, `${what}: the library`);
  assert.deepEqual(JSON.parse(await panel(page).getByLabel('Data', { exact: true }).inputValue()), JSON.parse(DATA), `${what}: the data`);
}

test('the workbench edits a two-module bundle with data, evaluates, tests with coverage, and survives a link, a reload and a file', async (t) => {
  const downloads = await mkdtemp(path.join(os.tmpdir(), 'ztgym-e2e-workbench-'));
  let shared;
  let archive;
  await withPage(t, dist.browser, link(), async (page) => {
    await dismissIntro(page);
    assert.equal(await moduleTab(page, 'policy.rego').getAttribute('aria-selected'), 'true');

    // The bundle: the policy, a library in another directory, a test module, the data.
    await editor(page).fill(POLICY);
    await addModule(page, 'lib/ranges');
    assert.equal(await editor(page).inputValue(), 'package lib.ranges\n\n', 'a new module starts with its package');
    await editor(page).fill(LIBRARY);
    await addModule(page, 'policy_test.rego');
    assert.equal(await editor(page).inputValue(), 'package hardening.network\n\n', 'a test module joins the policy\'s package');
    await editor(page).fill(TESTS);
    // The caret beside a bracket marks the pair.
    const open = TESTS.indexOf('{');
    await editor(page).evaluate((el, at) => {
      el.setSelectionRange(at, at);
      el.dispatchEvent(new KeyboardEvent('keyup', { bubbles: true }));
    }, open + 1);
    await page.waitForFunction(() => document.querySelectorAll('.rego-backdrop .rg-match').length === 2);
    assert.deepEqual(await page.locator('.rego-backdrop .rg-match').allTextContents(), ['{', '}']);
    await panel(page).getByLabel('Data', { exact: true }).fill(DATA);

    // A query on an input typed to ask "what if".
    const input = panel(page).getByLabel('Input', { exact: true });
    assert.match(await input.inputValue(), /"action"/, 'the Input pane starts as the gate\'s input');
    await input.fill('{"action": {"id": "tighten_inbound_rule"}}');
    const query = panel(page).getByLabel('Query', { exact: true });
    assert.equal(await query.inputValue(), 'data.hardening.network.allow', 'the query defaults to the decision');
    await query.fill('data.hardening.network.deny');
    await panelButton(page, 'Evaluate').click();
    await page.waitForFunction(() => /blocked by the data/.test(document.querySelector('[data-testid=rego-output]')?.textContent ?? ''));
    const answer = JSON.parse(await byTestId(page, 'rego-output').locator('pre').textContent());
    assert.deepEqual(answer.result[0].expressions[0].value, ['tighten_inbound_rule is blocked by the data']);

    // The tests, with coverage per module and on the lines.
    await panelButton(page, 'Run tests').click();
    await page.waitForFunction(() => /2 passed, 0 failed/.test(document.querySelector('[data-testid=rego-tests]')?.textContent ?? ''));
    const coverage = await textOf(page, 'rego-coverage');
    assert.match(coverage, /lib\/ranges\.rego: 100\.0%/);
    assert.match(coverage, /policy\.rego: \d+\.\d%/);
    await moduleTab(page, 'lib/ranges.rego').click();
    assert.equal(await page.locator('.rego-gutter [data-line="3"]').getAttribute('data-mark'), 'covered', 'the library\'s rule is reached');
    await shoot(page, 'rego-workbench-tests');

    // An error in the library: shown at its module, line and column; nothing put in force.
    await editor(page).fill('package lib.ranges\n\nblocked_actions contains a if {\n');
    await moduleTab(page, 'policy.rego').click();
    await panelButton(page, 'Apply').click();
    await page.waitForFunction(() => /in lib\/ranges\.rego/.test(document.querySelector('[data-testid=rego-error]')?.textContent ?? ''));
    assert.match(await textOf(page, 'rego-error'), /Line \d+, column \d+ in lib\/ranges\.rego/);
    assert.equal(await moduleTab(page, 'lib/ranges.rego').getAttribute('aria-selected'), 'true', 'its tab opens');
    assert.ok(!(await page.evaluate(() => location.hash)).includes('rego='), 'nothing in force yet');
    await shoot(page, 'rego-workbench-error');

    // Fixed and applied: the gate judges by the bundle; the link carries it.
    await editor(page).fill(LIBRARY);
    await panelButton(page, 'Apply').click();
    await page.waitForFunction(() => location.hash.includes('&rego=2'));
    assert.match(await textOf(page, 'rego-status'), /3 modules · in force/);
    const tighten = page.locator('.candidate').filter({ has: page.locator('.candidate-action', { hasText: 'tighten_inbound_rule' }) }).first();
    assert.match(await tighten.textContent(), /gate denies/, 'the data blocks tightening');
    shared = await byTestId(page, 'share-link').inputValue();

    // Saved as a .tar.gz.
    const [download] = await Promise.all([page.waitForEvent('download'), panelButton(page, 'Save').click()]);
    assert.equal(download.suggestedFilename(), 'bundle.tar.gz');
    archive = path.join(downloads, 'bundle.tar.gz');
    await download.saveAs(archive);

    // A reload keeps it.
    await page.reload({ waitUntil: 'load' });
    await page.locator('.app-shell').waitFor({ state: 'visible', timeout: 20_000 });
    await dismissIntro(page);
    await assertBundle(page, 'after a reload');
  }, { shot: 'rego-workbench-edited' });

  assert.match(shared, /&rego=2/);
  await withPage(t, dist.browser, shared, async (page) => {
    await dismissIntro(page);
    await assertBundle(page, 'from the link');
    const tighten = page.locator('.candidate').filter({ has: page.locator('.candidate-action', { hasText: 'tighten_inbound_rule' }) }).first();
    assert.match(await tighten.textContent(), /gate denies/);
  }, { shot: 'rego-workbench-link-opened' });

  // A fresh page loads the saved archive back.
  await withPage(t, dist.browser, link(), async (page) => {
    await dismissIntro(page);
    await byTestId(page, 'rego-file').setInputFiles(archive);
    await page.waitForFunction(() => location.hash.includes('&rego=2'));
    await assertBundle(page, 'from the archive');
  }, { shot: 'rego-workbench-archive-loaded' });
});

// Hostile Rego through the workbench's Evaluate and Run tests (issue 22): a runaway rule in a
// second module, a huge builtin in the query, nesting past the bound, a forbidden builtin in a
// library. Each gets a clear message; the page answers meanwhile (a tab switches while the
// runaway runs in the worker); the time each took and the page's JS heap are printed for the
// docs (no timed assertion).
test('hostile Rego through Evaluate leaves the page responsive with a clear message each', async (t) => {
  await withPage(t, dist.browser, link(), async (page) => {
    await dismissIntro(page);
    const output = () => byTestId(page, 'rego-output');
    const query = panel(page).getByLabel('Query', { exact: true });
    const heapMb = () => page.evaluate(() => (performance.memory?.usedJSHeapSize ?? 0) / 1e6);
    const figures = [];
    const evaluate = async (what, text, expected) => {
      await query.fill(text);
      const heapBefore = await heapMb();
      const started = Date.now();
      await panelButton(page, 'Evaluate').click();
      await page.waitForFunction(
        (re) => new RegExp(re).test(document.querySelector('[data-testid=rego-output]')?.textContent ?? ''),
        expected.source,
        { timeout: 20_000 },
      );
      figures.push(`${what}: ${Date.now() - started} ms, JS heap ${heapBefore.toFixed(1)} -> ${(await heapMb()).toFixed(1)} MB`);
    };

    // A runaway rule in a second module: the worker is stopped after 3 s; the page answers.
    await addModule(page, 'lib/evil');
    await editor(page).fill('package lib.evil\n\nforever if {\n\tsome i in numbers.range(1, 100000)\n\tsome j in numbers.range(1, 100000)\n\ti + j < 0\n}\n');
    await query.fill('data.lib.evil.forever');
    const started = Date.now();
    await panelButton(page, 'Evaluate').click();
    await output(page).getByText('Evaluating…').waitFor();
    await moduleTab(page, 'policy.rego').click();
    assert.equal(await moduleTab(page, 'policy.rego').getAttribute('aria-selected'), 'true', 'a tab switches while the runaway runs');
    assert.match(await output(page).textContent(), /Evaluating…/, 'the runaway was still running then');
    await page.waitForFunction(() => /stopped after 3 s: the policy ran too long/.test(document.querySelector('[data-testid=rego-output]')?.textContent ?? ''), null, { timeout: 20_000 });
    figures.push(`runaway rule in lib/evil.rego: ${Date.now() - started} ms`);

    // The same runaway as a test: Run tests reports it, and the next answer comes from a new worker.
    await moduleTab(page, 'lib/evil.rego').click();
    await editor(page).fill('package lib.evil\n\ntest_forever if {\n\tsome i in numbers.range(1, 100000)\n\tsome j in numbers.range(1, 100000)\n\ti + j < 0\n}\n');
    await panelButton(page, 'Run tests').click();
    await page.waitForFunction(() => /stopped after 3 s/.test(document.querySelector('[data-testid=rego-tests]')?.textContent ?? ''), null, { timeout: 20_000 });

    // A huge builtin in the query, nesting past the bound: refused by name, at once.
    await editor(page).fill('package lib.evil\n\nsmall := 1\n');
    await evaluate('numbers.range(0, 1e12) in the query', 'count(numbers.range(0, 1e12))', /`numbers\.range` would build 1000000000001 numbers/);
    await evaluate('brackets 14 deep in the query', `${'['.repeat(14)}1${']'.repeat(14)}`, /nest more than 12 deep/);
    await evaluate('a plain query after them', 'data.lib.evil.small', /"value": 1\b/);

    // A forbidden builtin in a library: named at its module, line and column.
    await editor(page).fill('package lib.evil\n\nsmall := 1\n\nleak := http.send({"method": "get", "url": "http://example.com"})\n');
    await evaluate('http.send in lib/evil.rego', 'data.lib.evil.small', /refused/);
    assert.match(await textOf(page, 'rego-output'), /lib\/evil\.rego/);
    assert.match(await textOf(page, 'rego-error'), /Line 5, column \d+ in lib\/evil\.rego[\s\S]*refused/);

    // A builtin the page leaves out (natively built in): named at its module and line.
    await editor(page).fill('package lib.evil\n\nsmall := 1\n\nmail if regex.match("@", "a@b")\n');
    await evaluate('regex.match in lib/evil.rego', 'data.lib.evil.small', /`regex\.match` is not in the page's Rego/);
    assert.match(await textOf(page, 'rego-error'), /Line 5, column \d+ in lib\/evil\.rego/);

    // Still playing: a candidate is judged by the policy in force.
    await moduleTab(page, 'policy.rego').click();
    assert.ok(await page.locator('.candidate').count() > 0, 'the stage still shows its candidates');
    console.log(`hostile Rego in the page (release build, headless Chromium):\n  ${figures.join('\n  ')}`);
  }, { shot: 'rego-workbench-hostile' });
});

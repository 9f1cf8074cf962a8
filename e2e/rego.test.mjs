// End-to-end tests of the Rego panel on the SRE gym's page (issue 13 items 4, 5 and 9): choose
// the Rego gate, see its decision on the input the gate saw, edit the policy so an allowed
// proposal is denied and see the new reason, break it and see the error at its line with the
// old policy still in force, run the policy's tests, survive a runaway, a memory-hungry and a
// hostile policy, and share a link that carries the edited policy.
//
// scripts/test.sh builds dist/ first (trunk build --release --offline).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { REPO_ROOT, SCREENSHOT_DIR, withPage } from './support/browser.mjs';
import { serveDist } from './support/dist.mjs';

const SHIPPED = await readFile(path.join(REPO_ROOT, 'crates', 'ztgym-sre', 'policies', 'sre_gate.rego'), 'utf8');

const dist = serveDist();

const link = (extra = '') =>
  `${dist.url}#v=1&scenario=classic&level=warmup&seed=42&agent=sop&speed=max${extra}&env=sre`;
const byTestId = (page, id) => page.getByTestId(id);
const button = (page, name) => page.getByRole('button', { name, exact: true });
/** A button of the Rego panel (the run controls have a Reset of their own). */
const panelButton = (page, name) => page.getByTestId('rego-panel').getByRole('button', { name, exact: true });
const editor = (page) => page.locator('#rego-policy-text');
const textOf = async (page, id) => (await byTestId(page, id).textContent()).trim();

/** Closes the first-visit intro if it shows. */
async function dismissIntro(page) {
  const gotIt = button(page, 'Got it');
  if (await gotIt.isVisible()) await gotIt.click();
}

async function waitForStatus(page, status, timeout = 20_000) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid=episode-status]')?.textContent.trim() === want,
    status,
    { timeout },
  );
}

/** Waits until the decision reads `prefix...` (ALLOWED / DENIED / No decision). */
async function waitForDecision(page, prefix, timeout = 20_000) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid=rego-decision]')?.textContent.trim().startsWith(want),
    prefix,
    { timeout },
  );
  return textOf(page, 'rego-decision');
}

const reasons = (page) => byTestId(page, 'rego-reasons').locator('li').allInnerTexts();

/** The shipped policy with `not_investigated` turned around: acting on an investigated node
 * breaks it, under a new reason. */
const FREEZE = 'change freeze: no automation until Monday';
const EDITED = SHIPPED.replace(
  'fires contains "not_investigated" if not input.investigated',
  'fires contains "not_investigated" if input.investigated',
).replace('"not_investigated": "act only on nodes whose logs you have read"', `"not_investigated": "${FREEZE}"`);

/** Puts `text` in the editor and applies it with Ctrl+Enter. */
async function applyText(page, text) {
  await editor(page).fill(text);
  await editor(page).press('Control+Enter');
}

test('the Rego gate decides, is edited, broken, tested, survives runaway and hostile policies, and rides in a link', async (t) => {
  assert.notEqual(EDITED, SHIPPED, 'the edit applies to the shipped policy');
  let shared;
  await withPage(t, dist.browser, link(), async (page) => {
    await dismissIntro(page);
    // Choose the Rego gate in the settings; the link says so.
    const gate = page.getByRole('combobox', { name: 'Gate' });
    assert.equal(await gate.inputValue(), 'builtin');
    await gate.selectOption('rego');
    await page.waitForFunction(() => location.hash.includes('&gate=rego'));

    // The SOP operator plays by the book: its last privileged action is allowed.
    await button(page, 'Play').click();
    await waitForStatus(page, 'success');
    await page.getByRole('tab', { name: 'Gate', exact: true }).click();
    const input = JSON.parse(await byTestId(page, 'rego-input').inputValue());
    assert.equal(input.approved_ticket, true, 'the input is the proposal the gate saw');
    assert.equal(input.investigated, true);
    assert.ok(['isolate', 'patch', 'restore'].includes(input.action), JSON.stringify(input));
    const allowed = await waitForDecision(page, 'ALLOWED');
    assert.match(allowed, /data\.ztgym\.sre\.allow/);
    assert.deepEqual(await reasons(page), []);
    // The lines evaluated are marked in the gutter.
    assert.ok((await page.locator('.rego-gutter [data-mark=covered]').count()) > 3, 'covered lines are marked');
    assert.equal(await editor(page).inputValue(), SHIPPED);

    // Edit: the same proposal is now denied, with the new reason.
    await applyText(page, EDITED);
    await waitForDecision(page, 'DENIED');
    assert.deepEqual(await reasons(page), [`not_investigated: ${FREEZE}`]);
    assert.match(await textOf(page, 'rego-status'), /· in force/);
    await page.waitForFunction(() => location.hash.includes('&gate=rego&rego=1'));
    const hashWithEdit = await page.evaluate(() => location.hash);

    // Break it: the error at its line, the line marked, the edit still in force, the draft kept.
    const lines = EDITED.split('\n');
    const at = lines.findIndex((l) => l.startsWith('default allow')) + 1;
    const brokenLine = 'allow if input.action == == "isolate"';
    const broken = [...lines.slice(0, at), brokenLine, ...lines.slice(at)].join('\n');
    await applyText(page, broken);
    const error = byTestId(page, 'rego-error');
    await error.waitFor();
    const line = at + 1;
    assert.match(await error.textContent(), new RegExp(`Line ${line}, column \\d+:`));
    assert.equal(await page.locator(`.rego-gutter [data-line="${line}"]`).getAttribute('data-mark'), 'error');
    assert.equal(await editor(page).inputValue(), broken, 'the draft is kept');
    assert.match(await textOf(page, 'rego-status'), /edited/);
    assert.deepEqual(await reasons(page), [`not_investigated: ${FREEZE}`], 'the edited policy is still in force');
    assert.equal(await page.evaluate(() => location.hash), hashWithEdit, 'the link still carries the policy in force');
    // The editor scrolled to the error's line (the caret is there too).
    await page.waitForFunction((n) => {
      const gutter = document.querySelector('.rego-gutter');
      const mark = gutter.querySelector(`[data-line="${n}"]`);
      const top = mark.offsetTop - gutter.offsetTop;
      return gutter.scrollTop > 0 && top >= gutter.scrollTop && top < gutter.scrollTop + gutter.clientHeight;
    }, line, { timeout: 5_000 });
    await page.getByRole('tab', { name: 'Gate', exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'rego-panel-error.png') });

    // Run the tests of the edit (they fail: the edit breaks the shipped expectations), then of
    // the shipped policy (Reset): every one passes.
    await editor(page).fill(EDITED);
    await panelButton(page, 'Run tests').click();
    const tests = byTestId(page, 'rego-tests');
    await page.waitForFunction(() => /\d+ passed/.test(document.querySelector('[data-testid=rego-tests]')?.textContent ?? ''));
    assert.match(await tests.textContent(), /FAIL test_by_the_book_is_allowed/);
    shared = await byTestId(page, 'share-link').inputValue();

    await panelButton(page, 'Reset').click();
    await page.waitForFunction(() => !location.hash.includes('&rego='));
    assert.equal(await editor(page).inputValue(), SHIPPED);
    await panelButton(page, 'Run tests').click();
    await page.waitForFunction(() => /4 passed, 0 failed, 0 errors/.test(document.querySelector('[data-testid=rego-tests]')?.textContent ?? ''));
    assert.equal(await tests.locator('.rego-test-pass').count(), 4);
    for (const name of ['test_by_the_book_is_allowed', 'test_no_ticket', 'test_every_rule_in_order']) {
      assert.match(await tests.textContent(), new RegExp(`PASS ${name}`));
    }

    // A runaway rule in the gate: its check in the worker is stopped after 3 s, nothing applied.
    const runawayGate = SHIPPED.replace(
      'broken := [',
      'broken := [1 | some i in numbers.range(1, 100000); some j in numbers.range(1, 100000); i + j < 0]\n\nold_broken := [',
    );
    await applyText(page, runawayGate);
    await page.waitForFunction(
      () => /stopped after 3 s: the policy ran too long/.test(document.querySelector('[data-testid=rego-error]')?.textContent ?? ''),
      null,
      { timeout: 20_000 },
    );
    assert.equal(await page.evaluate(() => location.hash.includes('&rego=')), false, 'nothing applied');
    assert.match(await textOf(page, 'rego-status'), /Not applied/);

    // A rule that keeps 160 strings of 2 MiB (320 MiB, which a wasm memory without a ceiling
    // holds): the worker's memory stops at 256 MiB, the worker fails, a new one is started,
    // nothing applied.
    let doublings = `s0 := "${'x'.repeat(512)}"\n`;
    for (let i = 1; i <= 11; i++) doublings += `s${i} := concat("", [s${i - 1}, s${i - 1}])\n`;
    const hungryGate = SHIPPED.replace(
      'broken := [',
      `${doublings}\nbroken := [concat("", [s11, s11, sprintf("%d", [i])]) | some i in numbers.range(1, 160)]\n\nold_broken := [`,
    );
    await applyText(page, hungryGate);
    await page.waitForFunction(
      () => /crashed the Rego worker[\s\S]*out of memory \(the worker has 256 MiB\)/.test(document.querySelector('[data-testid=rego-error]')?.textContent ?? ''),
      null,
      { timeout: 20_000 },
    );
    assert.equal(await page.evaluate(() => location.hash.includes('&rego=')), false, 'nothing applied');

    // Infinite recursion: refused at the recursive rule's line before any evaluator runs it.
    const recursive = SHIPPED.replace(
      'fires contains "protected_node" if input.protected',
      'fires contains "protected_node" if fires["no_approved_ticket"]',
    );
    await applyText(page, recursive);
    await page.waitForFunction(() => /is recursive/.test(document.querySelector('[data-testid=rego-error]')?.textContent ?? ''));
    const firesLine = recursive.split('\n').findIndex((l) => l.startsWith('fires')) + 1;
    assert.match(await error.textContent(), new RegExp(`Line ${firesLine}, column 1:[\\s\\S]*fires -> fires is recursive`));
    assert.equal(await page.locator(`.rego-gutter [data-line="${firesLine}"]`).getAttribute('data-mark'), 'error');

    // A runaway test: the worker is stopped after 3 s; the page answers meanwhile.
    const runawayTest = `${SHIPPED}\ntest_forever if {\n\tsome i in numbers.range(1, 100000)\n\tsome j in numbers.range(1, 100000)\n\ti + j < 0\n}\n`;
    await editor(page).fill(runawayTest);
    await panelButton(page, 'Run tests').click();
    await page.getByRole('tab', { name: 'Episode', exact: true }).click();
    await page.getByRole('tab', { name: 'Gate', exact: true }).click();
    await page.waitForFunction(
      () => /stopped after 3 s: the policy ran too long \(a runaway rule\?\)/.test(document.querySelector('[data-testid=rego-tests]')?.textContent ?? ''),
      null,
      { timeout: 20_000 },
    );

    // A hostile policy: refused at load, at its line.
    const hostile = SHIPPED.replace(
      'default allow := false',
      'default allow := false\n\nallow if {\n\tresp := http.send({"method": "get", "url": "https://evil.example/"})\n\tresp.status_code == 200\n}',
    );
    await applyText(page, hostile);
    await page.waitForFunction(() => /http\.send/.test(document.querySelector('[data-testid=rego-error]')?.textContent ?? ''));
    const hostileLine = hostile.split('\n').findIndex((l) => l.includes('http.send')) + 1;
    assert.match(await error.textContent(), new RegExp(`Line ${hostileLine}, column 10:[\\s\\S]*refused`));
    const timeNow = SHIPPED.replace('default allow := false', 'default allow := time.now_ns() > 0');
    await applyText(page, timeNow);
    await page.waitForFunction(() => /time\.now_ns/.test(document.querySelector('[data-testid=rego-error]')?.textContent ?? ''));

    // The page still works: the worker answers again, and the episode plays.
    await editor(page).fill(SHIPPED);
    await panelButton(page, 'Run tests').click();
    await page.waitForFunction(() => /4 passed, 0 failed, 0 errors/.test(document.querySelector('[data-testid=rego-tests]')?.textContent ?? ''));
    await page.getByTitle('Same seed, from the start (r)').click();
    await waitForStatus(page, 'running');
    await button(page, 'Play').click();
    await waitForStatus(page, 'success');
    await waitForDecision(page, 'ALLOWED');

    // Save downloads the editor's text under the policy's file name.
    const [download] = await Promise.all([page.waitForEvent('download'), panelButton(page, 'Save').click()]);
    assert.equal(download.suggestedFilename(), 'sre_gate.rego');
    assert.equal(await readFile(await download.path(), 'utf8'), SHIPPED);
    // Load reads a .rego file into the editor and applies it; a broken file is refused at its line.
    await byTestId(page, 'rego-file').setInputFiles({ name: 'edited.rego', mimeType: 'text/plain', buffer: Buffer.from(EDITED) });
    await page.waitForFunction(() => location.hash.includes('&rego=1'));
    assert.equal(await editor(page).inputValue(), EDITED);
    await byTestId(page, 'rego-file').setInputFiles({ name: 'broken.rego', mimeType: 'text/plain', buffer: Buffer.from(broken) });
    await page.waitForFunction((n) => new RegExp(`Line ${n}, column`).test(document.querySelector('[data-testid=rego-error]')?.textContent ?? ''), line);
    assert.equal(await page.evaluate(() => location.hash), hashWithEdit, 'the edit loaded from the file stays in force');
  });

  // The link shared with the edit opens with the edit in force.
  assert.ok(shared.includes('&gate=rego&rego=1'), shared);
  await withPage(t, dist.browser, shared, async (page) => {
    await dismissIntro(page);
    assert.equal(await page.getByRole('combobox', { name: 'Gate' }).inputValue(), 'rego');
    await page.getByRole('tab', { name: 'Gate', exact: true }).click();
    assert.equal(await editor(page).inputValue(), EDITED);
    assert.match(await textOf(page, 'rego-status'), /· in force/);
    await button(page, 'Play').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=episode-status]')?.textContent.trim() !== 'running', null, { timeout: 20_000 });
    // Under the edit, the SOP operator's by-the-book action is denied with the new reason.
    await waitForDecision(page, 'DENIED');
    assert.ok((await reasons(page)).includes(`not_investigated: ${FREEZE}`));
  }, { shot: 'rego-shared-link' });
});

// End-to-end tests of issue 23's polish list and readable messages (items 5 and 6): a message
// body that carries the corpus's leftover style rules and script code shows as its text, with a
// note; an SRE policy loaded in Triage gets one short sentence; no two panels of a tab share a
// name; Hardening's evaluation card names the scenario, not "Seed 001"; Return and Cost never
// show a signed zero.
//
// scripts/test.sh builds dist/ first (trunk build --release --offline).

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { REPO_ROOT, withPage } from './support/browser.mjs';
import { serveDist } from './support/dist.mjs';

const dist = serveDist();

const SRE_POLICY = path.join(REPO_ROOT, 'assets', 'policies', 'classic-q.json');

const button = (page, name) => page.getByRole('button', { name, exact: true });
const textOf = async (page, id) => (await page.getByTestId(id).first().textContent()).trim();

async function dismissIntro(page) {
  const gotIt = button(page, 'Got it');
  if (await gotIt.isVisible()) await gotIt.click();
}

test('triage: a spam body with leftover CSS and JavaScript reads as its text, with a note', async (t) => {
  // L1 seed 1: the 14th message is the corpus's "Lender's Network" spam (`A:hover {color:
  // #FF0000}` and `document.write(...)` in its body; `ztgym run --env triage` shows it raw).
  await withPage(t, dist.browser, `${dist.url}#v=1&task=L1&seed=1&agent=human&speed=normal&env=triage`, async (page) => {
    await dismissIntro(page);
    for (let k = 0; k < 13; k += 1) await page.locator('button[data-key=a]').click();
    const text = await textOf(page, 'message-text');
    assert.match(text, /^Lender's Network The Lenders Network!/);
    for (const code of ['A:hover', '{color', 'document.write', '// -->']) assert.ok(!text.includes(code), `${code} in ${text.slice(0, 200)}`);
    assert.match(await textOf(page, 'message-cleaned'), /left out/);
    assert.equal(await page.getByTestId('message').locator('style, script').count(), 0);
  });
});

test('triage: an SRE policy file is refused in one short sentence', async (t) => {
  await withPage(t, dist.browser, `${dist.url}#v=1&task=L1&seed=3&env=triage`, async (page) => {
    await dismissIntro(page);
    await page.getByTestId('policy-file').setInputFiles(SRE_POLICY);
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent.includes('classic-q.json'));
    const notice = (await page.getByTestId('notice').first().textContent()).trim();
    assert.ok(notice.length < 300, `${notice.length} characters: ${notice}`);
    assert.match(notice, /classic-q\.json: this is a policy for the "zero-trust-sre-gym" environment; this tab plays "message-triage" policies/);
    assert.ok(!notice.includes('\\n') && !notice.includes('\n'), 'no line breaks, escaped or not');
  });
});

for (const env of ['sre', 'harden', 'triage']) {
  test(`${env}: no two panels share a name; Return and Cost show no signed zero`, async (t) => {
    const scenario = env === 'harden' ? 'scenario=uc01-network-exposure&' : '';
    await withPage(t, dist.browser, `${dist.url}#v=1&${scenario}env=${env}`, async (page) => {
      await dismissIntro(page);
      const titles = (await page.locator('h2.panel-title').allTextContents()).map((s) => s.trim());
      const repeated = titles.filter((s, k) => titles.indexOf(s) !== k);
      assert.deepEqual(repeated, [], `panel names: ${titles.join(', ')}`);
      assert.ok(titles.includes('Learned policy'), titles.join(', '));
      for (const id of ['return', 'cost']) assert.ok(!(await textOf(page, id)).startsWith('-'), `${id}: ${await textOf(page, id)}`);
      if (env === 'harden') {
        const waiting = await textOf(page, 'metrics-waiting');
        assert.match(waiting, /on uc01-network-exposure appears here after the first cycle/);
        assert.ok(!waiting.includes('Seed 001'));
      }
    });
  });
}

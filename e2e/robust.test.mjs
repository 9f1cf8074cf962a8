// The page's share of the hostile-input corpus (issue 11; the CLI's is
// crates/ztgym-cli/tests/hostile.rs): stored values that are bad are reported once and removed
// alone, long link values are shortened and wrapped in notices, a drop of several files is
// refused with a word, and a file that is not UTF-8 is named an encoding problem. Like every
// e2e test, each also fails on a console error or uncaught exception.
//
// scripts/test.sh builds dist/ first (trunk build --release --offline).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { REPO_ROOT, withPage } from './support/browser.mjs';
import { serveDist } from './support/dist.mjs';

const dist = serveDist();
const LINK = '#v=1&scenario=classic&level=warmup&seed=1&agent=human&speed=normal';
const noticeText = async (page) => (await page.getByTestId('notice').textContent()) ?? '';

/** Puts `items` in local storage, then loads `hash` afresh (a hash change alone would not). */
async function reloadWith(page, items, hash = LINK) {
  await page.evaluate((entries) => {
    localStorage.clear();
    for (const [k, v] of entries) localStorage.setItem(k, v);
  }, Object.entries(items));
  const url = new URL(hash, page.url()).href;
  await page.waitForLoadState('networkidle');
  await page.goto('about:blank');
  await page.goto(url);
  await page.locator('.app-shell').waitFor({ state: 'visible', timeout: 20_000 });
}

// The keys the test stored that are left; `ztgym.visited` is the page's own mark of a visit (it
// turns the first-visit demo off), written on every load, so it is not one of them.
const storedKeys = (page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k !== 'ztgym.visited').sort());

test('a stored theme that is not light or dark is reported once, removed alone, never applied', async (t) => {
  await withPage(t, dist.browser, dist.url, async (page) => {
    await reloadWith(page, { 'ztgym.theme': '"x\\" onload=\\"alert(1)"', 'ztgym.other': 'kept' });
    await page.getByTestId('notice').waitFor({ state: 'visible' });
    assert.match(await noticeText(page), /saved theme .* is not light or dark; it was removed/);
    assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-theme')), null);
    assert.deepEqual(await storedKeys(page), ['ztgym.other']);
    // Reported once: the next load says nothing.
    await page.goto('about:blank');
    await page.goto(new URL(LINK, dist.url).href);
    await page.locator('.app-shell').waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await page.getByTestId('notice').count(), 0);
  });
});

test('a stored policy for a scenario the page does not have is reported and removed alone', async (t) => {
  const text = await readFile(path.join(REPO_ROOT, 'assets', 'policies', 'classic-q.json'), 'utf8');
  const foreign = text.replace('"scenario": "classic"', '"scenario": "gone"');
  await withPage(t, dist.browser, dist.url, async (page) => {
    await reloadWith(page, {
      'ztgym.sre.policy': JSON.stringify({ source: 'old.json', text: foreign }),
      'ztgym.theme': '"dark"',
    });
    await page.getByTestId('notice').waitFor({ state: 'visible' });
    assert.match(await noticeText(page), /removed: it was trained on scenario "gone"/);
    assert.deepEqual(await storedKeys(page), ['ztgym.theme']);
    assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-theme')), 'dark');
  });
});

test('a stored policy over the 4 MB file cap is reported and removed alone', async (t) => {
  const text = await readFile(path.join(REPO_ROOT, 'assets', 'policies', 'classic-q.json'), 'utf8');
  const big = text + ' '.repeat(4.5 * 1024 * 1024);
  await withPage(t, dist.browser, dist.url, async (page) => {
    await reloadWith(page, {
      'ztgym.sre.policy': JSON.stringify({ source: 'big.json', text: big }),
      'ztgym.other': 'kept',
    });
    await page.getByTestId('notice').waitFor({ state: 'visible' });
    assert.match(await noticeText(page), /policy saved in this browser.*KB.*removed/);
    assert.deepEqual(await storedKeys(page), ['ztgym.other']);
  });
});

test('a 100,000-character link value is shortened in the notice, which wraps within the page', async (t) => {
  const hash = `${LINK.replace('seed=1', `seed=${'9x'.repeat(50_000)}`)}`;
  await withPage(t, dist.browser, dist.url + hash, async (page) => {
    await page.getByTestId('notice').waitFor({ state: 'visible' });
    const text = await noticeText(page);
    assert.match(text, /seed .*\(100002 characters\) is not a whole number/);
    assert.ok(text.length < 1500, `${text.length} characters shown`);
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      view: window.innerWidth,
      notice: document.querySelector('[data-testid=notice]').getBoundingClientRect().right,
    }));
    assert.ok(widths.page <= widths.view, `the page is ${widths.page}px wide in a ${widths.view}px view`);
    assert.ok(widths.notice <= widths.view, `the notice ends at ${widths.notice}px`);
  });
});

test('a drop of two files loads neither and says the page takes one', async (t) => {
  const text = await readFile(path.join(REPO_ROOT, 'assets', 'policies', 'classic-q.json'), 'utf8');
  await withPage(t, dist.browser, dist.url + LINK, async (page) => {
    await page.getByTestId('policy-drop-zone').evaluate((zone, policy) => {
      const data = new DataTransfer();
      data.items.add(new File([policy], 'one.json', { type: 'application/json' }));
      data.items.add(new File([policy], 'two.json', { type: 'application/json' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, text);
    await page.getByTestId('notice').waitFor({ state: 'visible' });
    assert.match(await noticeText(page), /2 files were dropped; the page takes one file at a time/);
    assert.equal(await page.getByTestId('agent-select').inputValue(), 'human', 'nothing loaded');
  });
});

test('a dropped Latin-1 file is named an encoding problem, with its byte offset', async (t) => {
  await withPage(t, dist.browser, dist.url + LINK, async (page) => {
    await page.getByTestId('policy-drop-zone').evaluate((zone) => {
      const data = new DataTransfer();
      const bytes = new Uint8Array([0x7b, 0x22, 0x63, 0x61, 0x66, 0xe9, 0x22, 0x7d]); // {"caf\xe9"}
      data.items.add(new File([bytes], 'latin1.json', { type: 'application/json' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent.includes('latin1.json'));
    assert.match(await noticeText(page), /latin1\.json: byte 5 \(line 1, column 6\): encoding problem/);
    assert.equal(await page.getByTestId('agent-select').inputValue(), 'human', 'nothing loaded');
  });
});

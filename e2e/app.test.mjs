// End-to-end tests of the release build: dist/ served by a plain static server, driven by
// headless Debian Chromium. scripts/test.sh builds dist/ first (trunk build --release --offline).
//
// ZTGYM_E2E_URL=http://127.0.0.1:8080/ runs the same page checks against a running server
// instead (e.g. scripts/serve.sh); the sub-path test then is skipped.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { appVersion, launchBrowser, recordProblems, REPO_ROOT, withPage } from './support/browser.mjs';
import { startStaticServer } from './support/static-server.mjs';

const DIST = path.join(REPO_ROOT, 'dist');
const EXTERNAL_URL = process.env.ZTGYM_E2E_URL;

let browser;
let rootUrl;
const servers = [];

async function serveDist(base) {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    throw new Error('dist/index.html is missing: run `trunk build --release --offline` first');
  }
  const server = await startStaticServer({ root: DIST, base });
  servers.push(server);
  return server.url;
}

before(async () => {
  browser = await launchBrowser();
  rootUrl = EXTERNAL_URL ?? (await serveDist('/'));
});

after(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => server.close()));
});

test('page loads with no console error or uncaught exception', async (t) => {
  await withPage(t, browser, rootUrl, async (page) => {
    assert.equal(await page.title(), 'Zero Trust Gym (ztgym)');
    await assert.doesNotReject(page.getByText('Loading Zero Trust Gym').waitFor({ state: 'detached' }));
  });
});

test('landmarks: header, main, three named panel regions, footer', async (t) => {
  await withPage(t, browser, rootUrl, async (page) => {
    assert.equal(await page.getByRole('banner').count(), 1);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Zero Trust Gym/);
    assert.equal(await page.getByRole('main').count(), 1);
    assert.equal(await page.getByRole('contentinfo').count(), 1);

    const main = page.getByRole('main');
    for (const name of ['Service graph', 'SIEM alerts', 'Tickets & approvals']) {
      const region = main.getByRole('region', { name, exact: true });
      assert.equal(await region.count(), 1, `one region named "${name}"`);
      assert.equal(await region.getByRole('heading', { level: 2, name, exact: true }).count(), 1);
    }
  });
});

test('footer shows the build version', async (t) => {
  const version = await appVersion();
  await withPage(t, browser, rootUrl, async (page) => {
    const footer = page.getByRole('contentinfo');
    assert.match(await footer.innerText(), new RegExp(`v${version.replaceAll('.', '\\.')}\\b`));
  });
});

test('panels sit side by side at 1280x800', async (t) => {
  await withPage(t, browser, rootUrl, async (page) => {
    const graph = await page.locator('#service-graph').boundingBox();
    const alerts = await page.locator('#siem-alerts').boundingBox();
    const tickets = await page.locator('#tickets').boundingBox();
    assert.ok(alerts.x > graph.x + graph.width - 1, 'alerts to the right of the graph');
    assert.equal(Math.round(tickets.x), Math.round(alerts.x), 'tickets under alerts');
    assert.ok(tickets.y > alerts.y, 'tickets under alerts');
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 1280, `no horizontal scroll (${scrollWidth}px)`);
  });
});

test('narrow screens stack the panels in one column', async (t) => {
  const viewport = { width: 390, height: 844 };
  await withPage(
    t,
    browser,
    rootUrl,
    async (page) => {
      const boxes = [];
      for (const id of ['#service-graph', '#siem-alerts', '#tickets']) {
        boxes.push(await page.locator(id).boundingBox());
      }
      assert.ok(boxes.every((box) => Math.round(box.x) === Math.round(boxes[0].x)), 'same column');
      assert.ok(boxes[0].y < boxes[1].y && boxes[1].y < boxes[2].y, 'graph, alerts, tickets');
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= viewport.width, `no horizontal scroll (${scrollWidth}px)`);
    },
    { viewport },
  );
});

test('dark theme follows the system colour scheme', async (t) => {
  const background = (page) =>
    page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  let light;
  await withPage(t, browser, rootUrl, async (page) => {
    light = await background(page);
  }, { shot: 'theme-light' });
  await withPage(
    t,
    browser,
    rootUrl,
    async (page) => {
      assert.notEqual(await background(page), light);
    },
    { colorScheme: 'dark', shot: 'theme-dark' },
  );
});

test('dist/ served under the sub-path /ztgym/ loads and boots', async (t) => {
  if (EXTERNAL_URL) {
    t.skip('ZTGYM_E2E_URL is set: only the page at that address is tested');
    return;
  }
  const url = await serveDist('/ztgym/');
  assert.ok(url.endsWith('/ztgym/'));
  const version = await appVersion();
  await withPage(t, browser, url, async (page, requests) => {
    assert.match(await page.getByRole('contentinfo').innerText(), new RegExp(`v${version}`));
    for (const name of ['Service graph', 'SIEM alerts', 'Tickets & approvals']) {
      assert.equal(await page.getByRole('region', { name, exact: true }).count(), 1, name);
    }
    const outside = requests.filter((address) => !new URL(address).pathname.startsWith('/ztgym/'));
    assert.deepEqual(outside, [], 'every request stays under /ztgym/');
    assert.ok(
      requests.some((address) => address.endsWith('.wasm')),
      'the wasm module was fetched under /ztgym/',
    );
  });
});

test('environment tabs: the SRE gym selected, Hardening and Triage built', async (t) => {
  await withPage(t, browser, rootUrl, async (page) => {
    const tabs = page.getByRole('banner').getByRole('tablist', { name: 'Environments' }).getByRole('tab');
    assert.deepEqual(await tabs.evaluateAll((all) => all.map((tab) => tab.dataset.env)), ['sre', 'harden', 'triage']);
    const sre = page.getByRole('tab', { name: 'SRE gym' });
    assert.equal(await sre.getAttribute('aria-selected'), 'true');
    assert.ok(await sre.isEnabled());
    for (const name of ['Hardening', 'Triage']) {
      const tab = page.getByRole('tab', { name: new RegExp(`^${name}`) });
      assert.equal(await tab.getAttribute('aria-selected'), 'false', name);
    }
    const hardening = page.getByRole('tab', { name: /^Hardening/ });
    assert.ok(await hardening.isEnabled(), 'Hardening is built');
    assert.doesNotMatch(await hardening.innerText(), /coming soon/);
    const triage = page.getByRole('tab', { name: /^Triage/ });
    assert.ok(await triage.isEnabled(), 'Triage is built');
    assert.doesNotMatch(await triage.innerText(), /coming soon/);
  });
});

test('a policy the page kept before environments had ids is found again, under its new key', async (t) => {
  const text = await readFile(path.join(REPO_ROOT, 'assets', 'policies', 'classic-q.json'), 'utf8');
  const hash = '#v=1&scenario=classic&level=warmup&seed=1&agent=policy&speed=normal';
  // The first load opens a link (`#v=1`), the documented hook that keeps the first-visit demo
  // from playing (src/shell/first_visit.rs): a demo ending while the test leaves the page
  // rewrites the address, and the icon's request that follows would be aborted by leaving.
  await withPage(t, browser, `${rootUrl}#v=1`, async (page) => {
    await page.evaluate((policy) => {
      localStorage.clear();
      localStorage.setItem('ztgym.policy.v1', policy);
      localStorage.setItem('ztgym.policy.source', 'kept-by-the-old-page.json');
    }, text);
    // A fresh load of the link (a hash change alone would not reload the page), in a second tab
    // of the same browser: leaving the first page could abort one of its requests (the icon's,
    // fetched again whenever the page rewrites its address), which counts as a page problem.
    const url = new URL(hash, page.url()).href;
    const second = await page.context().newPage();
    const problems = recordProblems(second);
    await second.goto(url);
    await second.locator('.app-shell').waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await second.getByTestId('policy-summary').innerText(), /kept-by-the-old-page\.json/);
    assert.equal(await second.getByTestId('agent-select').inputValue(), 'policy');
    const keys = await second.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('policy')).sort());
    assert.deepEqual(keys, ['ztgym.sre.policy']);
    assert.deepEqual(problems, []);
  });
});

// Headless Debian Chromium through playwright-core, and a page helper that records every
// console error, uncaught exception and failed request, and saves a screenshot per test.

import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output', 'e2e');

// The flags of toolchain.md: no sandbox as root, and no background traffic to the network.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** Collects a page's uncaught exceptions and console errors into the returned array. */
export function recordProblems(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  return problems;
}

/** The app's version: `[workspace.package] version` in the root Cargo.toml. */
export async function appVersion() {
  const toml = await readFile(path.join(REPO_ROOT, 'Cargo.toml'), 'utf8');
  const section = toml.split(/^\[workspace\.package\]\s*$/m)[1] ?? '';
  const match = section.split(/^\[/m)[0].match(/^version\s*=\s*"([^"]+)"/m);
  if (!match) throw new Error('no [workspace.package] version in Cargo.toml');
  return match[1];
}

function slug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * Opens `url` in a new browser context, waits until the wasm app has rendered, runs
 * `check(page, requests)`, saves test-output/e2e/<test name>.png, and fails the test on any
 * console error, uncaught exception or failed request seen on the way. `shot` overrides the
 * screenshot's name when one test opens several pages.
 */
export async function withPage(t, browser, url, check, { viewport, colorScheme, shot } = {}) {
  const context = await browser.newContext({
    viewport: viewport ?? { width: 1280, height: 800 },
    colorScheme: colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });

  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response?.ok()) throw new Error(`GET ${url}: HTTP ${response?.status()}`);
    // The static page only says "Loading"; the app shell exists once the wasm has run.
    await page.locator('.app-shell').waitFor({ state: 'visible', timeout: 20_000 });
    await check(page, requests);
  } finally {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page
      .screenshot({ path: path.join(SCREENSHOT_DIR, `${slug(shot ?? t.name)}.png`), fullPage: true })
      .catch((error) => problems.push(`screenshot failed: ${error.message}`));
    await context.close();
  }
  if (problems.length > 0) {
    throw new Error(`the page reported problems:\n  ${problems.join('\n  ')}`);
  }
}

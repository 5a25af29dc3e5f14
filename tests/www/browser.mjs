// Shared set-up for the inspector's end-to-end tests: the page's own server on a free
// 127.0.0.1 port, Debian's Chromium driven by playwright-core, and a record of every
// request, console error and page error so the tests can assert none leaked or failed.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, defaultPkgDir } from '../../www/serve.mjs';

export const here = dirname(fileURLToPath(import.meta.url));
export const screenshotDir = join(here, 'screenshots');

/** Directory of the package the page loads; JWTKIT_PKG_DIR overrides it (e.g. another build). */
export const pkgDir = process.env.JWTKIT_PKG_DIR ? resolve(process.env.JWTKIT_PKG_DIR) : defaultPkgDir;

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts the server and the browser; returns helpers and the collected problems. */
export async function startHarness() {
  if (!existsSync(join(pkgDir, 'web.mjs'))) {
    throw new Error(`${pkgDir}/web.mjs is missing: run \`make pkg\` first`);
  }
  mkdirSync(screenshotDir, { recursive: true });
  const server = await startServer({ port: 0, pkgDir });
  const origin = `http://127.0.0.1:${server.port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
  const requests = [];
  const blocked = [];
  const consoleErrors = [];
  const pageErrors = [];
  const failedRequests = [];
  const contexts = new Set();

  /** Opens the page in a fresh context; `hash` is appended to the URL. */
  async function openPage({ hash = '', colorScheme = 'light', viewport = { width: 1280, height: 900 } } = {}) {
    const context = await browser.newContext({
      colorScheme,
      viewport,
      timezoneId: 'UTC',
      locale: 'en-US',
      permissions: ['clipboard-read', 'clipboard-write'],
      serviceWorkers: 'block',
    });
    contexts.add(context);
    context.on('request', (request) => requests.push(request.url()));
    context.on('requestfailed', (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
    // anything not addressed to our server is recorded and never sent
    await context.route(
      (url) => url.origin !== origin,
      (route) => {
        blocked.push(route.request().url());
        return route.abort('blockedbyclient');
      },
    );
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.setDefaultNavigationTimeout(15_000);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(`${origin}/${hash}`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready]', { timeout: 15_000 });
    const ready = await page.getAttribute('body', 'data-ready');
    if (ready !== 'true') throw new Error(`the page failed to load the package: ${await page.textContent('#load-status')}`);
    return page;
  }

  async function close() {
    for (const context of contexts) await context.close().catch(() => {});
    await browser.close().catch(() => {});
    await server.close();
  }

  return { server, origin, browser, openPage, close, requests, blocked, consoleErrors, pageErrors, failedRequests };
}

/** Waits for the decoder's verdict; on timeout the error names the verdict and text seen. */
export async function waitVerdict(page, verdict, timeout = 5_000) {
  try {
    await page.waitForFunction((v) => document.getElementById('token-status').dataset.verdict === v, verdict, { timeout });
  } catch {
    const seen = await page.evaluate(() => {
      const s = document.getElementById('token-status');
      return `${s.dataset.verdict}: ${s.innerText.replace(/\s+/g, ' ')}`;
    });
    throw new Error(`expected verdict ${verdict}, page shows ${seen}`);
  }
}

/** The status card as text. */
export async function statusText(page) {
  return (await page.innerText('#token-status')).replace(/\s+/g, ' ').trim();
}

/** Waits until `selector`'s text satisfies `predicate` (bounded); returns the text. */
export async function waitText(page, selector, predicate, timeout = 5_000) {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = (await page.innerText(selector).catch(() => '')) ?? '';
    if (predicate(text)) return text;
    await page.waitForTimeout(50);
  }
  throw new Error(`${selector}: text never matched; last seen ${JSON.stringify(text.slice(0, 500))}`);
}

/** Claims table as [{ name, value, meaning }]. */
export async function claimsTable(page) {
  return page.$$eval('#claims-table tbody tr[data-claim]', (rows) =>
    rows.map((tr) => ({
      name: tr.querySelector('th').innerText.trim(),
      value: tr.querySelector('td.claim-value').innerText.replace(/\s+/g, ' ').trim(),
      meaning: tr.querySelector('td.claim-meaning').innerText.trim(),
    })),
  );
}

/** Findings as [{ code, severity, text }]. */
export async function findings(page) {
  return page.$$eval('#findings-list li.finding', (items) =>
    items
      .filter((li) => !li.classList.contains('finding-none'))
      .map((li) => ({
        code: li.dataset.code,
        severity: li.querySelector('.severity')?.innerText.trim().toLowerCase(),
        text: li.innerText.replace(/\s+/g, ' ').trim(),
      })),
  );
}

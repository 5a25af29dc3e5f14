// The contract suite in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core), against the packed package served from 127.0.0.1 by a small static
// server. Pages:
//   /web.html      import init, * as jwt from 'jwtkit/web' (the plain-ESM entry), await init(), suite
//   /bundler.html  the inline-wasm entry (bundler.mjs) without init: smoke case, then the suite
// Every suite result becomes a node:test test; also: no console errors, no request leaves
// 127.0.0.1. Run: node --test tests/js/browser.test.mjs
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import {
  installPackedLocked, installedManifest, repoRoot, reportResults, reportSetupFailure, resolveExport, withTimeout,
} from './harness.mjs';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const PAGE_TIMEOUT_MS = 120_000;
const SEED = process.env.JWTKIT_SEED ? Number(process.env.JWTKIT_SEED) : undefined;
const BROWSER_CONDITIONS = ['browser', 'import', 'module', 'production', 'default'];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.ts': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

function page(title, importMap, body) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,">
<script type="importmap">${JSON.stringify({ imports: importMap })}</script>
<script>
window.__result = new Promise((resolve) => { window.__resolve = resolve; });
window.__seed = ${JSON.stringify(SEED ?? null)} ?? undefined;
window.addEventListener('error', (e) => window.__resolve({ fatal: 'uncaught: ' + e.message }));
</script>
</head><body>
<script type="module" onerror="window.__resolve({ fatal: 'the module script or one of its imports failed to load' })">
${body}
</script>
</body></html>`;
}

// tests/js/asymmetric-suite.mjs runs after the contract suite, loaded dynamically so that a
// failure there cannot take the contract suite's results with it.
const RUN_ASYMMETRIC = `async function runAsymmetric(jwt, jose, runtime) {
  try {
    const { runAsymmetricSuite } = await import('/asymmetric-suite.mjs');
    return await runAsymmetricSuite(jwt, { runtime, jose });
  } catch (e) {
    return [{ name: 'the_asymmetric_suite_runs_to_the_end', ok: false, error: String((e && e.stack) || e) }];
  }
}`;

const webPage = (map) =>
  page('jwtkit contract suite (web entry)', map, `
import init, * as jwt from 'jwtkit/web';
import * as jose from 'jose';
import { runSuite } from '/suite.mjs';
${RUN_ASYMMETRIC}
try {
  await init();
  const results = await runSuite(jwt, { runtime: 'browser web', jose, jsonwebtoken: null, seed: window.__seed });
  window.__resolve({ results, asymmetric: await runAsymmetric(jwt, jose, 'browser web') });
} catch (e) {
  window.__resolve({ fatal: String((e && e.stack) || e) });
}`);

const bundlerPage = (map) =>
  page('jwtkit contract suite (bundler entry)', map, `
import * as jwt from '/pkg/bundler.mjs';
import * as jose from 'jose';
import { runSuite } from '/suite.mjs';
${RUN_ASYMMETRIC}
const smoke = {};
try {
  // no init(): the first call must just work
  const secret = 'browser bundler smoke secret, 32+ bytes';
  const token = jwt.sign({ a: '😀', n: 2 ** 53 }, secret, { expiresIn: '1h' });
  smoke.claims = jwt.verify(token, secret);
  smoke.jose = (await jose.jwtVerify(token, new TextEncoder().encode(secret))).payload;
  smoke.fromJose = jwt.verify(await new jose.SignJWT({ b: 'é' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret)), secret);
} catch (e) {
  smoke.error = String((e && e.stack) || e) + (e && e.code ? ' code=' + e.code : '');
}
try {
  const results = await runSuite(jwt, { runtime: 'browser bundler', jose, jsonwebtoken: null, seed: window.__seed });
  window.__resolve({ smoke, results, asymmetric: await runAsymmetric(jwt, jose, 'browser bundler') });
} catch (e) {
  window.__resolve({ smoke, fatal: String((e && e.stack) || e) });
}`);

// The HMAC-only build's browser entry (inline wasm, like bundler.mjs): the same suite.
const hmacPage = (entry) =>
  page('jwtkit contract suite (jwtkit/hmac browser entry)', {}, `
import * as jwt from '${entry}';
import * as jose from '/jose/index.js';
import { runSuite } from '/suite.mjs';
try {
  window.__resolve({ results: await runSuite(jwt, { runtime: 'browser jwtkit/hmac', jose, jsonwebtoken: null, seed: window.__seed }) });
} catch (e) {
  window.__resolve({ fatal: String((e && e.stack) || e) });
}`);

function startServer(handler) {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function runPage(browser, origin, path, label) {
  const context = await browser.newContext();
  const pg = await context.newPage();
  const consoleErrors = [];
  const requests = [];
  const foreign = [];
  pg.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  pg.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  pg.on('request', (r) => requests.push(r.url()));
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if ((u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') && u.hostname !== '127.0.0.1') {
      foreign.push(u.href);
      return route.abort();
    }
    return route.continue();
  });
  let outcome;
  try {
    await pg.goto(origin + path, { timeout: 30_000 });
    outcome = await withTimeout(pg.evaluate(() => window.__result), PAGE_TIMEOUT_MS, `${label} results`);
  } catch (e) {
    outcome = { fatal: `${e.message}\nconsole errors: ${consoleErrors.join('\n')}` };
  }
  await withTimeout(context.close(), 10_000, 'close context').catch(() => {});
  for (const r of requests) {
    const u = new URL(r);
    if (u.protocol !== 'data:' && u.protocol !== 'blob:' && u.hostname !== '127.0.0.1') foreign.push(u.href);
  }
  return { outcome, consoleErrors, requests, foreign };
}

let project;
try {
  project = await installPackedLocked('contract-suite');
} catch (e) {
  reportSetupFailure('the packed package installs into a throw-away project', e);
}

if (project) {
  const pkgRoot = join(project, 'node_modules', 'jwtkit');
  const manifest = installedManifest(project);
  const webEntry = resolveExport(manifest, './web', BROWSER_CONDITIONS);
  const dotEntry = resolveExport(manifest, '.', BROWSER_CONDITIONS);
  const hmacEntry = resolveExport(manifest, './hmac', BROWSER_CONDITIONS);
  const map = {
    'jwtkit/web': webEntry ? `/pkg/${webEntry.replace(/^\.\//, '')}` : '/pkg/web.mjs',
    jwtkit: dotEntry ? `/pkg/${dotEntry.replace(/^\.\//, '')}` : '/pkg/bundler.mjs',
    jose: '/jose/index.js',
  };
  const joseRoot = join(repoRoot, 'node_modules', 'jose', 'dist', 'webapi');

  test('[browser] the web export resolves to web.mjs and the browser condition to the inline-wasm bundler.mjs', () => {
    if (webEntry !== './web.mjs') throw new Error(`exports["./web"] for browsers: ${webEntry}`);
    if (dotEntry !== './bundler.mjs') throw new Error(`exports["."] for browsers: ${dotEntry}`);
    if (hmacEntry !== './hmac/bundler.mjs') throw new Error(`exports["./hmac"] for browsers: ${hmacEntry}`);
  });

  let server;
  let browser;
  const runs = {};
  try {
    const pages = {
      '/web.html': [TYPES['.html'], webPage(map)],
      '/bundler.html': [TYPES['.html'], bundlerPage(map)],
      '/hmac.html': [TYPES['.html'], hmacPage(`/pkg/${(hmacEntry || './hmac/bundler.mjs').replace(/^\.\//, '')}`)],
      '/suite.mjs': [TYPES['.mjs'], readFileSync(join(repoRoot, 'tests', 'js', 'suite.mjs'))],
      '/asymmetric-suite.mjs': [TYPES['.mjs'], readFileSync(join(repoRoot, 'tests', 'js', 'asymmetric-suite.mjs'))],
    };
    server = await startServer((req, res) => staticHandler(req, res, pages, { '/pkg': pkgRoot, '/jose': joseRoot }));
    const origin = `http://127.0.0.1:${server.address().port}`;
    browser = await withTimeout(chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 30_000 }), 40_000, 'launch chromium');
    runs.web = await runPage(browser, origin, '/web.html', 'web');
    runs.bundler = await runPage(browser, origin, '/bundler.html', 'bundler');
    runs['jwtkit/hmac'] = await runPage(browser, origin, '/hmac.html', 'jwtkit/hmac');
  } catch (e) {
    reportSetupFailure('[browser] chromium starts and loads the pages', e);
  } finally {
    if (browser) await withTimeout(browser.close(), 15_000, 'close chromium').catch(() => {});
    if (server) {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    }
  }

  for (const [entry, run] of Object.entries(runs)) {
    const prefix = `[browser ${entry}]`;
    if (run.outcome.fatal) reportSetupFailure(`${prefix} the page runs the suite to the end`, new Error(run.outcome.fatal));
    if (run.outcome.results) reportResults(prefix, run.outcome.results);
    if (run.outcome.asymmetric) reportResults(`[browser ${entry} asymmetric]`, run.outcome.asymmetric);
    test(`${prefix} the page logs no console errors`, () => {
      if (run.consoleErrors.length) throw new Error(run.consoleErrors.join('\n'));
    });
    test(`${prefix} no request leaves 127.0.0.1`, () => {
      if (run.foreign.length) throw new Error(`requests elsewhere: ${run.foreign.join(', ')}`);
    });
  }

  if (runs.bundler) {
    const { smoke = {} } = runs.bundler.outcome;
    test('[browser bundler] the inline-wasm entry signs and verifies without init', () => {
      if (smoke.error) throw new Error(smoke.error);
      if (!smoke.claims || smoke.claims.a !== '😀' || smoke.claims.n !== 2 ** 53) throw new Error(`claims ${JSON.stringify(smoke.claims)}`);
      if (!smoke.jose || smoke.jose.a !== '😀') throw new Error(`jose ${JSON.stringify(smoke.jose)}`);
      if (!smoke.fromJose || smoke.fromJose.b !== 'é') throw new Error(`from jose ${JSON.stringify(smoke.fromJose)}`);
    });
    test('[browser bundler] the inline-wasm entry fetches no .wasm file', () => {
      const wasm = runs.bundler.requests.filter((u) => /\.wasm(\?|$)/.test(u));
      if (wasm.length) throw new Error(`fetched ${wasm.join(', ')}`);
    });
  }
  if (runs.web) {
    test('[browser web] init() fetches core_bg.wasm from next to the module', () => {
      const wasm = runs.web.requests.filter((u) => /\/pkg\/[^/]*\.wasm(\?|$)/.test(u));
      if (wasm.length === 0) throw new Error(`no .wasm request: ${runs.web.requests.join(', ')}`);
    });
  }
}

function staticHandler(req, res, pages, roots) {
  const path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
  if (Object.hasOwn(pages, path)) {
    res.writeHead(200, { 'content-type': pages[path][0], 'cache-control': 'no-store' });
    return res.end(pages[path][1]);
  }
  for (const [prefix, dir] of Object.entries(roots)) {
    if (!path.startsWith(prefix + '/')) continue;
    const file = normalize(join(dir, path.slice(prefix.length + 1)));
    if (!file.startsWith(dir + sep)) break;
    try {
      if (!statSync(file).isFile()) break;
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
      return res.end(readFileSync(file));
    } catch {
      break;
    }
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

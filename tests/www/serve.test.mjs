// The inspector's static server (www/serve.mjs): loopback only, MIME types, security
// headers, and no way out of www/ and pkg/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, wwwDir } from '../../www/serve.mjs';

const repoRoot = resolve(wwwDir, '..');
let server;
let fakePkg;

/** A raw GET (no URL normalisation, unlike fetch) returning { status, headers, body }. */
function rawGet(port, path, method = 'GET') {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, timeout: 5_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('latin1') }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout on ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  fakePkg = mkdtempSync(join(tmpdir(), 'jwtkit-serve-'));
  writeFileSync(join(fakePkg, 'web.mjs'), 'export default async function init() {}\n');
  writeFileSync(join(fakePkg, 'core_bg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  mkdirSync(join(fakePkg, 'sub'));
  writeFileSync(join(fakePkg, 'sub', 'x.js'), '//\n');
  symlinkSync(join(repoRoot, 'package.json'), join(fakePkg, 'escape.json'));
  server = await startServer({ port: 0, pkgDir: fakePkg });
});

after(async () => {
  await server?.close();
  if (fakePkg) rmSync(fakePkg, { recursive: true, force: true });
});

describe('serve.mjs', () => {
  test('listens on 127.0.0.1 only, on the free port it was given', () => {
    const address = server.server.address();
    assert.equal(address.address, '127.0.0.1');
    assert.ok(address.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${address.port}/`);
  });

  test('serves the page and the package with the right types and security headers', async () => {
    const expected = [
      ['/', 'text/html; charset=utf-8'],
      ['/index.html', 'text/html; charset=utf-8'],
      ['/app.mjs', 'text/javascript; charset=utf-8'],
      ['/style.css', 'text/css; charset=utf-8'],
      ['/favicon.svg', 'image/svg+xml'],
      ['/pkg/web.mjs', 'text/javascript; charset=utf-8'],
      ['/pkg/core_bg.wasm', 'application/wasm'],
      ['/pkg/sub/x.js', 'text/javascript; charset=utf-8'],
    ];
    for (const [path, type] of expected) {
      const res = await rawGet(server.port, path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['content-type'], type, path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      const csp = res.headers['content-security-policy'];
      for (const directive of [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "connect-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ]) {
        assert.ok(csp.split('; ').includes(directive), `${path}: CSP lacks ${directive}: ${csp}`);
      }
      assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/, 'no inline script or style, no wildcard');
    }
    const head = await rawGet(server.port, '/pkg/core_bg.wasm', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '8');
    assert.equal(head.body, '');
  });

  test('refuses every path that leads outside www/ and pkg/', async () => {
    const paths = [
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E%2Fpackage.json',
      '/..%2fpackage.json',
      '/pkg/../../package.json',
      '/pkg/%2e%2e/%2e%2e/package.json',
      '/pkg/..%5c..%5cpackage.json',
      '/pkg/escape.json',
      '/.%2e/Makefile',
      '/%00',
      '/index.html%00.txt',
      '/.gitignore',
      '/pkg/%',
      '//etc/passwd',
    ];
    for (const path of paths) {
      const res = await rawGet(server.port, path);
      assert.ok([400, 403, 404].includes(res.status), `${path} gave ${res.status}`);
      assert.doesNotMatch(res.body, /jwtkit-workspace|root:/, path);
    }
    assert.equal((await rawGet(server.port, '/missing.js')).status, 404);
    assert.equal((await rawGet(server.port, '/', 'POST')).status, 405);
    const redirect = await rawGet(server.port, '/pkg/sub');
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, '/pkg/sub/');
  });

  test('the command line prints the URL and honours --port and PORT', { timeout: 20_000 }, async () => {
    const run = (args, env = {}) =>
      new Promise((resolvePromise, reject) => {
        const child = spawn(process.execPath, [join(wwwDir, 'serve.mjs'), ...args], {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        const timer = setTimeout(() => {
          child.kill();
          reject(new Error(`no URL printed within 5 s: ${out}`));
        }, 5_000);
        child.stdout.on('data', async (chunk) => {
          out += chunk;
          const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
          if (!match) return;
          clearTimeout(timer);
          try {
            const res = await rawGet(Number(match[1]), '/');
            resolvePromise({ port: Number(match[1]), status: res.status });
          } catch (e) {
            reject(e);
          } finally {
            child.kill();
          }
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          if (!/127\.0\.0\.1/.test(out)) reject(new Error(`exited ${code} without printing the URL`));
        });
      });
    const viaFlag = await run(['--port', '0']);
    assert.equal(viaFlag.status, 200);
    const viaEnv = await run([], { PORT: '0' });
    assert.equal(viaEnv.status, 200);

    const bad = spawn(process.execPath, [join(wwwDir, 'serve.mjs'), '--port', 'http'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const code = await new Promise((r) => bad.on('exit', r));
    assert.equal(code, 2);
  });
});

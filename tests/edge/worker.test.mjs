// examples/worker in real workerd, driven over HTTP on 127.0.0.1 (issue 4).
// The Worker and its config.capnp are used verbatim, with jwtkit installed from the packed
// tarball; bindings come from the environment of each workerd process (fromEnvironment), so
// a key rotation stage is a new workerd process with a new JWKS, as a deployment would be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync, sign as signWithKey } from 'node:crypto';
import { installPackedEdge, copyExample, writeHmacConfig } from './support/packed-edge.mjs';
import { startWorkerd } from './support/workerd.mjs';
import { protectionSuite, waitFor, ISSUER } from './support/suite.mjs';
import { hs256, now, secret } from './support/tokens.mjs';
import { get } from './support/http.mjs';

const project = installPackedEdge();
const dir = copyExample('worker', project);

function env({ secret: s, jwks, audience, issuer }) {
  const e = {};
  if (s !== undefined) e.JWT_SECRET = s;
  if (jwks !== undefined) e.JWKS = JSON.stringify(jwks);
  if (audience !== undefined) e.JWT_AUDIENCE = audience;
  if (issuer !== undefined) e.JWT_ISSUER = issuer;
  return e;
}

protectionSuite('examples/worker in workerd', async (config) => {
  const w = await startWorkerd({ cwd: dir, config: 'config.capnp', env: env(config) });
  return { ...w, output: () => w.stdout() + w.stderr() };
});

// The same Worker with `jwtkit` mapped to the HMAC-only build, as its README describes.
const hmacConfig = writeHmacConfig(dir);

protectionSuite('examples/worker on jwtkit/hmac in workerd', async (config) => {
  const w = await startWorkerd({ cwd: dir, config: hmacConfig, env: env(config) });
  return { ...w, output: () => w.stdout() + w.stderr() };
});

test('examples/worker verifies an RS256 token of its JWK Set; on jwtkit/hmac (no RSA) that set has no usable key: 500', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256', use: 'sig' }] };
  const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'rsa-1' })}.${b64url({ sub: 'rsa-user', iss: ISSUER, exp: now() + 60 })}`;
  const token = `${input}.${signWithKey('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
  for (const [config, status] of [['config.capnp', 200], [hmacConfig, 500]]) {
    const w = await startWorkerd({ cwd: dir, config, env: env({ jwks }) });
    try {
      const res = await get(`${w.url}/api/me`, { token });
      assert.equal(res.status, status, `${config}: ${res.text}`);
      const line = await waitFor(() => w.logs().find((l) => l.msg === 'auth'), 3000, 'log line');
      if (status === 200) {
        assert.equal(JSON.parse(res.text).claims.sub, 'rsa-user');
      } else {
        // A configuration error ("the JWK Set has no key this build supports"), not a bad token.
        assert.equal(line.outcome, 'error');
        assert.equal(line.code, 'ERR_KEY_INVALID');
      }
    } finally {
      await w.stop();
    }
  }
});

for (const [what, bindings] of [
  ['no key is bound', {}],
  ['JWKS is not JSON', { JWKS: '{"keys": [' }],
]) {
  test(`examples/worker answers 500 and logs an error when ${what}`, async () => {
    const w = await startWorkerd({ cwd: dir, config: 'config.capnp', env: bindings });
    try {
      const res = await get(`${w.url}/api/me`, { token: hs256({ sub: 'x', exp: now() + 60 }, secret()) });
      assert.equal(res.status, 500);
      assert.equal(res.challenge, null);
      const line = await waitFor(() => w.logs().find((l) => l.msg === 'auth'), 3000, 'log line');
      assert.equal(line.outcome, 'error');
      assert.equal(line.status, 500);
    } finally {
      await w.stop();
    }
  });
}

test('examples/worker accepts a token without audience checks when JWT_AUDIENCE is unset', async () => {
  const key = secret();
  const w = await startWorkerd({ cwd: dir, config: 'config.capnp', env: { JWT_SECRET: key } });
  try {
    const res = await get(`${w.url}/api/me`, { token: hs256({ sub: 'x', aud: 'anything', iss: ISSUER, exp: now() + 60 }, key) });
    assert.equal(res.status, 200, res.text);
  } finally {
    await w.stop();
  }
});

/** The subset of TOML that wrangler.toml uses here: `key = "string"` lines and `[table]`s. */
function readWranglerToml(text) {
  const config = {};
  let table = config;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const section = /^\[([A-Za-z_]+)\]$/.exec(line);
    if (section) {
      table = config[section[1]] = {};
      continue;
    }
    const kv = /^([A-Za-z_]+)\s*=\s*"([^"]*)"$/.exec(line);
    assert.ok(kv, `unexpected wrangler.toml line: ${line}`);
    table[kv[1]] = kv[2];
  }
  return config;
}

// workerd can serve a wrangler config itself, bundling `main` with esbuild as wrangler does
// (the `workerd` export condition, `.wasm` imports uploaded as compiled modules): the path a
// `wrangler deploy` of examples/worker takes, minus the upload.
test('examples/worker/wrangler.toml: the Worker bundled as wrangler bundles it verifies tokens', async () => {
  const key = secret();
  const config = readWranglerToml(readFileSync(join(dir, 'wrangler.toml'), 'utf8'));
  assert.equal(config.main, 'src/index.mjs');
  config.vars = { ...config.vars, JWT_SECRET: key }; // `wrangler secret put` in a deployment
  writeFileSync(join(dir, 'wrangler.json'), JSON.stringify(config));
  const w = await startWorkerd({ cwd: dir, config: 'wrangler.json' });
  try {
    const ok = await get(`${w.url}/api/me`, { token: hs256({ sub: 'wrangler', aud: config.vars.JWT_AUDIENCE, exp: now() + 60 }, key) });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.claims.sub, 'wrangler');
    const denied = await get(`${w.url}/api/me`, { token: hs256({ sub: 'wrangler', aud: 'other', exp: now() + 60 }, key) });
    assert.equal(denied.status, 401);
  } finally {
    await w.stop();
    rmSync(join(dir, 'wrangler.json'), { force: true });
    rmSync(join(dir, '.wrangler'), { recursive: true, force: true });
  }
});

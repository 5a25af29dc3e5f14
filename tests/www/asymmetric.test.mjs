// End-to-end tests of the inspector's public-key side (RS*, PS*, ES*, EdDSA) in real headless
// Chromium, page served by www/serve.mjs on 127.0.0.1. Tokens and keys come from Node's own
// crypto (generateKeyPairSync and crypto.sign through the small JWS helper below), not from
// jwtkit, so the page is checked against an independent implementation; tokens the page
// signs are checked with crypto.verify the same way.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import crypto from 'node:crypto';
import { startHarness, waitVerdict, statusText, waitText, findings, screenshotDir } from './browser.mjs';

const ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const b64u = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** Node's crypto.sign / crypto.verify arguments for a JWS algorithm (RFC 7518 3.3-3.5, RFC 8037). */
function nodeParams(alg, key) {
  const bits = alg.slice(2);
  if (alg.startsWith('RS')) return [`sha${bits}`, key];
  if (alg.startsWith('PS')) return [`sha${bits}`, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 }];
  if (alg.startsWith('ES')) return [`sha${bits}`, { key, dsaEncoding: 'ieee-p1363' }];
  if (alg === 'EdDSA') return [null, key];
  throw new Error(`no Node parameters for ${alg}`);
}

/** A compact JWS signed by Node's crypto. */
function signJws(alg, privateKey, payload, extraHeader = {}) {
  const input = `${b64u({ alg, typ: 'JWT', ...extraHeader })}.${b64u(payload)}`;
  const [hash, key] = nodeParams(alg, privateKey);
  return `${input}.${crypto.sign(hash, Buffer.from(input), key).toString('base64url')}`;
}

/** Whether Node's crypto accepts a compact JWS with this public key (PEM text or JWK object). */
function verifyJws(token, publicKey) {
  const [head, payload, signature] = token.split('.');
  const { alg } = JSON.parse(Buffer.from(head, 'base64url'));
  const key = typeof publicKey === 'string' ? crypto.createPublicKey(publicKey) : crypto.createPublicKey({ key: publicKey, format: 'jwk' });
  const [hash, params] = nodeParams(alg, key);
  return crypto.verify(hash, Buffer.from(`${head}.${payload}`), params, Buffer.from(signature, 'base64url'));
}

function nodePair(alg) {
  if (/^(RS|PS)/.test(alg)) return crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (alg === 'EdDSA') return crypto.generateKeyPairSync('ed25519');
  return crypto.generateKeyPairSync('ec', { namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg] });
}

const pem = (key) => key.export({ type: 'spki', format: 'pem' });
const jwk = (key) => key.export({ format: 'jwk' });

const T = { timeout: 60_000 };
let h;
const pairs = {};

before(async () => {
  h = await startHarness();
  // one right and one wrong pair per key type; RS256 and PS256 share the RSA pairs
  const rsa = [nodePair('RS256'), nodePair('RS256')];
  pairs.RS256 = rsa;
  pairs.PS256 = rsa;
  pairs.ES256 = [nodePair('ES256'), nodePair('ES256')];
  pairs.EdDSA = [nodePair('EdDSA'), nodePair('EdDSA')];
});

after(async () => {
  await h?.close();
});

// The decoder tests share one page (a fresh context and wasm compile per test costs more than
// the test itself); each test starts by emptying the boxes it uses.
let shared;
async function decoderPage() {
  shared ??= await h.openPage();
  // (the secret box may be hidden, so the boxes are emptied directly rather than with fill)
  await shared.evaluate(() => {
    for (const id of ['token-input', 'public-key', 'secret-input']) {
      const box = document.getElementById(id);
      box.value = '';
      box.dispatchEvent(new Event('input'));
    }
  });
  await waitVerdict(shared, 'empty');
  return shared;
}

async function publicBoxShown(page) {
  return page.evaluate(() => ({
    publicKey: !document.getElementById('public-key-field').hidden,
    secret: !document.getElementById('secret-field').hidden,
  }));
}

describe('decoder: tokens signed by Node\'s crypto', () => {
  for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA']) {
    test(`${alg}: the right public key verifies as PEM, JWK and JWK Set; a wrong key is invalid`, T, async () => {
      const [right, wrong] = pairs[alg];
      const token = signJws(alg, right.privateKey, { sub: `node-${alg}`, exp: now() + 600 }, { kid: 'key-2' });
      const page = await decoderPage();

      await page.fill('#token-input', token);
      await waitVerdict(page, 'unchecked');
      assert.deepEqual(await publicBoxShown(page), { publicKey: true, secret: false });
      assert.equal(await page.innerText('#verify-alg'), alg);
      assert.match(await statusText(page), new RegExp(`${alg} is checked with a public key`));

      await page.fill('#public-key', pem(right.publicKey));
      await waitVerdict(page, 'verified');
      assert.match(await statusText(page), /matches this public key/);
      await waitText(page, '#token-status-claims', (t) => /Claims accepted/.test(t));
      assert.match(await page.innerText('#public-key-format'), /^PEM PUBLIC KEY \(SPKI\) · (RSA 2048 bits|EC P-256|Ed25519) · public$/);

      await page.fill('#public-key', pem(wrong.publicKey));
      await waitVerdict(page, 'invalid');
      assert.match(await statusText(page), /Invalid signature.*does not match this public key/);

      await page.fill('#public-key', JSON.stringify(jwk(right.publicKey), null, 2));
      await waitVerdict(page, 'verified');
      assert.match(await page.innerText('#public-key-format'), /^JWK · /);

      // a JWK Set: the key with the token's kid is taken
      const set = { keys: [{ ...jwk(wrong.publicKey), kid: 'key-1' }, { ...jwk(right.publicKey), kid: 'key-2' }] };
      await page.fill('#public-key', JSON.stringify(set));
      await waitVerdict(page, 'verified');
      assert.match(await page.innerText('#public-key-format'), /^JWK Set · 2 keys/);
      await page.fill('#public-key', JSON.stringify({ keys: [set.keys[0]] }));
      await waitVerdict(page, 'invalid');

      if (alg === 'RS256') {
        // PKCS#1 RSA PUBLIC KEY, indented and with text around it, as pasted from a config file
        const pkcs1 = right.publicKey.export({ type: 'pkcs1', format: 'pem' });
        await page.fill('#public-key', `public key:\n${pkcs1.replace(/^/gm, '    ')}`);
        await waitVerdict(page, 'verified');
        assert.match(await page.innerText('#public-key-format'), /^PEM RSA PUBLIC KEY \(PKCS#1\)/);
        // a 1024-bit key still gets an answer, with a warning and a finding
        const weak = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
        await page.fill('#token-input', signJws('RS256', weak.privateKey, { sub: 'weak', exp: now() + 600 }));
        await page.fill('#public-key', pem(weak.publicKey));
        await waitVerdict(page, 'verified');
        assert.match(await page.innerText('#public-key-notes'), /RSA key of 1024 bits/);
        assert.ok((await findings(page)).some((f) => f.code === 'WEAK_RSA_KEY'));
      }
      if (alg === 'ES256') {
        // a key of another type: refused, and the page says which type the token needs
        await page.fill('#public-key', pem(pairs.RS256[0].publicKey));
        await waitVerdict(page, 'invalid');
        assert.match(await statusText(page), /This is an RSA key, but ES256 tokens need an EC P-256 key/);
        // something that is not a key at all
        await page.fill('#public-key', '{"kty": "EC", "crv": "P-256",}');
        await waitVerdict(page, 'unchecked');
        assert.match(await statusText(page), /cannot be read: not valid JSON: line 1, column 30/);
        assert.equal(await page.getAttribute('#public-key', 'aria-invalid'), 'true');
        await page.fill('#public-key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG');
        await waitVerdict(page, 'unchecked');
        assert.match(await page.innerText('#public-key-notes'), /OpenSSH key/);
      }
    });
  }

  test('PEM <-> JWK conversion in the page round-trips, and a pasted private key is converted to its public half', T, async () => {
    const page = await decoderPage();
    for (const alg of ['RS256', 'ES256', 'EdDSA']) {
      const [right] = pairs[alg];
      await page.fill('#token-input', signJws(alg, right.privateKey, { sub: 'convert', exp: now() + 600 }));
      const original = pem(right.publicKey);
      await page.fill('#public-key', original);
      await waitVerdict(page, 'verified');
      assert.equal(await page.innerText('#public-key-convert'), 'Convert to JWK');

      await page.click('#public-key-convert');
      await waitText(page, '#public-key-format', (t) => t.startsWith('JWK'));
      const converted = JSON.parse(await page.inputValue('#public-key'));
      const expected = jwk(right.publicKey);
      for (const member of Object.keys(expected)) assert.equal(converted[member], expected[member], `${alg} ${member}`);
      assert.equal(converted.d, undefined);
      await waitVerdict(page, 'verified');
      assert.equal(await page.innerText('#public-key-convert'), 'Convert to PEM');

      await page.click('#public-key-convert');
      await waitText(page, '#public-key-format', (t) => t.startsWith('PEM'));
      assert.equal((await page.inputValue('#public-key')).trim(), original.trim());
      await waitVerdict(page, 'verified');
    }

    // a private key in the public box: used for its public half, with a warning; converting drops the private part
    const [ec] = pairs.ES256;
    await page.fill('#token-input', signJws('ES256', ec.privateKey, { sub: 'private', exp: now() + 600 }));
    await page.fill('#public-key', ec.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await waitVerdict(page, 'verified');
    assert.match(await page.innerText('#public-key-format'), /^PEM PRIVATE KEY \(PKCS#8\) · EC P-256 · private$/);
    assert.match(await page.innerText('#public-key-notes'), /This is a private key/);
    await page.click('#public-key-convert');
    await waitText(page, '#public-key-format', (t) => /^JWK · EC P-256 · public$/.test(t));
    const half = JSON.parse(await page.inputValue('#public-key'));
    for (const [member, value] of Object.entries(jwk(ec.publicKey))) assert.equal(half[member], value, member);
    assert.equal(half.d, undefined);
    assert.match(await page.innerText('#public-key-notes'), /public half only/);
    await waitVerdict(page, 'verified');
  });

  test('a key in the token\'s own header is listed as untrusted and never used to verify', T, async () => {
    const attacker = nodePair('ES256');
    const [issuer] = pairs.ES256;
    const header = { jwk: jwk(attacker.publicKey), jku: 'https://attacker.example/jwks.json', x5u: 'https://attacker.example/cert.pem' };
    const token = signJws('ES256', attacker.privateKey, { sub: 'admin', admin: true, exp: now() + 600 }, header);
    const page = await decoderPage();
    await page.fill('#token-input', token);
    await waitVerdict(page, 'unchecked');

    // findings: one per member, saying who chose the key
    const list = (await findings(page)).filter((f) => f.code === 'EMBEDDED_KEY');
    assert.equal(list.length, 3, JSON.stringify(list));
    assert.match(list.map((f) => f.text).join(' '), /Untrusted key in the header: chosen by whoever made the token/);
    assert.match(list.map((f) => f.text).join(' '), /"jwk"/);

    // near the key box: listed, untrusted, with nothing that would use them
    assert.equal(await page.isVisible('#embedded-keys'), true);
    const box = await page.innerText('#embedded-keys');
    assert.match(box, /untrusted/i);
    assert.match(box, /chosen by whoever made the token/);
    const items = await page.$$eval('#embedded-keys-list li', (lis) => lis.map((li) => [li.dataset.member, li.innerText.replace(/\s+/g, ' ')]));
    assert.deepEqual(items.map(([m]) => m), ['jwk', 'jku', 'x5u']);
    assert.match(items[0][1], /EC P-256 key embedded in the header\. Not used to verify\./);
    assert.match(items[1][1], /https:\/\/attacker\.example\/jwks\.json\. The inspector never fetches it/);
    assert.equal(await page.$$eval('#embedded-keys button, #embedded-keys a, #embedded-keys input', (n) => n.length), 0);
    const offers = await page.$$eval('button', (buttons) =>
      buttons.map((b) => b.innerText).filter((t) => /embedded|(use|try|verify with).*(key|jwk|x5c)|from the (token|header)/i.test(t)),
    );
    assert.deepEqual(offers, []);
    assert.equal(await page.inputValue('#public-key'), '', 'the key box was left empty');

    // typing the embedded key in by hand: the signature matches, and the page says it proves nothing
    await page.fill('#public-key', JSON.stringify(header.jwk));
    await waitVerdict(page, 'verified');
    assert.match(await statusText(page), /the key is the one the token carries in its own "jwk" header member.*proves nothing/);
    assert.match(await page.innerText('#public-key-notes'), /key from the token's own "jwk" header member/);

    // the issuer's real key: the forged token is invalid
    await page.fill('#public-key', pem(issuer.publicKey));
    await waitVerdict(page, 'invalid');
    assert.doesNotMatch(await page.innerText('#public-key-notes'), /token's own/);
  });
});

describe('encoder and examples', () => {
  test('the encoder lists all 13 algorithms and signs with a generated ES256 key that Node and the decoder verify', T, async () => {
    const page = await h.openPage();
    await page.click('#tab-encoder');
    assert.deepEqual(await page.$$eval('#enc-alg option', (o) => o.map((x) => x.value)), ALGORITHMS);
    assert.deepEqual(await page.$$eval('#example-alg option', (o) => o.map((x) => x.value)), ALGORITHMS);
    assert.equal(await page.isVisible('#enc-private-key'), false, 'no private key box for HS256');

    await page.selectOption('#enc-alg', 'ES256');
    assert.match(await page.inputValue('#enc-header'), /"alg": "ES256"/);
    await page.waitForFunction(() => document.getElementById('enc-private-key').value.includes('BEGIN PRIVATE KEY'));
    assert.equal(await page.isVisible('#enc-secret'), false);
    assert.match(await page.innerText('#enc-private-key-format'), /^PEM PRIVATE KEY \(PKCS#8\) · EC P-256 · private$/);
    assert.match(await page.innerText('#enc-private-key-notes'), /generated in this page/);
    const publicPem = await page.inputValue('#enc-public-key');
    assert.match(publicPem, /^-----BEGIN PUBLIC KEY-----/);
    const token = (await waitText(page, '#enc-output', (t) => t.trim().split('.').length === 3)).trim();
    assert.deepEqual(JSON.parse(Buffer.from(token.split('.')[0], 'base64url')), { alg: 'ES256', typ: 'JWT' });
    assert.equal(verifyJws(token, publicPem), true, 'Node verifies what the page signed with the public key it shows');
    // the public key matches the private key shown
    const privatePem = await page.inputValue('#enc-private-key');
    assert.equal(pem(crypto.createPublicKey(privatePem)), publicPem);

    // a fresh pair: new private and public key, a new token, and the old public key no longer fits
    await page.click('#enc-generate-keypair');
    await page.waitForFunction((old) => document.getElementById('enc-public-key').value !== old, publicPem);
    const publicPem2 = await page.inputValue('#enc-public-key');
    const token2 = (await waitText(page, '#enc-output', (t) => t.trim() !== token && t.trim().split('.').length === 3)).trim();
    assert.equal(verifyJws(token2, publicPem2), true);
    assert.equal(verifyJws(token2, publicPem), false);

    // the public key as a JWK
    await page.check('#enc-public-jwk');
    const publicJwk = JSON.parse(await page.inputValue('#enc-public-key'));
    assert.equal(publicJwk.kty, 'EC');
    assert.equal(publicJwk.d, undefined);
    assert.equal(verifyJws(token2, publicJwk), true);
    await page.check('#enc-public-pem');

    // the private key converted to JWK still signs, and back
    await page.click('#enc-private-key-convert');
    await waitText(page, '#enc-private-key-format', (t) => /^JWK · EC P-256 · private$/.test(t));
    assert.ok(JSON.parse(await page.inputValue('#enc-private-key')).d);
    assert.equal(verifyJws((await page.innerText('#enc-output')).trim(), publicPem2), true);

    // a public key in the private box is refused before signing (no console error either)
    await page.fill('#enc-private-key', publicPem2);
    await waitText(page, '#enc-private-key-notes', (t) => /This is a public key/.test(t));
    assert.equal(await page.isDisabled('#open-in-decoder'), true);
    await page.click('#enc-private-key-convert'); // converts nothing harmful: a public JWK
    await waitText(page, '#enc-private-key-notes', (t) => /This is a public key/.test(t));
    await page.click('#enc-generate-keypair');
    await page.waitForFunction(() => document.getElementById('enc-private-key').value.includes('BEGIN PRIVATE KEY'));
    await page.waitForFunction(() => !document.getElementById('enc-output').classList.contains('is-stale'));
    const token3 = (await page.innerText('#enc-output')).trim();
    const publicPem3 = await page.inputValue('#enc-public-key');
    assert.equal(verifyJws(token3, publicPem3), true);

    // open in the decoder: the token and its public key, verified
    await page.click('#open-in-decoder');
    await waitVerdict(page, 'verified');
    assert.equal(await page.inputValue('#public-key'), publicPem3);
    assert.equal(await page.innerText('#verify-alg'), 'ES256');

    // switching to RS256 with a page-generated EC key in the box gives an RSA pair
    await page.click('#tab-encoder');
    await page.selectOption('#enc-alg', 'PS384');
    await page.waitForFunction(() => document.getElementById('enc-private-key-format').textContent.includes('RSA'), null, { timeout: 15_000 });
    const rsToken = (await waitText(page, '#enc-output', (t) => t.trim().startsWith(b64u({ alg: 'PS384', typ: 'JWT' })), 15_000)).trim();
    assert.equal(verifyJws(rsToken, await page.inputValue('#enc-public-key')), true);
    // a key the user pasted stays, with a note, when it does not fit the algorithm
    const mine = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'sec1', format: 'pem' });
    await page.fill('#enc-private-key', mine);
    await waitText(page, '#enc-private-key-notes', (t) => /This is an EC P-384 key; PS384 signs with an RSA key/.test(t));
    await page.selectOption('#enc-alg', 'ES384');
    const esToken = (await waitText(page, '#enc-output', (t) => t.trim().startsWith(b64u({ alg: 'ES384', typ: 'JWT' })))).trim();
    assert.equal(await page.inputValue('#enc-private-key'), mine);
    assert.equal(verifyJws(esToken, pem(crypto.createPublicKey(mine))), true);
  });

  test('"Load an example" makes a token for each of the 13 algorithms, and each verifies', T, async () => {
    const page = await h.openPage();
    for (const alg of ALGORITHMS) {
      await page.selectOption('#example-alg', alg);
      await page.click('#load-example');
      // RSA keys take a moment to generate: wait for this algorithm's token, then its verdict
      await page.waitForFunction((a) => document.getElementById('verify-alg').textContent === a, alg, { timeout: 15_000 });
      await waitVerdict(page, 'verified');
      const token = await page.inputValue('#token-input');
      if (alg.startsWith('HS')) {
        assert.deepEqual(await publicBoxShown(page), { publicKey: false, secret: true });
        continue;
      }
      assert.deepEqual(await publicBoxShown(page), { publicKey: true, secret: false });
      assert.match(await page.innerText('#example-note'), new RegExp(`Example ${alg} token, signed with a key pair generated in this page`));
      // Node agrees with the page's public key
      assert.equal(verifyJws(token, await page.inputValue('#public-key')), true, alg);
    }
    // "Edit in encoder" on the last (EdDSA) example: the encoder takes its algorithm and signs
    // with the page's Ed25519 pair, the one the example used, so the decoder's key still fits
    const examplePublicKey = await page.inputValue('#public-key');
    await page.click('#edit-in-encoder');
    assert.equal(await page.inputValue('#enc-alg'), 'EdDSA');
    await waitText(page, '#enc-private-key-format', (t) => /Ed25519 · private$/.test(t));
    const token = (await waitText(page, '#enc-output', (t) => t.trim().startsWith(b64u({ alg: 'EdDSA', typ: 'JWT' })))).trim();
    assert.equal(verifyJws(token, await page.inputValue('#enc-public-key')), true);
    assert.equal(verifyJws(token, examplePublicKey), true);
    assert.equal(JSON.parse(Buffer.from(token.split('.')[1], 'base64url')).name, 'Ada Lovelace');
  });
});

describe('screenshots of the public-key states', () => {
  for (const colorScheme of ['light', 'dark']) {
    test(`public-key states in the ${colorScheme} theme`, T, async () => {
      const page = await h.openPage({ colorScheme });
      const [rsa, rsaWrong] = pairs.RS256;
      const [ec] = pairs.ES256;
      const [ed] = pairs.EdDSA;
      const attacker = nodePair('ES256');
      const shots = [
        ['decoder-rs256-verified', signJws('RS256', rsa.privateKey, { sub: 'user-1', iss: 'https://issuer.example.com', exp: now() + 3600 }), pem(rsa.publicKey)],
        ['decoder-ps256-invalid', signJws('PS256', rsa.privateKey, { sub: 'user-1', exp: now() + 3600 }), pem(rsaWrong.publicKey)],
        ['decoder-eddsa-jwk', signJws('EdDSA', ed.privateKey, { sub: 'user-1', exp: now() + 3600 }), JSON.stringify(jwk(ed.publicKey), null, 2)],
        ['decoder-es256-needs-key', signJws('ES256', ec.privateKey, { sub: 'user-1', exp: now() + 3600 }), ''],
        ['decoder-es256-bad-key', signJws('ES256', ec.privateKey, { sub: 'user-1', exp: now() + 3600 }), pem(rsa.publicKey)],
        [
          'decoder-embedded-jwk-untrusted',
          signJws('ES256', attacker.privateKey, { sub: 'admin', exp: now() + 3600 }, { jwk: jwk(attacker.publicKey), jku: 'https://attacker.example/jwks.json' }),
          '',
        ],
      ];
      for (const [name, token, key] of shots) {
        await page.fill('#token-input', token);
        await page.fill('#public-key', key);
        await page.evaluate(() => document.activeElement?.blur());
        await page.screenshot({ path: join(screenshotDir, `${name}-${colorScheme}.png`), fullPage: true, timeout: 10_000 });
      }
      await page.click('#tab-encoder');
      await page.selectOption('#enc-alg', 'ES256');
      await page.waitForFunction(() => document.getElementById('enc-private-key').value.includes('BEGIN PRIVATE KEY'));
      await waitText(page, '#enc-output', (t) => t.trim().startsWith(b64u({ alg: 'ES256', typ: 'JWT' })));
      await page.evaluate(() => document.activeElement?.blur());
      await page.screenshot({ path: join(screenshotDir, `encoder-es256-${colorScheme}.png`), fullPage: true, timeout: 10_000 });
    });
  }
});

describe('what the browser saw (public-key pages)', () => {
  // node:test runs suites in order, so this runs after every page above
  test('no console errors, no page errors, no failed requests', T, () => {
    assert.deepEqual(h.pageErrors, []);
    assert.deepEqual(h.consoleErrors, []);
    assert.deepEqual(h.failedRequests, []);
  });

  test('no request left 127.0.0.1, not even for the jku and x5u URLs of the header', T, () => {
    assert.ok(h.requests.length > 0, 'no requests were recorded at all');
    const outside = h.requests.filter((url) => {
      const u = new URL(url);
      if (u.protocol === 'data:' || u.protocol === 'blob:') return false;
      return u.hostname !== '127.0.0.1';
    });
    assert.deepEqual(outside, []);
    assert.deepEqual(h.blocked, []);
  });
});

// Shared by tests/js/remote.test.mjs (Node) and tests/js/remote-workerd.test.mjs (workerd):
// a JWK Set server on 127.0.0.1 whose answers each test scripts per path, and key pairs made
// three ways (jwtkit's generateKeyPair, node:crypto, jose) with a token signer for each.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A TCP port on 127.0.0.1 where nothing listens (bound once, then closed). */
export function closedPort() {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the server. Every path is a route with its own script:
 *   route(path, { jwks, status = 200, body, delayMs = 0, contentType, redirect })
 * returns `{ url, hits(), set(patch) }`. `body` (a string) replaces the JSON of `jwks`;
 * `delayMs` holds the answer back (the connection stays open).
 */
export async function startJwksServer() {
  const routes = new Map();
  const sockets = new Set();
  const server = createServer((req, res) => {
    const route = routes.get(new URL(req.url, 'http://x').pathname);
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    route.count++;
    const answer = () => {
      if (res.destroyed) return;
      const c = route.config;
      if (c.redirect) {
        res.writeHead(302, { location: c.redirect }).end();
        return;
      }
      const body = c.body ?? JSON.stringify(c.jwks);
      res.writeHead(c.status ?? 200, { 'content-type': c.contentType ?? 'application/json' });
      res.end(body);
    };
    const delay = route.config.delayMs ?? 0;
    if (delay > 0) {
      const timer = setTimeout(answer, delay);
      res.on('close', () => clearTimeout(timer));
    } else {
      answer();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  let n = 0;
  return {
    base,
    /** A new route with a unique path. */
    route(config = {}) {
      const path = `/r${++n}/jwks.json`;
      const route = { count: 0, config: { ...config } };
      routes.set(path, route);
      return {
        url: `${base}${path}`,
        path,
        hits: () => route.count,
        set(patch) {
          route.config = { ...route.config, ...patch };
        },
      };
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const b64u = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
export const nowSeconds = () => Math.floor(Date.now() / 1000);

const NODE_ALGS = {
  RS256: { type: 'rsa', options: { modulusLength: 2048 }, hash: 'sha256' },
  PS256: { type: 'rsa-pss', options: { modulusLength: 2048 }, hash: 'sha256', pss: true },
  ES256: { type: 'ec', options: { namedCurve: 'P-256' }, hash: 'sha256', p1363: true },
  ES384: { type: 'ec', options: { namedCurve: 'P-384' }, hash: 'sha384', p1363: true },
  EdDSA: { type: 'ed25519', options: {}, hash: null },
};

/**
 * A key made by node:crypto: `{ kid, alg, publicJwk, sign(payload, header?) }`, the JWS
 * computed by `crypto.sign` itself (an independent signer). PS256 keys are plain RSA keys
 * (signed with PSS padding), since a JWK cannot say "rsa-pss".
 */
export function nodeKey(alg, kid = `node-${alg}-${randomBytes(4).toString('hex')}`) {
  const spec = NODE_ALGS[alg];
  const { publicKey, privateKey } = generateKeyPairSync(spec.type === 'rsa-pss' ? 'rsa' : spec.type, spec.options);
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  return {
    kid,
    alg,
    publicJwk,
    privateKey,
    sign(payload, header = {}) {
      const input = `${b64u({ alg, typ: 'JWT', kid, ...header })}.${b64u(payload)}`;
      const key = spec.pss
        ? { key: privateKey, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }
        : spec.p1363
          ? { key: privateKey, dsaEncoding: 'ieee-p1363' }
          : privateKey;
      return `${input}.${nodeSign(spec.hash, Buffer.from(input), key).toString('base64url')}`;
    },
  };
}

/** A key made by jwtkit's generateKeyPair, signed by jwtkit. */
export function jwtkitKey(jwt, alg, kid = `jwtkit-${alg}-${randomBytes(4).toString('hex')}`) {
  const { privateKey, publicKey } = jwt.generateKeyPair(alg);
  return {
    kid,
    alg,
    publicJwk: { ...publicKey, kid, use: 'sig' },
    sign: (payload, header) => jwt.sign(payload, privateKey, { algorithm: alg, keyid: kid, noTimestamp: true, ...(header ? { header } : {}) }),
  };
}

/** A key made and signed by jose. */
export async function joseKey(jose, alg, kid = `jose-${alg}-${randomBytes(4).toString('hex')}`) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true, crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' };
  return {
    kid,
    alg,
    publicJwk,
    sign: (payload) => new jose.SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT', kid }).sign(privateKey),
  };
}

export const jwks = (...keys) => ({ keys: keys.map((k) => k.publicJwk ?? k) });

#!/usr/bin/env node
// The inspector's development server: node:http only, bound to 127.0.0.1.
// Serves www/ at / and the built package (pkg/) at /pkg/, with a Content-Security-Policy
// that allows the page nothing but its own files and WebAssembly compilation.
//
//   node www/serve.mjs [--port 8080]        (PORT=... works too; 0 picks a free port)
//
// Tests import startServer() and run it on port 0.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOST = '127.0.0.1';
export const wwwDir = dirname(fileURLToPath(import.meta.url));
export const defaultPkgDir = resolve(wwwDir, '..', 'pkg');

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * Maps a URL path to a file under one of the two roots, or returns null when the path
 * is outside them (after decoding, `..`, backslashes, NUL bytes and dot-files are refused).
 */
export function resolvePath(urlPath, roots) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\') || !path.startsWith('/')) return null;
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return null;
  let root = roots.www;
  let rest = segments;
  if (segments[0] === 'pkg') {
    root = roots.pkg;
    rest = segments.slice(1);
  }
  const file = resolve(root, ...rest);
  if (file !== root && !file.startsWith(root + sep)) return null;
  return { root, file };
}

function send(res, status, text, extra = {}) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(text);
}

async function handle(req, res, roots) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
  let url;
  try {
    url = new URL(req.url, 'http://localhost');
  } catch {
    return send(res, 400, 'bad request\n');
  }
  const target = resolvePath(url.pathname, roots);
  if (!target) return send(res, 403, 'forbidden\n');
  let file = target.file;
  try {
    let info = await stat(file);
    if (info.isDirectory()) {
      if (!url.pathname.endsWith('/')) return send(res, 301, 'moved\n', { Location: `${url.pathname}/` });
      file = join(file, 'index.html');
      info = await stat(file);
    }
    // refuse symbolic links that lead out of the root
    const [realFile, realRoot] = await Promise.all([realpath(file), realpath(target.root)]);
    if (!realFile.startsWith(realRoot + sep)) return send(res, 403, 'forbidden\n');
    if (!info.isFile()) return send(res, 404, 'not found\n');
    const type = MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': info.size, 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  } catch (error) {
    if (error && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) {
      const hint = target.root === roots.pkg ? 'not found (is the package built? run `make pkg`)\n' : 'not found\n';
      return send(res, 404, hint);
    }
    return send(res, 500, 'internal error\n');
  }
}

/**
 * Starts the server on 127.0.0.1.
 * @param {{ port?: number, pkgDir?: string, wwwDir?: string }} options port 0 picks a free port
 * @returns {Promise<{ server: import('node:http').Server, port: number, url: string, close: () => Promise<void> }>}
 */
export function startServer({ port = 8080, pkgDir = defaultPkgDir, wwwDir: www = wwwDir } = {}) {
  const roots = { www: resolve(www), pkg: resolve(pkgDir) };
  const server = createServer((req, res) => {
    handle(req, res, roots).catch(() => {
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      const actual = server.address().port;
      resolvePromise({
        server,
        port: actual,
        url: `http://${HOST}:${actual}/`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections?.();
          }),
      });
    });
  });
}

function parsePort(argv, env) {
  let value = env.PORT;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') value = argv[++i];
    else if (argv[i].startsWith('--port=')) value = argv[i].slice('--port='.length);
    else if (argv[i] === '--help' || argv[i] === '-h') return 'help';
    else throw new Error(`unknown argument ${JSON.stringify(argv[i])}`);
  }
  if (value === undefined || value === '') return 8080;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${JSON.stringify(value)}`);
  return port;
}

async function main() {
  let port;
  try {
    port = parsePort(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`serve.mjs: ${error.message}\nusage: node www/serve.mjs [--port 8080]`);
    process.exit(2);
  }
  if (port === 'help') {
    console.log('usage: node www/serve.mjs [--port 8080]   (or PORT=8080; 0 picks a free port)');
    return;
  }
  try {
    const { url } = await startServer({ port });
    console.log(`jwtkit inspector: ${url}  (serving www/ and pkg/ on 127.0.0.1 only; Ctrl-C to stop)`);
  } catch (error) {
    if (error.code === 'EADDRINUSE') console.error(`serve.mjs: port ${port} is in use; try PORT=<another port> make serve`);
    else console.error(`serve.mjs: ${error.message}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}

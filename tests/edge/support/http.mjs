// HTTP helpers for the edge suites: fetch with a timeout, and raw requests over a socket for
// header shapes fetch cannot send (duplicate Authorization headers).
import { connect } from 'node:net';

export async function get(url, { token, authorization, timeoutMs = 5000, method = 'GET', body } = {}) {
  const headers = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (authorization !== undefined) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, text, json, challenge: res.headers.get('www-authenticate') };
}

/** Sends `lines` (header lines without CRLF) as one HTTP/1.1 GET and returns the status and head. */
export function rawGet(port, path, lines, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('raw request timed out'));
    }, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('connect', () => {
      socket.write([`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...lines, '', ''].join('\r\n'));
    });
    socket.on('data', (d) => (data += d));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const [head, ...body] = data.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers = {};
      for (const l of headerLines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      let text = body.join('\r\n\r\n');
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) text = unchunk(text);
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: Buffer.from(text, 'latin1').toString('utf8') });
    });
  });
}

function unchunk(text) {
  let out = '';
  let pos = 0;
  for (;;) {
    const eol = text.indexOf('\r\n', pos);
    if (eol < 0) return out;
    const size = parseInt(text.slice(pos, eol), 16);
    if (!size) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    pos = eol + 2 + size + 2;
  }
}

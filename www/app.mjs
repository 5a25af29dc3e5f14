// The only module of the inspector that touches the DOM. It loads the jwtkit package
// (`/pkg/web.mjs`, then `await init()`), reads the inputs, hands them to the pure logic in
// logic.mjs and writes the results with textContent (never innerHTML). All text comes
// from text.mjs.
import * as T from './text.mjs';
import * as L from './logic.mjs';

const $ = (id) => document.getElementById(id);

/** Creates an element with a class and text (text always set through textContent). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function fillStaticText() {
  for (const node of document.querySelectorAll('[data-text]')) {
    const text = T.UI[node.dataset.text];
    if (text !== undefined) node.textContent = text;
  }
  for (const node of document.querySelectorAll('[data-text-attr]')) {
    for (const pair of node.dataset.textAttr.split(';')) {
      const [attr, key] = pair.split(':');
      if (T.UI[key] !== undefined) node.setAttribute(attr, T.UI[key]);
    }
  }
}

/** Fills an algorithm list (the encoder's and the example's) from text.mjs, grouped by key type. */
function fillAlgorithmList(select) {
  const frag = document.createDocumentFragment();
  for (const [groupKey, algs] of T.ALG_GROUPS) {
    const group = document.createElement('optgroup');
    group.label = T.UI[groupKey];
    for (const alg of algs) {
      const option = el('option', null, T.ALG_LABELS[alg]);
      option.value = alg;
      group.append(option);
    }
    frag.append(group);
  }
  select.replaceChildren(frag);
}

function announce(text) {
  const live = $('live');
  live.textContent = '';
  // a fresh text node makes screen readers repeat the same message
  setTimeout(() => {
    live.textContent = text;
  }, 30);
}

async function copyText(text, button) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const area = el('textarea', 'offscreen');
    area.value = text;
    area.setAttribute('readonly', '');
    document.body.append(area);
    area.select();
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
  }
  announce(ok ? T.MSG.copied : T.MSG.copyFailed);
  if (button) {
    button.classList.toggle('copied', ok);
    setTimeout(() => button.classList.remove('copied'), 1500);
  }
  return ok;
}

// ---------------------------------------------------------------------------------------
// tabs

function selectTab(name, focus = false) {
  for (const tab of ['decoder', 'encoder']) {
    const selected = tab === name;
    const button = $(`tab-${tab}`);
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`panel-${tab}`).hidden = !selected;
    if (selected && focus) button.focus();
  }
  // key boxes are sized to their content only while visible
  for (const id of ['public-key', 'enc-private-key', 'enc-public-key']) sizeKeyBox($(id));
}

function wireTabs() {
  const order = ['decoder', 'encoder'];
  for (const name of order) {
    const button = $(`tab-${name}`);
    button.addEventListener('click', () => selectTab(name));
    button.addEventListener('keydown', (event) => {
      const i = order.indexOf(name);
      let next = null;
      if (event.key === 'ArrowRight') next = order[(i + 1) % order.length];
      else if (event.key === 'ArrowLeft') next = order[(i + order.length - 1) % order.length];
      else if (event.key === 'Home') next = order[0];
      else if (event.key === 'End') next = order[order.length - 1];
      if (next) {
        event.preventDefault();
        selectTab(next, true);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------
// rendering helpers

/** Renders colour runs (logic.colourRuns) into a container as spans. */
function renderRuns(container, runs, trailingNewlineFix = false) {
  const frag = document.createDocumentFragment();
  for (const run of runs) frag.append(el('span', `tok-${run.kind}`, run.text));
  // a textarea shows an empty last line after a final newline; the mirror needs a character there
  if (trailingNewlineFix) frag.append(document.createTextNode('\u200b'));
  container.replaceChildren(frag);
}

function timeTitle(name, value, nowMs) {
  const info = L.timeInfo(name, value, nowMs);
  return info ? T.describeTime(name, info).both : null;
}

/** Pretty JSON with hover explanations on members (header members or claims). */
function renderJson(pre, value, kind, nowMs, reportClaims) {
  if (value === null || value === undefined) {
    pre.replaceChildren();
    pre.classList.add('json-empty');
    return;
  }
  pre.classList.remove('json-empty');
  const frag = document.createDocumentFragment();
  for (const run of L.jsonRuns(value)) {
    const span = el('span', `json-${run.kind}`, run.text);
    if (run.key !== undefined && (run.kind === 'key' || run.kind === 'number' || run.kind === 'string' || run.kind === 'boolean')) {
      const description = kind === 'header' ? T.HEADER_MEMBERS[run.key] : claimDescription(run.key, reportClaims);
      let title = T.MSG.claimTitle(run.key, description ?? (kind === 'header' ? null : T.MSG.unknownClaim));
      if (kind === 'payload' && L.TIME_CLAIMS.includes(run.key)) {
        const when = timeTitle(run.key, value[run.key], nowMs);
        if (when) title += `\n${when}`;
        if (run.kind === 'number' && when) span.classList.add('json-time');
      }
      if (run.kind === 'key' && (description || kind === 'payload')) span.classList.add('json-explained');
      span.title = title;
    }
    frag.append(span);
  }
  pre.replaceChildren(frag);
}

function claimDescription(name, reportClaims) {
  if (Object.hasOwn(T.CLAIMS, name)) return T.CLAIMS[name];
  const fromReport = Array.isArray(reportClaims) ? reportClaims.find((c) => c && c.name === name) : null;
  return fromReport?.description ?? null;
}

function renderClaimsTable(rows, reportClaims) {
  const body = $('claims-table').querySelector('tbody');
  const frag = document.createDocumentFragment();
  for (const row of rows) {
    const tr = el('tr');
    tr.dataset.claim = row.name;
    const nameCell = el('th');
    nameCell.scope = 'row';
    nameCell.append(el('code', null, row.name));
    const valueCell = el('td', 'claim-value');
    valueCell.append(el('code', null, JSON.stringify(row.value)));
    if (row.time) {
      const when = T.describeTime(row.name, row.time);
      const time = el('time', 'claim-date', when.iso);
      time.dateTime = when.iso;
      const relative = el('span', 'claim-relative', when.phrase);
      if (row.time.inForce !== null) {
        relative.append(
          el('span', `badge ${row.time.inForce ? 'badge-ok' : 'badge-bad'}`, row.time.inForce ? T.MSG.inForce : T.MSG.notInForce),
        );
      }
      valueCell.append(time, relative);
    }
    const meaning = claimDescription(row.name, reportClaims);
    const meaningCell = el('td', meaning ? 'claim-meaning' : 'claim-meaning unknown', meaning ?? T.MSG.unknownClaim);
    tr.append(nameCell, valueCell, meaningCell);
    frag.append(tr);
  }
  if (rows.length === 0) {
    const tr = el('tr');
    const td = el('td', 'claims-none', T.MSG.noClaims);
    td.colSpan = 3;
    tr.append(td);
    frag.append(tr);
  }
  body.replaceChildren(frag);
  $('claims-table').classList.toggle('is-empty', rows.length === 0);
}

function renderFindings(warnings, undecodable = false) {
  const list = $('findings-list');
  const frag = document.createDocumentFragment();
  const sorted = L.sortWarnings(warnings);
  if (sorted.length === 0) {
    frag.append(el('li', 'finding finding-none', undecodable ? T.MSG.noFindingsMalformed : T.MSG.noFindings));
  }
  for (const w of sorted) {
    const explanation = L.explainWarning(w, T.FINDINGS, T.FINDING_FALLBACK);
    const severity = T.SEVERITY_LABEL[String(w.severity ?? '').toLowerCase()] ?? T.MSG.severity(w.severity);
    const li = el('li', `finding severity-${severity}`);
    li.dataset.code = String(w.code ?? '');
    const head = el('p', 'finding-head');
    head.append(el('span', `severity severity-${severity}`, severity), el('strong', 'finding-title', explanation.title), el('code', 'finding-code', String(w.code ?? '')));
    li.append(head);
    if (w.message) li.append(el('p', 'finding-message', T.sentence(String(w.message))));
    const why = el('p', 'finding-why');
    why.append(el('span', 'finding-label', T.MSG.findingWhy), document.createTextNode(explanation.why));
    const fix = el('p', 'finding-fix');
    fix.append(el('span', 'finding-label', T.MSG.findingFix), document.createTextNode(explanation.fix));
    li.append(why, fix);
    frag.append(li);
  }
  list.replaceChildren(frag);
}

// ---------------------------------------------------------------------------------------
// decoder

let lib = null;
let lastResult = null;

function decoderSettings() {
  const checkValue = $('check-time').value;
  const checkMs = checkValue ? new Date(checkValue).getTime() : NaN;
  return {
    secret: $('secret-input').value,
    encoding: $('secret-base64url').checked ? 'base64url' : 'utf8',
    publicKey: $('public-key').value,
    audience: $('audience-input').value,
    issuer: $('issuer-input').value,
    currentTime: Number.isFinite(checkMs) ? checkMs : null,
  };
}

/** Grows a key box to its content (a 4096-bit RSA PEM fits), within CSS min and max heights. */
function sizeKeyBox(area) {
  if (area.offsetParent === null) return; // hidden: measured when shown
  area.style.height = 'auto';
  area.style.height = `${area.scrollHeight + 2}px`;
}

function sizeTokenEditor() {
  const input = $('token-input');
  input.style.height = 'auto';
  input.style.height = `${Math.max(input.scrollHeight + 2, 120)}px`;
}

function reasonText(result) {
  const r = result.reason;
  if (!r) return null;
  switch (r.kind) {
    case 'alg-none':
      return T.MSG.algNone;
    case 'alg-asymmetric':
      return T.MSG.algAsymmetric(r.alg);
    case 'alg-unknown':
      return T.MSG.algUnknown(r.alg);
    case 'alg-missing':
      return T.MSG.algMissing;
    case 'secret':
      return r.error.kind === 'length' ? T.MSG.secretBadLength : T.MSG.secretBadChar(r.error.position, r.error.ch);
    case 'key':
      return result.keyKind === 'public' ? T.MSG.publicKeyError(r.message) : T.MSG.keyError(r.message);
    case 'need-public-key':
      return T.MSG.needPublicKey(r.alg, r.family);
    case 'public-key-format':
      return T.MSG.publicKeyUnreadable(T.keyFormatError(r.error));
    case 'key-family':
      return T.MSG.keyFamilyMismatch(r.alg, r.family, r.need);
    default:
      if (result.keyKind === 'public' && r.code === 'ERR_JWS_INVALID_SIGNATURE') return `${T.MSG.invalidPublic} (${r.code})`;
      return T.VERIFY_ERRORS[r.code] ? `${T.VERIFY_ERRORS[r.code]} (${r.code})` : `${r.message} (${r.code})`;
  }
}

function malformedText(m) {
  if (m.kind === 'parts') return T.MSG.malformedParts(m.count);
  if (m.kind === 'empty') return T.MSG.partEmpty(m.part);
  let where = '';
  if (m.part && m.line) where = T.MSG.malformedJsonAt(m.part, m.line, m.column, m.index);
  else if (m.part && m.index >= 0) where = T.MSG.malformedAt(m.part, m.index);
  else if (m.part) where = T.MSG.malformedPart(m.part);
  const detail = m.message ? T.MSG.packageSays(m.message, m.code) : '';
  return [where, detail].filter(Boolean).join(' ');
}

function formatCheckTime(ms) {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function renderDecoder() {
  if (!lib) return;
  const input = $('token-input').value;
  const nowMs = Date.now();
  const result = L.analyse(lib, input, decoderSettings(), nowMs);
  lastResult = result;

  renderRuns($('token-backdrop'), L.colourRuns(input, result.map, result.parts, result.errorIndex), input.endsWith('\n'));
  sizeTokenEditor();

  // status: verified / invalid / malformed / not checked
  const status = $('token-status');
  status.className = `card status status-${result.verdict}`;
  status.dataset.verdict = result.verdict;
  const s = T.STATUS[result.verdict];
  $('token-status-title').textContent = s.title;
  let detail = s.detail;
  const fromToken = result.publicKey?.fromToken ?? null;
  if (result.verdict === 'malformed') detail = malformedText(result.malformed);
  else if (result.reason) detail = reasonText(result);
  else if (result.keyKind === 'public' && result.verdict === 'verified') detail = fromToken ? T.MSG.verifiedWithTokenKey(fromToken) : T.MSG.verifiedPublic;
  else if (result.keyKind === 'public' && result.verdict === 'invalid') detail = T.MSG.invalidPublic;
  $('token-status-detail').textContent = detail;
  $('token-status-detail').classList.toggle('detail-bad', Boolean(fromToken) && result.verdict === 'verified');
  let claimsLine = '';
  if (result.verdict === 'verified' && result.claimsCheck) {
    claimsLine = result.claimsCheck.ok
      ? T.MSG.claimsOk(formatCheckTime(result.checkMs))
      : T.MSG.claimsFailed(`${result.claimsCheck.message} (${result.claimsCheck.code})`);
  }
  const claimsNode = $('token-status-claims');
  claimsNode.textContent = claimsLine;
  claimsNode.className = `status-claims ${result.claimsCheck && !result.claimsCheck.ok ? 'claims-bad' : 'claims-ok'}`;

  // verification panel
  $('verify-alg').textContent = result.header && 'alg' in result.header ? String(result.header.alg) : '-';
  const note = $('secret-note');
  note.className = 'note';
  note.textContent = '';
  if (result.key?.error) {
    note.textContent = result.key.error.kind === 'length' ? T.MSG.secretBadLength : T.MSG.secretBadChar(result.key.error.position, result.key.error.ch);
    note.classList.add('note-bad');
  } else if (result.weak) {
    note.textContent = T.MSG.weakSecret(result.weak.bytes, result.weak.need, result.weak.alg);
    note.classList.add('note-warn');
  }
  $('secret-input').setAttribute('aria-invalid', String(Boolean(result.key?.error)));
  renderKeyBox(result);
  renderEmbedded(result.embedded);

  // decoded parts
  const reportClaims = result.report?.claims;
  renderJson($('header-json'), result.header, 'header', result.checkMs, reportClaims);
  renderJson($('payload-json'), result.payload, 'payload', result.checkMs, reportClaims);
  renderClaimsTable(L.claimRows(result.payload, result.checkMs), reportClaims);

  // findings. WEAK_KEY is about the secret typed in, so it is a finding about the token
  // only when that secret verified it; shown then even if the package did not report it.
  const warnings = result.warnings.filter((w) => w.code !== 'WEAK_KEY' || result.verdict === 'verified');
  if (result.weak && result.verdict === 'verified' && !warnings.some((w) => w.code === 'WEAK_KEY')) {
    warnings.push({ code: 'WEAK_KEY', severity: 'high', message: T.MSG.weakSecret(result.weak.bytes, result.weak.need, result.weak.alg) });
  }
  if (result.publicKey?.weak && result.verdict === 'verified') {
    warnings.push({ code: 'WEAK_RSA_KEY', severity: 'high', message: T.MSG.keyWeakRsa(result.publicKey.weak.bits) });
  }
  renderFindings(result.empty ? [] : warnings, result.verdict === 'malformed' && result.header === null);
  $('findings').classList.toggle('is-empty', result.empty);
}

/** A key box's list of notes: `[{ text, tone }]` with tone bad, warn or info. */
function renderNotes(list, notes) {
  list.replaceChildren(...notes.map((n) => el('li', `note note-${n.tone}`, n.text)));
}

/** The convert button of a key box: its label follows the detected format. */
function renderConvertButton(button, parsed, info) {
  const convertible = parsed && !parsed.empty && !parsed.error && parsed.format !== 'jwks' && !info?.error;
  button.textContent = T.MSG.convertTo(parsed?.format === 'jwk' ? 'pem' : 'jwk');
  button.disabled = !convertible;
  button.title = parsed?.format === 'jwks' ? T.MSG.convertSet : '';
}

let decoderKeyBox = 'secret';
let conversionNote = null;

/** Shows the secret box for HS* tokens and the public key box for RS*, PS*, ES* and EdDSA. */
function renderKeyBox(result) {
  const alg = result.header?.alg;
  if (L.PUBLIC_KEY_ALGS.includes(alg)) decoderKeyBox = 'public';
  else if (result.header) decoderKeyBox = 'secret';
  // with no decodable header (empty or broken token) the box stays what it was
  const publicBox = decoderKeyBox === 'public';
  $('secret-field').hidden = publicBox;
  $('public-key-field').hidden = !publicBox;
  if (!publicBox) return;

  const text = $('public-key').value;
  const state = result.publicKey ?? readKey(text);
  const { parsed } = state;
  const info = state.info;
  const family = L.algFamily(alg);
  $('public-key-help').textContent = family ? T.MSG.publicKeyNeeds(alg, family) : '';
  const format = $('public-key-format');
  format.textContent = T.keyFormat(parsed, info);
  format.classList.toggle('key-format-bad', Boolean(parsed.error || info?.error));
  renderConvertButton($('public-key-convert'), parsed, info);
  $('public-key').setAttribute('aria-invalid', String(Boolean(parsed.error || info?.error)));

  const notes = [];
  if (parsed.error) notes.push({ tone: 'bad', text: T.MSG.publicKeyUnreadable(T.keyFormatError(parsed.error)) });
  else if (info?.error) notes.push({ tone: 'bad', text: T.MSG.publicKeyError(info.error.message) });
  if (state.fromToken) notes.push({ tone: 'bad', text: T.MSG.keyFromToken(state.fromToken) });
  if (!parsed.error && parsed.private) notes.push({ tone: 'warn', text: T.MSG.keyIsPrivate });
  if (state.weak) notes.push({ tone: 'warn', text: T.MSG.keyWeakRsa(state.weak.bits) });
  if (parsed.label === 'CERTIFICATE') notes.push({ tone: 'info', text: T.MSG.keyCertificate });
  if (parsed.blocks > 1) notes.push({ tone: 'info', text: T.MSG.keyBlocks(parsed.blocks, parsed.label) });
  if (parsed.escaped) notes.push({ tone: 'info', text: T.MSG.keyEscaped });
  if (conversionNote) notes.push({ tone: 'info', text: conversionNote });
  renderNotes($('public-key-notes'), notes);
  sizeKeyBox($('public-key'));
}

/** A key box read without a token: its format, and what the package makes of it. */
function readKey(text) {
  const parsed = L.parseKeyText(text);
  return { parsed, info: L.describeKey(lib, parsed) };
}

/** Keys the token names in its own header: listed as untrusted, with nothing to use them. */
function renderEmbedded(embedded) {
  const box = $('embedded-keys');
  box.hidden = embedded.length === 0;
  const items = embedded.map((item) => {
    const li = el('li', 'embedded-item');
    li.dataset.member = item.member;
    let text;
    if (item.member === 'jwk') text = T.MSG.embeddedJwk(item.family, item.bits, item.private);
    else if (item.member === 'x5c') text = T.MSG.embeddedX5c(item.count);
    else if (item.member === 'jku') text = T.MSG.embeddedJku(item.url);
    else text = T.MSG.embeddedX5u(item.url);
    li.append(el('code', 'embedded-member', item.member), document.createTextNode(' '), el('span', null, `${text} `), el('strong', 'embedded-not-used', T.MSG.embeddedNotUsed));
    return li;
  });
  $('embedded-keys-list').replaceChildren(...items);
}

function convertPublicKey() {
  const out = L.convertKey(lib, L.parseKeyText($('public-key').value));
  if (out.error) {
    announce(T.MSG.convertFailed(out.error.message));
    return;
  }
  $('public-key').value = out.text;
  conversionNote = out.dropped ? T.MSG.convertedPublicHalf : null;
  renderDecoder();
  announce(T.MSG.converted(out.to));
}

function wireDecoder() {
  const input = $('token-input');
  const backdrop = $('token-backdrop');
  input.addEventListener('input', () => {
    $('example-note').textContent = '';
    renderDecoder();
  });
  input.addEventListener('scroll', () => {
    backdrop.scrollTop = input.scrollTop;
  });
  for (const id of ['secret-input', 'audience-input', 'issuer-input', 'check-time']) $(id).addEventListener('input', renderDecoder);
  $('public-key').addEventListener('input', () => {
    conversionNote = null;
    renderDecoder();
  });
  $('public-key-convert').addEventListener('click', convertPublicKey);
  for (const id of ['secret-utf8', 'secret-base64url']) $(id).addEventListener('change', renderDecoder);
  $('verify-form').addEventListener('submit', (event) => event.preventDefault());
  $('check-time-now').addEventListener('click', () => {
    $('check-time').value = '';
    renderDecoder();
  });
  $('clear-token').addEventListener('click', () => {
    input.value = '';
    renderDecoder();
    input.focus();
  });
  $('copy-token').addEventListener('click', (e) => copyText(lastResult?.token ?? '', e.currentTarget));
  $('copy-link').addEventListener('click', (e) => copyText(L.shareLink(location.href, lastResult?.token ?? ''), e.currentTarget));
  $('copy-header').addEventListener('click', (e) => copyText(JSON.stringify(lastResult?.header ?? null, null, 2), e.currentTarget));
  $('copy-payload').addEventListener('click', (e) => copyText(JSON.stringify(lastResult?.payload ?? null, null, 2), e.currentTarget));
  $('edit-in-encoder').addEventListener('click', editInEncoder);
  $('load-example').addEventListener('click', loadExample);
  window.addEventListener('hashchange', preloadFromFragment);
  // keep relative dates fresh while checking against the current time
  setInterval(() => {
    if (!$('check-time').value && !document.hidden) renderDecoder();
  }, 30_000);
}

// Key pairs generated in this page, one per key family (RSA, P-256, P-384, P-521, Ed25519),
// shared by the examples and the encoder; nothing is stored or sent.
const keyPairs = new Map();
/** Private key texts the page generated (the encoder may replace them when the algorithm changes). */
const generatedPrivateKeys = new Set();

/** Lets the browser paint (a "generating" note) before a slow synchronous call. */
function nextPaint() {
  return new Promise((resolvePromise) => requestAnimationFrame(() => setTimeout(resolvePromise, 0)));
}

/** The page's key pair for an algorithm's family, as PEM; `fresh` makes a new one. */
function keyPairFor(alg, fresh = false) {
  const family = L.algFamily(alg);
  if (!fresh && keyPairs.has(family)) return keyPairs.get(family);
  // the algorithm of the family's usual choice, so the JWKs' "alg" does not matter: PEM is kept
  const pair = lib.generateKeyPair(L.familyAlgs(family)[0]);
  const made = { privatePem: lib.exportPEM(pair.privateKey, { private: true }), publicPem: lib.exportPEM(pair.publicKey) };
  keyPairs.set(family, made);
  generatedPrivateKeys.add(made.privatePem);
  return made;
}

let exampleBusy = false;

async function loadExample() {
  if (exampleBusy) return;
  const alg = $('example-alg').value;
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'user-1234', name: 'Ada Lovelace', aud: 'https://api.example.com', iss: 'https://issuer.example.com', exp: now + 3600 };
  const note = $('example-note');
  if (L.HMAC_ALGS.includes(alg)) {
    const secret = lib.generateSecret(alg);
    // the secret is shown as base64url, so the key is its bytes
    const key = L.decodeBase64url(secret).bytes;
    $('token-input').value = lib.sign(claims, key, { algorithm: alg, timestamp: now });
    $('secret-input').value = secret;
    $('secret-base64url').checked = true;
    note.textContent = T.MSG.exampleSecret(alg);
    renderDecoder();
    return;
  }
  exampleBusy = true;
  $('load-example').disabled = true;
  try {
    if (!keyPairs.has(L.algFamily(alg))) {
      note.textContent = T.MSG.generating(alg);
      await nextPaint();
    }
    const pair = keyPairFor(alg);
    $('token-input').value = lib.sign(claims, pair.privatePem, { algorithm: alg, timestamp: now });
    $('public-key').value = pair.publicPem;
    conversionNote = null;
    note.textContent = T.MSG.exampleKeyPair(alg);
  } catch (error) {
    note.textContent = T.MSG.generateFailed(error?.message ?? String(error));
  } finally {
    exampleBusy = false;
    $('load-example').disabled = false;
  }
  renderDecoder();
}

function preloadFromFragment() {
  const token = L.tokenFromFragment(location.hash);
  if (token === null) return;
  $('token-input').value = token;
  selectTab('decoder');
  renderDecoder();
  announce(T.MSG.preloaded);
}

// ---------------------------------------------------------------------------------------
// encoder

function encoderEncoding() {
  return $('enc-secret-base64url').checked ? 'base64url' : 'utf8';
}

function jsonErrorText(error, what) {
  if (error.kind === 'not-object') return T.MSG.jsonNotObject(what);
  if (error.kind === 'alg') return T.MSG.encAlgMismatch(error.alg);
  const message = T.JSON_ERRORS[error.kind];
  const text = typeof message === 'function' ? message(error.ch) : message ?? error.kind;
  return T.MSG.jsonError(error.line, error.column, text);
}

function privateKeyErrorText(error) {
  switch (error.kind) {
    case 'empty':
      return T.MSG.encNeedKey(error.alg, error.need);
    case 'format':
      return T.MSG.encKeyUnreadable(T.keyFormatError(error.error));
    case 'set':
      return T.MSG.encKeySet;
    case 'public':
      return T.MSG.encKeyPublic;
    case 'family':
      return T.MSG.encKeyFamily(error.alg, error.family, error.need);
    default:
      return T.MSG.encKeyError(error.message);
  }
}

let lastEncoded = null;
let encoderAlg = null;
let encoderBusy = false;

function encoderPublicFormat() {
  return $('enc-public-jwk').checked ? 'jwk' : 'pem';
}

function renderEncoder() {
  if (!lib) return;
  const result = L.encode(lib, {
    headerText: $('enc-header').value,
    payloadText: $('enc-payload').value,
    alg: $('enc-alg').value,
    secret: $('enc-secret').value,
    encoding: encoderEncoding(),
    privateKey: $('enc-private-key').value,
  });
  lastEncoded = result.token ? result : null;

  const fields = [
    ['enc-header', 'enc-header-error', result.headerError, 'header'],
    ['enc-payload', 'enc-payload-error', result.payloadError, 'payload'],
  ];
  for (const [inputId, errorId, error, what] of fields) {
    $(errorId).textContent = error ? jsonErrorText(error, what) : '';
    $(inputId).setAttribute('aria-invalid', String(Boolean(error)));
  }
  if (result.alg && L.ALGORITHMS.includes(result.alg) && $('enc-alg').value !== result.alg) $('enc-alg').value = result.alg;
  const alg = $('enc-alg').value;
  const hmac = L.HMAC_ALGS.includes(alg);
  $('enc-secret-field').hidden = !hmac;
  $('enc-keys').hidden = hmac;

  const note = $('enc-secret-note');
  note.className = 'note';
  note.textContent = '';
  if (result.secretError?.kind === 'empty') {
    note.textContent = T.MSG.encNeedSecret;
  } else if (result.secretError) {
    note.textContent = result.secretError.kind === 'length' ? T.MSG.secretBadLength : T.MSG.secretBadChar(result.secretError.position, result.secretError.ch);
    note.classList.add('note-bad');
  } else if (result.weak) {
    note.textContent = T.MSG.encWeakSecret(result.weak.bytes, result.weak.need, result.weak.alg);
    note.classList.add('note-warn');
  }
  $('enc-secret').setAttribute('aria-invalid', String(Boolean(result.secretError && result.secretError.kind !== 'empty')));
  if (!hmac) renderEncoderKeys(result);

  const output = $('enc-output');
  if (result.token) {
    const { token, map } = L.normaliseToken(result.token);
    renderRuns(output, L.colourRuns(result.token, map, L.splitParts(token)));
    output.classList.remove('is-stale');
    $('enc-output-error').textContent = '';
  } else {
    output.classList.add('is-stale');
    $('enc-output-error').textContent = result.signError ? T.MSG.signFailed(`${result.signError.message} (${result.signError.code})`) : '';
  }
  $('copy-signed').disabled = !result.token;
  $('open-in-decoder').disabled = !result.token;

  if (alg !== encoderAlg) {
    encoderAlg = alg;
    if (!hmac) ensureEncoderKey(alg);
  }
}

/** The private key box, its notes and the matching public key. */
function renderEncoderKeys(result) {
  const parsed = result.privateKey ?? L.parseKeyText($('enc-private-key').value);
  const info = result.keyInfo ?? null;
  const format = $('enc-private-key-format');
  format.textContent = T.keyFormat(parsed, info);
  const keyError = result.keyError && result.keyError.kind !== 'empty' ? result.keyError : null;
  format.classList.toggle('key-format-bad', Boolean(keyError));
  renderConvertButton($('enc-private-key-convert'), parsed, info);
  $('enc-private-key').setAttribute('aria-invalid', String(Boolean(keyError)));

  const notes = [];
  if (encoderBusy) notes.push({ tone: 'info', text: T.MSG.generating($('enc-alg').value) });
  else if (result.keyError) notes.push({ tone: result.keyError.kind === 'empty' ? 'info' : 'bad', text: privateKeyErrorText(result.keyError) });
  if (result.weakRsa) notes.push({ tone: 'warn', text: T.MSG.encWeakRsa(result.weakRsa.bits) });
  if (!encoderBusy && generatedPrivateKeys.has($('enc-private-key').value)) notes.push({ tone: 'info', text: T.MSG.encKeyGenerated });
  renderNotes($('enc-private-key-notes'), notes);

  // the public half: kept from the last good key while the box holds something unusable
  const publicBox = $('enc-public-key');
  if (result.publicKey) {
    publicBox.value = encoderPublicFormat() === 'jwk' ? JSON.stringify(result.publicKey.jwk, null, 2) : result.publicKey.pem;
  } else if (result.keyError) {
    publicBox.value = '';
  }
  $('copy-public-key').disabled = publicBox.value === '';
  sizeKeyBox($('enc-private-key'));
  sizeKeyBox(publicBox);
}

/**
 * After an algorithm change: a key box that is empty or holds a key this page generated is
 * given a key pair of the right type; a key the user pasted stays, and its note explains.
 */
async function ensureEncoderKey(alg) {
  const box = $('enc-private-key');
  const need = L.algFamily(alg);
  const parsed = L.parseKeyText(box.value);
  const info = L.describeKey(lib, parsed);
  if (info && !info.error && info.family === need) return;
  if (box.value.trim() !== '' && !generatedPrivateKeys.has(box.value)) return;
  await generateEncoderKey(alg, false);
}

async function generateEncoderKey(alg, fresh) {
  if (encoderBusy) return;
  encoderBusy = true;
  $('enc-generate-keypair').disabled = true;
  try {
    if (fresh || !keyPairs.has(L.algFamily(alg))) {
      renderEncoder();
      await nextPaint();
    }
    $('enc-private-key').value = keyPairFor(alg, fresh).privatePem;
  } catch (error) {
    announce(T.MSG.generateFailed(error?.message ?? String(error)));
  } finally {
    encoderBusy = false;
    $('enc-generate-keypair').disabled = false;
  }
  renderEncoder();
}

function convertPrivateKey() {
  const out = L.convertKey(lib, L.parseKeyText($('enc-private-key').value), { keepPrivate: true });
  if (out.error) {
    announce(T.MSG.convertFailed(out.error.message));
    return;
  }
  $('enc-private-key').value = out.text;
  renderEncoder();
  announce(T.MSG.converted(out.to));
}

function setEncoderSecret(secret, encoding) {
  $('enc-secret').value = secret;
  $(encoding === 'base64url' ? 'enc-secret-base64url' : 'enc-secret-utf8').checked = true;
}

function editInEncoder() {
  const r = lastResult;
  if (r?.header) {
    const alg = L.ALGORITHMS.includes(r.header.alg) ? r.header.alg : $('enc-alg').value;
    $('enc-header').value = JSON.stringify(L.headerWithAlg(r.header, alg), null, 2);
    $('enc-alg').value = alg;
  }
  if (r?.payload) $('enc-payload').value = JSON.stringify(r.payload, null, 2);
  if ($('secret-input').value) setEncoderSecret($('secret-input').value, $('secret-base64url').checked ? 'base64url' : 'utf8');
  selectTab('encoder');
  renderEncoder();
  $('enc-payload').focus();
}

function openInDecoder() {
  if (!lastEncoded) return;
  $('token-input').value = lastEncoded.token;
  if (L.HMAC_ALGS.includes(lastEncoded.alg)) {
    $('secret-input').value = $('enc-secret').value;
    $(encoderEncoding() === 'base64url' ? 'secret-base64url' : 'secret-utf8').checked = true;
  } else {
    $('public-key').value = $('enc-public-key').value;
    conversionNote = null;
  }
  $('example-note').textContent = '';
  selectTab('decoder');
  renderDecoder();
  $('token-input').focus();
}

function editPayloadMember(name, value) {
  const next = L.setMember($('enc-payload').value, name, value);
  if (next !== null) {
    $('enc-payload').value = next;
    renderEncoder();
  }
}

function wireEncoder() {
  for (const id of ['enc-header', 'enc-payload', 'enc-secret', 'enc-private-key']) $(id).addEventListener('input', renderEncoder);
  for (const id of ['enc-secret-utf8', 'enc-secret-base64url', 'enc-public-pem', 'enc-public-jwk']) $(id).addEventListener('change', renderEncoder);
  $('enc-alg').addEventListener('change', () => {
    const next = L.setMember($('enc-header').value, 'alg', $('enc-alg').value);
    if (next !== null) $('enc-header').value = JSON.stringify(L.headerWithAlg(JSON.parse(next), $('enc-alg').value), null, 2);
    renderEncoder();
  });
  $('enc-generate').addEventListener('click', () => {
    setEncoderSecret(lib.generateSecret($('enc-alg').value), 'base64url');
    renderEncoder();
  });
  $('enc-generate-keypair').addEventListener('click', () => generateEncoderKey($('enc-alg').value, true));
  $('enc-private-key-convert').addEventListener('click', convertPrivateKey);
  $('enc-iat-now').addEventListener('click', () => editPayloadMember('iat', Math.floor(Date.now() / 1000)));
  $('enc-exp-hour').addEventListener('click', () => editPayloadMember('exp', Math.floor(Date.now() / 1000) + 3600));
  $('copy-signed').addEventListener('click', (e) => copyText(lastEncoded?.token ?? '', e.currentTarget));
  $('copy-public-key').addEventListener('click', (e) => copyText($('enc-public-key').value, e.currentTarget));
  $('open-in-decoder').addEventListener('click', openInDecoder);
}

function initialEncoderContent() {
  const now = Math.floor(Date.now() / 1000);
  $('enc-header').value = JSON.stringify({ alg: 'HS256', typ: 'JWT' }, null, 2);
  $('enc-payload').value = JSON.stringify({ sub: 'user-1234', name: 'Ada Lovelace', iat: now, exp: now + 3600 }, null, 2);
  setEncoderSecret(lib.generateSecret('HS256'), 'base64url');
}

// ---------------------------------------------------------------------------------------
// start

async function start() {
  fillStaticText();
  fillAlgorithmList($('enc-alg'));
  fillAlgorithmList($('example-alg'));
  wireTabs();
  const status = $('load-status');
  try {
    const mod = await import('/pkg/web.mjs');
    await mod.default();
    lib = mod;
  } catch (error) {
    status.textContent = `${T.UI.noWasm} (${error?.message ?? error})`;
    status.setAttribute('role', 'alert');
    status.classList.add('load-failed');
    document.body.dataset.ready = 'failed';
    return;
  }
  status.hidden = true;
  wireDecoder();
  wireEncoder();
  initialEncoderContent();
  renderEncoder();
  renderDecoder();
  preloadFromFragment();
  document.body.dataset.ready = 'true';
}

start();

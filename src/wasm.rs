//! The binding layer: the only place that knows about JavaScript.
//!
//! The hand-written face (`js/api.mjs`) checks and normalises arguments, reads the clock and
//! turns the plain error objects thrown here into its error classes. Strings cross the
//! boundary once each way; payloads travel as JSON text for `JSON.parse`/`JSON.stringify`.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::algorithm::Algorithm;
use crate::error::{Error, ErrorKind};
use crate::key::{Key, KeyMeta, KeySet};
use crate::options::{parse_algorithm_option, VerifyOptions};
use crate::sign::{HeaderSpec, Signer};
use crate::verify::{Scratch, Verifier};
use crate::{base64url, decode, header, inspect, json, random_bytes, timespan};

/// The plain object thrown for every error (`code`, `message`, and `claim` and `time` when
/// the error has them); the JS face makes it an `Error` subclass.
fn to_js(error: Error) -> JsValue {
    let object = js_sys::Object::new();
    let set = |name: &str, value: JsValue| {
        // Setting a property of a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(name), &value);
    };
    set("code", JsValue::from_str(error.code()));
    set("message", JsValue::from_str(error.message()));
    if let Some(claim) = error.claim() {
        set("claim", JsValue::from_str(claim));
    }
    if let Some(time) = error.time() {
        set("time", JsValue::from_f64(time));
    }
    object.into()
}

type JsResult<T> = Result<T, JsValue>;

thread_local! {
    /// Text written by JS with `TextEncoder.encodeInto` for the hot paths (the token to
    /// verify, the payload to sign): one native copy instead of wasm-bindgen's per-character
    /// loop and an allocation per call.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The error of the last `verifyInput` or `signInput` that failed, until `takeError`
    /// reads it.
    static LAST_ERROR: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// Makes the input buffer at least `capacity` bytes and returns its address in memory.
/// Any later allocation may move memory's buffer (not this Vec): JS re-creates its view then.
#[wasm_bindgen(js_name = inputBuffer)]
pub fn input_buffer(capacity: usize) -> usize {
    INPUT.with(|input| {
        let mut input = input.borrow_mut();
        if input.len() < capacity {
            input.resize(capacity, 0);
        }
        input.as_ptr() as usize
    })
}

/// Runs `f` on the first `len` bytes of the input buffer, which must be UTF-8.
fn with_input<T>(len: usize, f: impl FnOnce(&str) -> JsResult<T>) -> JsResult<T> {
    INPUT.with(|input| {
        let input = input.borrow();
        let bytes = input.get(..len).ok_or_else(|| to_js(Error::malformed("jwt malformed")))?;
        let text = std::str::from_utf8(bytes).map_err(|_| to_js(Error::malformed("jwt malformed")))?;
        f(text)
    })
}

/// The error of the last hot-path call that returned -1 (`Verifier.verifyInput`,
/// `Signer.signInput`), taken once.
#[wasm_bindgen(js_name = takeError)]
pub fn take_error() -> JsValue {
    LAST_ERROR.with(|last| last.borrow_mut().take()).unwrap_or(JsValue::UNDEFINED)
}

/// The hot paths' return: the output's length after copying it into the input buffer, or -1
/// with the error kept for `takeError`.
fn output_or_error(result: JsResult<Vec<u8>>) -> i32 {
    match result {
        Ok(output) => write_output(&output),
        Err(error) => {
            LAST_ERROR.with(|last| *last.borrow_mut() = Some(error));
            -1
        }
    }
}

/// Copies `bytes` to the start of the input buffer (its input is spent) and returns their
/// length. A verified payload is shorter than its token, so the buffer only grows (and
/// moves) for a signed token. (Outputs are far below `i32::MAX`: JS strings are shorter.)
fn write_output(bytes: &[u8]) -> i32 {
    INPUT.with(|input| {
        let mut input = input.borrow_mut();
        if input.len() < bytes.len() {
            input.resize(bytes.len(), 0);
        }
        input[..bytes.len()].copy_from_slice(bytes);
        i32::try_from(bytes.len()).unwrap_or(i32::MAX)
    })
}

/// One key or a JWK Set, prepared for reuse.
#[wasm_bindgen]
pub struct Keys {
    set: KeySet,
    single: bool,
}

fn single(key: Key) -> Keys {
    Keys { set: KeySet::single(key, KeyMeta::default()), single: true }
}

/// A secret from UTF-8 text.
#[wasm_bindgen(js_name = keysFromText)]
pub fn keys_from_text(text: &str) -> JsResult<Keys> {
    Key::from_secret(text.as_bytes()).map(single).map_err(to_js)
}

/// A secret from raw bytes.
#[wasm_bindgen(js_name = keysFromBytes)]
pub fn keys_from_bytes(bytes: &[u8]) -> JsResult<Keys> {
    Key::from_secret(bytes).map(single).map_err(to_js)
}

/// A secret from base64 or base64url text.
#[wasm_bindgen(js_name = keysFromBase64)]
pub fn keys_from_base64(text: &str) -> JsResult<Keys> {
    Key::from_base64_secret(text).map(single).map_err(to_js)
}

/// A key from a JWK's JSON text.
#[wasm_bindgen(js_name = keysFromJwk)]
pub fn keys_from_jwk(json: &str) -> JsResult<Keys> {
    let (key, meta) = Key::from_jwk(json).map_err(to_js)?;
    Ok(Keys { set: KeySet::single(key, meta), single: true })
}

/// A key from PEM text (public, private or certificate); an error in the HMAC-only build.
#[wasm_bindgen(js_name = keysFromPem)]
pub fn keys_from_pem(text: &str) -> JsResult<Keys> {
    Key::from_pem(text).map(single).map_err(to_js)
}

/// A new key pair for `algorithm` as JSON text `{"privateKey":{...},"publicKey":{...}}` (JWKs
/// with `alg` set); an error for HMAC algorithms and in the HMAC-only build.
#[wasm_bindgen(js_name = generateKeyPair)]
pub fn generate_key_pair(algorithm: &str) -> JsResult<String> {
    let alg = parse_algorithm_option(algorithm).map_err(to_js)?;
    asymmetric_key_pair(alg).map_err(to_js)
}

#[cfg(feature = "asymmetric")]
fn asymmetric_key_pair(alg: Algorithm) -> crate::Result<String> {
    if alg.family() == crate::Family::Hmac {
        return Err(Error::new(
            ErrorKind::InvalidOption,
            "generateKeyPair is for RS*, PS*, ES* and EdDSA; use generateSecret for HS*",
        ));
    }
    let key = crate::asymmetric::AsymmetricKey::generate(alg)?;
    Ok(format!("{{\"privateKey\":{},\"publicKey\":{}}}", key.to_jwk_json(true)?, key.to_jwk_json(false)?))
}

#[cfg(not(feature = "asymmetric"))]
fn asymmetric_key_pair(_: Algorithm) -> crate::Result<String> {
    Err(Error::new(ErrorKind::InvalidOption, "key pairs are not in this HMAC-only build: import the full package"))
}

/// Keys from a JWK Set's JSON text.
#[wasm_bindgen(js_name = keysFromJwks)]
pub fn keys_from_jwks(json: &str) -> JsResult<Keys> {
    KeySet::from_jwks(json).map(|set| Keys { set, single: false }).map_err(to_js)
}

#[wasm_bindgen]
impl Keys {
    /// `secret`, `public` or `private` for one key, `set` for a JWK Set.
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        match (self.single, self.set.iter().next()) {
            (false, _) | (true, None) => "set",
            (true, Some((Key::Hmac(_), _))) => "secret",
            #[cfg(feature = "asymmetric")]
            (true, Some((Key::Asymmetric(key), _))) => {
                if key.is_private() {
                    "private"
                } else {
                    "public"
                }
            }
        }
        .into()
    }

    /// The number of usable keys.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.set.len()
    }

    /// The algorithm a signer uses when none is given: the key's own (`alg` of a JWK or a
    /// generated key), else the first of its family (HS256, RS256, ES256/384/512, EdDSA).
    #[wasm_bindgen(getter, js_name = defaultAlgorithm)]
    pub fn default_algorithm(&self) -> Option<String> {
        let (key, meta) = self.set.iter().next()?;
        let alg = meta.alg.or_else(|| key.default_algorithms().first().copied())?;
        Some(alg.name().to_owned())
    }

    /// The key as JWK JSON text: public members only unless `private`; a secret only with
    /// `private` (a secret has no public half).
    #[wasm_bindgen(js_name = exportJwk)]
    pub fn export_jwk(&self, private: bool) -> JsResult<String> {
        self.only_key().and_then(|key| export(key, private, Format::Jwk)).map_err(to_js)
    }

    /// The key as PEM text: SPKI `PUBLIC KEY`, or PKCS#8 `PRIVATE KEY` with `private`.
    #[wasm_bindgen(js_name = exportPem)]
    pub fn export_pem(&self, private: bool) -> JsResult<String> {
        self.only_key().and_then(|key| export(key, private, Format::Pem)).map_err(to_js)
    }

    /// A copy, for calls that take keys by value.
    pub fn cloned(&self) -> Keys {
        Keys { set: self.set.clone(), single: self.single }
    }

    /// Computes the HMAC padded states of every algorithm the keys serve, so that copies
    /// made for signers and verifiers start prepared (for keys made once by importKey).
    pub fn prepare(&self) {
        self.set.prepare();
    }
}

impl Keys {
    fn only_key(&self) -> crate::Result<&Key> {
        match (self.single, self.set.iter().next()) {
            (true, Some((key, _))) => Ok(key),
            _ => Err(Error::new(ErrorKind::KeyInvalid, "export one key, not a JWK Set")),
        }
    }
}

enum Format {
    Jwk,
    Pem,
}

fn export(key: &Key, private: bool, format: Format) -> crate::Result<String> {
    match key {
        Key::Hmac(secret) => match format {
            Format::Jwk if private => Ok(format!("{{\"kty\":\"oct\",\"k\":\"{}\"}}", secret.to_base64url())),
            Format::Jwk => {
                Err(Error::new(ErrorKind::KeyInvalid, "a secret has no public half: export it with { private: true }"))
            }
            Format::Pem => Err(Error::new(ErrorKind::KeyInvalid, "a secret has no PEM form: export it as a JWK")),
        },
        #[cfg(feature = "asymmetric")]
        Key::Asymmetric(key) => match format {
            Format::Jwk => key.to_jwk_json(private),
            Format::Pem => key.to_pem(private),
        },
    }
}

/// A prepared verifier.
#[wasm_bindgen(js_name = Verifier)]
pub struct WasmVerifier {
    inner: Verifier,
    scratch: Scratch,
}

#[wasm_bindgen(js_class = Verifier)]
impl WasmVerifier {
    /// Prepares `keys` with options given as JSON text.
    #[wasm_bindgen(constructor)]
    pub fn new(keys: &Keys, options: &str) -> JsResult<WasmVerifier> {
        let options = VerifyOptions::from_json(options).map_err(to_js)?;
        let inner = Verifier::new(keys.set.clone(), options).map_err(to_js)?;
        Ok(WasmVerifier { inner, scratch: Scratch::default() })
    }

    /// Verifies the token in the input buffer (`len` bytes), then writes the payload JSON
    /// text (UTF-8) at the start of that buffer and returns its length: JS decodes it from
    /// the view it already holds, with no string crossing and no allocation to free. On
    /// failure returns -1 and keeps the error for `takeError`: a plain number crosses back,
    /// where a `Result` costs wasm-bindgen a three-value array per call.
    #[wasm_bindgen(js_name = verifyInput)]
    pub fn verify_input(&mut self, len: usize, now: f64) -> i32 {
        output_or_error(with_input(len, |token| {
            self.inner.verify_payload_bytes(token, now, &mut self.scratch).map_err(to_js)
        }))
    }

    /// Like `verifyInput`, returning the complete token as JSON text.
    #[wasm_bindgen(js_name = verifyCompleteInput)]
    pub fn verify_complete_input(&mut self, len: usize, now: f64) -> JsResult<String> {
        with_input(len, |token| self.verify_complete(token, now))
    }

    /// Verifies and returns `{"header":...,"payload":...,"signature":"..."}` as JSON text.
    #[wasm_bindgen(js_name = verifyComplete)]
    pub fn verify_complete(&mut self, token: &str, now: f64) -> JsResult<String> {
        let payload = self.inner.verify_payload(token, now, &mut self.scratch).map_err(to_js)?;
        let signature = token.rsplit('.').next().unwrap_or_default();
        Ok(complete_json(self.scratch.header_json(), &payload, signature))
    }
}

fn complete_json(header: &str, payload: &str, signature: &str) -> String {
    format!("{{\"header\":{header},\"payload\":{payload},\"signature\":\"{signature}\"}}")
}

/// A prepared signer.
#[wasm_bindgen(js_name = Signer)]
pub struct WasmSigner {
    inner: Signer,
}

#[wasm_bindgen(js_class = Signer)]
impl WasmSigner {
    /// Prepares a signer; `header`, when given, is the complete header JSON text built by the face.
    #[wasm_bindgen(constructor)]
    pub fn new(
        keys: &Keys,
        algorithm: &str,
        kid: Option<String>,
        header: Option<String>,
        allow_weak_key: bool,
    ) -> JsResult<WasmSigner> {
        let alg = parse_algorithm_option(algorithm).map_err(to_js)?;
        if !keys.single {
            return Err(to_js(Error::new(ErrorKind::KeyInvalid, "a JWK Set cannot sign: pass one key")));
        }
        let (key, meta) = keys.set.iter().next().cloned().expect("a single key set has one key");
        let spec = HeaderSpec { kid, header, allow_weak_key };
        Signer::with_meta(key, meta, alg, spec).map(|inner| WasmSigner { inner }).map_err(to_js)
    }

    /// Signs the payload JSON text in the input buffer (`len` bytes), then writes the token at
    /// the start of that buffer and returns its length, or -1 (see `takeError`), as
    /// `Verifier.verifyInput` does. The token may not fit: then the buffer grows and moves,
    /// and JS, finding its view too short, asks `inputBuffer` for the new address.
    #[wasm_bindgen(js_name = signInput)]
    pub fn sign_input(&self, len: usize) -> i32 {
        output_or_error(with_input(len, |payload| self.inner.try_sign_bytes(payload.as_bytes()).map_err(to_js)))
    }
}

/// Decodes without verifying: `{"header":...,"payload":...,"signature":"..."}` as JSON text.
#[wasm_bindgen(js_name = decodeUnverified)]
pub fn decode_unverified(token: &str) -> JsResult<String> {
    let decoded = decode::decode_unverified(token).map_err(to_js)?;
    Ok(complete_json(&decoded.header, &decoded.payload, &decoded.signature))
}

/// The header JSON text of a token, strictly decoded, not verified (for key functions).
#[wasm_bindgen(js_name = decodeHeader)]
pub fn decode_header(token: &str) -> JsResult<String> {
    let parts = crate::token::split(token).map_err(to_js)?;
    let bytes = base64url::decode(parts.header).map_err(to_js)?;
    header::parse(&bytes).map_err(to_js)?;
    String::from_utf8(bytes).map_err(|_| to_js(Error::malformed("jwt malformed")))
}

/// The inspector report as JSON text.
#[wasm_bindgen(js_name = inspectToken)]
pub fn inspect_token(input: &str, keys: Option<Keys>, now: f64) -> String {
    inspect::inspect(input, keys.as_ref().map(|k| &k.set), now).to_json()
}

/// A time span (`'1h'`, `'2 days'`) in seconds.
#[wasm_bindgen(js_name = parseTimespan)]
pub fn parse_timespan(text: &str) -> JsResult<f64> {
    timespan::parse(text).map_err(to_js)
}

/// A random secret for `algorithm`, as base64url.
#[wasm_bindgen(js_name = generateSecret)]
pub fn generate_secret(algorithm: &str) -> JsResult<String> {
    let alg: Algorithm = parse_algorithm_option(algorithm).map_err(to_js)?;
    if alg.family() != crate::Family::Hmac {
        return Err(to_js(Error::new(ErrorKind::InvalidOption, "generateSecret is for HS256, HS384 and HS512")));
    }
    crate::generate_secret(alg).map_err(to_js)
}

/// A random 128-bit id as base64url (for `jwtid: true`).
#[wasm_bindgen(js_name = randomId)]
pub fn random_id() -> JsResult<String> {
    random_bytes(16).map(|b| base64url::encode(&b)).map_err(to_js)
}

/// Checks that text is one JSON object with unique member names (for JWK input).
#[wasm_bindgen(js_name = checkJsonObject)]
pub fn check_json_object(text: &str) -> JsResult<()> {
    json::parse_object(text.as_bytes())
        .map(|_| ())
        .map_err(|e| to_js(Error::new(ErrorKind::InvalidPayload, e.to_string())))
}

/// The benchmark floor: HMAC-SHA256 over the signing input of the token in the input buffer,
/// with prepared keys: the same crossing and hash as `Verifier.verifyInput`, nothing else.
/// Not part of the public API; `make bench` reaches it through the package's internal.mjs.
#[wasm_bindgen(js_name = __benchHmacSha256)]
pub fn bench_hmac_sha256(keys: &Keys, len: usize) -> bool {
    // A plain bool, as verifyInput returns a plain number: no Result array on either side.
    with_input(len, |token| {
        let input = token.rsplit_once('.').map_or(token, |(input, _)| input);
        let mut mac = Vec::with_capacity(32);
        let signed = keys.set.iter().next().map(|(key, _)| key.sign_into(Algorithm::HS256, input.as_bytes(), &mut mac));
        Ok(matches!(signed, Some(Ok(()))))
    })
    .unwrap_or(false)
}

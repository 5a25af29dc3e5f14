//! The inspector report: everything a person (or the inspector page) wants to know about a
//! token, for any input. It never fails: problems become part of the report.

use crate::algorithm::{self, Algorithm};
use crate::base64url;
use crate::json::{self, Members, Value};
use crate::json_text::{Member, ObjectWriter};
use crate::key::{contains_bytes, Key, KeyMeta, KeySet};
use crate::options::VerifyOptions;
use crate::time;
use crate::verify::{default_algorithms, verify_signature};

/// Inputs longer than this (1 MiB) are not inspected at all.
pub const MAX_INSPECT: usize = 1 << 20;

/// Tokens longer than this are reported as too large for cookies and costly in headers.
pub const LARGE_TOKEN: usize = 4096;

/// Secrets that appear in tutorials and defaults; a token signed with one is forgeable.
const WELL_KNOWN_SECRETS: [&str; 16] = [
    "secret",
    "your-256-bit-secret",
    "your-384-bit-secret",
    "your-512-bit-secret",
    "password",
    "changeme",
    "change-me",
    "jwt_secret",
    "jwt-secret",
    "secretkey",
    "secret-key",
    "supersecret",
    "mysecret",
    "shhhhh",
    "key",
    "test",
];

/// Member names that suggest data that should not travel in a readable token.
const SENSITIVE_NAMES: [&str; 18] = [
    "password",
    "passwd",
    "pwd",
    "secret",
    "client_secret",
    "private_key",
    "privatekey",
    "api_key",
    "apikey",
    "access_key",
    "ssn",
    "social_security_number",
    "credit_card",
    "creditcard",
    "card_number",
    "cvv",
    "iban",
    "pin",
];

/// The report. Field names are camelCase in JSON.
#[derive(Debug, Clone)]
pub struct Report {
    /// The input's parts, with their positions (`input[start..end] == text`).
    pub parts: Vec<Part>,
    /// The decoded header JSON text, when it is a JSON object.
    pub header_json: Option<String>,
    /// The decoded payload JSON text, when it is a JSON object.
    pub payload_json: Option<String>,
    /// The first problem found, if any.
    pub error: Option<Problem>,
    /// Every decoding problem found.
    pub errors: Vec<Problem>,
    /// The header's `alg`, as written.
    pub algorithm: Option<String>,
    /// The signature check.
    pub signature: SignatureReport,
    /// Registered and common claims, explained.
    pub claims: Vec<ClaimReport>,
    /// Security findings.
    pub warnings: Vec<Warning>,
}

/// One dot-separated part of the input.
#[derive(Debug, Clone)]
pub struct Part {
    /// `header`, `payload` or `signature` (the last runs to the end of the input).
    pub name: &'static str,
    /// The part's text.
    pub text: String,
    /// Start offset in the input, in UTF-16 code units (JavaScript string indices).
    pub start: usize,
    /// End offset (exclusive), in UTF-16 code units.
    pub end: usize,
}

/// A decoding problem and where it is.
#[derive(Debug, Clone)]
pub struct Problem {
    /// A stable error code.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The part it is in (`token` for the shape as a whole).
    pub part: &'static str,
    /// Index into the input (UTF-16 code units) of the offending character.
    pub position: usize,
    /// For JSON errors, the 1-based line and column in the decoded JSON.
    pub line: Option<usize>,
    /// See `line`.
    pub column: Option<usize>,
}

/// The outcome of the signature check.
#[derive(Debug, Clone)]
pub struct SignatureReport {
    /// `valid`, `invalid` or `not checked`.
    pub status: &'static str,
    /// Why it is invalid, as an error code.
    pub code: Option<&'static str>,
    /// Why it is invalid, in words.
    pub message: Option<String>,
}

/// A claim with its meaning.
#[derive(Debug, Clone)]
pub struct ClaimReport {
    /// The member name.
    pub name: String,
    /// What the claim means.
    pub description: &'static str,
    /// For times: ISO 8601 in UTC.
    pub date: Option<String>,
    /// For times: "in 59 minutes", "3 days ago".
    pub relative: Option<String>,
    /// For `exp`, `nbf`, `iat`: whether the condition holds at the inspection time.
    pub in_force: Option<bool>,
}

/// A security finding.
#[derive(Debug, Clone)]
pub struct Warning {
    /// A stable code, e.g. `ALG_NONE`.
    pub code: &'static str,
    /// `critical`, `high`, `medium`, `low` or `info`.
    pub severity: &'static str,
    /// One sentence on what and why.
    pub message: String,
}

impl Report {
    /// The report as JSON text, field names in camelCase.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(1024);
        let mut report = ObjectWriter::new(&mut out);
        report
            .array("parts", &self.parts, |out, part| {
                let mut o = ObjectWriter::new(out);
                o.member("name", part.name).member("text", part.text.as_str());
                o.member("start", part.start).member("end", part.end).end();
            })
            .member("headerJson", self.header_json.as_deref())
            .member("payloadJson", self.payload_json.as_deref());
        match &self.error {
            Some(problem) => write_problem(report.name("error"), problem),
            None => _ = report.member("error", Member::Null),
        }
        report.array("errors", &self.errors, write_problem).member("algorithm", self.algorithm.as_deref());
        let signature = &self.signature;
        let mut o = ObjectWriter::new(report.name("signature"));
        o.member("status", signature.status).member("code", signature.code);
        o.member("message", signature.message.as_deref()).end();
        report
            .array("claims", &self.claims, |out, claim| {
                let mut o = ObjectWriter::new(out);
                o.member("name", claim.name.as_str()).member("description", claim.description);
                o.member("date", claim.date.as_deref()).member("relative", claim.relative.as_deref());
                o.member("inForce", claim.in_force).end();
            })
            .array("warnings", &self.warnings, |out, warning| {
                let mut o = ObjectWriter::new(out);
                o.member("code", warning.code).member("severity", warning.severity);
                o.member("message", warning.message.as_str()).end();
            })
            .end();
        out
    }
}

fn write_problem(out: &mut String, problem: &Problem) {
    let mut o = ObjectWriter::new(out);
    o.member("code", problem.code).member("message", problem.message.as_str()).member("part", problem.part);
    o.member("position", problem.position).member("line", problem.line).member("column", problem.column).end();
}

/// Inspects any input at time `now`, checking the signature with `keys` when given.
pub fn inspect(input: &str, keys: Option<&KeySet>, now: f64) -> Report {
    let mut report = Report {
        parts: if input.len() > MAX_INSPECT { Vec::new() } else { split_parts(input) },
        header_json: None,
        payload_json: None,
        error: None,
        errors: Vec::new(),
        algorithm: None,
        signature: SignatureReport { status: "not checked", code: None, message: None },
        claims: Vec::new(),
        warnings: Vec::new(),
    };
    if input.len() > MAX_INSPECT {
        // Inspecting is linear work; untrusted input gets a bound, as verify has one.
        report.errors.push(Problem {
            code: "ERR_JWT_TOO_LARGE",
            message: format!("the input is over {} bytes: too large to inspect", MAX_INSPECT),
            part: "token",
            position: 0,
            line: None,
            column: None,
        });
        report.error = report.errors.first().cloned();
        return report;
    }
    if input.trim().is_empty() {
        report.problem("token", 0, "the token is empty".into(), None);
        report.error = report.errors.first().cloned();
        return report;
    }
    let dots = input.bytes().filter(|b| *b == b'.').count();
    if dots == 4 {
        let message = "this is a JWE (encrypted token, five parts); only JWS tokens can be inspected";
        report.problem("token", 0, message.into(), None);
    } else if dots != 2 {
        let position = if dots < 2 { input.encode_utf16().count() } else { report.parts[2].start };
        let message = format!("a JWT has three parts separated by two dots; this input has {} parts", dots + 1);
        report.problem("token", position, message, None);
    }

    let header_bytes = report.decode_part(0);
    let payload_bytes = report.decode_part(1);
    if let Some(signature) = report.parts.get(2).cloned() {
        if let Err(failure) = base64url::decode_at(&signature.text) {
            report.problem(
                "signature",
                signature.start + utf16_offset(&signature.text, failure.position),
                failure.reason.into(),
                None,
            );
        }
    }

    let header = header_bytes.as_deref().and_then(|bytes| report.parse_part(0, bytes));
    let payload = payload_bytes.as_deref().and_then(|bytes| report.parse_part(1, bytes));
    if let Some(header) = &header {
        report.header_json = Some(String::from_utf8_lossy(header_bytes.as_deref().unwrap_or_default()).into_owned());
        report.header_findings(header);
    }
    if let Some(payload) = &payload {
        report.payload_json = Some(String::from_utf8_lossy(payload_bytes.as_deref().unwrap_or_default()).into_owned());
        report.claim_findings(payload, now);
    }
    if input.len() > LARGE_TOKEN {
        report.warn(
            "LARGE_TOKEN",
            "low",
            format!(
                "the token is {} characters: over 4 KB it no longer fits a cookie and weighs on every request",
                input.len()
            ),
        );
    }
    if report.errors.is_empty() {
        report.check_signature(input, keys);
    }
    report.error = report.errors.first().cloned();
    report
}

impl Report {
    fn problem(&mut self, part: &'static str, position: usize, message: String, json: Option<&json::JsonFailure>) {
        self.errors.push(Problem {
            code: "ERR_JWT_MALFORMED",
            message,
            part,
            position,
            line: json.map(|j| j.line),
            column: json.map(|j| j.column),
        });
    }

    fn warn(&mut self, code: &'static str, severity: &'static str, message: String) {
        self.warnings.push(Warning { code, severity, message });
    }

    fn decode_part(&mut self, index: usize) -> Option<Vec<u8>> {
        let part = self.parts.get(index)?.clone();
        match base64url::decode_at(&part.text) {
            Ok(bytes) => Some(bytes),
            Err(failure) => {
                let position = part.start + utf16_offset(&part.text, failure.position);
                self.problem(part.name, position, failure.reason.into(), None);
                None
            }
        }
    }

    fn parse_part<'b>(&mut self, index: usize, bytes: &'b [u8]) -> Option<Members<'b>> {
        let part = self.parts[index].clone();
        match json::parse_object(bytes) {
            Ok(members) => Some(members),
            Err(failure) => {
                // Each 3 decoded bytes come from 4 characters: point at the character that
                // carries the offending byte.
                let position = part.start + (failure.offset * 4 / 3).min(part.end - part.start);
                let message = format!("{} is not a valid JSON object: {failure}", part.name);
                self.problem(part.name, position, message, Some(&failure));
                None
            }
        }
    }

    fn header_findings(&mut self, header: &Members<'_>) {
        match header.get("alg") {
            Some(Value::Str(alg)) => {
                self.algorithm = Some(alg.to_string());
                if algorithm::is_none(alg) {
                    self.warn(
                        "ALG_NONE",
                        "critical",
                        "alg is \"none\": the token is unsigned and anyone can forge it; verifiers must refuse it"
                            .into(),
                    );
                } else if alg.parse::<Algorithm>().is_err() {
                    self.warn(
                        "ALG_UNKNOWN",
                        "high",
                        "alg is not a JWS algorithm this toolkit knows; verifiers will refuse it".into(),
                    );
                }
            }
            _ => self.warn(
                "ALG_MISSING",
                "high",
                "the header has no string \"alg\"; the token cannot be verified".into(),
            ),
        }
        if header.contains("crit") {
            self.warn("CRIT", "high", "the header marks extensions as critical (\"crit\"); verifiers that do not implement them must refuse the token".into());
        }
        for name in ["jwk", "jku", "x5c", "x5u"] {
            if header.contains(name) {
                self.warn(
                    "EMBEDDED_KEY",
                    "high",
                    format!("the header carries \"{name}\": a key or key URL chosen by whoever made the token; never use it to verify the token"),
                );
            }
        }
        if let Some(kid) = header.get("kid").and_then(Value::as_str) {
            let suspicious: [&[u8]; 10] = [b"../", b"..\\", b"'", b"\"", b";", b"|", b"`", b"$(", b"\0", b"://"];
            if suspicious.iter().any(|s| contains_bytes(kid.as_bytes(), s)) {
                self.warn("KID_SUSPICIOUS", "medium", "the \"kid\" contains path, quote, shell or URL characters: look it up only as an exact string, never as a path, query or URL".into());
            }
        }
    }

    fn claim_findings(&mut self, claims: &Members<'_>, now: f64) {
        for name in claims.names() {
            let Some(description) = describe(name) else {
                continue;
            };
            let mut claim =
                ClaimReport { name: name.to_owned(), description, date: None, relative: None, in_force: None };
            if TIME_CLAIMS.contains(&name) {
                match claims.get(name) {
                    Some(Value::Number(t)) => {
                        claim.date = time::iso8601(*t);
                        claim.relative = Some(time::relative(*t, now));
                        claim.in_force = match name {
                            "exp" => Some(now < *t),
                            "nbf" => Some(*t <= now),
                            "iat" => Some(*t <= now),
                            _ => None,
                        };
                    }
                    Some(other) if name != "auth_time" || !matches!(other, Value::Other("null")) => self.warn(
                        "CLAIM_TYPE",
                        "high",
                        format!(
                            "\"{name}\" must be a number of seconds since 1970, not a {}; verifiers refuse the token",
                            other.type_name()
                        ),
                    ),
                    _ => {}
                }
            }
            self.claims.push(claim);
        }
        for name in ["iss", "sub", "jti"] {
            if let Some(value) = claims.get(name).filter(|v| v.as_str().is_none()) {
                self.warn("CLAIM_TYPE", "high", format!("\"{name}\" must be a string, not a {}", value.type_name()));
            }
        }
        if let Some(aud) = claims.get("aud").filter(|v| !matches!(v, Value::Str(_) | Value::StrArray(_))) {
            self.warn(
                "CLAIM_TYPE",
                "high",
                format!("\"aud\" must be a string or an array of strings, not a {}", aud.type_name()),
            );
        }
        self.lifetime_findings(claims, now);
        for name in claims.names() {
            let lower = name.to_ascii_lowercase();
            if SENSITIVE_NAMES.contains(&lower.as_str()) {
                self.warn(
                    "SENSITIVE_DATA",
                    "medium",
                    format!("the payload has a member \"{name}\": anyone holding the token can read the payload, which is encoded, not encrypted"),
                );
            }
        }
    }

    fn lifetime_findings(&mut self, claims: &Members<'_>, now: f64) {
        let number = |name| match claims.get(name) {
            Some(Value::Number(n)) => Some(*n),
            _ => None,
        };
        let (exp, nbf, iat) = (number("exp"), number("nbf"), number("iat"));
        match exp {
            None => self.warn(
                "NO_EXP",
                "medium",
                "no \"exp\": the token never expires, so a leaked token works forever".into(),
            ),
            Some(exp) if now >= exp => {
                self.warn("EXPIRED", "info", format!("the token expired {}", time::relative(exp, now)))
            }
            Some(_) => {}
        }
        if let (Some(exp), Some(start)) = (exp, iat.or(nbf)) {
            if exp - start > 86_400.0 {
                self.warn(
                    "LONG_LIFETIME",
                    "low",
                    format!(
                        "the token lives {}: access tokens are safer short-lived (minutes) with a refresh flow",
                        time::duration(exp - start)
                    ),
                );
            }
        }
        if let Some(nbf) = nbf.filter(|nbf| *nbf > now) {
            self.warn("NOT_YET_VALID", "info", format!("the token becomes valid {}", time::relative(nbf, now)));
        }
        if let Some(iat) = iat.filter(|iat| *iat > now) {
            self.warn(
                "IAT_FUTURE",
                "medium",
                format!(
                    "\"iat\" is in the future ({}): a wrong clock at the issuer, or a forged token",
                    time::relative(iat, now)
                ),
            );
        }
    }

    fn check_signature(&mut self, input: &str, keys: Option<&KeySet>) {
        if self.parts.get(2).is_some_and(|p| p.text.is_empty()) {
            self.warn("NO_SIGNATURE", "high", "the signature part is empty: the token is unsigned".into());
        }
        let is_hmac = self
            .algorithm
            .as_deref()
            .and_then(|a| a.parse::<Algorithm>().ok())
            .is_some_and(|a| a.family() == algorithm::Family::Hmac);
        if is_hmac {
            for secret in WELL_KNOWN_SECRETS {
                let Ok(key) = Key::from_secret(secret.as_bytes()) else {
                    continue;
                };
                if signature_check(&KeySet::single(key, KeyMeta::default()), input).is_ok() {
                    self.warn(
                        "KNOWN_SECRET",
                        "critical",
                        format!("the token is signed with the well-known secret \"{secret}\": anyone can forge tokens for this issuer"),
                    );
                    break;
                }
            }
        }
        let Some(keys) = keys else { return };
        match signature_check(keys, input) {
            Ok(_) => self.signature = SignatureReport { status: "valid", code: None, message: None },
            Err(e) => {
                self.signature =
                    SignatureReport { status: "invalid", code: Some(e.code()), message: Some(e.message().to_owned()) }
            }
        }
        let Some(alg) = self.algorithm.as_deref().and_then(|a| a.parse::<Algorithm>().ok()) else { return };
        // The signature is checked leniently; say when verify would refuse the key as weak.
        let weak = keys.iter().find(|(key, _)| key.fits(alg)).map(|(key, _)| key.check_strength(alg, false));
        if let Some(Err(error)) = weak {
            let message = match keys.iter().next() {
                Some((Key::Hmac(key), _)) => format!(
                    "the secret has {} bytes; {alg} needs at least {} (RFC 7518 3.2), or it can be brute-forced offline",
                    key.len(),
                    alg.min_secret_len()
                ),
                _ => error.message().to_owned(),
            };
            self.warn("WEAK_KEY", "high", message);
        }
    }
}

/// Weak keys are reported as a warning, and the input's length was bounded by the caller.
fn lenient_options() -> VerifyOptions {
    VerifyOptions { allow_weak_key: true, max_token_length: usize::MAX, ..VerifyOptions::default() }
}

/// Checks only the signature with borrowed keys: the payload's claims, whatever their types,
/// have no part in it (they are reported as claims and warnings).
fn signature_check(keys: &KeySet, input: &str) -> crate::Result<()> {
    let options = lenient_options();
    let allowed = default_algorithms(keys);
    verify_signature(keys, &options, &allowed, input)
}

const TIME_CLAIMS: [&str; 4] = ["exp", "nbf", "iat", "auth_time"];

/// What a registered (RFC 7519) or common OpenID Connect claim means.
pub fn describe(name: &str) -> Option<&'static str> {
    Some(match name {
        "iss" => "Issuer: who created and signed the token",
        "sub" => "Subject: whom the token is about (usually a user id)",
        "aud" => "Audience: the recipients the token is meant for",
        "exp" => "Expiration time: the token must be refused from this moment on",
        "nbf" => "Not before: the token must be refused before this moment",
        "iat" => "Issued at: when the token was created",
        "jti" => "JWT ID: a unique id, used to detect replay and to revoke",
        "auth_time" => "Authentication time: when the user last authenticated",
        "nonce" => "Nonce: ties an ID token to the client's authentication request",
        "azp" => "Authorized party: the client the token was issued to",
        "amr" => "Authentication methods references: how the user authenticated",
        "acr" => "Authentication context class reference: the assurance level of the authentication",
        "at_hash" => "Access token hash: binds an ID token to an access token",
        "c_hash" => "Code hash: binds an ID token to an authorization code",
        "sid" => "Session ID: the user's session at the issuer",
        "scope" => "Scope: the permissions granted, space-separated",
        "scp" => "Scopes: the permissions granted",
        "client_id" => "Client ID: the OAuth client the token was issued to",
        "cnf" => "Confirmation: the key the presenter must prove possession of",
        "act" => "Actor: who is acting on behalf of the subject (delegation)",
        "name" => "Full name of the user",
        "given_name" => "Given name of the user",
        "family_name" => "Family name of the user",
        "preferred_username" => "Preferred username",
        "email" => "Email address of the user",
        "email_verified" => "Whether the issuer verified the email address",
        "phone_number" => "Phone number of the user",
        "picture" => "URL of the user's profile picture",
        "locale" => "The user's locale",
        "zoneinfo" => "The user's time zone",
        "updated_at" => "When the user's information was last updated",
        "roles" => "Roles granted to the subject",
        "groups" => "Groups the subject belongs to",
        "tid" => "Tenant ID",
        "org_id" => "Organisation ID",
        _ => return None,
    })
}

/// Splits at the first two dots into `header`, `payload` and `signature` (which runs to the
/// end of the input, extra dots included), recording UTF-16 positions so that JS can slice
/// the input.
fn split_parts(input: &str) -> Vec<Part> {
    const NAMES: [&str; 3] = ["header", "payload", "signature"];
    let mut parts = Vec::with_capacity(3);
    let mut start_utf16 = 0;
    for (name, piece) in NAMES.into_iter().zip(input.splitn(3, '.')) {
        let len16 = piece.encode_utf16().count();
        parts.push(Part { name, text: piece.to_owned(), start: start_utf16, end: start_utf16 + len16 });
        start_utf16 += len16 + 1;
    }
    parts
}

fn utf16_offset(text: &str, byte_offset: usize) -> usize {
    text.get(..byte_offset).map_or(byte_offset, |prefix| prefix.encode_utf16().count())
}

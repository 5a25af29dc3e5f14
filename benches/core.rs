//! Native benches of the core (Criterion): verify and sign HS256 through the public API,
//! against the floor, the bare HMAC-SHA256 of the same signing input with the `hmac` and
//! `sha2` crates the core itself uses. Issue 5's target: verify within 2x of the floor. A
//! reference reads the same payload's claims with the `base64` crate and `serde_json`, to show
//! what reading a payload costs with the standard crates.
//!
//!   cargo bench --bench core     (`make bench` runs it too once Cargo.toml declares it)
//!
//! The token is the one bench/run.mjs measures in JavaScript: HS256, 271 characters, with
//! `iss`, `aud`, `iat`, `nbf` and `exp`, verified with `exp`, `nbf`, `iss` and `aud` checked.
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, Criterion, Throughput};
use hmac::{Hmac, KeyInit, Mac};
use jwtkit::{base64url, Algorithm, Key, KeyMeta, KeySet, Signer, Verifier, VerifyOptions};
use sha2::Sha256;

/// 64 bytes: strong enough for HS256/384/512, as in bench/run.mjs.
const SECRET: &[u8] = b"jwtkit-bench-secret-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG";
const PAYLOAD: &str = r#"{"sub":"1234567890","name":"Ada Lovelace","iss":"https://auth.example","aud":"api.example","iat":1700000000,"nbf":1699999940,"exp":1700003600}"#;
const NOW: f64 = 1_700_000_010.0;

fn key() -> Key {
    Key::from_secret(SECRET).expect("a 64-byte secret")
}

fn options() -> VerifyOptions {
    VerifyOptions {
        algorithms: Some(vec![Algorithm::HS256]),
        audience: vec!["api.example".into()],
        issuer: vec!["https://auth.example".into()],
        ..Default::default()
    }
}

/// The token, signer, verifier and prepared floor MAC both measurements use, checked first.
struct Fixture {
    signer: Signer,
    token: String,
    verifier: Verifier,
    /// The HMAC-SHA256 state after the key: the floor's starting point.
    prepared: Hmac<Sha256>,
}

impl Fixture {
    fn new() -> Fixture {
        let signer = Signer::new(key(), Algorithm::HS256, &Default::default()).expect("signer");
        let token = signer.sign_json(PAYLOAD.as_bytes());
        assert_eq!(token.len(), 271, "the token bench/run.mjs measures");
        let verifier = Verifier::new(KeySet::single(key(), KeyMeta::default()), options()).expect("verifier");

        // The checks bench/run.mjs makes before timing: a good token passes, a forged, an
        // expired and a wrong-audience one fail.
        assert_eq!(verifier.verify(&token, NOW).expect("a good token").payload, PAYLOAD);
        let other = Signer::new(Key::from_secret(&[7u8; 64]).unwrap(), Algorithm::HS256, &Default::default()).unwrap();
        let forged = other.sign_json(PAYLOAD.as_bytes());
        assert_eq!(verifier.verify(&forged, NOW).unwrap_err().code(), "ERR_JWS_INVALID_SIGNATURE");
        assert_eq!(verifier.verify(&token, 1_700_003_601.0).unwrap_err().code(), "ERR_JWT_EXPIRED");
        let wrong_aud = signer.sign_json(PAYLOAD.replace("api.example", "other.example").as_bytes());
        assert_eq!(verifier.verify(&wrong_aud, NOW).unwrap_err().code(), "ERR_JWT_CLAIM_INVALID");

        let fixture = Fixture { signer, token, verifier, prepared: Hmac::<Sha256>::new_from_slice(SECRET).unwrap() };
        let signature = base64url::decode(&fixture.token[fixture.token.rfind('.').unwrap() + 1..]).unwrap();
        let mac = fixture.prepared.clone().chain_update(fixture.signing_input().as_bytes());
        assert!(mac.verify_slice(&signature).is_ok());
        fixture
    }

    /// `header.payload`: what the floor hashes.
    fn signing_input(&self) -> &str {
        &self.token[..self.token.rfind('.').unwrap()]
    }

    /// The payload part, as the standard-crates reference reads it.
    fn payload(&self) -> &str {
        self.signing_input().split_once('.').expect("header.payload").1
    }
}

fn core(c: &mut Criterion) {
    let fixture = Fixture::new();
    let Fixture { signer, token, verifier, prepared } = &fixture;
    let input = fixture.signing_input();

    let mut group = c.benchmark_group("HS256");
    group.throughput(Throughput::Elements(1));
    // The floor: the MAC of the signing input from the prepared inner/outer states (what a
    // prepared verifier can at best do), and from the raw key (two more compressions).
    group.bench_function("floor hmac-sha256 (prepared key)", |b| {
        b.iter(|| black_box(prepared.clone().chain_update(black_box(input).as_bytes()).finalize().into_bytes()))
    });
    group.bench_function("floor hmac-sha256 (from key)", |b| {
        b.iter(|| {
            let mac = Hmac::<Sha256>::new_from_slice(black_box(SECRET)).unwrap();
            black_box(mac.chain_update(black_box(input).as_bytes()).finalize().into_bytes())
        })
    });
    group.bench_function("Verifier::verify (claims checked)", |b| {
        b.iter(|| black_box(verifier.verify(black_box(token), NOW).unwrap()))
    });
    // What the npm package's prepared verifier runs: the header checked once, then matched.
    let mut scratch = jwtkit::verify::Scratch::default();
    group.bench_function("Verifier::verify_payload_bytes (claims checked, header cached)", |b| {
        b.iter(|| black_box(verifier.verify_payload_bytes(black_box(token), NOW, &mut scratch).unwrap()))
    });
    // Not a verify: the payload's claims read with the base64 crate and serde_json (see
    // `reference_read`), for comparison with the core's own decode and scan.
    let payload = fixture.payload();
    group.bench_function("reference: base64 + serde_json claims struct (payload only)", |b| {
        b.iter(|| black_box(reference_read(black_box(payload))))
    });
    group
        .bench_function("Signer::sign_json", |b| b.iter(|| black_box(signer.sign_json(black_box(PAYLOAD).as_bytes()))));
    group.finish();
}

fn config() -> Criterion {
    // Bounded: about 4 s per bench, so the whole file runs in well under a minute.
    Criterion::default()
        .warm_up_time(Duration::from_millis(1000))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

/// The claims the verifier checks, read the usual Rust way: the `base64` crate's decoder and
/// `serde_json` into a struct (unknown members skipped). Nothing is checked; the reference
/// only says what reading the payload costs with the standard crates.
#[derive(serde::Deserialize)]
struct ReferenceClaims<'a> {
    iss: &'a str,
    aud: &'a str,
    exp: f64,
    nbf: f64,
}

/// The payload read by the reference: decoded, then deserialised; returns `exp`.
fn reference_read(payload: &str) -> f64 {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).expect("base64url");
    let claims: ReferenceClaims<'_> = serde_json::from_slice(&bytes).expect("claims");
    black_box((claims.iss, claims.aud, claims.nbf));
    claims.exp
}

/// The target's ratio, measured interleaved: Criterion runs one bench after the other, so on
/// a shared machine load that comes and goes lands on one of them (a run here once had the
/// header-cached verify slower than the full one). Here the floor, the prepared verify and
/// the standard-crates reference ([`reference_read`]) take turns in short rounds, and the
/// ratios are taken within each round: verify / floor (the target), and (floor + reference)
/// / floor, what a verify that only hashed and read the claims with those crates would reach.
/// Writes `target/bench/native-interleaved.json` for bench/run.mjs. Bounded: 31 rounds of
/// 20,000 calls of each, about 3 s.
fn interleaved() {
    const ROUNDS: usize = 31;
    const CALLS: u32 = 20_000;
    let fixture = Fixture::new();
    let Fixture { token, verifier, prepared, .. } = &fixture;
    let input = fixture.signing_input();
    let payload = fixture.payload();
    assert_eq!(reference_read(payload), 1_700_003_600.0, "the reference reads the claims");
    let mut scratch = jwtkit::verify::Scratch::default();
    let mut floor = || {
        black_box(prepared.clone().chain_update(black_box(input).as_bytes()).finalize().into_bytes());
    };
    let mut verify = || {
        black_box(verifier.verify_payload_bytes(black_box(token), NOW, &mut scratch).unwrap());
    };
    let mut reference = || {
        black_box(reference_read(black_box(payload)));
    };
    let time = |f: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        for _ in 0..CALLS {
            f();
        }
        start.elapsed().as_nanos() as f64 / f64::from(CALLS)
    };
    // Warm-up, then rounds, each in a different order: [floor, verify, reference] rotated.
    let mut measured: [&mut dyn FnMut(); 3] = [&mut floor, &mut verify, &mut reference];
    for f in measured.iter_mut() {
        time(*f);
    }
    let mut times: [Vec<f64>; 3] = Default::default();
    let (mut ratios, mut bounds) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let mut this_round = [0.0; 3];
        for step in 0..3 {
            let which = (round + step) % 3;
            this_round[which] = time(measured[which]);
        }
        let [f, v, r] = this_round;
        for (all, t) in times.iter_mut().zip(this_round) {
            all.push(t);
        }
        ratios.push(v / f);
        bounds.push((f + r) / f);
    }
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let [floors, verifies, references] = &mut times;
    let (floor_ns, verify_ns, reference_ns) = (median(floors), median(verifies), median(references));
    let (ratio, bound) = (median(&mut ratios), median(&mut bounds));
    let (low, high) = (ratios[0], ratios[ROUNDS - 1]);
    println!(
        "interleaved: floor {floor_ns:.0} ns, verify_payload_bytes {verify_ns:.0} ns, ratio {ratio:.2} (rounds {low:.2}-{high:.2}); \
         base64 + serde_json reference {reference_ns:.0} ns, floor + reference {bound:.2}x the floor"
    );
    let target =
        std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/target").into());
    let dir = std::path::Path::new(&target).join("bench");
    std::fs::create_dir_all(&dir).expect("target/bench");
    let json = format!(
        "{{\"rounds\":{ROUNDS},\"calls\":{CALLS},\"floorNs\":{floor_ns:.1},\"verifyNs\":{verify_ns:.1},\"ratio\":{ratio:.4},\"ratioLow\":{low:.4},\"ratioHigh\":{high:.4},\"referenceNs\":{reference_ns:.1},\"referenceBound\":{bound:.4},\"referenceBoundLow\":{:.4},\"referenceBoundHigh\":{:.4}}}\n",
        bounds[0],
        bounds[ROUNDS - 1]
    );
    std::fs::write(dir.join("native-interleaved.json"), json).expect("native-interleaved.json");
}

criterion_group! { name = benches; config = config(); targets = core }

fn main() {
    benches();
    interleaved();
    Criterion::default().configure_from_args().final_summary();
}

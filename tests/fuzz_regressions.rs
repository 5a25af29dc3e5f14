//! Replays the fuzz seeds (`fuzz/seeds/`) and every input that once broke a fuzz target
//! (`fuzz/regressions/`) through the targets' own bodies (`fuzz/src/lib.rs`), as a normal
//! `cargo test`: a crash found once stays found, without nightly or cargo-fuzz.
//!
//! Native only: the inputs are read from disk. To add a regression, copy the minimised
//! input (`fuzz/run.sh` prints where) to `fuzz/regressions/<target>/<what-it-broke>`.
//! An input whose bug is reported but not yet fixed is listed in [`KNOWN_BUGS`]: it must
//! still fail, and the test says so once it passes, so the entry is removed with the fix.
#![cfg(not(target_arch = "wasm32"))]

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

type Target = (&'static str, fn(&[u8]));

/// The targets, as the fuzzer runs them.
fn targets() -> Vec<Target> {
    let hmac: [Target; 5] = [
        ("parse", targets::parse),
        ("verify", targets::verify),
        ("inspect", targets::inspect),
        ("keys", targets::keys),
        ("sign_roundtrip", targets::sign_roundtrip),
    ];
    #[cfg(feature = "asymmetric")]
    let asymmetric: &[Target] = &[("asymmetric", targets::asymmetric)];
    #[cfg(not(feature = "asymmetric"))]
    let asymmetric: &[Target] = &[];
    hmac.iter().chain(asymmetric).copied().collect()
}

/// Reported bugs whose inputs still fail: `(target, file name under fuzz/regressions/<target>/)`.
/// Empty today. `sign_roundtrip/single-secret-refuses-a-kid` was listed here until the fix
/// (a single secret refused every token whose header carries a `kid`).
const KNOWN_BUGS: [(&str, &str); 0] = [];

struct Outcome {
    ran: usize,
    failures: Vec<String>,
    unexpected_passes: Vec<String>,
}

/// Runs every file under `fuzz/<dir>/<target>/` through its target.
fn replay(dir: &str) -> Outcome {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(dir);
    let mut outcome = Outcome { ran: 0, failures: Vec::new(), unexpected_passes: Vec::new() };
    for (target, run) in targets() {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else { continue };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
        paths.sort();
        for path in paths {
            let input = std::fs::read(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let known = KNOWN_BUGS.contains(&(target, name.as_str()));
            outcome.ran += 1;
            match (catch_unwind(AssertUnwindSafe(|| run(&input))), known) {
                (Ok(()), false) | (Err(_), true) => {}
                (Ok(()), true) => outcome.unexpected_passes.push(format!("{target}/{name}")),
                (Err(panic), false) => {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    outcome.failures.push(format!("{target}/{name}: {message}"));
                }
            }
        }
    }
    outcome
}

fn assert_clean(outcome: &Outcome) {
    assert!(
        outcome.failures.is_empty(),
        "{} of {} inputs failed:\n{}",
        outcome.failures.len(),
        outcome.ran,
        outcome.failures.join("\n")
    );
    assert!(
        outcome.unexpected_passes.is_empty(),
        "fixed, remove from KNOWN_BUGS in tests/fuzz_regressions.rs (and the tolerance in fuzz/src/lib.rs): {}",
        outcome.unexpected_passes.join(", ")
    );
}

#[test]
fn every_fuzz_seed_passes_its_target() {
    let outcome = replay("seeds");
    assert!(outcome.ran >= 100, "only {} seeds found under fuzz/seeds: run fuzz/make_seeds.py", outcome.ran);
    assert_clean(&outcome);
}

#[test]
fn every_input_that_once_broke_a_fuzz_target_now_passes() {
    let outcome = replay("regressions");
    assert!(outcome.ran >= 1, "fuzz/regressions/ is empty");
    assert_clean(&outcome);
}

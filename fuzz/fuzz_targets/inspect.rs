#![no_main]
//! See `jwtkit_fuzz::inspect` (fuzz/src/lib.rs) for the input format and the invariants checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| jwtkit_fuzz::inspect(data));

//! Rust extraction (syn, the depth estimate, the line fallback) on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tapestry::lang::extract("src/lib.rs", data, tapestry::model::Lang::Rust);
});

//! The Rust depth estimate: never panics, and a limit only ever stops it early.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tapestry::lang::rust_depth::estimate;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let full = estimate(text, usize::MAX);
    let capped = estimate(text, 64);
    assert!(capped <= full && (capped == full || capped > 64));
});

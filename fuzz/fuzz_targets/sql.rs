//! SQL strings and migration statements through `resolve::tables::analyze`
//! (sqlparser, then the keyword scan): never a panic or a stack overflow, on
//! the main thread as in a scan, and the same answer twice.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let first = tapestry::resolve::tables::analyze(&text);
    assert_eq!(first, tapestry::resolve::tables::analyze(&text));
});

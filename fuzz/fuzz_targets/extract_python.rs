//! Python extraction (tree-sitter-python and its query) on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tapestry::lang::extract("pkg/__init__.py", data, tapestry::model::Lang::Python);
});

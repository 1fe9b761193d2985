//! The YAML reader of compose files, Kubernetes manifests and
//! pnpm-workspace.yaml: any text gives documents of bounded depth or an
//! error with a line, never a panic, a stack overflow or an alias blow-up.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tapestry::resolve::yaml;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(docs) = yaml::parse(&text) {
        for d in &docs {
            assert!(d.height() <= yaml::MAX_DEPTH + 1);
        }
    }
});

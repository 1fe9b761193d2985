//! The YAML reader of compose files, Kubernetes manifests and
//! pnpm-workspace.yaml: any text gives documents of bounded depth or an
//! error with a line, never a panic, a stack overflow or an alias blow-up.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tapestry::resolve::yaml::{self, Yaml};

fn height(doc: &Yaml) -> usize {
    let mut stack = vec![(doc, 1)];
    let mut max = 0;
    while let Some((y, h)) = stack.pop() {
        max = max.max(h);
        stack.extend(y.items().iter().map(|(c, _)| (c, h + 1)));
        stack.extend(y.entries().iter().map(|(_, c, _)| (c, h + 1)));
    }
    max
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(docs) = yaml::parse(&text) {
        for d in &docs {
            assert!(height(d) <= yaml::MAX_DEPTH + 1);
        }
    }
});

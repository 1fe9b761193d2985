//! The configs the resolvers read (package.json, tsconfig.json, Cargo.toml),
//! through a real scan of a temporary project. The input is split on NUL
//! bytes into the three files.
#![no_main]
use libfuzzer_sys::fuzz_target;

const SOURCES: &[(&str, &str)] = &[
    ("src/a.ts", "import x from '@/b';\nimport y from '#x/y';\nimport z from 'p/sub';\n"),
    ("src/b.ts", "export * from 'lib/q';\n"),
    ("src/lib.rs", "mod m;\nuse crate::m::x;\n"),
    ("src/m.rs", "pub fn x() {}\n"),
    ("src/main.rs", "use p::m;\n"),
];

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0);
    let dir = tempfile::tempdir().unwrap();
    for name in ["package.json", "tsconfig.json", "Cargo.toml"] {
        std::fs::write(dir.path().join(name), parts.next().unwrap_or_default()).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    for (rel, text) in SOURCES {
        std::fs::write(dir.path().join(rel), text).unwrap();
    }
    let opts = tapestry::ScanOptions { threads: Some(1), ..tapestry::ScanOptions::default() };
    let (report, _) = tapestry::scan(dir.path(), &opts).expect("content never fails a scan");
    let _ = tapestry::report::Format::Json.render(&report);
});

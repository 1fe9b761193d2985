//! Every deployment and schema file the resolvers read, through a real scan
//! of a temporary project. The input is split on NUL bytes into a compose
//! file, a Kubernetes manifest, pnpm-workspace.yaml, a `.proto`, a `.env`, a
//! Prisma schema, a SQL migration, package.json and tsconfig.json.
#![no_main]
use libfuzzer_sys::fuzz_target;

const FILES: &[&str] = &[
    "docker-compose.yml",
    "k8s/app.yaml",
    "pnpm-workspace.yaml",
    "api.proto",
    ".env",
    "prisma/schema.prisma",
    "migrations/001.sql",
    "package.json",
    "tsconfig.json",
];

const SOURCES: &[(&str, &str)] = &[
    ("api/index.js", "const express = require('express');\napp.get('/a', h);\n"),
    ("api/package.json", "{\"name\": \"api\", \"scripts\": {\"start\": \"node index.js\"}}"),
    ("db.py", "db.execute(\"SELECT * FROM users JOIN orders ON 1=1\")\n"),
    ("packages/p/index.ts", "import x from 'api';\n"),
];

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0);
    let dir = tempfile::tempdir().unwrap();
    for rel in FILES.iter().copied() {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, parts.next().unwrap_or_default()).unwrap();
    }
    for (rel, text) in SOURCES {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let opts = tapestry::ScanOptions { threads: Some(1), ..tapestry::ScanOptions::default() };
    let (report, _) = tapestry::scan(dir.path(), &opts).expect("content never fails a scan");
    let _ = tapestry::report::Format::Json.render(&report);
});

//! The facts cache through the real binary: a cached scan gives the
//! byte-identical report of an uncached one, whatever changed in between
//! (edit, rename, delete, options, tapestry version), and a corrupt or foreign
//! cache is rebuilt, never fatal. Every test uses its own `--cache-dir` in a
//! temporary directory, never the user's cache.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use common::{copy_dir, tmp};
use tempfile::TempDir;

/// A copy of a fixture whose files were all last modified an hour ago, so
/// their stats are trusted by the cache (newer ones are "racy" and rehashed).
fn project(fixture: &str) -> TempDir {
    let tmp = tmp();
    copy_dir(&common::fixture(fixture), tmp.path());
    age_all(tmp.path());
    tmp
}

fn set_mtime(path: &Path, t: SystemTime) {
    std::fs::File::options().write(true).open(path).unwrap().set_modified(t).unwrap();
}

fn age_all(dir: &Path) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            age_all(&e.path());
        } else {
            set_mtime(&e.path(), old);
        }
    }
}

struct Run {
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    /// (reused, parsed) from the timing line.
    fn cache(&self) -> (usize, usize) {
        let tail = self.stderr.split("cache: ").nth(1).unwrap_or_else(|| panic!("no cache line: {}", self.stderr));
        let nums: Vec<usize> = tail.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
        (nums[0], nums[1])
    }
}

fn tapestry(dir: &Path, cache: Option<&Path>, args: &[&str]) -> Run {
    let mut cmd = Command::cargo_bin("tapestry").unwrap();
    cmd.env_remove("TAPESTRY_CACHE_VERSION").env("XDG_CACHE_HOME", "/nonexistent-tapestry-test-cache");
    cmd.args(["scan", "--format", "json"]).args(args).arg(dir);
    match cache {
        Some(c) => cmd.arg("--cache-dir").arg(c),
        None => cmd.arg("--no-cache"),
    };
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    Run { stdout: out.stdout, stderr }
}

/// Scan with the cache and check the report equals an uncached scan's.
fn cached_equals_uncached(dir: &Path, cache: &Path, args: &[&str]) -> Run {
    let cached = tapestry(dir, Some(cache), args);
    let fresh = tapestry(dir, None, args);
    assert_eq!(
        String::from_utf8_lossy(&cached.stdout),
        String::from_utf8_lossy(&fresh.stdout),
        "cached report differs from a fresh scan"
    );
    cached
}

fn packs(cache: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(cache) else { return Vec::new() };
    rd.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "facts")).collect()
}

#[test]
fn a_warm_scan_reuses_every_file_and_reports_byte_identically() {
    let p = project("polyglot-cycles");
    let cache = tmp();
    let cold = cached_equals_uncached(p.path(), cache.path(), &[]);
    assert_eq!(cold.cache(), (0, 15));
    assert_eq!(packs(cache.path()).len(), 1, "one pack per scan root");
    let warm = cached_equals_uncached(p.path(), cache.path(), &[]);
    assert_eq!(warm.cache(), (15, 0));
    assert_eq!(warm.stdout, cold.stdout);
    // Every format, not only JSON.
    for format in ["summary", "dot"] {
        let run = |c: Option<&Path>| {
            let mut cmd = Command::cargo_bin("tapestry").unwrap();
            cmd.args(["scan", "--format", format]).arg(p.path());
            match c {
                Some(c) => cmd.arg("--cache-dir").arg(c),
                None => cmd.arg("--no-cache"),
            };
            cmd.output().unwrap().stdout
        };
        assert_eq!(run(Some(cache.path())), run(None), "{format}");
    }
}

#[test]
fn nothing_is_written_inside_the_scanned_tree() {
    let p = project("ts-esm-basics");
    let before = walk(p.path());
    let cache = tmp();
    tapestry(p.path(), Some(cache.path()), &[]);
    assert_eq!(walk(p.path()), before);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out.sort();
    out
}

#[test]
fn an_edited_file_is_parsed_again_and_only_it() {
    let p = project("py-relative-imports");
    let cache = tmp();
    let cold = tapestry(p.path(), Some(cache.path()), &[]);
    let total = cold.cache().1;
    let file = p.path().join("shop/cart.py");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\nimport json\nfrom .. import a\n")).unwrap();
    let run = cached_equals_uncached(p.path(), cache.path(), &[]);
    assert_eq!(run.cache(), (total - 1, 1));
    assert_ne!(run.stdout, cold.stdout, "the edit shows in the report");
    assert!(String::from_utf8_lossy(&run.stdout).contains("python-stdlib:json"));
}

#[test]
fn an_edit_that_keeps_size_and_mtime_is_still_seen_when_the_stat_was_racy() {
    // Written just now: within the racy window, so the next scan hashes it.
    let p = project("py-flat-script");
    let cache = tmp();
    let file = p.path().join("config.py");
    let mtime = SystemTime::now();
    std::fs::write(&file, "import os\n").unwrap();
    set_mtime(&file, mtime);
    tapestry(p.path(), Some(cache.path()), &[]);
    std::fs::write(&file, "import re\n").unwrap(); // same size
    set_mtime(&file, mtime); // same mtime
    let run = cached_equals_uncached(p.path(), cache.path(), &[]);
    assert!(String::from_utf8_lossy(&run.stdout).contains("python-stdlib:re"));
}

#[test]
fn a_touched_but_unchanged_file_is_hashed_not_parsed() {
    let p = project("py-relative-imports");
    let cache = tmp();
    let total = tapestry(p.path(), Some(cache.path()), &[]).cache().1;
    set_mtime(&p.path().join("shop/cart.py"), SystemTime::now() - Duration::from_secs(60));
    let run = cached_equals_uncached(p.path(), cache.path(), &[]);
    assert_eq!(run.cache(), (total, 0));
}

#[test]
fn renamed_and_deleted_files_are_followed() {
    let p = project("ts-esm-basics");
    let cache = tmp();
    let cold = tapestry(p.path(), Some(cache.path()), &[]);
    let files = cold.cache().1;
    let src = p.path().join("src");
    let victim = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ts"))
        .min()
        .unwrap();
    std::fs::rename(&victim, src.join("renamed_module.ts")).unwrap();
    let renamed = cached_equals_uncached(p.path(), cache.path(), &[]);
    assert_eq!(renamed.cache(), (files - 1, 1), "a renamed file's facts depend on its path: parsed again");
    assert!(String::from_utf8_lossy(&renamed.stdout).contains("renamed_module.ts"));
    std::fs::remove_file(src.join("renamed_module.ts")).unwrap();
    let deleted = cached_equals_uncached(p.path(), cache.path(), &[]);
    assert_eq!(deleted.cache(), (files - 1, 0));
    assert!(!String::from_utf8_lossy(&deleted.stdout).contains("renamed_module.ts"));
}

#[test]
fn option_changes_give_the_report_of_a_fresh_scan() {
    let p = project("polyglot-cycles");
    let cache = tmp();
    cached_equals_uncached(p.path(), cache.path(), &[]);
    cached_equals_uncached(p.path(), cache.path(), &["--exclude", "web/**"]);
    cached_equals_uncached(p.path(), cache.path(), &["--max-file-size", "200"]);
    cached_equals_uncached(p.path(), cache.path(), &["--include-ignored"]);
    let back = cached_equals_uncached(p.path(), cache.path(), &[]);
    assert_eq!(back.cache().1, 0, "files excluded for a while are still cached");
}

#[test]
fn another_tapestry_version_does_not_reuse_the_cache() {
    let p = project("rs-mod-tree");
    let cache = tmp();
    let files = tapestry(p.path(), Some(cache.path()), &[]).cache().1;
    let mut cmd = Command::cargo_bin("tapestry").unwrap();
    let out = cmd
        .env("TAPESTRY_CACHE_VERSION", "99.0.0")
        .args(["scan", "--format", "json", "--cache-dir"])
        .arg(cache.path())
        .arg(p.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("another tapestry version"), "{stderr}");
    assert!(stderr.contains(&format!("0 reused, {files} parsed")), "{stderr}");
    assert_eq!(out.stdout, tapestry(p.path(), None, &[]).stdout);
    // And back: the pack now belongs to 99.0.0, so this version rebuilds it too.
    assert_eq!(tapestry(p.path(), Some(cache.path()), &[]).cache(), (0, files));
}

#[test]
fn a_corrupt_or_foreign_pack_is_rebuilt_never_fatal() {
    let p = project("polyglot-cycles");
    let cache = tmp();
    tapestry(p.path(), Some(cache.path()), &[]);
    let pack = packs(cache.path()).pop().unwrap();
    let good = std::fs::read(&pack).unwrap();
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    let cases: [(&str, Vec<u8>); 5] = [
        ("empty", Vec::new()),
        ("truncated", good[..good.len() / 3].to_vec()),
        ("flipped byte", flipped),
        ("foreign", b"{\"not\": \"a cache\"}".to_vec()),
        ("garbage", (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect()),
    ];
    for (what, bytes) in cases {
        std::fs::write(&pack, &bytes).unwrap();
        let run = cached_equals_uncached(p.path(), cache.path(), &[]);
        assert_eq!(run.cache().0, 0, "{what}: nothing reused");
        assert!(run.stderr.contains("rebuilt"), "{what}: {}", run.stderr);
        assert_eq!(tapestry(p.path(), Some(cache.path()), &[]).cache().1, 0, "{what}: rebuilt pack is used");
    }
    // A pack that is a directory cannot be read or replaced: still not fatal.
    std::fs::remove_file(&pack).unwrap();
    std::fs::create_dir(&pack).unwrap();
    cached_equals_uncached(p.path(), cache.path(), &[]);
}

#[test]
fn a_cache_directory_inside_the_scanned_tree_is_refused() {
    let p = project("py-flat-script");
    let inside = p.path().join(".tapestry-cache");
    let run = cached_equals_uncached(p.path(), &inside, &[]);
    assert!(run.stderr.contains("inside the scanned tree"), "{}", run.stderr);
    assert!(!inside.exists());
}

#[test]
fn concurrent_runs_leave_a_valid_pack() {
    let p = project("polyglot-cycles");
    let cache = tmp();
    let expected = tapestry(p.path(), None, &[]).stdout;
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("tapestry"))
                .args(["scan", "--format", "json", "--cache-dir"])
                .arg(cache.path())
                .arg(p.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success());
        assert_eq!(out.stdout, expected);
    }
    assert_eq!(packs(cache.path()).len(), 1);
    let leftovers: Vec<_> = std::fs::read_dir(cache.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
    let warm = tapestry(p.path(), Some(cache.path()), &[]);
    assert_eq!((warm.cache().1, warm.stdout), (0, expected));
}

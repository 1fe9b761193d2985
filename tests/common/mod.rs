//! Setup shared by the integration tests: temporary directories, files
//! written into them, fixtures, and the real binary with a scratch cache.
//! Each test binary uses its own subset of these, hence `dead_code`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The tapestry binary under test.
pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("tapestry")
}

/// The binary as an `assert_cmd` command, its default facts cache moved to a
/// scratch directory under the target dir, never the user's.
pub fn tapestry() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(bin());
    cmd.env("XDG_CACHE_HOME", Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-cache"));
    cmd
}

/// [`tapestry`] run in `dir` (commands that scan `.` or find a baseline there).
pub fn tapestry_in(dir: &Path) -> assert_cmd::Command {
    let mut cmd = tapestry();
    cmd.current_dir(dir);
    cmd
}

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Write `bytes` to `root/rel`, creating its directories.
pub fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// A fixture of `fixtures/` by name.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

/// Copy the tree `from` into `to` (created if missing).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

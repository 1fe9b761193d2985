//! Cargo workspaces, for a tie between services on one `localhost` port: a Rust caller
//! (a Yew front-end of a workspace) calling `http://127.0.0.1:3000`, which three crates
//! bind, means the one of its own workspace when exactly one of them is a member; crates
//! the workspace leaves out (`archived_versions/…`, not in `[workspace] members`, or
//! `exclude`d) are not built or run with it.
//!
//! Membership as Cargo decides it: a package's workspace is the first `Cargo.toml` with a
//! `[workspace]` table at or above its directory (or the one `package.workspace` names),
//! and the package belongs to it when it is that root package, or a `members` glob matches
//! its directory and no `exclude` entry covers it, or a member depends on it by `path`.

use super::arch::Ctx;
use super::{dir_of, Project};

/// The one of `candidates` (services) that is a member of the caller's Cargo workspace,
/// when the caller's own crate is a member of one and exactly one candidate is.
pub fn member_pick(ctx: &Ctx, file: usize, candidates: &[usize]) -> Option<usize> {
    let project = ctx.project;
    let krate = project.crate_dir(file)?;
    let root = workspace_of(project, krate)?;
    let members = Members::read(project, &root)?;
    if !members.has(project, krate) {
        return None;
    }
    let list = &ctx.services.list;
    let member = |s: usize| {
        list[s].dirs.iter().any(|d| {
            project.manifests.iter().any(|m| *m == manifest(d))
                && workspace_of(project, d).as_deref() == Some(&root)
                && members.has(project, d)
        })
    };
    let mut found = candidates.iter().copied().filter(|&s| member(s));
    let one = found.next()?;
    found.next().is_none().then_some(one)
}

/// The `Cargo.toml` of a directory (`""` is the root).
fn manifest(dir: &str) -> String {
    if dir.is_empty() {
        "Cargo.toml".to_string()
    } else {
        format!("{dir}/Cargo.toml")
    }
}

fn read_toml(project: &Project, dir: &str) -> Option<toml::Table> {
    let m = manifest(dir);
    if !project.manifests.contains(&m) {
        return None;
    }
    project.read(&m).ok()?.parse().ok()
}

/// The directory of the workspace root a crate (directory) belongs to: `package.workspace`,
/// else the nearest directory at or above it whose `Cargo.toml` has `[workspace]`.
fn workspace_of(project: &Project, krate: &str) -> Option<String> {
    let own = read_toml(project, krate)?;
    if let Some(path) = own.get("package").and_then(|p| p.get("workspace")).and_then(|w| w.as_str()) {
        return normalize(krate, path);
    }
    let mut dir = krate;
    loop {
        let table = if dir == krate { Some(own.clone()) } else { read_toml(project, dir) };
        if table.is_some_and(|t| t.contains_key("workspace")) {
            return Some(dir.to_string());
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir_of(dir);
    }
}

/// `dir` joined with a relative path (`..`, `./x`), as a directory relative to the scan
/// root; `None` above the root.
fn normalize(dir: &str, path: &str) -> Option<String> {
    super::join(dir, &path.replace('\\', "/"))
}

/// A workspace root's members: its own directory, its `members` globs and `exclude`
/// paths (relative to the scan root), and the path dependencies of its members.
struct Members {
    root: String,
    globs: Vec<String>,
    exclude: Vec<String>,
    path_deps: Vec<String>,
}

impl Members {
    fn read(project: &Project, root: &str) -> Option<Members> {
        let t = read_toml(project, root)?;
        let ws = t.get("workspace")?;
        let list = |key: &str| -> Vec<String> {
            ws.get(key)
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str()).filter_map(|p| normalize(root, p)).collect())
                .unwrap_or_default()
        };
        let mut m =
            Members { root: root.to_string(), globs: list("members"), exclude: list("exclude"), path_deps: vec![] };
        // Path dependencies of the root package and of the listed members are members too.
        let dirs: Vec<String> = project
            .manifests
            .iter()
            .filter(|x| x.rsplit('/').next() == Some("Cargo.toml"))
            .map(|x| dir_of(x).to_string())
            .filter(|d| *d == m.root || m.listed(d))
            .collect();
        for d in dirs {
            let Some(t) = read_toml(project, &d) else { continue };
            for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
                let Some(deps) = t.get(key).and_then(|v| v.as_table()) else { continue };
                for v in deps.values() {
                    if let Some(p) = v.get("path").and_then(|p| p.as_str()).and_then(|p| normalize(&d, p)) {
                        m.path_deps.push(p);
                    }
                }
            }
        }
        Some(m)
    }

    /// A `members` glob matches the directory, and no `exclude` entry covers it.
    fn listed(&self, dir: &str) -> bool {
        let excluded = self.exclude.iter().any(|e| dir == e || dir.starts_with(&format!("{e}/")));
        !excluded && self.globs.iter().any(|g| glob_dir(g, dir))
    }

    /// Whether the crate in `dir` belongs to this workspace.
    fn has(&self, project: &Project, dir: &str) -> bool {
        let under = self.root.is_empty() || dir == self.root || dir.starts_with(&format!("{}/", self.root));
        under
            && (dir == self.root || self.listed(dir) || self.path_deps.iter().any(|p| p == dir))
            && read_toml(project, dir).is_some_and(|t| t.contains_key("package"))
    }
}

/// A `members` entry (`crates/*`, `services/**`, `api`) matching a directory, segment by
/// segment: `*` and `?` within one segment, `**` any number of segments.
fn glob_dir(glob: &str, dir: &str) -> bool {
    let g: Vec<&str> = glob.split('/').filter(|s| !s.is_empty()).collect();
    let d: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    segments(&g, &d)
}

fn segments(g: &[&str], d: &[&str]) -> bool {
    match g.split_first() {
        None => d.is_empty(),
        Some((&"**", rest)) => (0..=d.len()).any(|k| segments(rest, &d[k..])),
        Some((first, rest)) => {
            d.split_first().is_some_and(|(h, t)| segment(first.as_bytes(), h.as_bytes()) && segments(rest, t))
        }
    }
}

fn segment(g: &[u8], s: &[u8]) -> bool {
    match g.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|k| segment(rest, &s[k..])),
        Some((b'?', rest)) => !s.is_empty() && segment(rest, &s[1..]),
        Some((c, rest)) => s.first() == Some(c) && segment(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_and_paths() {
        assert!(glob_dir("crates/*", "crates/api"));
        assert!(!glob_dir("crates/*", "crates/api/sub"));
        assert!(glob_dir("services/**", "services/a/b"));
        assert!(glob_dir("rust-micro-cms", "rust-micro-cms"));
        assert!(!glob_dir("rust-micro-cms", "archived_versions/micro-cms-v0.6"));
        assert!(glob_dir("svc-?", "svc-a"));
        assert_eq!(normalize("a/b", "../c").as_deref(), Some("a/c"));
        assert_eq!(normalize("", "./x/").as_deref(), Some("x"));
        assert_eq!(normalize("", ".."), None);
    }
}

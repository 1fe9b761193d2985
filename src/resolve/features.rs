//! Cargo features, for routes declared under `#[cfg(feature = "x")]`: a route is
//! served by a plain `cargo build` of its crate only when `x` is among the crate's
//! default features (`[features] default = […]`, followed through the features
//! each one enables) or another manifest of the project turns it on for a
//! dependency on the crate (`orders = { path = "../orders", features = ["x"] }`).
//! A route whose condition is false under those features is no endpoint of the
//! service as it is normally built (`src/resolve/routes.rs` makes it a diagnostic).

use std::collections::{BTreeSet, HashMap};

use super::Project;
use crate::model::CfgPred;

/// The features each crate of the project builds with by default, read once per
/// crate directory on first use.
#[derive(Default)]
pub struct Features {
    /// `(package name, features table)` per manifest path; `None` when unreadable.
    manifests: Option<HashMap<String, Option<(String, toml::Table)>>>,
    enabled: HashMap<String, Option<BTreeSet<String>>>,
}

impl Features {
    /// Whether `pred` holds for the crate in `dir` (`""` for the root) built with
    /// its default features: `None` when unknown (no readable `Cargo.toml`, a
    /// condition on the target).
    pub fn holds(&mut self, project: &Project, dir: &str, pred: &CfgPred) -> Option<bool> {
        let manifest = if dir.is_empty() { "Cargo.toml".to_string() } else { format!("{dir}/Cargo.toml") };
        if !self.enabled.contains_key(&manifest) {
            let on = self.default_on(project, &manifest);
            self.enabled.insert(manifest.clone(), on);
        }
        let on = self.enabled[&manifest].as_ref()?;
        pred.eval(&|f| on.contains(f))
    }

    /// The crate's default features with all they enable, plus those other
    /// manifests of the project ask for on a dependency on it.
    fn default_on(&mut self, project: &Project, manifest: &str) -> Option<BTreeSet<String>> {
        let tables = self.manifests.get_or_insert_with(|| {
            project
                .manifests
                .iter()
                .filter(|m| m.rsplit('/').next() == Some("Cargo.toml"))
                .map(|m| (m.clone(), project.read(m).ok().and_then(|t| t.parse::<toml::Table>().ok()).map(package)))
                .collect()
        });
        let (name, table) = tables.get(manifest)?.as_ref()?;
        let features = table.get("features").and_then(toml::Value::as_table);
        let mut wanted: Vec<String> = vec!["default".into()];
        for (_, other) in tables.values().flatten() {
            wanted.extend(requested(other, name));
        }
        let mut on = BTreeSet::new();
        while let Some(f) = wanted.pop() {
            if !on.insert(f.clone()) {
                continue;
            }
            // `dep:x` and `x/feat` name dependencies, not features of this crate.
            let implied = features.and_then(|t| t.get(&f)).and_then(toml::Value::as_array);
            wanted.extend(
                implied
                    .into_iter()
                    .flatten()
                    .filter_map(toml::Value::as_str)
                    .filter(|s| !s.contains([':', '/']))
                    .map(String::from),
            );
        }
        Some(on)
    }
}

/// A manifest's package name (empty for a virtual workspace) and its table.
fn package(t: toml::Table) -> (String, toml::Table) {
    let name = t.get("package").and_then(|p| p.get("name")).and_then(toml::Value::as_str).unwrap_or("").to_string();
    (name, t)
}

/// The features a manifest requests of its dependency on package `name`, in any
/// dependency table (`[dependencies]`, `[dev-dependencies]`, a target's, the
/// workspace's), under its own key or renamed with `package = "name"`.
fn requested(manifest: &toml::Table, name: &str) -> Vec<String> {
    if name.is_empty() {
        return Vec::new();
    }
    let mut tables = dep_tables(manifest);
    if let Some(w) = manifest.get("workspace").and_then(toml::Value::as_table) {
        tables.extend(dep_tables(w));
    }
    for target in manifest.get("target").and_then(toml::Value::as_table).into_iter().flat_map(|t| t.values()) {
        tables.extend(target.as_table().map(dep_tables).unwrap_or_default());
    }
    let mut out = Vec::new();
    for deps in tables {
        for (key, spec) in deps {
            let Some(spec) = spec.as_table() else { continue };
            let pkg = spec.get("package").and_then(toml::Value::as_str).unwrap_or(key);
            if pkg != name {
                continue;
            }
            let list = spec.get("features").and_then(toml::Value::as_array);
            out.extend(list.into_iter().flatten().filter_map(toml::Value::as_str).map(String::from));
        }
    }
    out
}

/// The dependency tables of a manifest, a workspace or a target table.
fn dep_tables(t: &toml::Table) -> Vec<&toml::Table> {
    ["dependencies", "dev-dependencies", "build-dependencies"]
        .iter()
        .filter_map(|k| t.get(*k).and_then(toml::Value::as_table))
        .collect()
}

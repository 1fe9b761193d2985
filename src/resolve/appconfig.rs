//! A Rust service's own config files: `config.toml`, `settings.yaml`,
//! `config/default.json`… beside a `Cargo.toml` of the service, or in a
//! `config/` directory there (or Spring-style `resources/application.yml`,
//! `resources/application-local.yml`), read into dotted key paths
//! (`services.users_url`) with their values.
//!
//! Such a file is read through serde structs (`toml::from_str`, the `config`
//! crate's `File::with_name("config")`), and the code reaches a value by a field
//! access (`config.services.users_url`, `services_params.orders_service_addr`):
//! extraction keeps the chain of fields, and [`Config::value`] gives the one key
//! it names. Files that give one key different values (`config/default.toml` and
//! `config/production.toml`) leave it unknown: which one is read is decided at run
//! time.

use std::collections::BTreeMap;

use super::yaml::{self, Yaml};
use super::Project;

/// Names (without extension, lower case) of the config files read beside a
/// `Cargo.toml` (sorted). In a [`CONFIG_DIRS`] directory every file is read.
const CONFIG_STEMS: &[&str] = &["app", "application", "config", "configuration", "settings"];

/// Directories, beside a `Cargo.toml`, whose files are all configs (sorted).
const CONFIG_DIRS: &[&str] = &["conf", "config", "configuration", "settings"];

/// Whether a file stem in a crate's `resources/` directory names a Spring-style config
/// (`application`, `application-local`: a profile after a dash); other files there are data.
fn spring_config(stem: &str) -> bool {
    let stem = stem.to_ascii_lowercase();
    stem == "application" || stem.strip_prefix("application-").is_some_and(|p| !p.is_empty())
}

/// Config files over this size are not read (they are data, not settings).
const MAX_CONFIG: usize = 256 * 1024;

/// Whether discovery should hand a file on as a possible config (`.toml`,
/// `.json`; YAML files are handed on anyway): its name or its directory's name
/// says so. Whether it belongs to a Rust service is decided in resolution.
pub fn is_config_file(rel: &str) -> bool {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let Some((stem, ext)) = name.rsplit_once('.') else { return false };
    if !matches!(ext, "toml" | "json") || name == "Cargo.toml" || name == "package.json" {
        return false;
    }
    let parent = dir.rsplit('/').next().unwrap_or(dir);
    CONFIG_STEMS.contains(&stem.to_ascii_lowercase().as_str()) || CONFIG_DIRS.contains(&parent)
}

/// The keys of a service's config files: dotted path → value, `None` when the
/// files give the key different values.
#[derive(Debug, Clone, Default)]
pub struct Config {
    keys: BTreeMap<String, Option<String>>,
}

impl Config {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The value of the one key a field chain (`services.users_url`, without the
    /// variable it starts from) names: the chain and the key path agree on their
    /// common last segments, the shorter being all of one of them
    /// (`config.services.users_url` and `users_url` both name `services.users_url`).
    /// Nothing when no key, several keys or a disputed key match.
    pub fn value(&self, chain: &str) -> Option<&str> {
        let mut found = self.keys.iter().filter(|(k, _)| suffix_match(k, chain));
        match (found.next(), found.next()) {
            (Some((_, Some(v))), None) => Some(v),
            _ => None,
        }
    }

    /// The key a field chain names (see [`Config::value`]).
    pub fn key(&self, chain: &str) -> Option<&str> {
        let mut found = self.keys.keys().filter(|k| suffix_match(k, chain));
        match (found.next(), found.next()) {
            (Some(k), None) => Some(k),
            _ => None,
        }
    }

    fn add(&mut self, key: String, value: String) {
        self.keys
            .entry(key)
            .and_modify(|v| {
                if v.as_deref() != Some(value.as_str()) {
                    *v = None;
                }
            })
            .or_insert(Some(value));
    }
}

/// `a.b.c` and `b.c` (or `c`) match; `x.c` and `b.c` do not.
fn suffix_match(key: &str, chain: &str) -> bool {
    let (long, short) = if key.len() >= chain.len() { (key, chain) } else { (chain, key) };
    long == short || long.ends_with(short) && long[..long.len() - short.len()].ends_with('.')
}

/// Whether an environment variable overrides a key the way the `config` crate's
/// `Environment::with_prefix("APP").separator("__")` (or figment's
/// `Env::prefixed("APP_").split("__")`) reads it: `APP_SERVICES__USERS_URL` is
/// `services.users_url`. Only the `__` separator is taken: a single `_` is part
/// of key names as often as it separates them.
pub fn overrides(var: &str, key: &str) -> bool {
    let want = key.replace('.', "__");
    let var = var.to_ascii_lowercase();
    key.contains('.') && (var == want || var.strip_suffix(want.as_str()).is_some_and(|p| p.ends_with('_')))
}

/// The config of each directory holding a `Cargo.toml`, from the config files
/// beside it and in its config directories.
pub fn read(project: &Project) -> BTreeMap<String, Config> {
    let cargo_dirs: Vec<&str> = project
        .manifests
        .iter()
        .filter_map(|m| m.strip_suffix("Cargo.toml"))
        .map(|d| d.trim_end_matches('/'))
        .collect();
    let mut out: BTreeMap<String, Config> = BTreeMap::new();
    if cargo_dirs.is_empty() {
        return out;
    }
    for m in project.manifests {
        let (dir, name) = m.rsplit_once('/').unwrap_or(("", m));
        let Some((stem, ext)) = name.rsplit_once('.') else { continue };
        if !matches!(ext, "toml" | "json" | "yaml" | "yml") || name == "Cargo.toml" {
            continue;
        }
        let (parent, last) = dir.rsplit_once('/').unwrap_or(("", dir));
        let crate_dir = if cargo_dirs.contains(&dir) && CONFIG_STEMS.contains(&stem.to_ascii_lowercase().as_str()) {
            dir
        } else if CONFIG_DIRS.contains(&last) && cargo_dirs.contains(&parent) {
            parent
        } else if last == "resources" && cargo_dirs.contains(&parent) && spring_config(stem) {
            // Spring-style `resources/application.yml`, `resources/application-local.yml`.
            parent
        } else {
            continue;
        };
        let Ok(text) = project.read(m) else { continue };
        if text.len() > MAX_CONFIG {
            continue;
        }
        let config = out.entry(crate_dir.to_string()).or_default();
        match ext {
            "toml" => {
                if let Ok(t) = text.parse::<toml::Table>() {
                    flatten_toml("", &toml::Value::Table(t), config);
                }
            }
            "json" => {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
                    flatten_json("", &v, config);
                }
            }
            _ => {
                if let Ok(docs) = yaml::parse(&text) {
                    docs.iter().for_each(|d| flatten_yaml("", d, config));
                }
            }
        }
    }
    out.retain(|_, c| !c.is_empty());
    out
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn flatten_toml(prefix: &str, v: &toml::Value, out: &mut Config) {
    match v {
        toml::Value::Table(t) => t.iter().for_each(|(k, v)| flatten_toml(&join(prefix, k), v, out)),
        toml::Value::String(s) => out.add(prefix.to_string(), s.clone()),
        toml::Value::Integer(i) => out.add(prefix.to_string(), i.to_string()),
        // Arrays, booleans, floats and dates name no host or topic.
        _ => {}
    }
}

fn flatten_json(prefix: &str, v: &serde_json::Value, out: &mut Config) {
    match v {
        serde_json::Value::Object(o) => o.iter().for_each(|(k, v)| flatten_json(&join(prefix, k), v, out)),
        serde_json::Value::String(s) => out.add(prefix.to_string(), s.clone()),
        serde_json::Value::Number(n) if n.is_u64() => out.add(prefix.to_string(), n.to_string()),
        _ => {}
    }
}

fn flatten_yaml(prefix: &str, v: &Yaml, out: &mut Config) {
    match v {
        Yaml::Map(m) => m.iter().for_each(|(k, v, _)| flatten_yaml(&join(prefix, k), v, out)),
        Yaml::Scalar(s) if !prefix.is_empty() => out.add(prefix.to_string(), s.clone()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        crate::resolve::assert_sorted(&[CONFIG_STEMS, CONFIG_DIRS]);
    }

    #[test]
    fn chains_name_one_key() {
        let mut c = Config::default();
        c.add("services.users_url".into(), "http://users:8000".into());
        c.add("server.port".into(), "8080".into());
        c.add("admin.port".into(), "9090".into());
        c.add("kafka.topic".into(), "a".into());
        c.add("kafka.topic".into(), "b".into());
        assert_eq!(c.value("services.users_url"), Some("http://users:8000"));
        assert_eq!(c.value("config.services.users_url"), Some("http://users:8000"));
        assert_eq!(c.value("users_url"), Some("http://users:8000"));
        assert_eq!(c.value("port"), None, "two keys");
        assert_eq!(c.value("x.users_url"), None);
        assert_eq!(c.value("kafka.topic"), None, "files disagree");
        assert!(overrides("APP_SERVICES__USERS_URL", "services.users_url"));
        assert!(overrides("SERVICES__USERS_URL", "services.users_url"));
        assert!(!overrides("APPSERVICES__USERS_URL", "services.users_url"));
        assert!(!overrides("SERVICES_USERS_URL", "services.users_url"));
        assert!(is_config_file("svc/config.toml") && is_config_file("svc/config/default.json"));
        assert!(!is_config_file("svc/Cargo.toml") && !is_config_file("svc/rustfmt.toml"));
    }
}

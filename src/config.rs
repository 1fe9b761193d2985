//! Settings from `tapestry.toml` (at the scan root, or `--config FILE`) and
//! the command line.
//!
//! tapestry's own inputs must be exact: an unknown key, a bad glob or a
//! value of the wrong type is an error naming the file, the line and the key
//! (exit code 2), never silently ignored.
//!
//! ```toml
//! [analysis]
//! edge_classes = ["static", "dynamic", "reexport", "conditional"]  # what counts for cycles and rules
//! critical_paths = 5
//!
//! [rules]
//! layers = ["src/ui/**", "src/domain/**", "src/db/**"]    # top to bottom
//! allowed_cycles = [["src/legacy/**"]]
//!
//! [[rules.forbidden]]
//! from = "src/ui/**"
//! to = "src/db/**"
//! message = "the UI goes through the domain layer"
//!
//! [thresholds]
//! max_cycle_size = 8
//! max_fan_out = 40
//! max_instability = 0.8
//! ```

use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use crate::model::Flags;

/// File name looked for at the scan root.
pub const CONFIG_FILE: &str = "tapestry.toml";

/// Edge classes, the same in every language. An edge's classes are its
/// flags among these, or `static` when it has none of them.
pub const EDGE_CLASSES: &[(&str, Flags)] = &[
    ("conditional", Flags::CONDITIONAL),
    ("dynamic", Flags::DYNAMIC),
    ("reexport", Flags::REEXPORT),
    ("static", Flags(0)),
    ("test", Flags::TEST),
    ("type_only", Flags::TYPE_ONLY),
];

/// Flags that name an edge class.
const CLASS_FLAGS: Flags =
    Flags(Flags::CONDITIONAL.0 | Flags::DYNAMIC.0 | Flags::REEXPORT.0 | Flags::TEST.0 | Flags::TYPE_ONLY.0);
/// An edge with none of these is `static` (a plain re-export is static and `reexport`).
const NON_STATIC: Flags = Flags(Flags::CONDITIONAL.0 | Flags::DYNAMIC.0 | Flags::TEST.0 | Flags::TYPE_ONLY.0);

/// The documented default: everything that exists at run time in production
/// code — no `type_only`, no `test`.
pub const DEFAULT_EDGE_CLASSES: &[&str] = &["conditional", "dynamic", "reexport", "static"];

/// Which edge classes count for cycles, coupling, paths and rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeClasses {
    /// Flags that exclude an edge (a class not counted).
    excluded: Flags,
    count_static: bool,
    names: Vec<String>,
}

impl Default for EdgeClasses {
    fn default() -> Self {
        let names: Vec<String> = DEFAULT_EDGE_CLASSES.iter().map(|s| (*s).to_string()).collect();
        EdgeClasses::from_names(&names).expect("default classes are valid")
    }
}

impl EdgeClasses {
    pub fn from_names(names: &[String]) -> Result<Self, String> {
        let mut excluded = Flags(0);
        for (name, flag) in EDGE_CLASSES {
            if !names.iter().any(|n| n == name) {
                excluded.insert(*flag);
            }
        }
        if let Some(bad) = names.iter().find(|n| !EDGE_CLASSES.iter().any(|(c, _)| c == n)) {
            let known: Vec<&str> = EDGE_CLASSES.iter().map(|(c, _)| *c).collect();
            return Err(format!("unknown edge class `{bad}` (known: {})", known.join(", ")));
        }
        let mut sorted: Vec<String> = names.to_vec();
        sorted.sort();
        sorted.dedup();
        Ok(EdgeClasses { excluded, count_static: names.iter().any(|n| n == "static"), names: sorted })
    }

    /// Whether an edge with these flags counts: every class it belongs to is counted.
    pub fn counts(&self, flags: Flags) -> bool {
        let marked = flags.intersection(CLASS_FLAGS);
        if marked.intersection(self.excluded) != Flags(0) {
            return false;
        }
        let is_static = marked.intersection(NON_STATIC) == Flags(0);
        !is_static || self.count_static
    }

    /// Whether type-only edges are counted (then no separate `type_only` cycles exist).
    pub fn counts_type_only(&self) -> bool {
        !self.excluded.contains(Flags::TYPE_ONLY)
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    analysis: RawAnalysis,
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    thresholds: Thresholds,
    /// `[services]`: read by service resolution (`crate::resolve::services`).
    #[serde(default)]
    #[allow(dead_code)]
    services: Option<toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnalysis {
    edge_classes: Option<Vec<String>>,
    critical_paths: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    layers: Vec<String>,
    #[serde(default)]
    allowed_cycles: Vec<Vec<String>>,
    #[serde(default)]
    forbidden: Vec<RawForbidden>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForbidden {
    from: String,
    to: String,
    message: Option<String>,
}

/// Limits whose breach is a violation.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Largest allowed strongly connected component (members).
    pub max_cycle_size: Option<usize>,
    /// Largest allowed fan-out (efferent coupling) of a module.
    pub max_fan_out: Option<usize>,
    /// Largest allowed instability of a directory that others depend on.
    pub max_instability: Option<f64>,
}

/// A glob with the text it was written as.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub text: String,
    matcher: GlobMatcher,
}

impl Pattern {
    fn new(text: &str) -> Result<Self, String> {
        let glob = Glob::new(text).map_err(|e| format!("bad glob `{text}`: {e}"))?;
        Ok(Pattern { text: text.to_string(), matcher: glob.compile_matcher() })
    }
    /// Match a module path, a directory or a service/package name.
    pub fn matches(&self, s: &str) -> bool {
        self.matcher.is_match(s)
    }
}

#[derive(Debug, Clone)]
pub struct Forbidden {
    pub from: Pattern,
    pub to: Pattern,
    pub message: Option<String>,
}

/// Everything the analyses and the gate need to know.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where the settings came from (for messages), if a file.
    pub file: Option<PathBuf>,
    pub edge_classes: EdgeClasses,
    pub critical_paths: usize,
    pub layers: Vec<Pattern>,
    pub allowed_cycles: Vec<Vec<Pattern>>,
    pub forbidden: Vec<Forbidden>,
    pub thresholds: Thresholds,
}

/// Number of critical paths reported when the config does not say.
pub const DEFAULT_CRITICAL_PATHS: usize = 5;

impl Config {
    pub fn defaults() -> Self {
        Config { critical_paths: DEFAULT_CRITICAL_PATHS, ..Config::default() }
    }

    /// Load `explicit`, or `<root>/tapestry.toml` when it exists, or the defaults.
    pub fn load(root: &Path, explicit: Option<&Path>) -> Result<Config, String> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let dir = if root.is_file() { root.parent().unwrap_or(Path::new(".")) } else { root };
                let p = dir.join(CONFIG_FILE);
                if !p.is_file() {
                    return Ok(Config::defaults());
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        Config::parse(text.strip_prefix('\u{feff}').unwrap_or(&text))
            .map(|mut c| {
                c.file = Some(path.clone());
                c
            })
            .map_err(|e| format!("{}:{e}", path.display()))
    }

    /// Parse the text of a config; errors are `line: message`.
    pub fn parse(text: &str) -> Result<Config, String> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| crate::lang::line_of_offset(text.as_bytes(), s.start));
            format!("{line}: {}", e.message())
        })?;
        let at = |needle: &str| text.lines().position(|l| l.contains(needle)).map_or(1, |i| i + 1);
        let pattern = |g: &str| Pattern::new(g).map_err(|e| format!("{}: {e}", at(g)));
        let edge_classes = match &raw.analysis.edge_classes {
            Some(names) => EdgeClasses::from_names(names)
                .map_err(|e| format!("{}: analysis.edge_classes: {e}", at("edge_classes")))?,
            None => EdgeClasses::default(),
        };
        let forbidden = raw
            .rules
            .forbidden
            .iter()
            .map(|f| Ok(Forbidden { from: pattern(&f.from)?, to: pattern(&f.to)?, message: f.message.clone() }))
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Config {
            file: None,
            edge_classes,
            critical_paths: raw.analysis.critical_paths.unwrap_or(DEFAULT_CRITICAL_PATHS),
            layers: raw.rules.layers.iter().map(|g| pattern(g)).collect::<Result<_, _>>()?,
            allowed_cycles: raw
                .rules
                .allowed_cycles
                .iter()
                .map(|set| set.iter().map(|g| pattern(g)).collect::<Result<Vec<_>, _>>())
                .collect::<Result<_, _>>()?,
            forbidden,
            thresholds: raw.thresholds,
        })
    }

    /// Override the edge classes from the command line (`--edge-classes a,b`).
    pub fn with_edge_classes(mut self, names: Option<&[String]>) -> Result<Config, String> {
        if let Some(n) = names {
            self.edge_classes = EdgeClasses::from_names(n).map_err(|e| format!("--edge-classes: {e}"))?;
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_classes_exclude_type_only_and_test() {
        let c = EdgeClasses::default();
        assert!(c.counts(Flags(0)));
        assert!(c.counts(Flags::DYNAMIC));
        assert!(c.counts(Flags::REEXPORT));
        assert!(!c.counts(Flags::TYPE_ONLY));
        assert!(!c.counts(Flags::TEST));
        assert!(!c.counts(Flags(Flags::TEST.0 | Flags::DYNAMIC.0)));
        let only_static = EdgeClasses::from_names(&["static".into()]).unwrap();
        assert!(only_static.counts(Flags(0)));
        assert!(!only_static.counts(Flags::DYNAMIC));
        assert!(!only_static.counts(Flags::REEXPORT));
    }

    #[test]
    fn config_parses_and_errors_name_the_line() {
        let c = Config::parse(
            "[analysis]\nedge_classes = [\"static\"]\n[rules]\nlayers = [\"ui/**\", \"db/**\"]\n[[rules.forbidden]]\nfrom = \"ui/**\"\nto = \"db/**\"\n",
        )
        .unwrap();
        assert_eq!(c.layers.len(), 2);
        assert!(c.forbidden[0].from.matches("ui/a.ts"));
        let e = Config::parse("[rules]\nlayerz = []\n").unwrap_err();
        assert!(e.starts_with("2: ") && e.contains("layerz"), "{e}");
        let e = Config::parse("[rules]\nlayers = [\"a/[\"]\n").unwrap_err();
        assert!(e.starts_with("2: ") && e.contains("bad glob"), "{e}");
        let e = Config::parse("[analysis]\nedge_classes = [\"sometimes\"]\n").unwrap_err();
        assert!(e.contains("sometimes"), "{e}");
    }
}

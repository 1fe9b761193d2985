//! A Python service's committed INI files (`config/app.ini`, `settings.cfg`), read the
//! way the standard library's `configparser` reads them, for the values code reaches by
//! a literal subscript chain (`SYS_CONFIG["kafka-topics"]["orders"]`, extraction's
//! [`crate::lang::py_arch::INI`] reference).
//!
//! Which file the code reads is decided at run time (a path from `argv`, an
//! environment variable): a section/option is read statically only when every INI file
//! of the code's service that has it agrees on its value, and only in a service one of
//! whose Python files names `configparser` (`ArchFacts::reads_ini`). Files that
//! disagree leave it unknown, said once per reading file and key.
//!
//! A tiny reader rather than a crate: the `configparser` crate folds section names with
//! option names (Python keeps section names as written and folds only options) and
//! rejects a whole file over one bad line, and only one-line values are wanted here
//! (a topic or a table name), so the exact rules fit in a few lines.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use super::services::owner_of;
use super::Project;
use crate::diagnostic::{Diagnostic, Severity};

/// INI files over this size are data, not settings: not read.
const MAX_INI: usize = 256 * 1024;

/// configparser's section whose options every other section has too.
const DEFAULT_SECTION: &str = "DEFAULT";

/// One file's sections: section (as written) → option (lower case) → value, `None` for
/// a value that spans lines or interpolates another (`%(name)s`).
pub type Sections = BTreeMap<String, BTreeMap<String, Option<String>>>;

/// Whether discovery should hand a file on as an INI file.
pub fn is_ini(name: &str) -> bool {
    name.ends_with(".ini") || name.ends_with(".cfg")
}

/// configparser's reading of `text`: `[section]` headers, `key = value` or `key: value`
/// (the first `=` or `:`), whole-line `#`/`;` comments, and indented lines continuing the
/// value above (such a value is no name: `None`). Options before any header are an error
/// in Python: skipped.
pub fn parse(text: &str) -> Sections {
    let mut out = Sections::new();
    let mut section: Option<String> = None;
    let mut last: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        if indented {
            // A continuation of the option above.
            if let (Some(s), Some(k)) = (&section, &last) {
                if let Some(v) = out.get_mut(s).and_then(|m| m.get_mut(k)) {
                    *v = None;
                }
            }
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.entry(name.to_string()).or_default();
            section = Some(name.to_string());
            last = None;
            continue;
        }
        let Some(s) = &section else { continue };
        let (key, value) = match line.find(['=', ':']) {
            Some(at) => (line[..at].trim(), Some(line[at + 1..].trim())),
            None => (line, None),
        };
        let key = key.to_lowercase();
        let value = value.filter(|v| !v.is_empty() && !v.contains("%(")).map(str::to_string);
        out.entry(s.clone()).or_default().insert(key.clone(), value);
        last = Some(key);
    }
    out
}

/// Disputed keys already said (reading file, section, option), and what was said.
type Said = (BTreeSet<(usize, String, String)>, Vec<Diagnostic>);

/// The INI files of the services that read INI files, parsed once.
#[derive(Debug, Default)]
pub struct Index {
    /// (file, owning service, sections), in path order.
    files: Vec<(String, Option<usize>, Sections)>,
    /// Disputed keys already said, with the diagnostics.
    said: Mutex<Said>,
}

impl Index {
    pub fn build(project: &Project, owners: &[Option<usize>], list: &[super::services::Service]) -> Self {
        let readers: BTreeSet<Option<usize>> = project
            .files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.facts.arch.reads_ini)
            .map(|(i, _)| owners.get(i).copied().flatten())
            .collect();
        let mut files = Vec::new();
        if readers.is_empty() {
            return Index { files, said: Mutex::default() };
        }
        for m in project.manifests.iter().filter(|m| is_ini(super::services::file_name(m))) {
            let owner = owner_of(list, m);
            if !readers.contains(&owner) {
                continue;
            }
            if let Ok(text) =
                project.read(m).map_err(|_| ()).and_then(|t| if t.len() > MAX_INI { Err(()) } else { Ok(t) })
            {
                files.push((m.clone(), owner, parse(&text)));
            }
        }
        Index { files, said: Mutex::default() }
    }

    /// The value of `section`/`option` for code of `file` in service `owner`: the one
    /// value every INI file of that service having the key gives it (configparser's
    /// `DEFAULT` section standing in for a section's missing option).
    pub fn value(&self, file: usize, rel: &str, owner: Option<usize>, section: &str, option: &str) -> Option<String> {
        let option = option.to_lowercase();
        let mut found: Vec<(&str, Option<&String>)> = Vec::new();
        for (path, o, sections) in &self.files {
            if *o != owner {
                continue;
            }
            let Some(options) = sections.get(section) else { continue };
            let v = options.get(&option).or_else(|| sections.get(DEFAULT_SECTION).and_then(|d| d.get(&option)));
            if let Some(v) = v {
                found.push((path, v.as_ref()));
            }
        }
        let first = found.first()?;
        let value = first.1?;
        if found.iter().all(|(_, v)| *v == Some(value)) {
            return Some(value.clone());
        }
        let mut said = self.said.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if said.0.insert((file, section.to_string(), option.clone())) {
            let names: Vec<&str> = found.iter().map(|(p, _)| *p).collect();
            let message = format!(
                "INI key `[{section}] {option}` has different values in {}: which file is read is known only at run time",
                names.join(", ")
            );
            said.1.push(Diagnostic::new(rel, None, Severity::Info, message));
        }
        None
    }

    /// The diagnostics of disputed keys read so far.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.said.lock().unwrap_or_else(std::sync::PoisonError::into_inner).1.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_configparser_syntax() {
        let s = parse(
            "top = x\n[DEFAULT]\nretries = 3\n[kafka-topics]\n; c\nOrders = pizza-ordered\nbaked: pizza-baked\n\
             list =\n    a\n    b\ninterp = %(x)s-y\n[Empty]\n",
        );
        let k = &s["kafka-topics"];
        assert_eq!(k["orders"].as_deref(), Some("pizza-ordered"));
        assert_eq!(k["baked"].as_deref(), Some("pizza-baked"));
        assert_eq!(k["list"], None);
        assert_eq!(k["interp"], None);
        assert!(s["Empty"].is_empty());
        assert_eq!(s["DEFAULT"]["retries"].as_deref(), Some("3"));
        assert!(!s.values().any(|m| m.contains_key("top")));
    }
}

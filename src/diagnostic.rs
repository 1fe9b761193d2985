//! Non-fatal problems: a file skipped or only partly understood.
//!
//! A bad file never stops a scan (ripgrep's rule: report and keep going);
//! it becomes a diagnostic with its path, line and reason, listed in every
//! report so nothing is dropped silently.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Path relative to the scan root (`/` separators).
    pub file: String,
    /// 1-based line, when the problem has one.
    pub line: Option<u32>,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: &str, line: Option<u32>, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic { file: file.to_string(), line, severity, message: message.into() }
    }
    pub fn warning(file: &str, line: Option<u32>, message: impl Into<String>) -> Self {
        Self::new(file, line, Severity::Warning, message)
    }
    pub fn error(file: &str, line: Option<u32>, message: impl Into<String>) -> Self {
        Self::new(file, line, Severity::Error, message)
    }
}

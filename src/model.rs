//! The facts IR shared by every stage.
//!
//! Discovery produces [`SourceFile`]s, extraction turns each one into a
//! [`FileFacts`] (what the source *says*, with line numbers, nothing
//! resolved), and the resolvers in `crate::resolve` link those raw facts to
//! files and packages project-wide. Keeping this layer free of graph and
//! report types is what lets extraction stay a pure, parallel function.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;

/// A language tapestry extracts facts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Lang {
    Rust,
    TypeScript,
    /// TypeScript with JSX: its own tree-sitter grammar, reported as `typescript`.
    Tsx,
    JavaScript,
    Python,
}

impl Lang {
    /// The name used in reports (`tsx` files are TypeScript).
    pub fn report_name(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::TypeScript | Lang::Tsx => "typescript",
            Lang::JavaScript => "javascript",
            Lang::Python => "python",
        }
    }

    /// TypeScript and JavaScript share one resolver (the module system is the same).
    pub fn is_ecmascript(self) -> bool {
        matches!(self, Lang::TypeScript | Lang::Tsx | Lang::JavaScript)
    }
}

/// A file found by discovery that tapestry will parse.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Absolute (or as-given) path used to read the file.
    pub abs: PathBuf,
    /// Path relative to the scan root, with `/` separators: the module's identity.
    pub rel: String,
    pub lang: Lang,
    pub size: u64,
    /// Modification time from the walk's `stat`, nanoseconds since the Unix
    /// epoch (`None` when the platform cannot tell): with `size`, what lets
    /// the facts cache trust an unchanged file without reading it.
    pub mtime_ns: Option<u64>,
}

/// Import classes. Bit flags so a file can carry many imports cheaply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Flags(pub u8);

impl Flags {
    /// Erased at run time: TS `import type`, Python `if TYPE_CHECKING:`.
    pub const TYPE_ONLY: Flags = Flags(1);
    /// Loaded lazily: TS `import()`, Python imports inside a function body.
    pub const DYNAMIC: Flags = Flags(2);
    /// The import re-exports what it names: `export … from`, `pub use`, `__init__.py` relative imports.
    pub const REEXPORT: Flags = Flags(4);
    /// From test code: test files, Rust `#[cfg(test)]`.
    pub const TEST: Flags = Flags(8);
    /// Guarded: inside a Python `try:` block (an optional dependency).
    pub const CONDITIONAL: Flags = Flags(16);

    /// Flag names in the order they are reported.
    pub const NAMES: [(Flags, &'static str); 5] = [
        (Flags::CONDITIONAL, "conditional"),
        (Flags::DYNAMIC, "dynamic"),
        (Flags::REEXPORT, "reexport"),
        (Flags::TEST, "test"),
        (Flags::TYPE_ONLY, "type_only"),
    ];

    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
    pub fn insert(&mut self, other: Flags) {
        self.0 |= other.0;
    }
    pub fn union(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }
    pub fn intersection(self, other: Flags) -> Flags {
        Flags(self.0 & other.0)
    }
    pub fn names(self) -> Vec<&'static str> {
        Flags::NAMES.iter().filter(|(f, _)| self.contains(*f)).map(|(_, n)| *n).collect()
    }
    /// Flags that describe *every* site of an edge (the edge has them only if
    /// each site does) versus those where one site is enough.
    pub const ALL_SITES: Flags = Flags(1 | 2 | 8 | 16);
    pub const ANY_SITE: Flags = Flags(4);
}

/// One import as written in the source, before resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawImport {
    /// The specifier as written: TS/JS `./foo` or `react`; Python the dotted
    /// module part (`a.b`, empty for `from . import x`); Rust the path joined
    /// with `::` (`crate::a::b`, `super::x`, `serde::Deserialize`).
    pub spec: String,
    /// Python `from m import a, b`: the imported names (`*` for a star import).
    pub names: Vec<String>,
    /// Python relative import level (number of leading dots).
    pub level: u32,
    /// Rust: the inline-module path inside the file where the path is written
    /// (`mod a { mod b { use super::x; } }` → `["a", "b"]`).
    pub scope: Vec<String>,
    /// 1-based line of the specifier.
    pub line: u32,
    pub flags: Flags,
    /// Rust: the path is from a `use` item (true) or written in an expression or
    /// type (false); the two are resolved with different confidence.
    pub is_use: bool,
    /// `tapestry: allow-cycle <reason>` written on the import's line: the reason.
    #[serde(default)]
    pub allow_cycle: Option<String>,
}

/// A Rust `mod` declaration: `mod x;` (child file) or `mod x { … }` (inline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustMod {
    /// Inline-module path inside the file where the declaration is written.
    pub scope: Vec<String>,
    pub name: String,
    /// `#[path = "…"]` on the declaration.
    pub path_attr: Option<String>,
    /// `mod x { … }` (true) or `mod x;` (false).
    pub inline: bool,
    pub line: u32,
    pub flags: Flags,
}

/// Everything extraction learned from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    pub imports: Vec<RawImport>,
    pub mods: Vec<RustMod>,
    /// The file says it is generated (`@generated`, `DO NOT EDIT`) in its first lines.
    pub generated: bool,
    /// The parser reported a syntax error (facts were still recovered where possible).
    pub parse_error: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// The file was not parsed at all (binary content); it is not a module.
    pub skipped: bool,
    /// Number of lines of the file (for size metrics).
    pub lines: u32,
}

/// The result of extracting one file: its identity plus its facts.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub file: SourceFile,
    pub facts: FileFacts,
}

//! Settings libraries read as environment reads. python-decouple's `config("X",
//! default=…, cast=…)` and django-environ's `env("X", default=…)` look `X` up in
//! `os.environ` first and then in a `.env` file (decouple's `RepositoryEnv`;
//! django-environ's `read_env` loads the file into `os.environ`), so a call is read as
//! `os.environ.get("X", default)` is: resolution takes the deployment's value, then the
//! nearest `.env`, then the default.
//!
//! A call counts only for a name the module binds to one of them at its top level (or
//! in a top-level `try`): `from decouple import config` (also `config as env_config`),
//! `config = AutoConfig(…)` or `Config(RepositoryEnv(…))` in a file importing decouple,
//! `import decouple` then `decouple.config("X")`, and `env = environ.Env(…)` (or `Env(…)`
//! imported from `environ`) read as `env("X")` or `env.str("X")`. The default is
//! decouple's second argument or `default=`, and django-environ's `default=` (its second
//! positional argument of `env(…)` is the cast; of `env.str(…)`, the default). Sources:
//! github.com/HBNetwork/python-decouple `decouple.py` (`Config.get`), and
//! django-environ.readthedocs.io (`Env.__call__`, `Env.str`).

use super::query::FieldExt;
use tree_sitter::Node;

use super::py_arch::{kwarg, named, split_args, string_value};
use super::query;
use crate::model::{Part, Template};

/// Which library a name is bound to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lib {
    Decouple,
    Environ,
}

/// Constructors of a decouple settings object (`config = AutoConfig(search_path=…)`).
const DECOUPLE_CLASSES: &[&str] = &["AutoConfig", "Config", "decouple.AutoConfig", "decouple.Config"];
/// Constructors of a django-environ reader (`env = environ.Env(DEBUG=(bool, False))`).
const ENVIRON_CLASSES: &[&str] = &["Env", "environ.Env"];

/// The environment read `call` (`function` written `func`) makes through a name the
/// module binds to python-decouple or django-environ, with its literal default.
pub(super) fn read(call: Node, func: &str, src: &[u8]) -> Option<Template> {
    // Cheap tests first: this runs for every call read as a value (a Django scan has thousands).
    let (name, method) = match func.split_once('.') {
        Some((name, method)) if matches!(method, "config" | "get" | "str") => (name, Some(method)),
        Some(_) => return None,
        None => (func, None),
    };
    let args = call.field("arguments")?;
    let first = args.named_child(0).filter(|a| a.kind_name() == "string")?;
    let var = string_value(first, src).filter(|v| super::py_arch::is_env_name(v))?;
    // A module naming neither library binds no name to one (a text search, not its statements).
    if !names_a_library(src) {
        return None;
    }
    let root = query::ancestors(call, 256).last()?;
    let lib = match (method, bound(root, name, src)) {
        (Some("config"), None) if name == "decouple" && imports_module(root, "decouple", src) => Lib::Decouple,
        (None | Some("get"), Some(Lib::Decouple)) => Lib::Decouple,
        (None | Some("str"), Some(Lib::Environ)) => Lib::Environ,
        _ => return None,
    };
    let pos = split_args(args).0;
    // decouple: `config(option, default, cast)`; django-environ: `env(var, cast, default)`,
    // `env.str(var, default, multiline)`.
    let positional_default = lib == Lib::Decouple || method == Some("str");
    let default = kwarg(args, "default", src)
        .or_else(|| pos.get(1).copied().filter(|_| positional_default))
        .and_then(|d| string_value(d, src));
    Some(vec![Part::Env(var, default)])
}

/// Whether the module's text may import python-decouple or django-environ at all
/// (`os.environ` alone is neither).
pub(super) fn names_a_library(src: &[u8]) -> bool {
    let has = |w: &[u8]| memchr::memmem::find(src, w).is_some();
    has(b"decouple") || has(b"environ") && (has(b"import environ") || has(b"environ import"))
}

/// The names the module binds to either library at its top level (for
/// `crate::model::ArchFacts::env_getters`: `from settings import env` elsewhere).
pub(super) fn bound_names(root: Node, src: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for stmt in top_statements(root) {
        out.extend(binding(stmt, root, src).map(|(name, _)| name.to_string()));
    }
    out
}

/// What the module binds `name` to at its top level, when it is one of the libraries.
fn bound(root: Node, name: &str, src: &[u8]) -> Option<Lib> {
    top_statements(root).into_iter().filter_map(|s| binding(s, root, src)).find(|(n, _)| *n == name).map(|(_, l)| l)
}

/// The module's statements, those of a top-level `try` (an optional import) included.
fn top_statements(root: Node) -> Vec<Node> {
    let mut out = Vec::new();
    for s in named(root) {
        if s.kind_name() == "try_statement" {
            out.extend(s.field("body").map(named).unwrap_or_default());
        } else {
            out.push(s);
        }
    }
    out
}

/// The name a statement binds to a library: `from decouple import config [as x]`,
/// `x = AutoConfig(…)`, `x = environ.Env(…)`.
fn binding<'s>(stmt: Node, root: Node, src: &'s [u8]) -> Option<(&'s str, Lib)> {
    match stmt.kind_name() {
        "import_from_statement" => {
            let module = stmt.field("module_name")?;
            if query::text(module, src) != "decouple" {
                return None;
            }
            named(stmt).into_iter().skip(1).find_map(|n| match n.kind_name() {
                "dotted_name" if query::text(n, src) == "config" => Some(("config", Lib::Decouple)),
                "aliased_import" if n.field("name").is_some_and(|m| query::text(m, src) == "config") => {
                    Some((query::text(n.field("alias")?, src), Lib::Decouple))
                }
                _ => None,
            })
        }
        "expression_statement" => {
            let assign = named(stmt).into_iter().next().filter(|a| a.kind_name() == "assignment")?;
            let left = assign.field("left").filter(|l| l.kind_name() == "identifier")?;
            let right = assign.field("right").filter(|r| r.kind_name() == "call")?;
            let class = query::text(right.field("function")?, src);
            let lib = if DECOUPLE_CLASSES.contains(&class) && imports_module(root, "decouple", src) {
                Lib::Decouple
            } else if ENVIRON_CLASSES.contains(&class) && imports_module(root, "environ", src) {
                Lib::Environ
            } else {
                return None;
            };
            Some((query::text(left, src), lib))
        }
        _ => None,
    }
}

/// Whether the module imports `module` (`import environ`, `from environ import Env`).
fn imports_module(root: Node, module: &str, src: &[u8]) -> bool {
    top_statements(root).into_iter().any(|s| match s.kind_name() {
        "import_statement" => named(s).into_iter().any(|n| query::text(n, src) == module),
        "import_from_statement" => s.field("module_name").is_some_and(|m| query::text(m, src) == module),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template of the first call of `code`'s last line.
    fn last_read(code: &str) -> Option<Template> {
        let tree = query::parse(&tree_sitter_python::LANGUAGE.into(), code).ok()?;
        let root = tree.root_node();
        let last = named(root).into_iter().last()?;
        let mut cur = last;
        while cur.kind_name() != "call" {
            cur = named(cur).into_iter().last()?;
        }
        let func = query::text(cur.field("function")?, code.as_bytes()).to_string();
        read(cur, &func, code.as_bytes())
    }

    fn env(var: &str, default: Option<&str>) -> Option<Template> {
        Some(vec![Part::Env(var.into(), default.map(str::to_string))])
    }

    #[test]
    fn decouple_config_and_its_defaults() {
        assert_eq!(last_read("from decouple import config\nU = config('U')\n"), env("U", None));
        assert_eq!(last_read("from decouple import config\nU = config('U', 'http://a')\n"), env("U", Some("http://a")));
        assert_eq!(
            last_read("from decouple import config as cfg\nU = cfg('U', default='http://a', cast=str)\n"),
            env("U", Some("http://a"))
        );
        assert_eq!(last_read("import decouple\nU = decouple.config('U')\n"), env("U", None));
        assert_eq!(
            last_read("from decouple import AutoConfig\nconfig = AutoConfig(search_path='.')\nU = config('U')\n"),
            env("U", None)
        );
        // Another module's `config` is not decouple's.
        assert_eq!(last_read("from app import config\nU = config('U')\n"), None);
    }

    #[test]
    fn django_environ_reader() {
        let head = "import environ\nenv = environ.Env()\n";
        assert_eq!(last_read(&format!("{head}U = env('U', default='http://a')\n")), env("U", Some("http://a")));
        // `env(var, cast)`: a second positional argument is the cast, not the default.
        assert_eq!(last_read(&format!("{head}U = env('U', str)\n")), env("U", None));
        assert_eq!(last_read(&format!("{head}U = env.str('U', 'http://a')\n")), env("U", Some("http://a")));
        assert_eq!(last_read(&format!("{head}U = env.bool('U')\n")), None);
        // `Env()` of a module not importing environ says nothing.
        assert_eq!(last_read("from x import Env\nenv = Env()\nU = env('U')\n"), None);
    }
}

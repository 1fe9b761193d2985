//! SQLAlchemy table names a declarative base derives from each model's class name
//! (held-out sample 21, cause H):
//!
//! ```python
//! class BaseModel(DeclarativeBase):
//!     __abstract__ = True
//!     @declared_attr.directive
//!     def __tablename__(cls) -> str:
//!         return f"{camel_case_to_snake_case(cls.__name__)}s"   # User -> users
//! class User(BaseModel): …                                     # in another module
//! ```
//!
//! A top-level class whose `__tablename__` is a method returning `cls.__name__`, as is,
//! lower-cased (`cls.__name__.lower()`) or through a snake-case helper
//! (`humps.depascalize`, `inflection.underscore`, any function whose name says
//! `snake`), inside an f-string with literal text around it or not, is a naming rule
//! ([`RULE`]); nothing else is read (a helper of another name, a computed suffix). In a
//! file naming SQLAlchemy, each top-level class with bases and no `__tablename__` of its
//! own is a possible model ([`SUBCLASS`], [`ABSTRACT`] when it says `__abstract__ = True`);
//! resolution (`resolve/tables.rs`) names the tables of those whose base is a rule's
//! class, or an abstract class under one, as their imports show.

use super::query::FieldExt;
use tree_sitter::Node;

use super::py_arch::named;
use super::query;
use crate::model::{ArchFacts, RawTable};

/// A naming rule on class `class_name`: `name` is `<how>|<prefix>|<suffix>`, `how` one of
/// `same`, `lower`, `snake`.
pub const RULE: &str = "sa-tablename-rule";
/// A class with bases that may be a model: `name` holds its bases, `,`-separated.
pub const SUBCLASS: &str = "sa-subclass";
/// As [`SUBCLASS`], for a class saying `__abstract__ = True` (no table of its own).
pub const ABSTRACT: &str = "sa-subclass-abstract";

/// Whether a file may hold a rule or models.
pub fn mentions(text: &str) -> bool {
    text.contains("sqlalchemy") || text.contains("def __tablename__")
}

/// The file's rules and possible models ([`mentions`] is asked first).
pub fn extract(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let sqlalchemy = text.contains("sqlalchemy");
    for top in named(root) {
        let class = match top.kind_name() {
            "class_definition" => top,
            "decorated_definition" => match top.field("definition") {
                Some(d) if d.kind_name() == "class_definition" => d,
                _ => continue,
            },
            _ => continue,
        };
        let (Some(name), Some(body)) = (class.field("name"), class.field("body")) else { continue };
        let name = query::text(name, src);
        let line = query::line(class);
        let bases: Vec<&str> = class
            .field("superclasses")
            .map(named)
            .unwrap_or_default()
            .into_iter()
            .filter(|b| matches!(b.kind_name(), "identifier" | "attribute"))
            .map(|b| query::text(b, src))
            .collect();
        let (mut own, mut rule, mut abstract_class) = (false, None, false);
        for stmt in named(body) {
            let def = match stmt.kind_name() {
                "decorated_definition" => stmt.field("definition"),
                "function_definition" => Some(stmt),
                "expression_statement" => {
                    if let Some(a) = stmt.named_child(0).filter(|a| a.kind_name() == "assignment") {
                        let left = a.field("left").map(|l| query::text(l, src));
                        let right = a.field("right").map(|r| query::text(r, src));
                        match left {
                            Some("__tablename__") => own = true,
                            Some("__abstract__") if right == Some("True") => abstract_class = true,
                            _ => {}
                        }
                    }
                    None
                }
                _ => None,
            };
            let Some(def) = def.filter(|d| d.kind_name() == "function_definition") else { continue };
            if def.field("name").map(|n| query::text(n, src)) != Some("__tablename__") {
                continue;
            }
            own = true;
            rule = def.field("body").and_then(|b| returned(b, src)).and_then(|e| naming(query::text(e, src)));
        }
        if let Some((how, prefix, suffix)) = rule {
            facts.tables.push(RawTable {
                orm: RULE.into(),
                name: Some(format!("{how}|{prefix}|{suffix}")),
                class_name: Some(name.into()),
                line,
            });
        } else if sqlalchemy && !own && !bases.is_empty() {
            facts.tables.push(RawTable {
                orm: if abstract_class { ABSTRACT } else { SUBCLASS }.into(),
                name: Some(bases.join(",")),
                class_name: Some(name.into()),
                line,
            });
        }
    }
}

/// The expression of a function body's only `return`.
fn returned<'t>(body: Node<'t>, _src: &[u8]) -> Option<Node<'t>> {
    let mut found = named(body).into_iter().filter(|s| s.kind_name() == "return_statement");
    let ret = found.next()?;
    if found.next().is_some() {
        return None;
    }
    ret.named_child(0)
}

/// `(how, prefix, suffix)` of a `__tablename__` expression, as written.
fn naming(expr: &str) -> Option<(&'static str, String, String)> {
    let e = expr.trim();
    for quote in ["\"", "'"] {
        let Some(inner) = e.strip_prefix(&format!("f{quote}")).and_then(|s| s.strip_suffix(quote)) else { continue };
        let open = inner.find('{')?;
        let close = open + inner[open..].find('}')?;
        let (prefix, core, suffix) = (&inner[..open], &inner[open + 1..close], &inner[close + 1..]);
        let plain = |s: &str| !s.contains(['{', '}', '\\', '"', '\'']);
        if !plain(prefix) || !plain(suffix) {
            return None;
        }
        return Some((how(core)?, prefix.into(), suffix.into()));
    }
    Some((how(e)?, String::new(), String::new()))
}

/// How the class name becomes a table name in `cls.__name__`, `cls.__name__.lower()`,
/// `helper(cls.__name__)`.
fn how(core: &str) -> Option<&'static str> {
    let core = core.trim();
    match core {
        "cls.__name__" => return Some("same"),
        "cls.__name__.lower()" => return Some("lower"),
        _ => {}
    }
    let helper = core.strip_suffix("(cls.__name__)")?;
    let last = helper.rsplit('.').next().unwrap_or(helper);
    let valid = !last.is_empty() && last.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let snake = last.to_ascii_lowercase().contains("snake")
        || matches!(last, "depascalize" | "decamelize" | "underscore" | "camel_to_underscore");
    (valid && snake).then_some("snake")
}

/// The table a rule `how|prefix|suffix` gives class `class`; `None` when a snake-case
/// helper may split it more than one way (`SDKDemo`, `OAuth2Token`: helpers disagree on
/// acronyms and digits).
pub fn table_name(rule: &str, class: &str) -> Option<String> {
    let mut parts = rule.splitn(3, '|');
    let (how, prefix, suffix) = (parts.next()?, parts.next()?, parts.next()?);
    let core = match how {
        "same" => class.to_string(),
        "lower" => class.to_lowercase(),
        "snake" => {
            let b = class.as_bytes();
            let ambiguous = b.iter().any(|c| !c.is_ascii_alphabetic())
                || b.windows(2).any(|w| w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase());
            if ambiguous {
                return None;
            }
            super::py_arch::snake_case(class)
        }
        _ => return None,
    };
    Some(format!("{prefix}{core}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_naming_rules() {
        let r = naming("f\"{camel_case_to_snake_case(cls.__name__)}s\"").unwrap();
        assert_eq!(r, ("snake", String::new(), "s".to_string()));
        assert_eq!(naming("humps.depascalize(cls.__name__)").unwrap().0, "snake");
        assert_eq!(naming("cls.__name__.lower()").unwrap().0, "lower");
        assert_eq!(naming("f'tbl_{cls.__name__}'").unwrap(), ("same", "tbl_".into(), String::new()));
        assert!(naming("make_name(cls.__name__)").is_none());
        assert!(naming("f\"{to_snake(cls.__name__)}{SUFFIX}\"").is_none());
        assert_eq!(table_name("snake||s", "TokenBlackList").as_deref(), Some("token_black_lists"));
        assert_eq!(table_name("snake||", "SDKDemo"), None);
        assert_eq!(table_name("lower|t_|", "User").as_deref(), Some("t_user"));
    }
}

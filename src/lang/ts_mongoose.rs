//! Mongoose models registered on a connection rather than on the default one
//! (issue #3, cause 10 of the sixteenth blind sample): `conn.model('User', userSchema)`
//! with `const conn = mongoose.createConnection(uri)`, and a connection another module
//! exports (`require('./db').model('Book', bookSchema)`, `dbConnection.model(…)` of a
//! destructured import). `mongoose.model(…)` itself is read by the query
//! (`ts_shapes`, `db.mongoose`).
//!
//! `x.model('Name', s)` is a model when the file names mongoose and either `x` is a
//! top-level name the file binds to a `createConnection(…)` result, or `s` is a
//! Mongoose schema the file makes (`new Schema({…})`, `new mongoose.Schema(…)`, in place
//! or a top-level name bound to one). A connection imported with a schema also imported
//! is not read: no other `model(name, x)` call (a Backbone or ORM model registry) is
//! taken for a collection. The collection is the third argument, else Mongoose's
//! lower-cased plural of the model's name, as `db.mongoose` decides it.
//!
//! Mongoose's `model` bound by name (issue #3, cause 5 of the seventeenth blind sample):
//! `import { model, Schema } from 'mongoose'` (also `model as m`), `const { model } =
//! require('mongoose')` or `= mongoose`, then `model('User', schema)` anywhere in the
//! file (`export const User = model(…)`, `this.model = model('Users', this.entitie)` in a
//! constructor). The name is bound to Mongoose's own function, so the call is a model
//! whatever its schema is; the collection is named as above.

use super::query::FieldExt;
use super::ts_words::{Words, W};
use std::sync::LazyLock;

use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, string_value};
use crate::model::{ArchFacts, RawTable};

/// Whether a file may register a model on a connection or through Mongoose's `model`
/// bound by name (`mongoose` and `model`).
pub fn mentions(words: &Words) -> bool {
    words.has(W::model) && words.has(W::mongoose)
}

/// The models registered through Mongoose's `model` function bound to a local name
/// (see the module's documentation).
pub fn imported_models(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for local in model_names(root, src) {
        for at in memchr::memmem::find_iter(src, local.as_bytes()) {
            // `model(…)` or `model<IUser>(…)`, not `models` nor `x.model`.
            let before = at.checked_sub(1).map(|b| src[b]);
            let after = src.get(at + local.len()).copied();
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.'))
                || !matches!(after, Some(b'(' | b'<'))
            {
                continue;
            }
            let Some(f) = root.descendant_for_byte_range(at, at + local.len()) else { continue };
            let Some(call) = f.parent().filter(|c| c.kind_name() == "call_expression") else { continue };
            if f.kind_name() != "identifier" || call.field("function") != Some(f) {
                continue;
            }
            let args = call.field("arguments").map(named).unwrap_or_default();
            push_model(&args, call, src, facts);
        }
    }
}

/// `model(name, schema[, collection])`: the model, when its name is a string.
fn push_model(args: &[Node], call: Node, src: &[u8], facts: &mut ArchFacts) {
    let (Some(name), Some(_)) = (args.first().and_then(|a| string_value(*a, src)), args.get(1)) else {
        return;
    };
    let coll = args.get(2).and_then(|a| string_value(*a, src)).unwrap_or_else(|| pluralize(&name.to_lowercase()));
    facts.tables.push(RawTable {
        orm: "mongoose".into(),
        name: Some(coll),
        class_name: Some(name),
        line: query::line(call),
    });
}

/// The local names the module's top level binds to Mongoose's `model`: `import { model
/// as m } from 'mongoose'`, `const { model } = require('mongoose')`, `const { model } = mongoose`.
fn model_names(root: Node, src: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for top in named(root) {
        match top.kind_name() {
            "import_statement" => {
                let from = top.field("source").and_then(|s| string_value(s, src));
                if from.as_deref() != Some("mongoose") {
                    continue;
                }
                let specs = named(top).into_iter().filter(|c| c.kind_name() == "import_clause").flat_map(named);
                for spec in specs.filter(|n| n.kind_name() == "named_imports").flat_map(named) {
                    let name = spec.field("name").map(|n| query::text(n, src));
                    let local = spec.field("alias").or(spec.field("name"));
                    if let (Some("model"), Some(local)) = (name, local) {
                        out.push(query::text(local, src).to_string());
                    }
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                for d in named(top) {
                    let (Some(p), Some(v)) = (d.field("name"), d.field("value")) else {
                        continue;
                    };
                    if p.kind_name() == "object_pattern" && is_mongoose(v, src) {
                        out.extend(pattern_local(p, "model", src));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `require('mongoose')` or the name `mongoose`.
fn is_mongoose(v: Node, src: &[u8]) -> bool {
    match v.kind_name() {
        "identifier" => query::text(v, src) == "mongoose",
        "call_expression" => {
            v.field("function").is_some_and(|f| query::text(f, src) == "require")
                && v.field("arguments").and_then(|a| a.named_child(0)).and_then(|a| string_value(a, src)).as_deref()
                    == Some("mongoose")
        }
        _ => false,
    }
}

/// The local name an object pattern binds to property `key` (`{ key }`, `{ key: local }`).
fn pattern_local(p: Node, key: &str, src: &[u8]) -> Option<String> {
    named(p).into_iter().find_map(|c| match c.kind_name() {
        "shorthand_property_identifier_pattern" if query::text(c, src) == key => Some(key.to_string()),
        "pair_pattern" if c.field("key").is_some_and(|k| query::text(k, src) == key) => {
            c.field("value").filter(|v| v.kind_name() == "identifier").map(|v| query::text(v, src).to_string())
        }
        _ => None,
    })
}

/// The models the file registers on connections (see the module's documentation).
pub fn connection_models(root: Node, src: &[u8], facts: &mut ArchFacts) {
    let tops = top_values(root, src);
    for at in memchr::memmem::find_iter(src, b".model(") {
        let Some(prop) = root.descendant_for_byte_range(at + 1, at + 6) else { continue };
        let Some(member) = prop.parent().filter(|m| m.kind_name() == "member_expression") else { continue };
        let Some(call) = member.parent().filter(|c| c.kind_name() == "call_expression") else { continue };
        let Some(object) = member.field("object") else { continue };
        if query::text(object, src) == "mongoose" {
            continue;
        }
        let args = call.field("arguments").map(named).unwrap_or_default();
        let (Some(_), Some(schema)) = (args.first().and_then(|a| string_value(*a, src)), args.get(1)) else {
            continue;
        };
        let connection = object.kind_name() == "identifier"
            && value_of(&tops, query::text(object, src)).is_some_and(|v| connects(v, src));
        let schema = makes_schema(*schema, src)
            || schema.kind_name() == "identifier"
                && value_of(&tops, query::text(*schema, src)).is_some_and(|v| makes_schema(v, src));
        if connection || schema {
            push_model(&args, call, src, facts);
        }
    }
}

/// The names the module's top level binds, with their values (`const s = new Schema(…)`).
fn top_values<'t>(root: Node<'t>, src: &[u8]) -> Vec<(String, Node<'t>)> {
    let mut out = Vec::new();
    for top in named(root) {
        let decl = if top.kind_name() == "export_statement" { top.field("declaration") } else { Some(top) };
        let Some(decl) = decl.filter(|d| matches!(d.kind_name(), "lexical_declaration" | "variable_declaration"))
        else {
            continue;
        };
        for d in named(decl) {
            let (Some(n), Some(v)) = (d.field("name"), d.field("value")) else { continue };
            if n.kind_name() == "identifier" {
                out.push((query::text(n, src).to_string(), v));
            }
        }
    }
    out
}

fn value_of<'t>(tops: &[(String, Node<'t>)], name: &str) -> Option<Node<'t>> {
    tops.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
}

/// `mongoose.createConnection(…)`, `createConnection(…)` (also awaited, `.asPromise()`d).
fn connects(v: Node, src: &[u8]) -> bool {
    let v = if v.kind_name() == "await_expression" { v.named_child(0).unwrap_or(v) } else { v };
    let Some(f) = v.field("function").filter(|_| v.kind_name() == "call_expression") else { return false };
    let f = query::text(f, src);
    f == "createConnection" || f.ends_with(".createConnection") || f.contains(".createConnection(")
}

/// `new Schema(…)`, `new mongoose.Schema(…)`.
fn makes_schema(v: Node, src: &[u8]) -> bool {
    v.kind_name() == "new_expression"
        && v.field("constructor").is_some_and(|c| matches!(query::text(c, src), "Schema" | "mongoose.Schema"))
}

/// Mongoose's uncountable words (`lib/helpers/pluralize.js`): a model so named (the whole
/// lower-cased name) keeps it as its collection's.
const UNCOUNTABLES: &[&str] = &[
    "advice",
    "cooperation",
    "deer",
    "digestion",
    "energy",
    "equipment",
    "excretion",
    "expertise",
    "fish",
    "health",
    "information",
    "justice",
    "labour",
    "machinery",
    "media",
    "money",
    "moose",
    "news",
    "paper",
    "pollution",
    "rain",
    "rice",
    "series",
    "sewage",
    "sheep",
    "species",
    "status",
];

/// Mongoose's pluralization rules in its order (`lib/helpers/pluralize.js`): the first
/// pattern matching the name replaces every match with its replacement (JavaScript's
/// `str.replace` of a global pattern; `${n}` is a group, empty when it takes no part).
static RULES: LazyLock<Vec<(regex::Regex, &'static str)>> = LazyLock::new(|| {
    [
        ("(m)an$", "${1}en"),
        ("(pe)rson$", "${1}ople"),
        ("(child)$", "${1}ren"),
        ("^(ox)$", "${1}en"),
        ("(ax|test)is$", "${1}es"),
        ("(octop|vir)us$", "${1}i"),
        ("(alias|status)$", "${1}es"),
        ("(bu)s$", "${1}ses"),
        ("(buffal|tomat|potat)o$", "${1}oes"),
        ("([ti])um$", "${1}a"),
        ("sis$", "ses"),
        ("(?:([^f])fe|([lr])f)$", "${1}${2}ves"),
        ("(hive)$", "${1}s"),
        ("([^aeiouy]|qu)y$", "${1}ies"),
        ("(x|ch|ss|sh)$", "${1}es"),
        ("(matr|vert|ind)ix|ex$", "${1}ices"),
        ("([m|l])ouse$", "${1}ice"),
        ("(kn|w|l)ife$", "${1}ives"),
        ("(quiz)$", "${1}zes"),
        ("^goose$", "geese"),
        ("s$", "s"),
        ("([^a-z])$", "${1}"),
        ("$", "s"),
    ]
    .into_iter()
    .filter_map(|(p, r)| regex::Regex::new(p).ok().map(|re| (re, r)))
    .collect()
});

/// Mongoose's default collection name for a model: its name lower-cased, then, unless it
/// is one of Mongoose's uncountable words, the first of its pluralization rules that
/// matches (`lib/helpers/pluralize.js`): `media` stays `media`, `person` is `people`,
/// `category` `categories`, `box` `boxes`, `news` `news`.
pub(crate) fn pluralize(name: &str) -> String {
    let s = name.to_lowercase();
    if UNCOUNTABLES.contains(&s.as_str()) {
        return s;
    }
    match RULES.iter().find(|(re, _)| re.is_match(&s)) {
        Some((re, r)) => re.replace_all(&s, *r).into_owned(),
        None => s,
    }
}

#[cfg(test)]
mod pluralize_tests {
    use super::*;

    #[test]
    fn mongoose_plurals() {
        let cases = [
            ("media", "media"),
            ("news", "news"),
            ("status", "status"),
            ("userstatus", "userstatuses"),
            ("person", "people"),
            ("woman", "women"),
            ("category", "categories"),
            ("day", "days"),
            ("box", "boxes"),
            ("user", "users"),
            ("users", "users"),
            ("knife", "knives"),
            ("wolf", "wolves"),
            // `(x|ch|ss|sh)$` comes before `(matr|vert|ind)ix|ex$` in Mongoose's order.
            ("index", "indexes"),
            ("matrix", "matrixes"),
            ("mouse", "mice"),
            ("quiz", "quizzes"),
            ("goose", "geese"),
            ("stadium", "stadia"),
            ("analysis", "analyses"),
            ("bus", "buses"),
            ("potato", "potatoes"),
            ("fileschemaclass", "fileschemaclasses"),
            ("v2", "v2"),
        ];
        for (name, plural) in cases {
            assert_eq!(pluralize(name), plural, "{name}");
        }
    }

    #[test]
    fn uncountables_are_sorted() {
        crate::resolve::assert_sorted(&[UNCOUNTABLES]);
    }
}

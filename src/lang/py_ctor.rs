//! Python queue names given to a class's constructor (issue #3, the fifteenth blind
//! sample's `my_queue`):
//!
//! ```python
//! class Publisher:
//!     def __init__(self, exchange_name="my_exchange", routing_key="my_key"):
//!         self.exchange_name = exchange_name
//!         self.routing_key = routing_key
//!     def publish(self, m):
//!         self.channel.basic_publish(exchange=self.exchange_name, routing_key=self.routing_key, body=m)
//! publisher = Publisher()   # in another module
//! ```
//!
//! A broker argument that is a `self` field whose one value in the class is a parameter of
//! the class's `__init__` becomes a marker ([`CTOR`]) naming the class, the parameter and
//! its literal default; each file records the constructions it makes, with arguments, of
//! the classes it imports by name ([`constructions`]). Resolution (`resolve/pyctor.rs`)
//! gives the name each construction passes, or the default where one passes nothing.

use super::query::FieldExt;
use tree_sitter::Node;

use super::py_arch::{assignments, held_value, named, string_value, template};
use super::py_classes::Tops;
use super::query;
use crate::model::{Part, RawArgCall};

/// The marker of a name a constructor parameter gives (`Part::Ref`):
/// `ctor:Publisher:1:routing_key=my_key` is the second parameter (`self` left out) of
/// `Publisher.__init__`, `routing_key`, with the default `my_key` (no `=` when it has none).
pub const CTOR: &str = "ctor:";

/// A marker's class, parameter index, parameter name and default ([`CTOR`]).
pub fn parse(r: &str) -> Option<(&str, usize, &str, Option<&str>)> {
    let mut parts = r.strip_prefix(CTOR)?.splitn(3, ':');
    let (class, index, param) = (parts.next()?, parts.next()?.parse().ok()?, parts.next()?);
    Some(match param.split_once('=') {
        Some((p, d)) => (class, index, p, Some(d)),
        None => (class, index, param, None),
    })
}

/// `self.x` in a method of a top-level class whose one value in the class is `self.x = p`
/// in the class's `__init__`, `p` a plain parameter (no splat before it) that `__init__`
/// does not assign: the marker for `p` ([`CTOR`]); the default only when it is a string.
pub fn marker(n: Node, src: &[u8]) -> Option<String> {
    if n.kind_name() != "attribute" || !query::text(n, src).starts_with("self.") {
        return None;
    }
    let v = held_value(n, src).filter(|v| v.kind_name() == "identifier")?;
    let init = query::ancestors(v, 64).find(|a| a.kind_name() == "function_definition")?;
    if init.field("name").map(|x| query::text(x, src)) != Some("__init__") {
        return None;
    }
    let class =
        init.parent().filter(|b| b.kind_name() == "block")?.parent().filter(|c| c.kind_name() == "class_definition")?;
    let top = class.parent().is_some_and(|m| m.kind_name() == "module");
    if !top || query::ancestors(n, 64).find(|a| a.kind_name() == "class_definition").map(|c| c.id()) != Some(class.id())
    {
        return None;
    }
    let name = query::text(v, src);
    if !assignments(name, init, src)?.is_empty() {
        return None;
    }
    let params = named(init.field("parameters")?);
    let mut index = 0;
    for (i, p) in params.iter().enumerate() {
        let (id, default) = match p.kind_name() {
            "identifier" => (Some(*p), None),
            "typed_parameter" => (p.named_child(0), None),
            "default_parameter" | "typed_default_parameter" => (p.field("name"), p.field("value")),
            _ => return None,
        };
        let id = id.filter(|i| i.kind_name() == "identifier").map(|i| query::text(i, src))?;
        if i == 0 {
            continue;
        }
        if id == name {
            let class = query::text(class.field("name")?, src);
            return Some(match default {
                None => format!("{CTOR}{class}:{index}:{name}"),
                Some(d) => format!("{CTOR}{class}:{index}:{name}={}", string_value(d, src)?),
            });
        }
        index += 1;
    }
    None
}

/// The constructions of `names` (the classes the file imports by name and
/// those its markers name, sorted), called by their bare name: `Publisher("orders")`.
/// Found by a scan of the text for `(` as `arch::calls_of` does; the tree is asked only
/// at a construction of one of `names`, from the top-level statement holding it.
pub fn constructions(tops: &Tops, text: &str, names: &[&str]) -> Vec<RawArgCall> {
    let mut out = Vec::new();
    if names.is_empty() {
        return out;
    }
    let bytes = text.as_bytes();
    for paren in memchr::memchr_iter(b'(', bytes) {
        let end = paren - bytes[..paren].iter().rev().take_while(|b| **b == b' ').count();
        let start = super::arch::ident_start(bytes, end);
        if start == end
            || !bytes[start].is_ascii_uppercase()
            || start.checked_sub(1).is_some_and(|i| bytes[i] == b'.')
            || names.binary_search(&&text[start..end]).is_err()
        {
            continue;
        }
        let Some(call) = tops.spanning(start, paren + 1).filter(|c| c.kind_name() == "call") else {
            continue;
        };
        let Some(args) = call.field("arguments").filter(|a| a.kind_name() == "argument_list") else {
            continue;
        };
        // `split_args` of the children listed once.
        let all = named(args);
        let splat = all.iter().any(|a| matches!(a.kind_name(), "list_splat" | "dictionary_splat"));
        let (kw, pos): (Vec<Node>, Vec<Node>) = all
            .into_iter()
            .filter(|a| !matches!(a.kind_name(), "list_splat" | "dictionary_splat"))
            .partition(|a| a.kind_name() == "keyword_argument");
        let mut kwargs: Vec<(String, Vec<Part>)> = kw
            .iter()
            .filter_map(|k| {
                let (n, v) = (k.field("name")?, k.field("value")?);
                Some((query::text(n, bytes).to_string(), template(v, bytes)))
            })
            .collect();
        if splat {
            kwargs.push(("*".into(), vec![Part::Param("*".into())]));
        }
        out.push(RawArgCall {
            callee: text[start..end].to_string(),
            args: pos.iter().map(|a| template(*a, bytes)).collect(),
            kwargs,
            methods: Vec::new(),
            props: Vec::new(),
            line: query::line(call),
        });
    }
    out
}

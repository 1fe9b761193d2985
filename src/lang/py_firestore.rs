//! Firestore collections in Python (google-cloud-firestore, `firebase_admin.firestore`)
//! as datastore tables with store `firestore`, as MongoDB collections are (issue #3,
//! K2 of the fifteenth blind sample):
//!
//! ```python
//! db = firestore.client()                      # or firestore.Client(), AsyncClient()
//! db.collection("users").document(uid).set(u)  # writes users
//! self.ref = self.db.collection("Contas")      # a held reference…
//! self.ref.document(i).get()                   # …read where it is used
//! ```
//!
//! A collection counts when the receiver of `.collection("x")` is a Firestore client: the
//! client's construction itself, or a name (`db`, `self.db`) whose one assignment in its
//! scope is one. Each use is the operation ending the chain that starts there
//! (`.document(i).get()`, `.where(…).stream()`, `.add(d)`), read or write by the tables
//! `READS`/`WRITES`; a chain handed to a variable is followed where that variable is
//! used. A subcollection (`….document(i).collection("b")`) sits under a document, not a
//! client: it is not read, nor is a name that is not a literal. Only files naming
//! Firestore are read ([`mentions`]).

use super::query::FieldExt;
use tree_sitter::Node;

use super::py_arch::{held_value, split_args, string_value};
use super::query;
use crate::model::{Access, ArchFacts, RawTableUse};

/// Operations that read a collection or a document (sorted).
const READS: &[&str] = &["get", "get_all", "list_documents", "on_snapshot", "stream"];

/// Operations that write one (sorted).
const WRITES: &[&str] = &["add", "create", "delete", "set", "update"];

/// The constructors of a Firestore client, by last name (sorted).
const CLIENTS: &[&str] = &["AsyncClient", "Client", "client"];

/// Whether a file may use Firestore collections.
pub fn mentions(text: &str) -> bool {
    text.contains("firestore") && text.contains(".collection(")
}

/// The collection uses of a file ([`mentions`] is asked first).
pub fn uses(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    // `from google.cloud.firestore import Client`: a bare `Client()` is Firestore's.
    let bare = text.contains("firestore import");
    for (at, _) in text.match_indices(".collection(") {
        let paren = at + ".collection".len();
        let Some(call) = root.descendant_for_byte_range(at, paren + 1).filter(|c| c.kind_name() == "call") else {
            continue;
        };
        let f = call.field("function").filter(|f| f.kind_name() == "attribute");
        let (Some(recv), Some(args)) = (f.and_then(|f| f.field("object")), call.field("arguments")) else {
            continue;
        };
        let name = split_args(args).0.first().and_then(|a| string_value(*a, src));
        let Some(name) = name.filter(|n| !n.is_empty() && client(recv, src, bare, 0)) else { continue };
        let mut push = |access: Access, line: u32| {
            let u = RawTableUse { name: name.clone(), via_class: false, access, store: "firestore".into(), line };
            if !facts.table_uses.contains(&u) {
                facts.table_uses.push(u);
            }
        };
        match chain_end(call, src) {
            Some((access, line)) => push(access, line),
            // `ref = db.collection("x")`: each use of `ref`.
            None => {
                for (access, line) in held_uses(call, src) {
                    push(access, line);
                }
            }
        }
    }
}

/// Whether `n` is a Firestore client: its construction, or a name assigned one.
fn client(n: Node, src: &[u8], bare: bool, depth: u32) -> bool {
    match n.kind_name() {
        "call" => n.field("function").is_some_and(|f| {
            let t = query::text(f, src);
            let last = t.rsplit('.').next().unwrap_or(t);
            CLIENTS.binary_search(&last).is_ok() && (t.ends_with(&format!("firestore.{last}")) || bare && t == last)
        }),
        "identifier" | "attribute" if depth < 3 => held_value(n, src).is_some_and(|v| client(v, src, bare, depth + 1)),
        _ => false,
    }
}

/// The operation ending the method chain on `start` (`start.document(i).get()`): its
/// access and line; `None` when the chain ends with no operation of [`READS`]/[`WRITES`]
/// or turns to a subcollection.
fn chain_end(start: Node, src: &[u8]) -> Option<(Access, u32)> {
    let mut at = start;
    loop {
        let attr = at.parent().filter(|p| p.kind_name() == "attribute" && p.field("object") == Some(at))?;
        let call = attr.parent().filter(|c| c.kind_name() == "call")?;
        let op = query::text(attr.field("attribute")?, src);
        if op == "collection" {
            return None;
        }
        if READS.binary_search(&op).is_ok() {
            return Some((Access::Read, query::line(call)));
        }
        if WRITES.binary_search(&op).is_ok() {
            return Some((Access::Write, query::line(call)));
        }
        at = call;
    }
}

/// The uses of the variable a collection reference is assigned to (`self.ref = …` in a
/// class, `ref = …` in a function or module), each as [`chain_end`] reads it.
fn held_uses(call: Node, src: &[u8]) -> Vec<(Access, u32)> {
    let Some(target) = call
        .parent()
        .filter(|a| a.kind_name() == "assignment" && a.field("right") == Some(call))
        .and_then(|a| a.field("left"))
        .filter(|l| matches!(l.kind_name(), "identifier" | "attribute"))
    else {
        return Vec::new();
    };
    let name = query::text(target, src);
    let scope = if name.starts_with("self.") { "class_definition" } else { "function_definition" };
    let within =
        query::ancestors(call, 64).find(|a| a.kind_name() == scope).or_else(|| query::ancestors(call, 256).last());
    let Some(within) = within else { return Vec::new() };
    let text = query::text(within, src);
    let mut out = Vec::new();
    for (at, _) in text.match_indices(name) {
        let start = within.start_byte() + at;
        let found = within.descendant_for_byte_range(start, start + name.len());
        let Some(n) = found.filter(|n| query::text(*n, src) == name && n.id() != target.id()) else { continue };
        // The same name, not a longer one (`self.ref2`), and the one value held.
        if held_value(n, src).is_some_and(|v| v.id() == call.id()) {
            out.extend(chain_end(n, src));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        crate::resolve::assert_sorted(&[READS, WRITES, CLIENTS]);
    }
}

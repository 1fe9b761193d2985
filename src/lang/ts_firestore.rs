//! Firestore collections in JavaScript/TypeScript (the `firebase` web SDK, `firebase-admin`,
//! `@google-cloud/firestore`) as datastore tables with store `firestore`, as
//! `lang/py_firestore.rs` reads them in Python (issue #3):
//!
//! ```js
//! const db = getFirestore(app);
//! await getDocs(query(collection(db, 'orders'), where('uid', '==', uid)));   // reads orders
//! await setDoc(doc(db, 'users', uid), user);                                  // writes users
//! admin.firestore().collection('users').doc(uid).update({ name });           // writes users
//! const ref = db.collection('carts'); await ref.add(cart);                    // writes carts
//! ```
//!
//! A reference is the modular API's `collection(db, 'x')` / `doc(db, 'x', id)` (a
//! function of that name called with a literal name after the database) or the
//! namespaced `….collection('x')` on anything but a document (`….doc(id).collection('y')`
//! is a subcollection, as is `collection(db, 'a', id, 'b')`: not read). Each use is the
//! operation it reaches: handed to `getDocs`/`addDoc`/`setDoc`… (through `query(…)` and
//! `doc(ref, id)`), a chain ending in `.get()`/`.set()`…, a batch's or a transaction's
//! `get`/`set`/`update`/`delete` given it, or the same through the name it is assigned to
//! in its function (or module). A reference reaching no operation is not a use. Only files
//! naming `firestore` are read, and there `db.collection('x')` is Firestore's, not
//! MongoDB's (`lang/ts_arch.rs` leaves such a file's collections to this module).

use super::query::FieldExt;
use super::ts_words::{Words, W};
use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, string_value, FUNCTIONS};
use crate::model::{Access, ArchFacts, RawTableUse};

/// Functions of the modular API that read what they are given (sorted).
const READ_FNS: &[&str] = &[
    "getAggregateFromServer",
    "getCountFromServer",
    "getDoc",
    "getDocFromCache",
    "getDocFromServer",
    "getDocs",
    "getDocsFromCache",
    "getDocsFromServer",
    "onSnapshot",
];

/// Functions of the modular API that write what they are given (sorted).
const WRITE_FNS: &[&str] = &["addDoc", "deleteDoc", "setDoc", "updateDoc"];

/// Methods of a reference, a batch or a transaction that read (sorted).
const READS: &[&str] = &["count", "get", "getAll", "listDocuments", "onSnapshot", "stream"];

/// Methods that write (sorted).
const WRITES: &[&str] = &["add", "create", "delete", "set", "update"];

/// Methods of a batch or a transaction given a reference that read it (sorted).
const GIVEN_READS: &[&str] = &["get", "getAll"];

/// Methods of a batch or a transaction given a reference that write it (sorted).
const GIVEN_WRITES: &[&str] = &["create", "delete", "set", "update"];

/// How many names a reference is followed through (`const ref = …; const q = query(ref)`).
const HOPS: u32 = 2;

/// Whether a file may use Firestore collections: it names Firestore.
pub fn mentions(words: &Words) -> bool {
    words.has(W::firestore)
}

/// The collection uses of a file ([`mentions`] is asked first).
pub fn uses(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let calls = ["collection", "doc"].into_iter().flat_map(|word| {
        memchr::memmem::find_iter(src, word.as_bytes()).filter_map(move |at| maker(root, at, word.len(), src))
    });
    for call in calls.collect::<Vec<_>>() {
        let Some((name, reference)) = reference(call, src) else { continue };
        let mut found = Vec::new();
        operations(reference, src, HOPS, &mut found);
        for (access, line) in found {
            let u = RawTableUse { name: name.clone(), via_class: false, access, store: "firestore".into(), line };
            if !facts.table_uses.contains(&u) {
                facts.table_uses.push(u);
            }
        }
    }
}

/// The call of `collection`, `collectionGroup` or `doc` whose name (a function's, or a
/// method's: `x.collection(…)`) starts at byte `at`.
fn maker<'t>(root: Node<'t>, at: usize, len: usize, src: &[u8]) -> Option<Node<'t>> {
    let n = root.descendant_for_byte_range(at, at + len).filter(|n| n.start_byte() == at)?;
    let callee = match (n.kind_name(), query::text(n, src)) {
        ("identifier", "collection" | "collectionGroup" | "doc") => n,
        ("property_identifier", "collection" | "collectionGroup") => n.parent()?,
        _ => return None,
    };
    callee.parent().filter(|c| c.kind_name() == "call_expression" && c.field("function") == Some(callee))
}

/// The collection a call makes a reference to, and that reference: `collection(db, 'x')`,
/// `doc(db, 'x', id)`, `collectionGroup(db, 'x')`, `recv.collection('x')` (`recv` no
/// document).
fn reference<'t>(call: Node<'t>, src: &[u8]) -> Option<(String, Node<'t>)> {
    let f = call.field("function")?;
    let args = call.field("arguments").map(named).unwrap_or_default();
    let name = match f.kind_name() {
        "identifier" => {
            let (db, name) = (args.first()?, args.get(1)?);
            let most = match query::text(f, src) {
                "collection" | "collectionGroup" => 2,
                "doc" => 3,
                _ => return None,
            };
            if args.len() > most || matches!(db.kind_name(), "string" | "template_string") {
                return None;
            }
            string_value(*name, src)?
        }
        "member_expression" => {
            let property = query::text(f.field("property")?, src);
            if !matches!(property, "collection" | "collectionGroup") || args.len() != 1 {
                return None;
            }
            let receiver = f.field("object")?;
            if receiver.kind_name() == "call_expression" && called_method(receiver, src) == Some("doc") {
                return None;
            }
            string_value(args[0], src)?
        }
        _ => return None,
    };
    (!name.is_empty() && !name.contains('/')).then_some((name, call))
}

/// The method a call calls on a receiver (`doc` of `ref.doc(id)`).
fn called_method<'s>(call: Node, src: &'s [u8]) -> Option<&'s str> {
    let f = call.field("function").filter(|f| f.kind_name() == "member_expression")?;
    Some(query::text(f.field("property")?, src))
}

/// The operations a reference (or a query or document made of it) reaches, with their
/// lines, following the names it is assigned to `hops` times.
fn operations(r: Node, src: &[u8], hops: u32, out: &mut Vec<(Access, u32)>) {
    let Some(parent) = r.parent() else { return };
    match parent.kind_name() {
        "parenthesized_expression" | "await_expression" | "as_expression" | "non_null_expression" => {
            operations(parent, src, hops, out);
        }
        // `ref.doc(id).get()`, `ref.where(…).orderBy(…).get()`.
        "member_expression" if parent.field("object") == Some(r) => {
            let Some(call) = parent.parent().filter(|c| c.kind_name() == "call_expression") else { return };
            let method = parent.field("property").map_or("", |p| query::text(p, src));
            match access(READS, WRITES, method) {
                Some(a) => out.push((a, query::line(call))),
                None if method != "collection" && method != "collectionGroup" => operations(call, src, hops, out),
                None => {}
            }
        }
        "arguments" => {
            let Some(call) = parent.parent().filter(|c| c.kind_name() == "call_expression") else { return };
            let first = parent.named_child(0) == Some(r);
            let Some(f) = call.field("function") else { return };
            match f.kind_name() {
                "identifier" => match query::text(f, src) {
                    "query" | "doc" if first => operations(call, src, hops, out),
                    name => out.extend(access(READ_FNS, WRITE_FNS, name).map(|a| (a, query::line(call)))),
                },
                // `batch.set(ref, data)`, `transaction.get(ref)`.
                "member_expression" if first => {
                    let method = called_method(call, src).unwrap_or("");
                    out.extend(access(GIVEN_READS, GIVEN_WRITES, method).map(|a| (a, query::line(call))));
                }
                _ => {}
            }
        }
        "variable_declarator" if hops > 0 => {
            let Some(name) = parent.field("name").filter(|n| n.kind_name() == "identifier") else { return };
            let scope = query::ancestors(parent, 64)
                .find(|a| FUNCTIONS.contains(&a.kind_name()))
                .and_then(|f| f.field("body"))
                .or_else(|| query::ancestors(parent, 256).last());
            let Some(scope) = scope else { return };
            let word = query::text(name, src);
            for (at, _) in query::text(scope, src).match_indices(word) {
                let start = scope.start_byte() + at;
                let used = scope.descendant_for_byte_range(start, start + word.len());
                if let Some(used) =
                    used.filter(|u| u.kind_name() == "identifier" && *u != name && query::text(*u, src) == word)
                {
                    operations(used, src, hops - 1, out);
                }
            }
        }
        _ => {}
    }
}

/// The access of operation `name` by the tables of reads and writes.
fn access(reads: &[&str], writes: &[&str], name: &str) -> Option<Access> {
    if reads.contains(&name) {
        Some(Access::Read)
    } else if writes.contains(&name) {
        Some(Access::Write)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        crate::resolve::assert_sorted(&[READ_FNS, WRITE_FNS, READS, WRITES, GIVEN_READS, GIVEN_WRITES]);
    }
}

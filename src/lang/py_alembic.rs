//! Tables an Alembic migration creates (blind sample 20, cause 16):
//!
//! ```python
//! from alembic import op
//! def upgrade():
//!     op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True))
//!     op.rename_table('addr', 'addresses')
//! def downgrade():
//!     op.drop_table('users')
//! ```
//!
//! Only what a module-level `def upgrade()` does counts, in source order: a table
//! `op.create_table(name, …)` creates is a table (`orm` `alembic`), one the same
//! function then drops is not; `op.rename_table(old, new)` drops `old` and creates
//! `new`; a table an `upgrade()` drops (`orm` `alembic-drop`, in any migration of the
//! project) is reported from no migration, since which migration runs last is the
//! revision chain's business (`resolve/tables.rs`). `downgrade()` is the way back
//! and says nothing about the schema. A name that is not a literal is skipped.

use super::query::FieldExt;
use tree_sitter::Node;

use super::py_arch::{kwarg, named, split_args, string_value};
use super::query;
use crate::model::{ArchFacts, RawTable};

/// The `orm` of a table a migration drops in its `upgrade()`.
pub const DROPPED: &str = "alembic-drop";

/// Whether a file may be an Alembic migration that creates or renames tables.
pub fn mentions(text: &str) -> bool {
    text.contains("alembic") && (text.contains("op.create_table") || text.contains("op.rename_table"))
}

/// The tables the module's `upgrade()` leaves created ([`mentions`] is asked first).
pub fn tables(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    for def in named(root).into_iter().filter_map(function_def) {
        let is_upgrade = def.field("name").is_some_and(|n| query::text(n, src) == "upgrade");
        let Some(body) = def.field("body").filter(|_| is_upgrade) else { continue };
        let mut made: Vec<(String, u32)> = Vec::new();
        let mut dropped: Vec<(String, u32)> = Vec::new();
        let mut drop = |name: String, line: u32, made: &mut Vec<(String, u32)>| {
            made.retain(|(n, _)| *n != name);
            if !dropped.iter().any(|(n, _)| *n == name) {
                dropped.push((name, line));
            }
        };
        for call in op_calls(body, src) {
            let Some(args) = call.field("arguments").filter(|a| a.kind_name() == "argument_list") else {
                continue;
            };
            let (pos, _) = split_args(args);
            let arg = |i: usize, key: &str| {
                pos.get(i).copied().or_else(|| kwarg(args, key, src)).and_then(|n| string_value(n, src))
            };
            let line = query::line(call);
            let f = call.field("function").map_or("", |f| query::text(f, src));
            match f {
                "op.create_table" => {
                    if let Some(name) = arg(0, "table_name").filter(|n| !n.is_empty()) {
                        made.retain(|(n, _)| *n != name);
                        made.push((name, line));
                    }
                }
                "op.drop_table" => {
                    if let Some(name) = arg(0, "table_name") {
                        drop(name, line, &mut made);
                    }
                }
                "op.rename_table" => {
                    if let (Some(old), Some(new)) = (arg(0, "old_table_name"), arg(1, "new_table_name")) {
                        drop(old, line, &mut made);
                        if !new.is_empty() {
                            made.retain(|(n, _)| *n != new);
                            made.push((new, line));
                        }
                    }
                }
                _ => {}
            }
        }
        let made = made.into_iter().map(|(name, line)| ("alembic", name, line));
        for (orm, name, line) in made.chain(dropped.into_iter().map(|(name, line)| (DROPPED, name, line))) {
            facts.tables.push(RawTable { orm: orm.into(), name: Some(name), class_name: None, line });
        }
    }
}

/// A module-level function definition, decorated or not.
fn function_def(n: Node) -> Option<Node> {
    match n.kind_name() {
        "function_definition" => Some(n),
        "decorated_definition" => n.field("definition").filter(|d| d.kind_name() == "function_definition"),
        _ => None,
    }
}

/// The `op.…(…)` calls in a function body, in source order (nested blocks included,
/// nested functions not: they run only when called).
fn op_calls<'t>(body: Node<'t>, src: &[u8]) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if matches!(n.kind_name(), "function_definition" | "class_definition" | "lambda") {
            continue;
        }
        if n.kind_name() == "call" && n.field("function").is_some_and(|f| query::text(f, src).starts_with("op.")) {
            out.push(n);
        }
        let mut walk = n.walk();
        let children: Vec<Node> = n.named_children(&mut walk).collect();
        stack.extend(children.into_iter().rev());
    }
    out.sort_by_key(Node::start_byte);
    out
}

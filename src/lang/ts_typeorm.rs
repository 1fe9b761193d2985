//! TypeORM entities declared without decorators (issue #3, cause 6 of the seventeenth
//! blind sample): `new EntitySchema<Order>({ name: 'Order', tableName: 'orders',
//! columns })`, TypeORM's documented form for JavaScript and decorator-free code.
//!
//! The table is `tableName` when it is written; else TypeORM's default naming
//! strategy names it from the entity's target, `options.target || options.name`
//! (`EntitySchemaTransformer`), snake-cased (`DefaultNamingStrategy.tableName`):
//! `name: 'OrderHistory'` is `order_history`, `target: Order` (a class) is `order`.
//! A schema whose names are not literals (`tableName: prefix + 'x'`) is no table:
//! nothing is guessed.

use super::query::FieldExt;
use tree_sitter::Node;

use super::py_arch::snake_case;
use super::query;
use super::ts_arch::{named, prop, string_value};
use crate::model::{ArchFacts, RawTable};

/// Whether a file may declare an entity schema.
pub fn mentions(src: &[u8]) -> bool {
    memchr::memmem::find(src, b"new EntitySchema").is_some()
}

/// The tables of the file's `new EntitySchema({…})` expressions.
pub fn entity_schemas(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for at in memchr::memmem::find_iter(src, b"new EntitySchema") {
        let Some(new) = root.descendant_for_byte_range(at, at + 3).and_then(|n| n.parent()) else { continue };
        let ctor = new.field("constructor").map(|c| query::text(c, src));
        if new.kind() != "new_expression" || ctor != Some("EntitySchema") {
            continue;
        }
        let Some(options) = new.field("arguments").and_then(|a| named(a).first().copied()) else {
            continue;
        };
        let literal = |key: &str| prop(options, key, src).and_then(|v| string_value(v, src));
        let name = literal("name");
        let target = prop(options, "target", src).filter(|t| t.kind() == "identifier").map(|t| query::text(t, src));
        let table = match (literal("tableName"), target, &name) {
            (Some(t), _, _) => t,
            (None, Some(class), _) => snake_case(class),
            (None, None, Some(n)) => snake_case(n),
            _ => continue,
        };
        facts.tables.push(RawTable {
            orm: "typeorm".into(),
            name: Some(table),
            class_name: name,
            line: query::line(new),
        });
    }
}

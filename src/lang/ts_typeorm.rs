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
use super::ts_words::{Words, W};
use tree_sitter::Node;

use super::py_arch::snake_case;
use super::query;
use super::ts_arch::{named, prop, string_value};
use crate::model::{ArchFacts, RawTable};

/// Whether a file may declare an entity schema.
pub fn mentions(words: &Words) -> bool {
    words.has(W::new_EntitySchema)
}

/// The tables of the file's `new EntitySchema({…})` expressions.
pub fn entity_schemas(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for at in memchr::memmem::find_iter(src, b"new EntitySchema") {
        let Some(new) = root.descendant_for_byte_range(at, at + 3).and_then(|n| n.parent()) else { continue };
        let ctor = new.field("constructor").map(|c| query::text(c, src));
        if new.kind_name() != "new_expression" || ctor != Some("EntitySchema") {
            continue;
        }
        let Some(options) = new.field("arguments").and_then(|a| named(a).first().copied()) else {
            continue;
        };
        let literal = |key: &str| prop(options, key, src).and_then(|v| string_value(v, src));
        let name = literal("name");
        let target =
            prop(options, "target", src).filter(|t| t.kind_name() == "identifier").map(|t| query::text(t, src));
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

/// The ORM of a TypeORM join table [`join_tables`] records: `name` is the owner's table
/// and the property, `class_name` the target entity's class, whose table resolution finds.
pub const JOIN: &str = "typeorm-join";

/// TypeORM's `snakeCase` (`util/StringUtils`): `ABc` → `a_bc`, `aC` → `a_c`, lower case.
pub fn typeorm_snake(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    let mut first = String::new();
    let mut i = 0;
    while i < c.len() {
        first.push(c[i]);
        if i + 2 < c.len()
            && c[i].is_ascii_uppercase()
            && c[i + 1].is_ascii_uppercase()
            && c[i + 2].is_ascii_lowercase()
        {
            first.push('_');
            first.push(c[i + 1]);
            first.push(c[i + 2]);
            i += 3;
            continue;
        }
        i += 1;
    }
    let c: Vec<char> = first.chars().collect();
    let mut out = String::new();
    for (k, &ch) in c.iter().enumerate() {
        out.push(ch.to_ascii_lowercase());
        if (ch.is_ascii_lowercase() || ch.is_ascii_digit()) && c.get(k + 1).is_some_and(|n| n.is_ascii_uppercase()) {
            out.push('_');
        }
    }
    out
}

/// The join tables of an `@Entity` class's `@ManyToMany` relations that say `@JoinTable()`
/// (the owning side): `@JoinTable({ name: 'user_roles' })` names it; without a name
/// TypeORM's `DefaultNamingStrategy.joinTableName` makes it
/// `snakeCase(<owner table>_<property>_<target table>)`, recorded here with the target's
/// class (`@ManyToMany(() => Role, …)`, also `'Role'`) for resolution to find its table. A
/// name or target not written literally is no table.
pub fn join_tables(entity: Node, owner: &str, src: &[u8], facts: &mut ArchFacts) {
    let class = query::ancestors(entity, 4)
        .find(|a| matches!(a.kind_name(), "class_declaration" | "class" | "abstract_class_declaration"));
    let class = class.or_else(|| {
        let export = query::ancestors(entity, 2).find(|a| a.kind_name() == "export_statement")?;
        export.field("declaration")
    });
    let Some(body) = class.and_then(|c| c.field("body")) else { return };
    let mut pending: Vec<Node> = Vec::new();
    for m in named(body) {
        if m.kind_name() == "decorator" {
            pending.push(m);
            continue;
        }
        let mut decorators = std::mem::take(&mut pending);
        if m.kind_name() != "public_field_definition" {
            continue;
        }
        decorators.extend(named(m).into_iter().filter(|d| d.kind_name() == "decorator"));
        let call = |name: &str| {
            decorators.iter().find_map(|d| {
                let c = d.named_child(0).filter(|c| c.kind_name() == "call_expression")?;
                c.field("function").filter(|f| query::text(*f, src) == name)?;
                c.field("arguments")
            })
        };
        let (Some(join), Some(relation)) = (call("JoinTable"), call("ManyToMany")) else { continue };
        let Some(property) = m.field("name").filter(|n| n.kind_name() == "property_identifier") else { continue };
        let line = query::line(m);
        if let Some(options) = join.named_child(0) {
            match prop(options, "name", src) {
                Some(n) => {
                    if let Some(name) = string_value(n, src) {
                        facts.tables.push(RawTable { orm: "typeorm".into(), name: Some(name), class_name: None, line });
                    }
                    continue;
                }
                None if options.kind_name() != "object" => continue,
                None => {}
            }
        }
        let target = relation.named_child(0).and_then(|t| match t.kind_name() {
            "arrow_function" => {
                t.field("body").filter(|b| b.kind_name() == "identifier").map(|b| query::text(b, src).to_string())
            }
            _ => string_value(t, src),
        });
        let Some(target) = target.filter(|t| !t.is_empty()) else { continue };
        let name = format!("{owner}_{}", query::text(property, src));
        facts.tables.push(RawTable { orm: JOIN.into(), name: Some(name), class_name: Some(target), line });
    }
}

/// The name of the constant [`entity_lists`] records for each `entities: [...]` list: its
/// value is the list's class names, comma-separated; [`ANY_ENTITY`] among them when an
/// element is no class name (a glob, a spread, a call).
pub const ENTITIES: &str = "\u{1}typeorm-entities";
/// An element of an `entities: [...]` list that is no class name.
pub const ANY_ENTITY: &str = "*";

/// Whether a file may list a data source's entities (`entities: [...]`, or a quoted key as
/// an `ormconfig.ts` copied from `ormconfig.json` writes it: `"entities": ["src/entity/*.ts"]`).
pub fn mentions_entities(words: &Words) -> bool {
    words.any(&[W::entities_colon, W::entities_dq_colon])
}

/// `entities: [AccountEntity, NotificationEntity]` (a `DataSource`'s, `TypeOrmModule.forRoot`'s
/// options, or any object's): the classes TypeORM registers, as a constant [`ENTITIES`].
pub fn entity_lists(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for at in memchr::memmem::find_iter(src, b"entities") {
        let Some(mut key) = root.descendant_for_byte_range(at, at + 8) else { continue };
        // A quoted key (`"entities": [...]`): the string around its fragment.
        if key.kind_name() == "string_fragment" && key.byte_range() == (at..at + 8) {
            match key.parent().filter(|s| s.kind_name() == "string" && s.byte_range() == (at.saturating_sub(1)..at + 9))
            {
                Some(s) => key = s,
                None => continue,
            }
        } else if key.kind_name() != "property_identifier" {
            continue;
        }
        let Some(pair) = key.parent().filter(|p| p.kind_name() == "pair" && p.field("key") == Some(key)) else {
            continue;
        };
        let Some(list) = pair.field("value").filter(|v| v.kind_name() == "array") else { continue };
        let mut names: Vec<&str> = named(list)
            .into_iter()
            .filter(|e| e.kind_name() != "comment")
            .map(|e| if e.kind_name() == "identifier" { query::text(e, src) } else { ANY_ENTITY })
            .collect();
        // `autoLoadEntities: true` registers every `forFeature([…])` entity too.
        if pair.parent().and_then(|o| prop(o, "autoLoadEntities", src)).is_some() {
            names.push(ANY_ENTITY);
        }
        facts.consts.push(crate::model::RawConst {
            name: ENTITIES.into(),
            value: vec![crate::model::Part::Lit(names.join(","))],
            line: query::line(pair),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::typeorm_snake;

    /// TypeORM's `snakeCase`: its two replacements, then lower case.
    #[test]
    fn snake_case_as_typeorm_writes_it() {
        assert_eq!(typeorm_snake("users_roles_roles"), "users_roles_roles");
        assert_eq!(
            typeorm_snake("users_extraPermissions_access_permission"),
            "users_extra_permissions_access_permission"
        );
        assert_eq!(typeorm_snake("HTTPRequest"), "http_request");
        assert_eq!(typeorm_snake("user2Role"), "user2_role");
        assert_eq!(typeorm_snake("users_Roles"), "users_roles");
        assert_eq!(typeorm_snake("ABC"), "abc");
    }
}

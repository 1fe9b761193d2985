//! DynamoDB tables in AWS SDK calls (issue #3, cause 9 of the seventeenth blind sample).
//!
//! AWS SDK v3 names the table in a command's input, `new PutCommand({ TableName, Item })`
//! (`@aws-sdk/lib-dynamodb`: `Put`, `Get`, `Update`, `Delete`, `Query`, `Scan`,
//! `BatchWrite`, `BatchGet`, `TransactWrite`, `TransactGet`; `@aws-sdk/client-dynamodb`:
//! `PutItem`, `GetItem`…, `CreateTable`), and v2's `DocumentClient` (and v3's
//! `DynamoDBDocument`) in a method's parameters, `docClient.put({ TableName, Item })`. The
//! operation decides read or write (`OPERATIONS`); a batch names its tables as the keys
//! of `RequestItems`, a transaction each item's under `Put`/`Update`/`Delete`/`Get`/
//! `ConditionCheck`; `CreateTable` defines the table.
//!
//! Every `TableName:`/`RequestItems:` of a file naming DynamoDB is an anchor: its object is
//! the input when it is the command's or method's first argument, a transaction item's
//! operation, or a local (`const params = { TableName }` then `new PutCommand(params)` in
//! the same function). The name is kept as written: a literal, a constant (resolved
//! project-wide), an environment variable with its default (`process.env.T ?? 'orders'`),
//! a local, or a field its class sets (`this.ordersTableName = process.env.ORDERS_TABLE
//! ?? 'orders'` in the constructor); anything else (a parameter, a config service's
//! `get`) is a parameter, which resolution reports as known only at run time.

use super::query::FieldExt;
use super::ts_words::{Words, W};
use tree_sitter::Node;

use super::query;
use super::ts_arch::{local_value, named, param_ident, param_name, template, FUNCTIONS};
use crate::model::{Access, ArchFacts, Part, RawDynamo, Template};

/// DynamoDB operations, as command names without `Command` and as client methods
/// (sorted): whether each writes, and `CreateTable` defines.
const OPERATIONS: &[(&str, Access)] = &[
    ("BatchGet", Access::Read),
    ("BatchGetItem", Access::Read),
    ("BatchWrite", Access::Write),
    ("BatchWriteItem", Access::Write),
    ("ConditionCheck", Access::Read),
    ("CreateTable", Access::Write),
    ("Delete", Access::Write),
    ("DeleteItem", Access::Write),
    ("Get", Access::Read),
    ("GetItem", Access::Read),
    ("Put", Access::Write),
    ("PutItem", Access::Write),
    ("Query", Access::Read),
    ("Scan", Access::Read),
    ("TransactGet", Access::Read),
    ("TransactGetItems", Access::Read),
    ("TransactWrite", Access::Write),
    ("TransactWriteItems", Access::Write),
    ("Update", Access::Write),
    ("UpdateItem", Access::Write),
];

/// Whether a file may name a DynamoDB table.
pub fn mentions(words: &Words) -> bool {
    words.any(&[W::TableName, W::RequestItems]) && words.any(&[W::dynamodb, W::DynamoDB])
}

/// The tables the file's DynamoDB operations name (see the module's documentation).
pub fn tables(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for key in [&b"TableName"[..], &b"RequestItems"[..]] {
        for at in memchr::memmem::find_iter(src, key) {
            let Some(k) = root.descendant_for_byte_range(at, at + key.len()) else { continue };
            let Some(pair) = k.parent().filter(|p| p.kind_name() == "pair" && p.field("key") == Some(k)) else {
                continue;
            };
            let (Some(obj), Some(value)) = (pair.parent(), pair.field("value")) else { continue };
            let Some((access, defines, site)) = operation(obj, src) else { continue };
            let line = query::line(site);
            let names = if key == b"TableName" { vec![value] } else { batch_tables(value) };
            for n in names {
                let table = match n.kind_name() {
                    "computed_property_name" => n.named_child(0).map(|e| name_of(e, src, 0)).unwrap_or_default(),
                    "property_identifier" => vec![Part::Lit(query::text(n, src).to_string())],
                    _ => name_of(n, src, 0),
                };
                facts.dynamo.push(RawDynamo { table, access, defines, line });
            }
        }
    }
}

/// The keys of a batch's `RequestItems: { orders: […], [AUDIT]: […] }`.
fn batch_tables(items: Node) -> Vec<Node> {
    if items.kind_name() != "object" {
        return Vec::new();
    }
    named(items).into_iter().filter(|p| p.kind_name() == "pair").filter_map(|p| p.field("key")).collect()
}

/// The operation an input object is given to: (access, defines, the call's node).
fn operation<'t>(obj: Node<'t>, src: &[u8]) -> Option<(Access, bool, Node<'t>)> {
    if obj.kind_name() != "object" {
        return None;
    }
    let parent = obj.parent()?;
    match parent.kind_name() {
        // `{ Put: { TableName, Item } }` in a transaction's `TransactItems`.
        "pair" => {
            let key = query::text(parent.field("key")?, src);
            let access = access_of(key)?;
            matches!(key, "Put" | "Update" | "Delete" | "Get" | "ConditionCheck").then_some((access, false, parent))
        }
        "arguments" if parent.named_child(0) == Some(obj) => called_with(parent.parent()?, src),
        // `const params = { TableName }`, then `new PutCommand(params)` in the same function.
        "variable_declarator" => {
            let name = parent.field("name").filter(|n| n.kind_name() == "identifier")?;
            let scope = query::ancestors(parent, 64).find(|a| FUNCTIONS.contains(&a.kind_name()))?;
            let body = scope.field("body")?;
            let mut found = None;
            let mut stack = vec![body];
            while let Some(n) = stack.pop() {
                let first = n.field("arguments").and_then(|a| a.named_child(0));
                if first.is_some_and(|f| f.kind_name() == "identifier" && query::text(f, src) == query::text(name, src))
                {
                    if let Some(op) = called_with(n, src) {
                        found = Some(op);
                        break;
                    }
                }
                stack.extend(named(n).into_iter().rev());
            }
            found
        }
        _ => None,
    }
}

/// `new XCommand(input)` or `client.x(input)` with `x` a DynamoDB operation.
fn called_with<'t>(call: Node<'t>, src: &[u8]) -> Option<(Access, bool, Node<'t>)> {
    let name = match call.kind_name() {
        "new_expression" => {
            let ctor = query::text(call.field("constructor")?, src);
            ctor.rsplit('.').next()?.strip_suffix("Command")?.to_string()
        }
        "call_expression" => {
            let f = call.field("function").filter(|f| f.kind_name() == "member_expression")?;
            let method = query::text(f.field("property")?, src);
            // `put` is `Put`: the methods are the operations' names in lower camel case.
            let mut c = method.chars();
            let first = c.next()?;
            if !first.is_ascii_lowercase() {
                return None;
            }
            first.to_ascii_uppercase().to_string() + c.as_str()
        }
        _ => return None,
    };
    Some((access_of(&name)?, name == "CreateTable", call))
}

fn access_of(op: &str) -> Option<Access> {
    OPERATIONS.binary_search_by(|(o, _)| o.cmp(&op)).ok().map(|k| OPERATIONS[k].1)
}

/// A table name as written: what a local or a field of the class holds, else the
/// expression's template; a parameter of the function around it is not known.
fn name_of(n: Node, src: &[u8], depth: u32) -> Template {
    let unknown = || vec![Part::Param(param_name(n, src))];
    if depth > 4 {
        return unknown();
    }
    match n.kind_name() {
        "identifier" => match local_value(None, n, src) {
            Some(Some(v)) => name_of(v, src, depth + 1),
            Some(None) => unknown(),
            None if is_parameter(n, src) => unknown(),
            None => template(n, src),
        },
        "member_expression" if query::text(n, src).starts_with("this.") => {
            let field = n.field("property").map(|p| query::text(p, src)).unwrap_or_default();
            match field_value(n, field, src) {
                Some(v) => name_of(v, src, depth + 1),
                None => unknown(),
            }
        }
        "string"
        | "template_string"
        | "binary_expression"
        | "parenthesized_expression"
        | "as_expression"
        | "non_null_expression"
        | "member_expression" => template(n, src),
        _ => unknown(),
    }
}

/// Whether `id` is a parameter of a function around it.
fn is_parameter(id: Node, src: &[u8]) -> bool {
    let name = query::text(id, src);
    query::ancestors(id, 64).filter(|a| FUNCTIONS.contains(&a.kind_name())).any(|f| {
        let params = f.field("parameters").map(named).unwrap_or_default();
        let single = f.field("parameter").into_iter();
        params.into_iter().chain(single).filter_map(param_ident).any(|p| query::text(p, src) == name)
    })
}

/// The one value the class around `at` gives its field `field`: a class field's
/// initializer or the constructor's `this.field = …` (several: none).
fn field_value<'t>(at: Node<'t>, field: &str, src: &[u8]) -> Option<Node<'t>> {
    let class = query::ancestors(at, 64).find(|a| matches!(a.kind_name(), "class_declaration" | "class"))?;
    let mut values = Vec::new();
    for member in named(class.field("body")?) {
        match member.kind_name() {
            "public_field_definition" | "field_definition" => {
                let name = member.field("name").or(member.field("property"));
                if name.is_some_and(|n| query::text(n, src) == field) {
                    values.extend(member.field("value"));
                }
            }
            "method_definition" if member.field("name").is_some_and(|n| query::text(n, src) == "constructor") => {
                let Some(body) = member.field("body") else { continue };
                for stmt in named(body).into_iter().filter(|s| s.kind_name() == "expression_statement") {
                    let Some(a) = stmt.named_child(0).filter(|a| a.kind_name() == "assignment_expression") else {
                        continue;
                    };
                    let left = a.field("left").map(|l| query::text(l, src));
                    if left.and_then(|l| l.strip_prefix("this.")) == Some(field) {
                        values.extend(a.field("right"));
                    }
                }
            }
            _ => {}
        }
    }
    match values.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn operations_are_sorted() {
        let names: Vec<&str> = super::OPERATIONS.iter().map(|(o, _)| *o).collect();
        crate::resolve::assert_sorted(&[&names[..]]);
    }
}

//! Express apps and routers held in class fields (heldout17 cause 2): `this.app =
//! express()` or `this.router = Router()` set in a method (usually the constructor), or a
//! field initializer `private router = Router()`, with routes registered on it in methods
//! (`this.router.post('/register', h)`). A router is named after the one method that
//! returns it (`main(): Router { …; return this.router }` gives `UsersRoute.main`, made by
//! that method, which `app.use('/users', new UsersRoute().main())` mounts), else after
//! its class and field (`App.app`). Fields set once in the class to a string
//! (`this.version = '/api/v1'`) are read in the class's mount prefixes
//! (`` this.app.use(`${this.version}/users`, …) ``).
//!
//! Only Express's constructors are read (`express()`, `Router()`, `express.Router()`), and
//! only a field assigned once: a field set twice holds what the last run set.

use super::query::FieldExt;
use super::ts_words::{Words, W};
use std::ops::Range;

use tree_sitter::Node;

use super::query;
use super::ts_arch::{declared, named, returns, string_value};
use crate::model::{Part, Template};

/// One class: its body's bytes, its router fields and its string fields.
#[derive(Debug)]
pub struct ClassScope {
    pub class: String,
    /// A receiver `this.x` written inside these bytes is this class's field.
    body: Range<usize>,
    pub routers: Vec<ClassRouter>,
    /// Fields set once in the class, to a string literal: (field, value).
    pub strings: Vec<(String, String)>,
    /// Fields set once in the class to an instance of a class: (field, class), so that
    /// `this._taskRouter._router` names the router `TaskRouter._router`
    /// (`this._taskRouter = new TaskRouter`).
    instances: Vec<(String, String)>,
    /// The bytes of `private` methods that no `this.name` of the class names: nothing
    /// ever runs them, so routes they register are never served (heldout23 cause C's
    /// `OrderRoute.getAll()`, which `mountRoutes()` does not call).
    dead: Vec<Range<usize>>,
}

/// A router held in a class field.
#[derive(Debug)]
pub struct ClassRouter {
    field: String,
    /// `Class.method` when one method returns it, else `Class.field`.
    pub name: String,
    /// Made by `Router()` / `express.Router()`: it serves only once mounted.
    pub sub: bool,
    /// One method returns it: a call of that method is the router.
    pub made: bool,
    pub line: u32,
}

/// Whether the text may hold a class with an Express router field (a text check, so that
/// other files are not walked).
pub fn mentions(words: &Words) -> bool {
    words.has(W::this_dot) && words.has(W::class_) && (words.has(W::Router_call) || words.has(W::express_call))
}

/// The module's top-level classes holding an Express app or router in a field.
pub fn scopes(root: Node, src: &[u8]) -> Vec<ClassScope> {
    let mut out = Vec::new();
    for top in named(root) {
        let Some(class) = declared(top).filter(|d| matches!(d.kind_name(), "class_declaration" | "class")) else {
            continue;
        };
        let (Some(name), Some(body)) = (class.field("name"), class.field("body")) else {
            continue;
        };
        let scope = class_scope(query::text(name, src), body, src);
        if !scope.routers.is_empty() {
            out.push(scope);
        }
    }
    out
}

fn class_scope(class: &str, body: Node, src: &[u8]) -> ClassScope {
    // Every value each field is given: its initializer and each `this.f = v` in a method.
    let mut values: Vec<(String, Node)> = Vec::new();
    let members = named(body);
    for m in &members {
        match m.kind_name() {
            "public_field_definition" | "field_definition" => {
                let key = m.field("name").or_else(|| m.field("property"));
                if let (Some(k), Some(v)) = (key, m.field("value")) {
                    values.push((query::text(k, src).to_string(), v));
                }
            }
            "method_definition" => {
                if let Some(b) = m.field("body") {
                    this_assignments(b, src, &mut values);
                }
            }
            _ => {}
        }
    }
    let once = |field: &str| values.iter().filter(|(f, _)| f == field).count() == 1;
    let mut routers = Vec::new();
    let mut strings = Vec::new();
    let mut instances = Vec::new();
    for (field, v) in values.iter().filter(|(f, _)| once(f)) {
        if let Some(class) = instance_of(*v, src) {
            instances.push((field.clone(), class.to_string()));
            continue;
        }
        if let Some(value) = string_value(*v, src).filter(|_| v.kind_name() == "string") {
            strings.push((field.clone(), value));
            continue;
        }
        let Some(sub) = express_ctor(*v, src) else { continue };
        // The methods returning `this.field`.
        let this_field = format!("this.{field}");
        let returning: Vec<&str> = members
            .iter()
            .filter(|m| m.kind_name() == "method_definition")
            .filter(|m| {
                m.field("body").is_some_and(|b| {
                    returns(b)
                        .iter()
                        .any(|r| r.kind_name() == "member_expression" && query::text(*r, src) == this_field)
                })
            })
            .filter_map(|m| m.field("name").map(|n| query::text(n, src)))
            .collect();
        let made = returning.len() == 1;
        let member = if made { returning[0] } else { field.as_str() };
        let name = format!("{class}.{member}");
        routers.push(ClassRouter { field: field.clone(), name, sub, made, line: query::line(*v) });
    }
    let dead = if routers.is_empty() { Vec::new() } else { dead_methods(&members, body, src) };
    ClassScope { class: class.to_string(), body: body.byte_range(), routers, strings, instances, dead }
}

/// `new TaskRouter` / `new TaskRouter(…)`: the class's name.
fn instance_of<'s>(v: Node, src: &'s [u8]) -> Option<&'s str> {
    let v = super::ts_natives::unwrap_ts(v);
    let class = v.field("constructor").filter(|_| v.kind_name() == "new_expression")?;
    (class.kind_name() == "identifier").then(|| query::text(class, src))
}

/// The `private` methods of a class body that no `this.name` in the body names.
fn dead_methods(members: &[Node], body: Node, src: &[u8]) -> Vec<Range<usize>> {
    let text = &src[body.byte_range()];
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut dead = Vec::new();
    for m in members.iter().filter(|m| m.kind_name() == "method_definition") {
        let private =
            named(*m).iter().any(|c| c.kind_name() == "accessibility_modifier" && query::text(*c, src) == "private");
        let Some(name) = m.field("name").filter(|n| n.kind_name() == "property_identifier") else { continue };
        if !private {
            continue;
        }
        let needle = format!("this.{}", query::text(name, src));
        let used = memchr::memmem::find_iter(text, needle.as_bytes())
            .any(|at| text.get(at + needle.len()).is_none_or(|b| !ident(*b)));
        if !used {
            dead.push(m.byte_range());
        }
    }
    dead
}

/// Whether byte `at` is inside a `private` method of a class that nothing calls.
pub fn dead_at(scopes: &[ClassScope], at: usize) -> bool {
    scopes.iter().any(|s| s.dead.iter().any(|r| r.contains(&at)))
}

/// `this.f = v` anywhere in a method's body (nested functions included: an arrow set up in
/// the constructor writes the same field).
fn this_assignments<'t>(n: Node<'t>, src: &[u8], out: &mut Vec<(String, Node<'t>)>) {
    for c in named(n) {
        if c.kind_name() == "assignment_expression" {
            let left = c.field("left").filter(|l| l.kind_name() == "member_expression");
            let field = left
                .filter(|l| l.field("object").is_some_and(|o| o.kind_name() == "this"))
                .and_then(|l| l.field("property"))
                .map(|p| query::text(p, src).to_string());
            if let (Some(field), Some(v)) = (field, c.field("right")) {
                out.push((field, v));
            }
        }
        this_assignments(c, src, out);
    }
}

/// `express()` (an app, `Some(false)`), `Router(…)` or `express.Router(…)` (a router that
/// serves once mounted, `Some(true)`); `None` for any other value.
fn express_ctor(v: Node, src: &[u8]) -> Option<bool> {
    // `this.router = express.Router() as Router`.
    let v = super::ts_natives::unwrap_ts(v);
    let f = v.field("function").filter(|_| v.kind_name() == "call_expression")?;
    match query::text(f, src) {
        "express" => Some(false),
        "Router" | "express.Router" => Some(true),
        _ => None,
    }
}

/// The class around byte `at` (innermost).
fn scope_at(scopes: &[ClassScope], at: usize) -> Option<&ClassScope> {
    scopes.iter().filter(|s| s.body.contains(&at)).min_by_key(|s| s.body.len())
}

/// The router a receiver `this.field` written at byte `at` names, if the class holds one there.
pub fn router_at<'s>(scopes: &'s [ClassScope], at: usize, field: &str) -> Option<&'s str> {
    let scope = scope_at(scopes, at)?;
    scope.routers.iter().find(|r| r.field == field).map(|r| r.name.as_str())
}

/// The router a receiver `this.field.member` written at byte `at` names when the class
/// sets the field once to an instance of a class (`this._taskRouter = new TaskRouter`):
/// `TaskRouter._router`, that class's router held in its field `_router`, wherever the
/// class is defined (resolution finds it where the module defines or imports the class).
pub fn instance_router_at(scopes: &[ClassScope], at: usize, field: &str) -> Option<String> {
    let (field, member) = field.split_once('.')?;
    if member.contains('.') {
        return None;
    }
    let scope = scope_at(scopes, at)?;
    let (_, class) = scope.instances.iter().find(|(f, _)| f == field)?;
    Some(format!("{class}.{member}"))
}

/// A mount prefix written at byte `at` with each `this.field` the class sets once to a
/// string read as that string (`` `${this.version}/users` `` is `/api/v1/users`).
pub fn with_strings(scopes: &[ClassScope], at: usize, prefix: Template) -> Template {
    let Some(scope) = scope_at(scopes, at).filter(|s| !s.strings.is_empty()) else { return prefix };
    prefix
        .into_iter()
        .map(|p| {
            let value = match &p {
                Part::Ref(r) => r.strip_prefix("this.").and_then(|f| scope.strings.iter().find(|(k, _)| k == f)),
                _ => None,
            };
            value.map_or(p, |(_, v)| Part::Lit(v.clone()))
        })
        .collect()
}

/// `new UsersRoute(…).main()`: the router a method of a class makes, named as
/// [`ClassRouter::name`] (`UsersRoute.main()`); `None` for any other call.
pub fn constructed_method(call: Node, src: &[u8]) -> Option<String> {
    let f = call.field("function").filter(|f| f.kind_name() == "member_expression")?;
    let mut object = f.field("object")?;
    while object.kind_name() == "parenthesized_expression" {
        object = object.named_child(0)?;
    }
    let class = object.field("constructor").filter(|_| object.kind_name() == "new_expression")?;
    let method = f.field("property")?;
    (class.kind_name() == "identifier").then(|| format!("{}.{}()", query::text(class, src), query::text(method, src)))
}

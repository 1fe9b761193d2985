//! Express routers handed out by a dependency-injection container (cause 1 of the
//! seventeenth blind sample): `app.use('/users', Container.resolve<Router>('UsersModule'))`,
//! `app.use('/users', container.resolve(UsersRouter).router)`.
//!
//! A container (tsyringe, typedi, inversify, awilix) gives what was registered under a
//! token, or an instance of the class it is asked for. Statically that is read from the
//! registrations the project writes, each a [`RawDiProvider`]:
//!
//! - tsyringe: `container.register('T', { useClass: X })` (or `useFactory: () => expr`,
//!   `useValue: expr`), `registerSingleton('T', X)`, and `@registry([{ token: 'T', … }])`
//!   (any object with a `token` and a `useClass`/`useFactory`/`useValue`);
//! - typedi: `Container.set('T', expr)`, `Container.set({ id: 'T', value })`;
//! - inversify: `container.bind('T').to(X)`, `.toConstantValue(expr)`,
//!   `.toDynamicValue(() => expr)`;
//! - awilix: `container.register({ t: asClass(X), u: asFunction(make), v: asValue(expr) })`
//!   and `register('t', asClass(X))`.
//!
//! A value is named as a mount child is (`resolve/routes.rs` looks it up in the
//! registering file): a class instance `X` (only a member of it can be a router), or an
//! expression: `X.route.main()` for `container.resolve(X).route.main()` (the member's
//! type is read from the class's typed fields, [`field_types`]), `router`, `make()`. A
//! mount of a token writes `di:<members>:<token>` ([`DI`]); the registration is found
//! project-wide in resolution, the mounting service's own first. A token no registration
//! names, or names twice, keeps the mount unknown (the class router's warning stays).

use super::query::FieldExt;
use super::ts_words::{Words, W};
use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, prop, returns, string_value};
use crate::model::{ArchFacts, DiValue, RawDiProvider};

/// A mount child resolved by a container's token: `di:<members>:<token>`.
pub const DI: &str = "di:";

/// Methods of a container giving what a token or class names (sorted).
const GETTERS: &[&str] = &["get", "getAsync", "resolve"];

/// Whether the text may register values in a DI container.
pub fn registers(words: &Words) -> bool {
    words.any(&[W::useClass, W::useFactory, W::useValue, W::asClass, W::asFunction, W::asValue])
        || (words.has(W::ontainer) && words.any(&[W::set_call, W::bind_call, W::registerSingleton]))
}

/// Whether the text may declare classes whose typed fields a DI container fills.
pub fn injects(words: &Words) -> bool {
    words.has(W::class_) && words.any(&[W::njectable, W::at_Inject, W::at_inject, W::at_Service])
}

/// `X.resolve(a)`, `X.get(a)` on a container (a receiver whose last name is, or ends
/// with, `container`/`Container`): the argument.
fn container_get<'t>(call: Node<'t>, src: &[u8]) -> Option<Node<'t>> {
    let f = call.field("function").filter(|_| call.kind_name() == "call_expression")?;
    let method = f.field("property").filter(|_| f.kind_name() == "member_expression")?;
    GETTERS.binary_search(&query::text(method, src)).ok()?;
    let receiver = query::text(f.field("object")?, src);
    let last = receiver.rsplit('.').next().unwrap_or(receiver);
    if !last.to_ascii_lowercase().ends_with("container") {
        return None;
    }
    call.field("arguments")?.named_child(0)
}

/// What an expression's base is, under its members.
enum Base {
    /// An instance of the class: `container.resolve(X)`, `new X()`.
    Class(String),
    /// What the container registered under the token.
    Token(String),
    /// A name or a call of one (`router`, `makeRouter()`).
    Expr(String),
}

/// An expression as a base and its members, outermost last: `resolve(X).route.main()` is
/// (`Class(X)`, `.route.main()`).
fn chain(mut e: Node, src: &[u8]) -> Option<(Base, String)> {
    let mut members: Vec<String> = Vec::new();
    loop {
        while e.kind_name() == "parenthesized_expression" || e.kind_name() == "await_expression" {
            e = e.named_child(0)?;
        }
        match e.kind_name() {
            "call_expression" => {
                if let Some(arg) = container_get(e, src) {
                    let base = match arg.kind_name() {
                        "identifier" => Base::Class(query::text(arg, src).to_string()),
                        _ => Base::Token(string_value(arg, src)?),
                    };
                    return Some((base, joined(members)));
                }
                let f = e.field("function")?;
                match f.kind_name() {
                    "member_expression" => {
                        members.push(format!("{}()", query::text(f.field("property")?, src)));
                        e = f.field("object")?;
                    }
                    "identifier" => {
                        return Some((Base::Expr(format!("{}()", query::text(f, src))), joined(members)));
                    }
                    _ => return None,
                }
            }
            "member_expression" => {
                members.push(query::text(e.field("property")?, src).to_string());
                e = e.field("object")?;
            }
            "new_expression" => {
                let class = e.field("constructor").filter(|c| c.kind_name() == "identifier")?;
                return Some((Base::Class(query::text(class, src).to_string()), joined(members)));
            }
            "identifier" => return Some((Base::Expr(query::text(e, src).to_string()), joined(members))),
            _ => return None,
        }
    }
}

/// Members outermost last, as written after the base: `.route.main()`.
fn joined(mut members: Vec<String>) -> String {
    members.reverse();
    members.iter().map(|m| format!(".{m}")).collect()
}

/// The mount child a container-resolved argument names: `UsersRouter.router` for
/// `container.resolve(UsersRouter).router`, `di::UsersModule` for
/// `Container.resolve('UsersModule')`; `None` for any other argument (`new X().m()` is
/// `ts_class_routers`'s).
pub fn mount_child(arg: Node, src: &[u8]) -> Option<String> {
    match chain(arg, src)? {
        (Base::Token(token), members) => Some(format!("{DI}{members}:{token}")),
        (Base::Class(class), members) if !members.is_empty() => Some(format!("{class}{members}")),
        _ => None,
    }
}

/// The value a registration gives, from its expression.
fn value_of(e: Node, src: &[u8]) -> Option<DiValue> {
    let e = factory_result(e).unwrap_or(e);
    match chain(e, src)? {
        (Base::Class(c), m) if m.is_empty() => Some(DiValue::Class(c)),
        (Base::Class(c), m) => Some(DiValue::Expr(format!("{c}{m}"))),
        (Base::Token(t), m) => Some(DiValue::Expr(format!("{DI}{m}:{t}"))),
        (Base::Expr(x), m) => Some(DiValue::Expr(format!("{x}{m}"))),
    }
}

/// What a factory function returns: an arrow's expression body, or the one `return` of its
/// block; `None` for anything that is not a function.
fn factory_result<'t>(f: Node<'t>) -> Option<Node<'t>> {
    if !matches!(f.kind_name(), "arrow_function" | "function_expression" | "function") {
        return None;
    }
    let body = f.field("body")?;
    if body.kind_name() != "statement_block" {
        return Some(body);
    }
    match returns(body).as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// A provider object `{ useClass: X }`, `{ useFactory: () => e }`, `{ useValue: e }`.
fn provider(o: Node, src: &[u8]) -> Option<DiValue> {
    if let Some(c) = prop(o, "useClass", src).filter(|c| c.kind_name() == "identifier") {
        return Some(DiValue::Class(query::text(c, src).to_string()));
    }
    let v = prop(o, "useFactory", src).or_else(|| prop(o, "useValue", src))?;
    value_of(v, src)
}

/// awilix `asClass(X)`, `asFunction(make)`, `asValue(v)` (with lifetime calls chained
/// after, `asClass(X).singleton()`).
fn awilix(mut e: Node, src: &[u8]) -> Option<DiValue> {
    loop {
        let f = e.field("function").filter(|_| e.kind_name() == "call_expression")?;
        if f.kind_name() == "member_expression" {
            e = f.field("object")?;
            continue;
        }
        let arg = e.field("arguments")?.named_child(0)?;
        return match query::text(f, src) {
            "asClass" if arg.kind_name() == "identifier" => Some(DiValue::Class(query::text(arg, src).to_string())),
            "asFunction" if arg.kind_name() == "identifier" => {
                Some(DiValue::Expr(format!("{}()", query::text(arg, src))))
            }
            "asFunction" | "asValue" => value_of(arg, src),
            _ => None,
        };
    }
}

/// The file's registrations (see the module's documentation).
pub fn providers(root: Node, src: &[u8], facts: &mut ArchFacts) {
    // One cursor walk, no list of children per node: eclipse-theia's 306 files naming a
    // container and `.bind(` (inversify's `bind(X).toSelf()` in every module) cost 1.6 G
    // instructions when each node's children were collected and each call's arguments were.
    // A provider's own text spells one of these (its `token` key or its method), so a
    // subtree spelling none holds none and is not entered.
    let mut at: Vec<usize> = PROVIDER_WORDS.iter().flat_map(|w| memchr::memmem::find_iter(src, w)).collect();
    at.sort_unstable();
    let spells = |n: Node| at.get(at.partition_point(|&i| i < n.start_byte())).is_some_and(|&i| i < n.end_byte());
    let mut walk = root.walk();
    loop {
        let n = walk.node();
        let inside = spells(n);
        match n.kind_name() {
            "object" if inside => object_provider(n, src, facts),
            "call_expression" if inside => call_provider(n, src, facts),
            _ => {}
        }
        if inside && walk.goto_first_child() {
            continue;
        }
        if !query::next_in_preorder(&mut walk) {
            break;
        }
    }
}

/// Words one of which every provider's text holds: `token:` of an object,
/// `.register(`/`registerSingleton(`, `.set(`, `.to(`/`toConstantValue(`/`toDynamicValue(`.
const PROVIDER_WORDS: &[&[u8]] = &[b"token", b"register", b"set(", b"to(", b"toConstantValue(", b"toDynamicValue("];

/// `{ token: 'T', useClass: X }` (tsyringe's `@registry`).
fn object_provider(o: Node, src: &[u8], facts: &mut ArchFacts) {
    let Some(token) = prop(o, "token", src).and_then(|t| string_value(t, src)) else { return };
    if let Some(value) = provider(o, src) {
        facts.di_providers.push(RawDiProvider { token, value, line: query::line(o) });
    }
}

/// `register('T', …)`, `registerSingleton('T', X)`, `set('T', v)`, `bind('T').to(X)`,
/// `register({ t: asClass(X) })` on a container.
fn call_provider(call: Node, src: &[u8], facts: &mut ArchFacts) {
    let Some(f) = call.field("function").filter(|f| f.kind_name() == "member_expression") else { return };
    let method = f.field("property").map_or("", |p| query::text(p, src));
    if !matches!(method, "register" | "registerSingleton" | "set" | "to" | "toConstantValue" | "toDynamicValue") {
        return;
    }
    let args = call.field("arguments").map(named).unwrap_or_default();
    let line = query::line(call);
    let mut push = |token: String, value: Option<DiValue>| {
        if let Some(value) = value {
            facts.di_providers.push(RawDiProvider { token, value, line });
        }
    };
    match (method, args.as_slice()) {
        ("register", [o]) if o.kind_name() == "object" => {
            for p in named(*o).into_iter().filter(|p| p.kind_name() == "pair") {
                let key = p.field("key").map(|k| query::text(k, src).trim_matches(['"', '\'']));
                if let (Some(k), Some(v)) = (key, p.field("value")) {
                    push(k.to_string(), awilix(v, src));
                }
            }
        }
        ("register" | "registerSingleton" | "set", [t, v, ..]) => {
            let Some(token) = string_value(*t, src) else { return };
            let value = match v.kind_name() {
                "object" => provider(*v, src),
                "identifier" if method == "registerSingleton" => Some(DiValue::Class(query::text(*v, src).to_string())),
                "call_expression" if method == "register" => awilix(*v, src),
                _ if method == "set" => value_of(*v, src),
                _ => None,
            };
            push(token, value);
        }
        ("set", [o]) if o.kind_name() == "object" => {
            let token = prop(*o, "id", src).and_then(|t| string_value(t, src));
            let value = prop(*o, "value", src).and_then(|v| value_of(v, src));
            if let Some(token) = token {
                push(token, value);
            }
        }
        ("to" | "toConstantValue" | "toDynamicValue", [v]) => {
            let bind = f.field("object").filter(|b| b.kind_name() == "call_expression");
            let bound = bind.and_then(|b| b.field("function")).filter(|b| b.kind_name() == "member_expression");
            let is_bind = bound.and_then(|b| b.field("property")).is_some_and(|p| query::text(p, src) == "bind");
            let token = bind.and_then(|b| b.field("arguments")).and_then(|a| a.named_child(0));
            let Some(token) = token.filter(|_| is_bind).and_then(|t| string_value(t, src)) else { return };
            let value = match method {
                "to" if v.kind_name() == "identifier" => Some(DiValue::Class(query::text(*v, src).to_string())),
                "to" => None,
                _ => value_of(*v, src),
            };
            push(token, value);
        }
        _ => {}
    }
}

/// The typed fields of the module's classes, `(class, field, type)`: constructor
/// parameter properties (`constructor(@Inject('R') public route: UsersRoute)`) and field
/// declarations (`private route: UsersRoute`), with a plain type name.
pub fn field_types(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for top in named(root) {
        let Some(class) =
            super::ts_arch::declared(top).filter(|d| matches!(d.kind_name(), "class_declaration" | "class"))
        else {
            continue;
        };
        let (Some(name), Some(body)) = (class.field("name"), class.field("body")) else {
            continue;
        };
        let class_name = query::text(name, src);
        for m in named(body) {
            let typed: Vec<(Node, Node)> = match m.kind_name() {
                "public_field_definition" => m.field("name").zip(m.field("type")).into_iter().collect(),
                "method_definition" if m.field("name").is_some_and(|n| query::text(n, src) == "constructor") => {
                    let params = m.field("parameters").map(named).unwrap_or_default();
                    params
                        .into_iter()
                        .filter(|p| {
                            named(*p)
                                .iter()
                                .any(|c| matches!(c.kind_name(), "accessibility_modifier" | "override_modifier"))
                                || has_readonly(*p, src)
                        })
                        .filter_map(|p| p.field("pattern").zip(p.field("type")))
                        .collect()
                }
                _ => Vec::new(),
            };
            for (field, ty) in typed {
                let Some(t) = ty.named_child(0).filter(|t| t.kind_name() == "type_identifier") else { continue };
                if field.kind_name() == "property_identifier" || field.kind_name() == "identifier" {
                    let entry =
                        (class_name.to_string(), query::text(field, src).to_string(), query::text(t, src).to_string());
                    facts.field_types.push(entry);
                }
            }
        }
    }
}

/// `constructor(readonly route: UsersRoute)`: a parameter property without an access word.
fn has_readonly(param: Node, src: &[u8]) -> bool {
    (0..param.child_count()).filter_map(|i| param.child(i)).any(|c| query::text(c, src) == "readonly")
}

#[cfg(test)]
mod tests {
    #[test]
    fn getters_are_sorted() {
        crate::resolve::assert_sorted(&[super::GETTERS]);
    }
}

//! NestJS request wrappers (issue #3; cause 1 of the twelfth blind sample).
//!
//! ```ts
//! @Injectable()
//! export class ProxyService {
//!   private readonly usersUrl = 'http://localhost:3001';
//!   async forward(target: string, method: Method, path: string) {
//!     let url: string;
//!     switch (target) {
//!       case 'users': url = `${this.usersUrl}${path}`; break;
//!       …
//!     }
//!     return axios.request({ method, url });
//!   }
//! }
//! // a controller, the service injected into its constructor:
//! constructor(private readonly proxy: ProxyService) {}
//! … this.proxy.forward('users', 'GET', `/api/users/${id}`) …
//! ```
//!
//! No line says the request whole. A field the class gives one value (its initializer,
//! or the default of a constructor parameter property of an `@Injectable()` class, which
//! Nest constructs without arguments) is that value where a method reads `this.usersUrl`
//! ([`this_fields`]). A URL a method sets in each case of a `switch` on one of its
//! parameters is one request per case, each taken by the callers passing that case's
//! string ([`switch_cases`]). A method of an `@Injectable()` class is a request wrapper
//! named `ProxyService.prototype.forward` (JavaScript's name for an instance method), and
//! a class holding the service in a constructor parameter property calls it as
//! `this.proxy.forward(…)`: those calls are its call sites ([`injected_calls`]).

use super::query::FieldExt;
use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, string_value, template, wrapper_param, FUNCTIONS};
use super::ts_classes::{has_child, is_constructor, parameter_properties, Members, CLASSES};
use crate::model::{ArchFacts, Part, RawArgCall, Template};

/// The class declaration around `n`.
fn class_of(n: Node) -> Option<Node> {
    query::ancestors(n, 64).find(|a| CLASSES.contains(&a.kind()))
}

/// The name of the class declaration around `n`, if it has one.
pub fn class_name_of(n: Node, src: &[u8]) -> Option<String> {
    class_of(n).and_then(|c| c.field("name")).map(|name| query::text(name, src).to_string())
}

/// Whether a class is decorated `@Injectable()` (a NestJS provider, which Nest constructs).
pub fn injectable(class: Node, src: &[u8]) -> bool {
    let decorated = |n: Node| {
        let mut c = n.walk();
        let found = n.children(&mut c).any(|d| {
            d.kind() == "decorator" && {
                let t = query::text(d, src);
                t.starts_with("@Injectable(") || t.starts_with("@Injectable ")
            }
        });
        found
    };
    decorated(class) || class.parent().is_some_and(|p| p.kind() == "export_statement" && decorated(p))
}

/// `ProxyService.prototype.forward` for a method of an `@Injectable()` class.
pub fn injectable_method(method: Node, src: &[u8]) -> Option<String> {
    let class = method.parent().filter(|b| b.kind() == "class_body")?.parent()?;
    if !CLASSES.contains(&class.kind()) || !injectable(class, src) {
        return None;
    }
    let class = query::text(class.field("name")?, src);
    Some(format!("{class}.prototype.{}", query::text(method.field("name")?, src)))
}

/// The value `this.<field>` has in a method of the class around `n`, when the class gives
/// it one value only: a field declared with an initializer (`private readonly usersUrl =
/// '…'`, also `= process.env.X || '…'`), or a constructor parameter property with a
/// default (`constructor(private readonly base = '…')`) of an `@Injectable()` class (Nest
/// passes nothing for it). Assigned anywhere else in the class (`this.usersUrl = …`): none.
pub fn field_value<'t>(n: Node<'t>, field: &str, src: &[u8]) -> Option<Node<'t>> {
    let class = class_of(n)?;
    let body = class.field("body")?;
    let members = Members::of(body, src);
    // A declaration with no value (`private usersUrl: string;`) is set elsewhere: none.
    let mut declared = None;
    for f in members.fields_named(field, src) {
        declared = Some(f.field("value")?);
    }
    let param = members.constructor.and_then(|c| parameter_property(c, field, src));
    if param.is_some() && !injectable(class, src) {
        return None;
    }
    // Both (not valid TypeScript): the later, as a walk of the members would leave it.
    let value = declared.into_iter().chain(param).max_by_key(Node::start_byte);
    let text = query::text(body, src);
    let assigned = format!("this.{field}");
    let reassigned = text.match_indices(&assigned).any(|(i, _)| {
        let rest = text[i + assigned.len()..].trim_start();
        let ident = text[i + assigned.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$');
        !ident
            && (rest.starts_with('=') && !rest.starts_with("==") || rest.starts_with("+=") || rest.starts_with("??="))
    });
    value.filter(|_| !reassigned)
}

/// The default of the constructor parameter property `field`: `private readonly base = '…'`.
/// A parameter with a decorator (`@Inject('BASE')`) is given by Nest: none.
fn parameter_property<'t>(ctor: Node<'t>, field: &str, src: &[u8]) -> Option<Node<'t>> {
    parameter_properties(ctor).find_map(|(_, p)| {
        if has_child(p, &["decorator"]) {
            return None;
        }
        let name = p.field("pattern").filter(|i| query::text(*i, src) == field)?;
        name.is_named().then(|| p.field("value")).flatten()
    })
}

/// A URL template with each `this.<field>` read as the value its class gives the field
/// ([`field_value`]); other fields are left as they were (unknown).
pub fn this_fields(at: Node, url: Template, src: &[u8]) -> Template {
    if !url.iter().any(|p| matches!(p, Part::Ref(r) if r.starts_with("this."))) {
        return url;
    }
    let mut out = Template::new();
    for p in url {
        let value = match &p {
            Part::Ref(r) => r.strip_prefix("this.").filter(|f| !f.contains('.')).and_then(|f| field_value(at, f, src)),
            _ => None,
        };
        match value.map(|v| template(v, src)) {
            Some(t) if !t.iter().any(|q| matches!(q, Part::Ref(r) if r.starts_with("this."))) => {
                super::arch::push_parts(&mut out, t)
            }
            _ => super::arch::push_parts(&mut out, vec![p]),
        }
    }
    out
}

/// `let url; switch (target) { case 'users': url = …; break; case 'orders': url = …; }`:
/// the value the identifier `u` gets in each case, with the case's string and the index
/// of the parameter switched on, when every assignment of it in the function (before
/// `u`) is a statement of a case of that one `switch` on a parameter of the function,
/// each case a string, and its declaration gives it no value. Anything else: none.
pub fn switch_cases<'t>(u: Node<'t>, src: &[u8]) -> Option<(usize, Vec<(String, Node<'t>)>)> {
    let name = query::text(u, src);
    let func = query::ancestors(u, 64).find(|a| FUNCTIONS.contains(&a.kind()))?;
    let mut switch: Option<Node> = None;
    let mut cases = Vec::new();
    let mut stack = vec![func.field("body")?];
    while let Some(n) = stack.pop() {
        if FUNCTIONS.contains(&n.kind()) {
            continue;
        }
        stack.extend(named(n));
        let Some(value) = super::ts_arch::assigns(n, name, src) else { continue };
        if n.kind() == "variable_declarator" {
            if value.is_some() {
                return None;
            }
            continue;
        }
        let case = n.parent().filter(|s| s.kind() == "expression_statement")?.parent()?;
        if case.kind() != "switch_case" || n.start_byte() > u.start_byte() {
            return None;
        }
        let stmt = case.parent()?.parent().filter(|s| s.kind() == "switch_statement")?;
        if switch.is_some_and(|s| s.id() != stmt.id()) {
            return None;
        }
        switch = Some(stmt);
        let label = string_value(case.field("value")?, src)?;
        if cases.iter().any(|(l, _): &(String, Node)| *l == label) {
            return None;
        }
        cases.push((label, value?));
    }
    let on = switch?.field("value")?;
    let on = if on.kind() == "parenthesized_expression" { on.named_child(0)? } else { on };
    let (_, index) = wrapper_param(None, on, src)?;
    let around = query::ancestors(on, 64).find(|a| FUNCTIONS.contains(&a.kind()))?;
    (around.id() == func.id() && !cases.is_empty()).then(|| {
        cases.sort_by_key(|(_, v)| v.start_byte());
        (index, cases)
    })
}

/// Calls of a NestJS provider's methods through the class's constructor parameter
/// properties (`constructor(private readonly proxy: ProxyService)`, then
/// `this.proxy.forward(…)`), when the type is a name the file imports: each a call of
/// `ProxyService.forward`, whose wrapper resolution finds in the imported module (as
/// `Api.fetch` of a static method). Every argument is kept as written (a case's string
/// such as `'users'` chooses the wrapper's request); found by text, a few substring
/// searches per injected property.
pub fn injected_calls(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let mut found = Vec::new();
    for (field, class) in injected_properties(root, src, facts) {
        let needle = format!("this.{field}.");
        for (i, _) in text.match_indices(&needle) {
            let Some(member) = root.descendant_for_byte_range(i, i + needle.len() - 1) else { continue };
            let up = query::ancestors_below(root, member, 4);
            let Some(&call) = up.iter().find(|a| a.kind() == "call_expression") else { continue };
            let Some(func) = call.field("function").filter(|f| f.kind() == "member_expression") else {
                continue;
            };
            if func.field("object").is_none_or(|o| o.start_byte() != i || o.end_byte() != i + needle.len() - 1) {
                continue;
            }
            let Some(method) = func.field("property") else { continue };
            let args = call.field("arguments").map(named).unwrap_or_default();
            let methods = args
                .iter()
                .enumerate()
                .filter_map(|(k, a)| {
                    string_value(*a, src)
                        .and_then(|m| super::arch::http_method(&m))
                        .filter(|m| m != "ANY")
                        .map(|m| (k, m))
                })
                .collect();
            found.push(RawArgCall {
                callee: format!("{class}.{}", query::text(method, src)),
                args: args.iter().map(|a| template(*a, src)).collect(),
                kwargs: Vec::new(),
                methods,
                props: Vec::new(),
                line: query::line(call),
            });
        }
    }
    facts.arg_calls.extend(found);
}

/// The constructor parameter properties of the file's classes whose type is a name the
/// file imports (`private readonly proxy: ProxyService`), as (property, type).
fn injected_properties(root: Node, src: &[u8], facts: &ArchFacts) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "method_definition" if is_constructor(n, src) => {
                for (_, p) in parameter_properties(n) {
                    let name = p.field("pattern").filter(|i| i.kind() == "identifier");
                    let ty = p.field("type").and_then(|t| t.named_child(0)).filter(|t| t.kind() == "type_identifier");
                    if let (Some(name), Some(ty)) = (name, ty) {
                        let ty = query::text(ty, src);
                        if facts.bindings.iter().any(|b| b.local == ty) {
                            out.push((query::text(name, src).to_string(), ty.to_string()));
                        }
                    }
                }
            }
            "program" | "export_statement" | "class_declaration" | "abstract_class_declaration" | "class_body" => {
                stack.extend(named(n));
            }
            _ => {}
        }
    }
    out
}

//! Python routers named by where they live rather than by the name written
//! (`lang/py_arch.rs` reads routers, routes and mounts by their receiver's text):
//!
//! - A sub-router (`APIRouter`, `Blueprint`) a function builds in a local and returns
//!   (`def create_v1_router(db): router = APIRouter(prefix="/api/v1"); …; return router`)
//!   is named after the function (`create_v1_router`, `Class.method` for a method), with
//!   the routes and mounts on that local inside the function: a call of the function is
//!   what a caller mounts. The name is one of the file's `made_routers`.
//! - A router held in a field of a class (`self.router = APIRouter(prefix="/auth")`, and
//!   `@self.router.post("/login")` in its methods) is `Class.router`. A class whose routes
//!   use `self.router` without setting it, and that hands the one router it builds in a
//!   local to its base class's constructor (`router = APIRouter(prefix="/users");
//!   super().__init__(svc, router)`), holds that router there. A method returning the
//!   field (`def get_router(self): return self.router`) gives it: `router_results` says
//!   `Class.get_router` is `Class.router`.
//! - A mount of a name bound in the mount's own function (or module) to a call reads
//!   through it: `v1 = create_v1_router(db); app.include_router(v1)` mounts
//!   `create_v1_router()`; `c = UserController(); r.include_router(c.router)` mounts
//!   `UserController.router`; `cr = c.get_router()` mounts `UserController.get_router()`.
//!   Resolution (`resolve/routes.rs`) finds those names in the module defining them.
//!
//! Run only on a file with routers or mounts.

use tree_sitter::Node;

use super::query::{self, FieldExt};
use crate::model::ArchFacts;

/// Constructors of routers that serve only once mounted (`py_arch::router_def`'s sub-routers).
const SUB_ROUTERS: &[&str] = &["APIRouter", "Blueprint", "InferringRouter"];

/// A function or class: name, first and last line, enclosing class (functions).
struct Scope<'t> {
    name: String,
    lines: (u32, u32),
    class: Option<String>,
    node: Node<'t>,
}

/// `left = right(…)`: (left as written, callee as written, line).
struct Assign {
    left: String,
    callee: String,
    line: u32,
}

pub fn scope(root: Node, text: &str, facts: &mut ArchFacts) {
    if facts.routers.is_empty() && facts.mounts.is_empty() {
        return;
    }
    let src = text.as_bytes();
    let mut functions: Vec<Scope> = Vec::new();
    let mut classes: Vec<Scope> = Vec::new();
    let mut assigns: Vec<Assign> = Vec::new();
    // `super().__init__(…)`/`Base.__init__(self, …)` calls: (line, identifier arguments).
    let mut base_inits: Vec<(u32, Vec<String>)> = Vec::new();
    collect(root, src, &mut functions, &mut classes, &mut assigns, &mut base_inits);
    made_routers(src, &functions, facts);
    class_routers(src, &functions, &classes, &base_inits, &assigns, facts);
    read_mounts(&functions, &assigns, facts);
}

fn lines(n: Node) -> (u32, u32) {
    (query::line(n), u32::try_from(n.end_position().row).unwrap_or(u32::MAX - 1) + 1)
}

fn within(line: u32, (a, b): (u32, u32)) -> bool {
    a <= line && line <= b
}

fn collect<'t>(
    root: Node<'t>,
    src: &[u8],
    functions: &mut Vec<Scope<'t>>,
    classes: &mut Vec<Scope<'t>>,
    assigns: &mut Vec<Assign>,
    base_inits: &mut Vec<(u32, Vec<String>)>,
) {
    // (node, innermost class name)
    let mut stack: Vec<(Node<'t>, Option<String>, u32)> = vec![(root, None, 0)];
    while let Some((n, class, depth)) = stack.pop() {
        if depth > 200 {
            continue;
        }
        let mut inner_class = class.clone();
        match n.kind_name() {
            "function_definition" => {
                if let Some(name) = n.field("name") {
                    functions.push(Scope {
                        name: query::text(name, src).to_string(),
                        lines: lines(n),
                        class: class.clone(),
                        node: n,
                    });
                }
                // A nested function's body is no longer the class's own level.
                inner_class = None;
                if let Some(c) = class.as_ref() {
                    // Methods keep their class: nested functions inside a method keep it too
                    // (`self` is the method's).
                    inner_class = Some(c.clone());
                }
            }
            "class_definition" => {
                if let Some(name) = n.field("name") {
                    let name = query::text(name, src).to_string();
                    classes.push(Scope { name: name.clone(), lines: lines(n), class: None, node: n });
                    inner_class = Some(name);
                }
            }
            "assignment" => {
                let left = n.field("left");
                let right =
                    n.field("right").map(|r| if r.kind_name() == "await" { r.named_child(0).unwrap_or(r) } else { r });
                if let (Some(l), Some(r)) = (left, right.filter(|r| r.kind_name() == "call")) {
                    if let Some(f) = r.field("function").filter(|f| matches!(f.kind_name(), "identifier" | "attribute"))
                    {
                        assigns.push(Assign {
                            left: query::text(l, src).to_string(),
                            callee: query::text(f, src).to_string(),
                            line: query::line(n),
                        });
                    }
                }
            }
            "call" => {
                let func = n.field("function").map(|f| query::text(f, src)).unwrap_or("");
                if func.ends_with(".__init__") {
                    let args = n.field("arguments").map(|a| super::py_arch::split_args(a).0).unwrap_or_default();
                    let names =
                        args.iter().filter(|a| a.kind_name() == "identifier").map(|a| query::text(*a, src).to_string());
                    base_inits.push((query::line(n), names.collect()));
                }
            }
            _ => {}
        }
        let mut cursor = n.walk();
        for c in n.named_children(&mut cursor) {
            stack.push((c, inner_class.clone(), depth + 1));
        }
    }
    functions.sort_by_key(|f| (f.lines.0, std::cmp::Reverse(f.lines.1)));
    classes.sort_by_key(|c| (c.lines.0, std::cmp::Reverse(c.lines.1)));
}

/// The innermost scope holding `line`.
fn innermost<'s, 't>(scopes: &'s [Scope<'t>], line: u32) -> Option<&'s Scope<'t>> {
    scopes.iter().filter(|s| within(line, s.lines)).min_by_key(|s| s.lines.1 - s.lines.0)
}

/// The names a function returns (`return name`, `return self.x`), nested functions and
/// classes left out.
fn returned(func: Node, src: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let Some(body) = func.field("body") else { return out };
    let mut stack = vec![(body, 0u32)];
    while let Some((n, depth)) = stack.pop() {
        if depth > 100 {
            continue;
        }
        match n.kind_name() {
            "function_definition" | "class_definition" | "lambda" => continue,
            "return_statement" => {
                if let Some(v) = n.named_child(0).filter(|v| matches!(v.kind_name(), "identifier" | "attribute")) {
                    out.push(query::text(v, src).to_string());
                }
                continue;
            }
            _ => {}
        }
        let mut cursor = n.walk();
        for c in n.named_children(&mut cursor) {
            stack.push((c, depth + 1));
        }
    }
    out
}

/// Every router, route and mount named `from` on a line in `range` is `to`.
fn rename(facts: &mut ArchFacts, from: &str, to: &str, range: (u32, u32)) {
    let mut sub = false;
    for r in facts.routers.iter_mut().filter(|r| r.name == from && within(r.line, range)) {
        r.name = to.to_string();
        sub = facts.sub_routers.iter().any(|s| s == from);
    }
    for r in facts.routes.iter_mut().filter(|r| r.router == from && within(r.line, range)) {
        r.router = to.to_string();
    }
    for m in facts.mounts.iter_mut().filter(|m| within(m.line, range)) {
        if m.parent == from {
            m.parent = to.to_string();
        }
        if m.child == from {
            m.child = to.to_string();
        }
    }
    if sub && !facts.sub_routers.iter().any(|s| s == to) {
        facts.sub_routers.push(to.to_string());
    }
    if !facts.routers.iter().any(|r| r.name == from) {
        facts.sub_routers.retain(|s| s != from);
    }
}

fn function_name(f: &Scope) -> String {
    match &f.class {
        Some(c) => format!("{c}.{}", f.name),
        None => f.name.clone(),
    }
}

fn made_routers(src: &[u8], functions: &[Scope], facts: &mut ArchFacts) {
    let locals: Vec<(String, u32)> = facts
        .routers
        .iter()
        .filter(|r| !r.name.contains('.') && facts.sub_routers.contains(&r.name))
        .map(|r| (r.name.clone(), r.line))
        .collect();
    for (name, line) in locals {
        let Some(f) = innermost(functions, line) else { continue };
        if !returned(f.node, src).contains(&name) {
            continue;
        }
        let made = function_name(f);
        rename(facts, &name, &made, f.lines);
        if !facts.made_routers.contains(&made) {
            facts.made_routers.push(made);
        }
    }
}

fn class_routers(
    src: &[u8],
    functions: &[Scope],
    classes: &[Scope],
    base_inits: &[(u32, Vec<String>)],
    assigns: &[Assign],
    facts: &mut ArchFacts,
) {
    for c in classes {
        let innermost_class = |line: u32| innermost(classes, line).is_some_and(|k| k.lines == c.lines);
        // Fields the class's routes and mounts use: `self.router`.
        let mut fields: Vec<String> = facts
            .routers
            .iter()
            .map(|r| (r.name.as_str(), r.line))
            .chain(facts.routes.iter().map(|r| (r.router.as_str(), r.line)))
            .chain(facts.mounts.iter().flat_map(|m| [(m.parent.as_str(), m.line), (m.child.as_str(), m.line)]))
            .filter(|(n, l)| innermost_class(*l) && n.strip_prefix("self.").is_some_and(|f| !f.contains('.')))
            .map(|(n, _)| n["self.".len()..].to_string())
            .collect();
        fields.sort();
        fields.dedup();
        for field in &fields {
            let held = format!("{}.{field}", c.name);
            let set_here = facts.routers.iter().any(|r| r.name == format!("self.{field}") && innermost_class(r.line));
            rename(facts, &format!("self.{field}"), &held, c.lines);
            if set_here {
                // `self.router = APIRouter(…)`: a sub-router when its constructor is one.
                let sub = assigns.iter().any(|a| {
                    a.left == format!("self.{field}")
                        && innermost_class(a.line)
                        && SUB_ROUTERS.contains(&a.callee.rsplit('.').next().unwrap_or(&a.callee))
                });
                if sub && !facts.sub_routers.contains(&held) {
                    facts.sub_routers.push(held.clone());
                }
            }
        }
        // Routes on a field the class never sets: the one local router it hands its base.
        if let [field] = fields.as_slice() {
            let held = format!("{}.{field}", c.name);
            if !facts.routers.iter().any(|r| r.name == held) {
                let handed: Vec<(String, u32)> = facts
                    .routers
                    .iter()
                    .filter(|r| !r.name.contains('.') && innermost_class(r.line))
                    .filter(|r| {
                        base_inits.iter().any(|(l, args)| {
                            innermost(functions, *l).is_some_and(|f| within(r.line, f.lines)) && args.contains(&r.name)
                        })
                    })
                    .map(|r| (r.name.clone(), r.line))
                    .collect();
                if let [(local, line)] = handed.as_slice() {
                    if let Some(f) = innermost(functions, *line) {
                        rename(facts, local, &held, f.lines);
                    }
                }
            }
        }
        // A method returning a field router gives it.
        for f in functions.iter().filter(|f| f.class.as_deref() == Some(c.name.as_str()) && innermost_class(f.lines.0))
        {
            for r in returned(f.node, src) {
                let Some(field) = r.strip_prefix("self.") else { continue };
                let held = format!("{}.{field}", c.name);
                if facts.routers.iter().any(|d| d.name == held) {
                    let method = format!("{}.{}", c.name, f.name);
                    facts.router_results.push((method, held.clone()));
                    if !facts.made_routers.contains(&held) {
                        facts.made_routers.push(held);
                    }
                }
            }
        }
    }
}

/// The class a name is an instance of where `line` reads it: its last binding in the
/// same function (or module level) before the line is a call of a capitalised name.
fn bound_call<'a>(functions: &[Scope], assigns: &'a [Assign], name: &str, line: u32) -> Option<&'a Assign> {
    let scope = innermost(functions, line).map(|f| f.lines);
    assigns
        .iter()
        .filter(|a| a.left == name && a.line <= line)
        .filter(|a| innermost(functions, a.line).map(|f| f.lines) == scope)
        .max_by_key(|a| a.line)
}

fn capitalised(callee: &str) -> bool {
    callee.rsplit('.').next().is_some_and(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// `obj.member` where `obj` holds an instance of a class: `Class.member`.
fn through_instance(functions: &[Scope], assigns: &[Assign], text: &str, line: u32) -> Option<String> {
    let (obj, member) = text.split_once('.')?;
    if !is_ident(obj) || obj == "self" {
        return None;
    }
    let a = bound_call(functions, assigns, obj, line).filter(|a| capitalised(&a.callee))?;
    Some(format!("{}.{member}", a.callee))
}

fn is_ident(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn read_mounts(functions: &[Scope], assigns: &[Assign], facts: &mut ArchFacts) {
    let defined: Vec<String> = facts.routers.iter().map(|r| r.name.clone()).collect();
    for m in &mut facts.mounts {
        let child = m.child.trim();
        // `include_router(create_v1_router(db))`: the function's router.
        let called = child
            .split_once('(')
            .map(|(f, _)| f.trim())
            .filter(|f| child.ends_with(')') && !f.is_empty() && f.split('.').all(is_ident));
        let next = if let Some(f) = called {
            Some(format!("{}()", through_instance(functions, assigns, f, m.line).unwrap_or_else(|| f.to_string())))
        } else if defined.contains(&m.child) || child.contains(['(', '[', ' ']) {
            None
        } else if child.contains('.') {
            through_instance(functions, assigns, child, m.line)
        } else if is_ident(child) {
            bound_call(functions, assigns, child, m.line).filter(|a| !capitalised(&a.callee)).map(|a| {
                let f = through_instance(functions, assigns, &a.callee, a.line).unwrap_or_else(|| a.callee.clone());
                format!("{f}()")
            })
        } else {
            None
        };
        if let Some(next) = next {
            m.child = next;
        }
    }
}

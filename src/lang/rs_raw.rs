//! Endpoints of Rust servers that route by hand, with no framework (issue #3): a hyper
//! handler (a function taking a `Request<…>`, what `service_fn` is given) matching the
//! request's path: `match (req.method(), req.uri().path()) { (&Method::GET, "/") => … }`
//! is that method and path, `match req.uri().path() { "/x" => … }` is `ANY`.
//!
//! Only a string literal pattern is a route: a binding (`(_, p) if p.starts_with(…)`) or
//! `_` says no path. A method pattern that is a binding or `_` is `ANY`.

use syn::visit::{self, Visit};
use syn::{Expr, FnArg, Lit, Pat, Type};

use super::arch::{http_method, lit};
use super::rs_arch::line;
use crate::model::{ArchFacts, RawRoute};

/// Whether a file may hold such a handler: a cheap word looked for first. tonic's generated
/// server (`tonic::codegen`, committed as `pb/echo.rs` or built into `OUT_DIR`) routes by
/// hand too, `match req.uri().path() { "/echo.Echo/Say" => … }`: those are the proto's rpcs,
/// endpoints already (`RPC /echo.Echo/Say`), not `ANY` routes of their own.
pub fn mentions(text: &str) -> bool {
    text.contains(".uri().path()") && !text.contains("tonic::codegen")
}

/// Routes of the file's hand-routed handlers.
pub fn routes(file: &syn::File, facts: &mut ArchFacts) {
    let mut v = Handlers { facts, router: String::new(), req: String::new(), paths: Vec::new(), methods: Vec::new() };
    v.visit_file(file);
}

struct Handlers<'f> {
    facts: &'f mut ArchFacts,
    /// `hyper:<fn>` of the handler being read.
    router: String,
    /// The request parameter of that handler (empty outside one).
    req: String,
    /// Locals holding the request's path and method (`let path = req.uri().path();`).
    paths: Vec<String>,
    methods: Vec<String>,
}

/// The name of a parameter typed `Request<…>` (`req: Request<Body>`, `mut req: hyper::Request<B>`).
fn request_param<'a>(mut inputs: impl Iterator<Item = &'a FnArg>) -> Option<String> {
    inputs.find_map(|a| match a {
        FnArg::Typed(t) => match (&*t.pat, under_ref(&t.ty)) {
            (Pat::Ident(i), Type::Path(p)) if p.path.segments.last().is_some_and(|s| s.ident == "Request") => {
                Some(i.ident.to_string())
            }
            _ => None,
        },
        FnArg::Receiver(_) => None,
    })
}

/// The type under `&`/`&mut`.
fn under_ref(t: &Type) -> &Type {
    match t {
        Type::Reference(r) => under_ref(&r.elem),
        _ => t,
    }
}

/// The expression under `&`, parentheses and `.as_str()`/`.as_ref()`.
fn bare(e: &Expr) -> &Expr {
    match e {
        Expr::Reference(r) => bare(&r.expr),
        Expr::Paren(p) => bare(&p.expr),
        Expr::MethodCall(m) if m.args.is_empty() && (m.method == "as_str" || m.method == "as_ref") => bare(&m.receiver),
        _ => e,
    }
}

impl Handlers<'_> {
    fn is_req(&self, e: &Expr) -> bool {
        matches!(bare(e), Expr::Path(p) if p.path.is_ident(&self.req))
    }

    /// `req.uri().path()` or a local holding it.
    fn is_path(&self, e: &Expr) -> bool {
        match bare(e) {
            Expr::Path(p) => self.paths.iter().any(|l| p.path.is_ident(l)),
            Expr::MethodCall(m) if m.method == "path" && m.args.is_empty() => {
                matches!(&*m.receiver, Expr::MethodCall(u) if u.method == "uri" && u.args.is_empty() && self.is_req(&u.receiver))
            }
            _ => false,
        }
    }

    /// `req.method()` or a local holding it.
    fn is_method(&self, e: &Expr) -> bool {
        match bare(e) {
            Expr::Path(p) => self.methods.iter().any(|l| p.path.is_ident(l)),
            Expr::MethodCall(m) => m.method == "method" && m.args.is_empty() && self.is_req(&m.receiver),
            _ => false,
        }
    }

    /// Reads `body` as the handler `name` whose request parameter is `req`.
    fn handler(&mut self, name: &str, req: Option<String>, body: &mut dyn FnMut(&mut Self)) {
        let Some(req) = req else { return body(self) };
        let saved = (
            std::mem::replace(&mut self.router, format!("hyper:{name}")),
            std::mem::replace(&mut self.req, req),
            std::mem::take(&mut self.paths),
            std::mem::take(&mut self.methods),
        );
        body(self);
        (self.router, self.req, self.paths, self.methods) = saved;
    }

    /// One alternative of an arm: `(&Method::GET, "/")` (method at `mi`, path at `pi`) or
    /// `"/x"` (`mi` is `usize::MAX`).
    fn arm(&mut self, pat: &Pat, mi: usize, pi: usize) {
        let (method_pat, path_pat) = match pat {
            Pat::Tuple(t) if mi != usize::MAX && t.elems.len() == 2 => (Some(&t.elems[mi]), &t.elems[pi]),
            p if mi == usize::MAX => (None, p),
            _ => return,
        };
        let Some(methods) = method_pat.map_or(Some(Vec::new()), method_pats) else { return };
        let mut paths = Vec::new();
        if path_pats(path_pat, &mut paths) {
            for p in paths {
                self.push(methods.clone(), p);
            }
        }
    }

    fn push(&mut self, methods: Vec<String>, path: &syn::LitStr) {
        let value = path.value();
        if !value.starts_with('/') {
            return;
        }
        let methods = if methods.is_empty() { vec!["ANY".to_string()] } else { methods };
        self.facts.routes.push(RawRoute {
            framework: "hyper".into(),
            router: self.router.clone(),
            methods,
            path: lit(&value),
            handler: None,
            line: line(path.span()),
        });
    }
}

/// The string literals of a pattern made only of them (`"/a" | "/b"`).
fn path_pats<'p>(p: &'p Pat, out: &mut Vec<&'p syn::LitStr>) -> bool {
    match p {
        Pat::Lit(l) => match &l.lit {
            Lit::Str(s) => {
                out.push(s);
                true
            }
            _ => false,
        },
        Pat::Or(o) => o.cases.iter().all(|c| path_pats(c, out)),
        Pat::Paren(p) => path_pats(&p.pat, out),
        _ => false,
    }
}

/// The methods of a method pattern (`&Method::GET`, `Method::POST | Method::PUT`); empty
/// for a binding or `_` (any method); `None` for anything else.
fn method_pats(p: &Pat) -> Option<Vec<String>> {
    match p {
        Pat::Reference(r) => method_pats(&r.pat),
        Pat::Paren(p) => method_pats(&p.pat),
        Pat::Wild(_) | Pat::Ident(_) => Some(Vec::new()),
        Pat::Path(p) => {
            let last = p.path.segments.last()?.ident.to_string();
            let m = http_method(&last).filter(|m| m != "ANY" && last.chars().all(|c| c.is_ascii_uppercase()))?;
            Some(vec![m])
        }
        Pat::Or(o) => {
            let all: Option<Vec<Vec<String>>> = o.cases.iter().map(method_pats).collect();
            let all = all?;
            if all.iter().any(Vec::is_empty) {
                return Some(Vec::new());
            }
            Some(all.concat())
        }
        _ => None,
    }
}

impl<'ast> Visit<'ast> for Handlers<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        let req = request_param(f.sig.inputs.iter());
        self.handler(&f.sig.ident.to_string(), req, &mut |v| v.visit_block(&f.block));
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        let req = request_param(f.sig.inputs.iter());
        self.handler(&f.sig.ident.to_string(), req, &mut |v| v.visit_block(&f.block));
    }

    /// `service_fn(|req| async move { match req.uri().path() { … } })`: the closure's
    /// parameter is the request.
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        let service_fn =
            matches!(&*c.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "service_fn"));
        match c.args.first() {
            Some(Expr::Closure(cl)) if service_fn => {
                let req = cl.inputs.first().and_then(|p| match p {
                    Pat::Ident(i) => Some(i.ident.to_string()),
                    Pat::Type(t) => match &*t.pat {
                        Pat::Ident(i) => Some(i.ident.to_string()),
                        _ => None,
                    },
                    _ => None,
                });
                self.handler("service_fn", req, &mut |v| v.visit_expr(&cl.body));
            }
            _ => visit::visit_expr_call(self, c),
        }
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        if let (false, Pat::Ident(i), Some(init)) = (self.req.is_empty(), &l.pat, &l.init) {
            if self.is_path(&init.expr) {
                self.paths.push(i.ident.to_string());
            } else if self.is_method(&init.expr) {
                self.methods.push(i.ident.to_string());
            }
        }
        visit::visit_local(self, l);
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        if !self.req.is_empty() {
            // (method, path) in either order, or the path alone.
            let order = match bare(&m.expr) {
                Expr::Tuple(t) if t.elems.len() == 2 => {
                    let (a, b) = (&t.elems[0], &t.elems[1]);
                    if self.is_method(a) && self.is_path(b) {
                        Some((0, 1))
                    } else if self.is_path(a) && self.is_method(b) {
                        Some((1, 0))
                    } else {
                        None
                    }
                }
                e if self.is_path(e) => Some((usize::MAX, 0)),
                _ => None,
            };
            if let Some((mi, pi)) = order {
                for arm in &m.arms {
                    let alternatives: Vec<&Pat> = match &arm.pat {
                        Pat::Or(o) => o.cases.iter().collect(),
                        p => vec![p],
                    };
                    for pat in alternatives {
                        self.arm(pat, mi, pi);
                    }
                }
            }
        }
        visit::visit_expr_match(self, m);
    }
}

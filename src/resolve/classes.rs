//! HTTP clients written as Python classes: a request whose base URL is a constructor
//! argument (`self._svc_url = svc_url` in `__init__`), made in a method that may take
//! the path from its callers (`def post(self, endpoint, data)`), found in
//! `lang/py_classes.rs`.
//!
//! Each call site gets the URL its receiver is made with:
//! - the request's own line, when every construction of its class (and of the
//!   subclasses inheriting that `__init__`) passes the same base;
//! - `self.post(self.X_ENDPOINT, …)` in a method of the class or of a subclass (not
//!   overriding `post`): the constructions of that class and its subclasses, when they
//!   agree, with the caller's argument as the path;
//! - `svc.check_alive()` on `svc = LLMSvc(LLM_URL)` made in the same function: that
//!   construction's argument.
//!
//! When a `self` call's base is not one (`BaseSvc.check_alive` calls `self.get("/ping")`,
//! and `LLMSvc` and `RecSysSvc` pass different URLs), the method around it becomes a
//! request of its own, followed to its callers in turn (three levels at most).
//! Classes, subclasses and constructions are looked for in the request's service only,
//! where a class name must be unique. Nothing is guessed: a base the constructions do
//! not agree on is a diagnostic at the site.

use std::collections::BTreeMap;

use super::arch::{render, Ctx};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::arch::push_parts;
use crate::model::{Lang, Part, RawArgCall, RawCall, RawPyClass, Template};

/// How many times a request is handed on to the callers of the method around a `self` call.
const LEVELS: u32 = 3;

/// A request whose base a construction gives, to be linked at its callers.
#[derive(Clone)]
struct Req {
    /// Where it is made (or handed on), and its line there.
    file: usize,
    line: u32,
    /// The class and method it is made in.
    class: String,
    method: String,
    /// The class whose `__init__` takes the base, and the parameter (index, name).
    init: (String, usize, String),
    /// The method's parameter giving the path, if any.
    param: Option<usize>,
    /// What follows the base and the path, resolved.
    rest: Template,
    client: String,
    http: String,
    level: u32,
}

/// A class name within a service.
type Key<'a> = (Option<usize>, &'a str);

/// The project's Python classes and constructions, by service and name.
struct Index<'a> {
    classes: BTreeMap<Key<'a>, Vec<&'a RawPyClass>>,
    ctors: BTreeMap<Key<'a>, Vec<(usize, &'a RawArgCall)>>,
}

fn last(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

impl<'a> Index<'a> {
    fn new(ctx: &Ctx<'a>) -> Self {
        let mut classes: BTreeMap<Key, Vec<&RawPyClass>> = BTreeMap::new();
        let mut ctors: BTreeMap<Key, Vec<(usize, &RawArgCall)>> = BTreeMap::new();
        for (i, f) in ctx.project.files.iter().enumerate().filter(|(_, f)| f.file.lang == Lang::Python) {
            let owner = ctx.owner(i);
            for c in &f.facts.arch.py_classes {
                classes.entry((owner, c.name.as_str())).or_default().push(c);
            }
            for c in &f.facts.arch.constructions {
                ctors.entry((owner, last(&c.callee))).or_default().push((i, c));
            }
        }
        Index { classes, ctors }
    }

    /// The one class of that name in the service.
    fn class(&self, owner: Option<usize>, name: &str) -> Option<&'a RawPyClass> {
        match self.classes.get(&(owner, name)).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }

    /// Whether `sub` is `class` or inherits from it, no class on the way (`class` left
    /// out) defining a method named `method` (when given) or `__init__` (when `init`).
    fn descends(&self, owner: Option<usize>, sub: &str, class: &str, method: Option<&str>, depth: u32) -> bool {
        if sub == class {
            return true;
        }
        let Some(c) = self.class(owner, sub).filter(|_| depth < 8) else { return false };
        if method.is_some_and(|m| c.methods.iter().any(|x| x == m)) {
            return false;
        }
        c.bases.iter().any(|b| self.descends(owner, last(b), class, method, depth + 1))
    }

    /// `class` and every class of the service inheriting from it.
    fn family<'s>(&'s self, owner: Option<usize>, class: &'s str) -> Vec<&'s str> {
        let mut out = vec![class];
        let mut k = 0;
        while k < out.len() && out.len() < 64 {
            let parent = out[k];
            for ((o, name), defs) in &self.classes {
                if *o == owner && !out.contains(name) && defs.iter().any(|d| d.bases.iter().any(|b| last(b) == parent))
                {
                    out.push(name);
                }
            }
            k += 1;
        }
        out
    }

    /// The base URL objects of `receiver` (or of a subclass) hold: what every construction
    /// passes for `__init__`'s parameter, when they agree; else why not.
    fn base(
        &self,
        ctx: &Ctx,
        owner: Option<usize>,
        init: &(String, usize, String),
        receiver: &str,
    ) -> Result<Template, String> {
        let (w, index, param) = init;
        let mut found: Vec<Template> = Vec::new();
        for x in self.family(owner, receiver) {
            if self.class(owner, x).is_none() {
                return Err(format!("`{x}` is defined more than once"));
            }
            if x != w && !self.descends(owner, x, w, Some("__init__"), 0) {
                return Err(format!("`{x}` has an `__init__` of its own"));
            }
            for (j, c) in self.ctors.get(&(owner, x)).map(Vec::as_slice).unwrap_or(&[]) {
                let t = ctor_arg(c, *index, param)
                    .ok_or_else(|| format!("`{}` at line {} passes no `{param}`", c.callee, c.line))?;
                let t = ctx
                    .resolve_template(*j, t)
                    .map_err(|var| format!("`{param}` is environment variable `{var}`, which nothing sets"))?;
                if !found.contains(&t) {
                    found.push(t);
                }
            }
        }
        match found.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(format!("no construction of `{receiver}` passing `{param}` is found")),
            many => Err(format!("the constructions of `{receiver}` pass {} different `{param}`s", many.len())),
        }
    }
}

/// The argument a construction passes for `__init__`'s parameter `index`/`name`.
fn ctor_arg<'c>(c: &'c RawArgCall, index: usize, name: &str) -> Option<&'c Template> {
    c.kwargs.iter().find(|(k, _)| k == name).map(|(_, t)| t).or_else(|| c.args.get(index)).filter(|t| !t.is_empty())
}

/// Requests of class-based clients, as calls at each site (by file), and diagnostics.
pub fn resolve(ctx: &Ctx) -> (BTreeMap<usize, Vec<RawCall>>, Vec<Diagnostic>) {
    let mut sites: BTreeMap<usize, Vec<RawCall>> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    let files = &ctx.project.files;
    if files.iter().all(|f| f.facts.arch.method_calls.is_empty()) {
        return (sites, diagnostics);
    }
    let index = Index::new(ctx);
    let mut queue: Vec<Req> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        for m in &f.facts.arch.method_calls {
            let rest = match ctx.resolve_template(i, &m.call.url) {
                Ok(t) => t,
                Err(var) => {
                    let msg = format!("URL from environment variable `{var}`, which no compose, Kubernetes or .env file sets: call not linked");
                    diagnostics.push(Diagnostic::new(ctx.project.rel(i), Some(m.call.line), Severity::Info, msg));
                    continue;
                }
            };
            queue.push(Req {
                file: i,
                line: m.call.line,
                class: m.class.clone(),
                method: m.method.clone(),
                init: (m.class.clone(), m.base.0, m.base.1.clone()),
                param: m.param,
                rest,
                client: m.call.client.clone(),
                http: m.call.method.clone(),
                level: 0,
            });
        }
    }
    let mut k = 0;
    while k < queue.len() {
        let r = queue[k].clone();
        k += 1;
        let owner = ctx.owner(r.file);
        let rel = ctx.project.rel(r.file);
        let mut why = None;
        // A request of its own: linked here when the class's objects all have one base.
        if r.param.is_none() && r.level == 0 {
            match index.base(ctx, owner, &r.init, &r.class) {
                Ok(base) => {
                    let url = joined(base, r.rest.clone());
                    sites.entry(r.file).or_default().push(RawCall {
                        client: r.client.clone(),
                        method: r.http.clone(),
                        url,
                        line: r.line,
                    });
                    continue;
                }
                Err(e) => why = Some(e),
            }
        }
        let mut linked = false;
        for (j, f) in files.iter().enumerate().filter(|(j, f)| f.file.lang == Lang::Python && ctx.owner(*j) == owner) {
            for u in f.facts.arch.method_uses.iter().filter(|u| u.method == r.method) {
                let receiver = last(&u.class);
                if !index.descends(owner, receiver, &r.class, Some(&r.method), 0) {
                    continue;
                }
                let path = match r.param {
                    Some(p) => match u.args.get(p).filter(|a| !a.is_empty()) {
                        Some(a) => a.clone(),
                        None => continue,
                    },
                    None => Template::new(),
                };
                let base = match &u.ctor {
                    Some(c) if index.descends(owner, receiver, &r.init.0, Some("__init__"), 0) => {
                        match ctor_arg(c, r.init.1, &r.init.2) {
                            Some(t) => ctx.resolve_template(j, t).map_err(|var| {
                                format!("`{}` is environment variable `{var}`, which nothing sets", r.init.2)
                            }),
                            None => Err(format!("`{}` passes no `{}`", c.callee, r.init.2)),
                        }
                    }
                    Some(_) => continue,
                    None => index.base(ctx, owner, &r.init, receiver),
                };
                match base {
                    Ok(base) => {
                        linked = true;
                        let url = joined(joined(base, path), r.rest.clone());
                        let call = RawCall { client: r.client.clone(), method: r.http.clone(), url, line: u.line };
                        sites.entry(j).or_default().push(call);
                    }
                    // Handed on to the callers of the method around the `self` call.
                    Err(_) if u.ctor.is_none() && r.level < LEVELS && u.within.is_some() => {
                        let Some((within, params)) = &u.within else { continue };
                        let (param, rest) = match path.as_slice() {
                            [Part::Param(q)] => match params.iter().position(|p| p == q) {
                                Some(i) if !params[..i].iter().any(|p| p.starts_with('*')) => (Some(i), r.rest.clone()),
                                _ => continue,
                            },
                            _ => match ctx.resolve_template(j, &path) {
                                Ok(p) => (None, joined(p, r.rest.clone())),
                                Err(_) => continue,
                            },
                        };
                        linked = true;
                        queue.push(Req {
                            file: j,
                            line: u.line,
                            class: receiver.to_string(),
                            method: within.clone(),
                            param,
                            rest,
                            level: r.level + 1,
                            ..r.clone()
                        });
                    }
                    Err(e) => {
                        linked = true;
                        let msg = format!("base URL of `{receiver}` is not known ({e}): call not linked");
                        diagnostics.push(Diagnostic::new(ctx.project.rel(j), Some(u.line), Severity::Info, msg));
                    }
                }
            }
        }
        if let (false, Some(e)) = (linked, why) {
            let url = render(&joined(vec![Part::Param(r.init.2.clone())], r.rest.clone()));
            let msg = format!(
                "URL `{url}` starts with `{}`'s constructor argument, not known here ({e}): call not linked",
                r.class
            );
            diagnostics.push(Diagnostic::new(rel, Some(r.line), Severity::Info, msg));
        }
    }
    (sites, diagnostics)
}

fn joined(mut a: Template, b: Template) -> Template {
    push_parts(&mut a, b);
    a
}

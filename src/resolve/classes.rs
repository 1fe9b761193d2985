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

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::arch::{render, Ctx};
use super::services::redact_url;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::arch::push_parts;
use crate::lang::ts_classes::ctor_ref;
use crate::model::{Lang, Part, RawArgCall, RawCall, RawPyClass, RawSubclass, Template};

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
        let mut ctors: Vec<(usize, &RawArgCall)> = Vec::new();
        for x in self.family(owner, receiver) {
            if self.class(owner, x).is_none() {
                return Err(format!("`{x}` is defined more than once"));
            }
            if x != w && !self.descends(owner, x, w, Some("__init__"), 0) {
                return Err(format!("`{x}` has an `__init__` of its own"));
            }
            ctors.extend(self.ctors.get(&(owner, x)).into_iter().flatten().copied());
        }
        // Tests construct clients with stand-in URLs (`base_url="http://test-analytics"`):
        // when the service's own code constructs the class, its constructions say the base.
        if ctors.iter().any(|(j, _)| !ctx.is_test(*j)) {
            ctors.retain(|(j, _)| !ctx.is_test(*j));
        }
        let mut found: Vec<Template> = Vec::new();
        for (j, c) in ctors {
            let t = ctor_arg(c, *index, param)
                .ok_or_else(|| format!("`{}` at line {} passes no `{param}`", c.callee, c.line))?;
            let t = ctx
                .resolve_template(j, t)
                .map_err(|var| format!("`{param}` is environment variable `{var}`, which nothing sets"))?;
            if !found.contains(&t) {
                found.push(t);
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

/// Whether a URL holds a JS/TS constructor parameter's marker (`lang/ts_classes.rs`).
fn constructed(url: &Template) -> Option<&str> {
    url.iter().find_map(|p| match p {
        Part::Ref(r) => ctor_ref(r).map(|(class, _, _)| class),
        _ => None,
    })
}

/// A file's requests with the bases the constructions of their JS/TS class give
/// (`this.client = axios.create({ baseURL: `${baseUrl}${baseRoute}` })` in `class
/// RestService`, its subclass `ItemService` handing its own arguments to `super(…)`, and
/// `new ItemService(config.api.baseUrl, '/lists')` in a third module): the request stays
/// at its line, once for each distinct base. Constructions that disagree give one request
/// each when every one is read (each instance makes its own); when one is not, the request
/// is a diagnostic, not linked. With no construction found, the call read without the
/// base stands, as before. With the lines of the requests given several bases.
pub fn constructed_calls<'c>(
    ctx: &Ctx,
    file: usize,
    calls: Vec<Cow<'c, RawCall>>,
    test: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Cow<'c, RawCall>>, Vec<u32>, Vec<Maker>) {
    if !calls.iter().any(|c| constructed(&c.url).is_some()) {
        return (calls, Vec::new(), Vec::new());
    }
    let mut makers: Vec<Maker> = Vec::new();
    let mut expanded = Vec::new();
    let mut replaced: Vec<u32> = Vec::new();
    let mut out = Vec::with_capacity(calls.len());
    for c in calls {
        let Some(class) = constructed(&c.url) else {
            out.push(c);
            continue;
        };
        match class_urls(ctx, file, class, &c.url, test) {
            None => {}
            Some(Ok(urls)) => {
                replaced.push(c.line);
                if urls.len() > 1 {
                    expanded.push(c.line);
                }
                // A module no service owns (`services/common/auth-api.js`): the request is
                // made by the services whose code makes the instance.
                if ctx.owner(file).is_none() {
                    makers.extend(urls.iter().map(|(url, owners)| (c.line, url.clone(), owners.clone())));
                }
                out.extend(urls.into_iter().map(|(url, _)| Cow::Owned(RawCall { url, ..c.as_ref().clone() })));
            }
            Some(Err(msg)) => {
                replaced.push(c.line);
                diagnostics.push(Diagnostic::new(ctx.project.rel(file), Some(c.line), Severity::Info, msg));
            }
        }
    }
    // The same request read without its base (`this.client.get(id)` → `{id}`).
    out.retain(|c| !(replaced.contains(&c.line) && c.client.starts_with("this.")));
    (out, expanded, makers)
}

/// A request of a class in a module no service owns, with the URL one set of its
/// constructions gives, and the services those constructions are in: (line, URL, services).
pub type Maker = (u32, Template, Vec<usize>);

/// A URL a class's constructions give, with the services those constructions are in.
type Based = (Template, Vec<usize>);

/// The URLs request `url` of class `class` (in `file`) makes: one per distinct value its
/// constructions (and those of its subclasses) give the markers, with the services those
/// constructions are in; `None` when none is found.
fn class_urls(ctx: &Ctx, file: usize, class: &str, url: &Template, test: bool) -> Option<Result<Vec<Based>, String>> {
    let files = ctx.project.files;
    let mut values: Vec<Template> = Vec::new();
    let mut owners: Vec<Vec<usize>> = Vec::new();
    let mut unread: Vec<String> = Vec::new();
    for (j, g) in files.iter().enumerate().filter(|(_, g)| g.file.lang.is_ecmascript()) {
        if !test && crate::lang::is_test_path(ctx.project.rel(j), g.file.lang) {
            continue;
        }
        for c in &g.facts.arch.constructions {
            let Some(start) = class_named(ctx, j, &c.callee) else { continue };
            let Some(chain) = lineage(ctx, start, (file, class)) else { continue };
            let given = base_args(ctx, j, c, &chain).map(|(args, props)| match chain.is_empty() {
                true => (args, defaulted(ctx, (file, class), url, c, props)),
                false => (args, props),
            });
            let value = given.and_then(|(args, props)| substituted(url, class, &args, &props));
            let owner = ctx.owner(j);
            match value {
                Some(v) if !values.contains(&v) => {
                    values.push(v);
                    owners.push(owner.into_iter().collect());
                }
                Some(v) => {
                    let k = values.iter().position(|x| *x == v).unwrap_or_default();
                    if let Some(o) = owner.filter(|o| !owners[k].contains(o)) {
                        owners[k].push(o);
                        owners[k].sort_unstable();
                    }
                }
                None => unread.push(format!("`new {}` at {}:{}", c.callee, ctx.project.rel(j), c.line)),
            }
        }
    }
    let readable = |v: &Template| {
        ctx.resolve_template(file, v).is_ok_and(|t| {
            let s = render(&t);
            s.contains("://") || s.starts_with('/')
        })
    };
    let found = || values.iter().cloned().zip(owners.iter().cloned()).collect();
    Some(match (values.len(), unread.as_slice()) {
        (0, []) => return None,
        (1, []) => Ok(found()),
        (_, []) if values.iter().all(readable) => Ok(found()),
        (_, []) => {
            let shown: Vec<String> = values
                .iter()
                .map(|v| format!("`{}`", redact_url(&render(&ctx.resolve_template_lenient(file, v)))))
                .collect();
            Err(format!(
                "the constructions of `{class}` give different URLs ({}), not all read: call not linked",
                shown.join(", ")
            ))
        }
        (_, [first, ..]) => Err(format!("{first} passes an argument of `{class}` that is not read: call not linked")),
    })
}

/// The class a construction in `file` names (`ItemService`, `services.ItemService`): the
/// one imported under that name (the module's default export when it says which class
/// that is, `module.exports = Auth`), else the file's own (file, class name).
fn class_named<'a>(ctx: &Ctx<'a>, file: usize, callee: &'a str) -> Option<(usize, String)> {
    let (head, member) = callee.split_once('.').map_or((callee, None), |(h, m)| (h, Some(m)));
    match ctx.imported(file, head).as_slice() {
        [] if member.is_none() => Some((file, callee.to_string())),
        [(m, remote)] => match member.unwrap_or(remote) {
            "default" => ctx.project.files[*m].facts.arch.default_class.clone().map(|c| (*m, c)),
            name => Some((*m, name.to_string())),
        },
        _ => None,
    }
}

/// The subclasses from class `start` up to `target` (left out), each with its file: `None`
/// when `start` does not descend from `target` (eight steps at most). A module importing
/// the target's module that names the class as the target does is a barrel handing it on
/// (`module.exports = { Auth: require("./auth-api") }`).
fn lineage<'a>(ctx: &Ctx<'a>, start: (usize, String), target: (usize, &str)) -> Option<Vec<(usize, &'a RawSubclass)>> {
    let mut at = start;
    let mut chain = Vec::new();
    for _ in 0..8 {
        let barrel = || at.0 != target.0 && ctx.importers(target.0).any(|m| m == at.0);
        if at.1 == target.1 && (at.0 == target.0 || barrel()) {
            return Some(chain);
        }
        let sub = ctx.project.files[at.0].facts.arch.subclasses.iter().find(|s| s.class == at.1)?;
        chain.push((at.0, sub));
        at = class_named(ctx, at.0, &sub.base)?;
    }
    None
}

/// The members of a construction's object-literal arguments, by index and key
/// (`new Auth({ baseUrl: … })`, [`RawArgCall::props`]).
type Props = Vec<(usize, String, Template)>;

/// The arguments the base class's constructor gets from construction `c` (read in
/// `file`), handed up through each subclass's `super(…)`, with the members of its
/// object-literal arguments (none once a subclass hands them on: what it passes is not
/// read that far); `None` when one is not passed.
fn base_args(
    ctx: &Ctx,
    file: usize,
    c: &RawArgCall,
    chain: &[(usize, &RawSubclass)],
) -> Option<(Vec<Template>, Props)> {
    let read = |f: usize, t: &Template| ctx.resolve_template(f, t).unwrap_or_else(|var| vec![Part::Env(var, None)]);
    let mut args: Vec<Template> = c.args.iter().map(|a| read(file, a)).collect();
    let mut props: Props = c.props.iter().map(|(i, k, t)| (*i, k.clone(), read(file, t))).collect();
    for (f, sub) in chain {
        if let Some(passed) = &sub.super_args {
            args = passed
                .iter()
                .map(|p| substituted(p, &sub.class, &args, &props).map(|t| read(*f, &t)))
                .collect::<Option<_>>()?;
            props.clear();
        }
    }
    Some((args, props))
}

/// `props` with, for each member marker of `url` (`new:Api:0.baseUrl`) whose parameter
/// construction `c` passes nothing for, the default the constructor's object pattern
/// gives it (`constructor({ baseUrl = process.env.API_URL } = {})`), which the class's
/// module keeps as a constant of the marker's name (`lang/ts_classes.rs`).
fn defaulted(ctx: &Ctx, (file, class): (usize, &str), url: &Template, c: &RawArgCall, mut props: Props) -> Props {
    for p in url {
        let Part::Ref(r) = p else { continue };
        let Some((_, i, Some(key))) = ctor_ref(r).filter(|(k, _, _)| *k == class) else { continue };
        if c.args.len() > i || props.iter().any(|(j, k, _)| *j == i && k == key) {
            continue;
        }
        if let Some(d) = ctx.own_constant(file, r) {
            let d = ctx.resolve_template(file, d).unwrap_or_else(|var| vec![Part::Env(var, None)]);
            props.push((i, key.to_string(), d));
        }
    }
    props
}

/// `t` with the markers of `class`'s constructor parameters replaced by `args` (a
/// marker with a key by that member of the argument's object literal, `props`); `None`
/// when one is not given.
fn substituted(t: &Template, class: &str, args: &[Template], props: &Props) -> Option<Template> {
    let mut out = Template::new();
    for p in t {
        match p {
            Part::Ref(r) if ctor_ref(r).is_some_and(|(c, _, _)| c == class) => {
                let given = match ctor_ref(r)? {
                    (_, i, None) => args.get(i),
                    (_, i, Some(key)) => props.iter().find(|(j, k, _)| *j == i && k == key).map(|(_, _, t)| t),
                };
                push_parts(&mut out, given.filter(|a| !a.is_empty())?.clone());
            }
            other => push_parts(&mut out, vec![other.clone()]),
        }
    }
    Some(out)
}

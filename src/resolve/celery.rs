//! Celery across the project: each task consumes the queue its messages are routed
//! to, and each send (`send.delay()`, `send.apply_async()`, `app.send_task("n")`)
//! publishes to it, as nodes `queue:celery:<queue>`.
//!
//! The queue is decided as Celery's router does (`celery/app/routes.py`, `Router.route`):
//! a `task_routes` entry for the task's name (exact, else the first glob that matches)
//! wins over the options, then the call's `queue=`, then the task's own `queue=`, then
//! `task_default_queue`, else `celery`. A task's name is the decorator's `name=`, else
//! `<module>.<function>`; a module's dotted name is known up to where Python's path
//! starts, so a sent name matches a task whose dotted path ends with it. A `.delay` on
//! a name that is no task of the scanned code is no send; a queue that cannot be read
//! (routes set by a function, a name from an environment nothing sets) is a diagnostic.
//! Names and queues read from the environment (`MAIN_QUEUE = os.environ.get("X")`) are
//! the service's values (compose `environment:` and `env_file:`, `.env`…); a route whose
//! key is a variable the service's deployment leaves unset is `None` in Celery's dict and
//! routes nothing.

use std::collections::BTreeMap;

use super::arch::{render, ArchOut, Ctx, End};
use super::calls::calls_python_function;
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{EdgeKind, Node};
use crate::lang::arch::literal_of;
use crate::model::{CeleryTask, Flags, Template};

/// A task of the scanned code.
struct Task<'a> {
    file: usize,
    raw: &'a CeleryTask,
    /// Its name: the decorator's, or the dotted module path (from the scan root) and
    /// function; `None` when the decorator's is not a literal.
    name: Option<String>,
    explicit: bool,
}

impl Task<'_> {
    /// Whether `app.send_task(sent)` names this task.
    fn named(&self, sent: &str) -> bool {
        match &self.name {
            Some(n) if self.explicit => n == sent,
            Some(n) => n == sent || n.strip_suffix(sent).is_some_and(|head| head.ends_with('.')),
            None => false,
        }
    }
}

/// The project's routing settings.
struct Routing {
    /// (task name or glob, queue), in file order.
    routes: Vec<(String, String)>,
    /// Why routing is not known, when a setting is not read.
    unknown: Option<String>,
    default: Result<String, String>,
}

impl Routing {
    /// The settings of the files of one service (`None`: of the files no service owns).
    fn read(ctx: &Ctx, owner: Option<usize>) -> Self {
        let mut routes = Vec::new();
        let mut unknown = None;
        let mut defaults: Vec<String> = Vec::new();
        let mut default_unread = None;
        // Whether a deployment file gives the service its environment, so that a variable it
        // does not set is unset rather than set somewhere tapestry does not read.
        let deployed = owner.is_some_and(|s| !ctx.services.list[s].env.is_empty());
        let given = Given::read(ctx, owner);
        for (i, f) in ctx.project.files.iter().enumerate().filter(|(i, _)| ctx.owner(*i) == owner) {
            let c = &f.facts.arch.celery;
            let rel = ctx.project.rel(i);
            // A setting in a class body that Celery is not given is no setting of Celery's; one
            // in a class it may be given (`config_from_object(load())`) leaves routing unknown.
            let mut skip = Vec::new();
            for (line, class) in &c.class_settings {
                match given.class(class) {
                    Some(true) => {}
                    Some(false) => skip.push(*line),
                    None => {
                        unknown.get_or_insert_with(|| {
                            format!("the setting at {rel}:{line} is in class `{class}`, which Celery may be configured from")
                        });
                        skip.push(*line);
                    }
                }
            }
            let skipped = |line: &u32| skip.contains(line);
            if let Some(line) = c.unread.iter().find(|l| !skipped(l)) {
                unknown.get_or_insert_with(|| format!("the task routes at {rel}:{line} are not read"));
            }
            for (task, queue, line) in c.routes.iter().filter(|r| !skipped(&r.2)) {
                let task = match ctx.resolve_template(i, task) {
                    // `os.environ.get("X")` that the service's deployment does not set is `None`:
                    // a key no task's name matches.
                    Err(_) if deployed => continue,
                    Err(_) => None,
                    Ok(t) => literal_of(&t).filter(|s| !s.is_empty()),
                };
                match (task, literal(ctx, i, queue)) {
                    (Some(task), Some(q)) => routes.push((task, q)),
                    _ => {
                        unknown.get_or_insert_with(|| format!("the task route at {rel}:{line} is not read"));
                    }
                }
            }
            for (queue, line) in c.default_queues.iter().filter(|q| !skipped(&q.1)) {
                match literal(ctx, i, queue) {
                    Some(q) if !defaults.contains(&q) => defaults.push(q),
                    Some(_) => {}
                    None => {
                        default_unread.get_or_insert_with(|| format!("the default queue at {rel}:{line} is not read"));
                    }
                }
            }
        }
        let default = match (default_unread, defaults.as_slice()) {
            (Some(why), _) => Err(why),
            (None, []) => Ok("celery".to_string()),
            (None, [one]) => Ok(one.clone()),
            (None, _) => Err(format!("the project sets several default queues ({})", defaults.join(", "))),
        };
        Routing { routes, unknown, default }
    }

    /// The queue a message of task `name` goes to, sent with the call's `queue=` and
    /// the task's own `queue=` (each read in its file).
    fn queue(
        &self,
        name: Option<&str>,
        call: Option<Result<String, String>>,
        task: Option<Result<String, String>>,
    ) -> Result<String, String> {
        if let Some(why) = &self.unknown {
            return Err(why.clone());
        }
        if !self.routes.is_empty() {
            let Some(name) = name else { return Err("the task's name is not read".into()) };
            let exact = self.routes.iter().find(|(p, _)| p == name);
            if let Some((_, q)) = exact.or_else(|| self.routes.iter().find(|(p, _)| glob(p, name))) {
                return Ok(q.clone());
            }
        }
        call.or(task).unwrap_or_else(|| self.default.clone())
    }
}

/// What one service's Celery app reads its settings from (`config_from_object(x)`,
/// `conf.update(x)`), as far as classes go: a class given by name (`Config`,
/// `"proj.settings:Config"`, and its bases), a whole Flask config (`app.config`, filled by
/// `from_object` with any class), or something tapestry does not read (a call).
struct Given {
    named: Vec<String>,
    flask: bool,
    unread: bool,
    /// Every Celery file's classes and their bases, project-wide.
    bases: Vec<(String, Vec<String>)>,
}

impl Given {
    fn read(ctx: &Ctx, owner: Option<usize>) -> Self {
        let mut given = Given { named: Vec::new(), flask: false, unread: false, bases: Vec::new() };
        for (i, f) in ctx.project.files.iter().enumerate() {
            let c = &f.facts.arch.celery;
            given.bases.extend(c.classes.iter().cloned());
            for s in c.sources.iter().filter(|_| ctx.owner(i) == owner) {
                if s.contains('(') {
                    given.unread = true;
                } else if s.ends_with(".config") {
                    given.flask = true;
                } else {
                    given.named.push(crate::lang::py_celery::last_name(s).to_string());
                }
            }
        }
        given
    }

    /// Whether Celery reads the settings of a class body: yes, no, or not known (`None`).
    fn class(&self, class: &str) -> Option<bool> {
        if self.flask || self.named.iter().any(|n| self.extends(n, class, 0)) {
            return Some(true);
        }
        (!self.unread).then_some(false)
    }

    /// Whether class `c` is `base` or extends it (by last names, a few levels up).
    fn extends(&self, c: &str, base: &str, depth: u32) -> bool {
        c == base
            || depth < 8
                && self
                    .bases
                    .iter()
                    .filter(|(n, _)| n == c)
                    .any(|(_, bs)| bs.iter().any(|b| self.extends(b, base, depth + 1)))
    }
}

/// A literal value of a template read in file `i`.
fn literal(ctx: &Ctx, i: usize, t: &Template) -> Option<String> {
    ctx.resolve_template(i, t).ok().as_ref().and_then(literal_of).filter(|s| !s.is_empty())
}

/// A queue option read in file `i`: its text, or why not.
fn option(ctx: &Ctx, i: usize, t: &Template) -> Result<String, String> {
    literal(ctx, i, t).ok_or_else(|| format!("`queue={}` is not read", render(t)))
}

/// Celery's glob routes: `*` any text; a pattern without one is an exact name.
fn glob(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else { return false };
    if parts.len() == 1 {
        return false;
    }
    let Some(mut rest) = name.strip_prefix(first) else { return false };
    for m in middle {
        match rest.find(m) {
            Some(at) => rest = &rest[at + m.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// A module's dotted name from its service's directory, where a service's Python path
/// starts (else from the scan root): `worker/pkg/tasks.py` → `pkg.tasks`, `pkg/__init__.py` → `pkg`.
fn module_path(ctx: &Ctx, i: usize) -> String {
    let rel = ctx.project.rel(i);
    let dirs = ctx.owner(i).map(|s| ctx.services.list[s].dirs.as_slice()).unwrap_or_default();
    let within = |d: &String| rel.strip_prefix(d.as_str()).and_then(|r| r.strip_prefix('/'));
    let rel = dirs.iter().filter_map(within).min_by_key(|r| r.len()).unwrap_or(rel);
    dotted_module(rel)
}

/// `pkg/tasks.py` → `pkg.tasks`; `pkg/__init__.py` → `pkg`.
fn dotted_module(rel: &str) -> String {
    let stem = rel.strip_suffix(".py").unwrap_or(rel);
    let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
    stem.replace('/', ".")
}

pub fn resolve(ctx: &Ctx, out: &mut ArchOut) {
    let files = ctx.project.files;
    workers(ctx, out);
    if files.iter().all(|f| f.facts.arch.celery == crate::model::CeleryFacts::default()) {
        return;
    }
    // The sender's Celery app routes a message: each service's settings route its own sends.
    let mut routings: BTreeMap<Option<usize>, Routing> = BTreeMap::new();
    for i in 0..files.len() {
        routings.entry(ctx.owner(i)).or_insert_with(|| Routing::read(ctx, ctx.owner(i)));
    }
    let mut tasks: Vec<Task> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        for t in &f.facts.arch.celery.tasks {
            let (name, explicit) = match &t.name {
                Some(n) => (literal(ctx, i, n), true),
                // Celery names a task by its function's `__name__`: a method's is its own.
                None => {
                    let function = t.function.rsplit('.').next().unwrap_or(&t.function);
                    (Some(format!("{}.{}", module_path(ctx, i), function)), false)
                }
            };
            tasks.push(Task { file: i, raw: t, name, explicit });
        }
    }
    let flags = |i: usize| {
        if crate::lang::is_test_path(ctx.project.rel(i), files[i].file.lang) {
            Flags::TEST
        } else {
            Flags::default()
        }
    };
    let own = |t: &Task| t.raw.queue.as_ref().map(|q| option(ctx, t.file, q));
    for t in &tasks {
        let queue = routings[&ctx.owner(t.file)].queue(t.name.as_deref(), None, own(t));
        edge(ctx, out, t.file, t.raw.line, flags(t.file), EdgeKind::Consumes, &t.raw.function, queue);
    }
    for (i, f) in files.iter().enumerate() {
        let routing = &routings[&ctx.owner(i)];
        for s in &f.facts.arch.celery.sends {
            let call = s.queue.as_ref().map(|q| option(ctx, i, q));
            let queue = match &s.name {
                // `send.delay()`: the task function itself, whose own `queue=` it carries; on
                // anything that is no task of the scanned code, no send.
                None => {
                    let found: Vec<&Task> = tasks.iter().filter(|t| sends_task(ctx, i, &s.callee, t)).collect();
                    let queues: Vec<Result<String, String>> =
                        found.iter().map(|t| routing.queue(t.name.as_deref(), call.clone(), own(t))).collect();
                    let Some(q) = queues.first().cloned() else { continue };
                    let q =
                        if queues.iter().all(|x| x == &q) { q } else { Err("its tasks are routed differently".into()) };
                    consumed_there(ctx, out, &found, call.is_some(), &q, flags);
                    edge(ctx, out, i, s.line, flags(i), EdgeKind::Publishes, &s.callee, q);
                    continue;
                }
                Some(n) => match literal(ctx, i, n) {
                    Some(n) => n,
                    None => {
                        let msg = format!("Celery task name `{}` is known only at run time: not linked", render(n));
                        out.diagnostics.push(Diagnostic::new(ctx.project.rel(i), Some(s.line), Severity::Info, msg));
                        continue;
                    }
                },
            };
            // `app.send_task("proj.tasks.send")`: only the name travels (the task's own
            // `queue=` is not known to the sender). A name of no task of the scanned code
            // is a task of a worker tapestry does not see when it is dotted, as Celery's are.
            let found: Vec<&Task> = tasks.iter().filter(|t| t.named(&queue)).collect();
            if found.is_empty() && !queue.contains('.') {
                continue;
            }
            let q = routing.queue(Some(&queue), call.clone(), None);
            consumed_there(ctx, out, &found, call.is_some(), &q, flags);
            edge(ctx, out, i, s.line, flags(i), EdgeKind::Publishes, &queue, q);
        }
    }
}

/// Celery workers a deployment starts with `-Q` (`command: celery -A app.worker worker -Q
/// emails,reports`): the worker's app module (`-A`, found in the service's directories, else
/// the deployment file's, as
/// Celery imports it: `app/worker.py`, `app/worker/__init__.py`, its `celery` submodule, or
/// the module of an attribute, `proj.celery:app`/`proj.celery.app`) consumes each queue
/// listed. An app tapestry does not find, or a queue name from a variable, is a diagnostic.
fn workers(ctx: &Ctx, out: &mut ArchOut) {
    for svc in &ctx.services.list {
        for w in &svc.celery_workers {
            // The service's directories, else the deployment file's (a compose `context: .`
            // with `dockerfile: docker/Worker` runs the code of the compose directory).
            let at_file = [super::dir_of(&w.file).to_string()];
            let module =
                w.app.as_deref().and_then(|a| app_module(ctx, &svc.dirs, a).or_else(|| app_module(ctx, &at_file, a)));
            let Some(i) = module else {
                let app = w.app.as_deref().unwrap_or("(none)");
                let msg = format!(
                    "Celery worker app `{app}` of service `{}` is not a module of its code: queues {} not linked",
                    svc.name,
                    w.queues.join(", ")
                );
                out.diagnostics.push(Diagnostic::new(&w.file, Some(w.line), Severity::Info, msg));
                continue;
            };
            for q in &w.queues {
                if q.contains('$') {
                    let msg = format!("Celery worker queue `{q}` is known only at run time: not linked");
                    out.diagnostics.push(Diagnostic::new(&w.file, Some(w.line), Severity::Info, msg));
                    continue;
                }
                let id = out.node(Node::Queue { broker: "celery".into(), name: q.clone() });
                out.edge(End::Module(i), End::Id(id), EdgeKind::Consumes, &w.file, w.line, Flags::default());
            }
        }
    }
}

/// The file of a Celery app given as `-A`: a module path, a package, or a module's
/// attribute, under one of the service's directories (the root when it has none).
fn app_module(ctx: &Ctx, dirs: &[String], app: &str) -> Option<usize> {
    let module = app.split(':').next().unwrap_or(app);
    if module.is_empty()
        || !module.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'))
    {
        return None;
    }
    let path = module.replace('.', "/");
    let parent = path.rsplit_once('/').map(|(p, _)| p.to_string());
    let mut candidates = vec![format!("{path}.py"), format!("{path}/__init__.py"), format!("{path}/celery.py")];
    // `-A proj.celery.app` names the attribute `app` of module `proj.celery`.
    if let Some(p) = &parent {
        candidates.extend([format!("{p}.py"), format!("{p}/__init__.py")]);
    }
    let root = [String::new()];
    let dirs = if dirs.is_empty() { &root[..] } else { dirs };
    candidates.iter().find_map(|c| {
        dirs.iter().find_map(|d| {
            let rel = if d.is_empty() { c.clone() } else { format!("{d}/{c}") };
            ctx.project.file(&rel)
        })
    })
}

/// Whether `callee.delay()` in file `i` sends task `t`: the task function itself, or for a
/// task that is a method (`Class.method`), the method reached through its class
/// (`tasks.Jobs.send` for `tasks.Jobs().send.delay()`).
fn sends_task(ctx: &Ctx, i: usize, callee: &str, t: &Task) -> bool {
    match t.raw.function.split_once('.') {
        Some((class, method)) => callee
            .strip_suffix(method)
            .and_then(|c| c.strip_suffix('.'))
            .is_some_and(|c| calls_python_function(ctx, i, c, t.file, class)),
        None => calls_python_function(ctx, i, callee, t.file, &t.raw.function),
    }
}

/// A send whose call names the queue (`apply_async(queue="q")`) lands the task's
/// messages there: the task's file consumes that queue too.
fn consumed_there(
    ctx: &Ctx,
    out: &mut ArchOut,
    found: &[&Task],
    by_call: bool,
    queue: &Result<String, String>,
    flags: impl Fn(usize) -> Flags,
) {
    if let (true, Ok(q)) = (by_call, queue) {
        for t in found {
            let (file, line) = (t.file, t.raw.line);
            edge(ctx, out, file, line, flags(file), EdgeKind::Consumes, &t.raw.function, Ok(q.clone()));
        }
    }
}

/// A publish or consume edge of file `i` to the Celery queue, or a diagnostic saying why
/// the queue of `task` is not known.
#[allow(clippy::too_many_arguments)]
fn edge(
    ctx: &Ctx,
    out: &mut ArchOut,
    i: usize,
    line: u32,
    flags: Flags,
    kind: EdgeKind,
    task: &str,
    queue: Result<String, String>,
) {
    let rel = ctx.project.rel(i);
    match queue {
        Ok(name) => {
            let id = out.node(Node::Queue { broker: "celery".into(), name });
            out.edge(End::Module(i), End::Id(id), kind, rel, line, flags);
        }
        Err(why) => {
            let msg = format!("queue of Celery task `{task}` not known: {why}: not linked");
            out.diagnostics.push(Diagnostic::new(rel, Some(line), Severity::Info, msg));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_and_module_paths() {
        assert!(glob("feed.tasks.*", "feed.tasks.import_feed"));
        assert!(glob("*.send", "proj.mail.send"));
        assert!(!glob("feed.tasks.*", "web.tasks.x"));
        assert!(!glob("feed.tasks.x", "feed.tasks.x"));
        assert_eq!(dotted_module("proj/tasks.py"), "proj.tasks");
        assert_eq!(dotted_module("proj/__init__.py"), "proj");
    }
}

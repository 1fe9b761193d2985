//! Celery in a Python file: tasks (`@app.task`, `@shared_task`, `@celery.task(queue="q")`),
//! the calls that send them (`send.delay(…)`, `send.apply_async(…, queue="q")`,
//! `app.send_task("proj.tasks.send")`) and the routing settings (`task_routes`,
//! `task_default_queue`, and their Django `CELERY_*` names).
//!
//! Only what the file says is recorded ([`CeleryFacts`]); which task a send names and
//! which queue each lands in is decided project-wide (`crate::resolve::celery`). Found
//! by one walk of the tree, and only in files whose text mentions Celery or a send
//! ([`mentions`]): most files never pay for it.

use super::query::FieldExt;
use tree_sitter::Node;

use super::py_arch::{kwarg, named, split_args, string_value, template};
use super::query;
use crate::model::{CeleryFacts, CelerySend, CeleryTask, Template};

/// Settings naming the routes of tasks (the new lower-case names, Django's `CELERY_`
/// names and Celery 3's; sorted).
const ROUTE_SETTINGS: &[&str] = &["CELERY_ROUTES", "CELERY_TASK_ROUTES", "task_routes"];

/// Settings naming the queue of tasks no route names (sorted).
const DEFAULT_QUEUE_SETTINGS: &[&str] = &["CELERY_DEFAULT_QUEUE", "CELERY_TASK_DEFAULT_QUEUE", "task_default_queue"];

/// Whether a file may hold Celery facts: it names Celery (tasks, `send_task`, settings)
/// or sends a task by a method only Celery tasks have.
pub fn mentions(text: &str) -> bool {
    celery_file(text) || text.contains(".delay(") || text.contains(".apply_async(")
}

/// Whether a file names Celery itself: decorators (`@app.task`) and `send_task` count
/// only there, since other libraries have a `task` decorator too (Rocketry, Huey). Such a
/// file is read for its constants too (`MAIN_QUEUE = os.environ.get("CELERY_MAIN_QUEUE")`
/// in a `celery_config.py` naming no web framework).
pub fn celery_file(text: &str) -> bool {
    text.contains("celery") || text.contains("Celery") || text.contains("shared_task")
}

/// The Celery facts of a file ([`mentions`] is asked first).
pub fn extract(root: Node, text: &str) -> CeleryFacts {
    let src = text.as_bytes();
    let celery = celery_file(text);
    let mut facts = CeleryFacts::default();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match n.kind_name() {
            "decorated_definition" if celery => task(n, src, &mut facts),
            "call" => send(n, src, celery, &mut facts),
            "assignment" if celery => {
                if let (Some(l), Some(r)) = (n.field("left"), n.field("right")) {
                    let name = query::text(l, src);
                    let at = (facts.default_queues.len(), facts.routes.len(), facts.unread.len());
                    setting(name.rsplit('.').next().unwrap_or(name), r, src, &mut facts);
                    // A setting in a class body is Celery's only when the class is given to it.
                    let lines = facts.default_queues[at.0..].iter().map(|q| q.1);
                    let lines = lines.chain(facts.routes[at.1..].iter().map(|r| r.2));
                    let lines: Vec<u32> = lines.chain(facts.unread[at.2..].iter().copied()).collect();
                    if let (false, Some(class)) = (lines.is_empty(), class_of(n, src)) {
                        facts.class_settings.extend(lines.into_iter().map(|l| (l, class.clone())));
                    }
                }
            }
            "class_definition" if celery => {
                let name = n.field("name").map(|c| query::text(c, src).to_string());
                let bases = n.field("superclasses").map(named).unwrap_or_default();
                let bases = bases.into_iter().map(|b| last_name(query::text(b, src)).to_string()).collect();
                facts.classes.extend(name.map(|c| (c, bases)));
            }
            // `app.conf.update(task_routes={…})`, `Celery("proj", task_default_queue="q")`.
            "keyword_argument" if celery => {
                if let (Some(k), Some(v)) = (n.field("name"), n.field("value")) {
                    setting(query::text(k, src), v, src, &mut facts);
                }
            }
            _ => {}
        }
        stack.extend(named(n).into_iter().rev());
    }
    facts
}

/// The class whose body an assignment `n` stands in (directly, not in a method).
fn class_of(n: Node, src: &[u8]) -> Option<String> {
    let stmt = n.parent().filter(|p| p.kind_name() == "expression_statement")?;
    let class =
        stmt.parent().filter(|b| b.kind_name() == "block")?.parent().filter(|c| c.kind_name() == "class_definition")?;
    class.field("name").map(|c| query::text(c, src).to_string())
}

/// The last name of a dotted or `module:object` reference (`setting.config:Config` → `Config`).
pub fn last_name(r: &str) -> &str {
    r.rsplit(['.', ':']).next().unwrap_or(r)
}

/// `@app.task`, `@celery.task(queue="q", name="n")`, `@shared_task` on a function
/// (a method of a class too, `@staticmethod @app.task(name="n")`, recorded as `Class.method`).
fn task(n: Node, src: &[u8], facts: &mut CeleryFacts) {
    let Some(def) = n.field("definition").filter(|d| d.kind_name() == "function_definition") else {
        return;
    };
    let Some(function) = def.field("name").map(|f| query::text(f, src).to_string()) else { return };
    for d in named(n).into_iter().filter(|d| d.kind_name() == "decorator") {
        let Some(expr) = d.named_child(0) else { continue };
        let (callee, args) = match expr.kind_name() {
            "call" => (expr.field("function"), expr.field("arguments")),
            _ => (Some(expr), None),
        };
        let Some(callee) = callee.map(|c| query::text(c, src)) else { continue };
        if callee != "shared_task" && !callee.ends_with(".task") && !callee.ends_with(".shared_task") {
            continue;
        }
        let kw = |key: &str| args.and_then(|a| kwarg(a, key, src)).map(|v| template(v, src));
        let function = match class_of_def(n, src) {
            Some(class) => format!("{class}.{function}"),
            None => function,
        };
        facts.tasks.push(CeleryTask { function, name: kw("name"), queue: kw("queue"), line: query::line(d) });
        return;
    }
}

/// The class whose body a decorated definition stands in.
fn class_of_def(n: Node, src: &[u8]) -> Option<String> {
    let class =
        n.parent().filter(|b| b.kind_name() == "block")?.parent().filter(|c| c.kind_name() == "class_definition")?;
    class.field("name").map(|c| query::text(c, src).to_string())
}

/// `send.delay(…)`, `tasks.send.apply_async(args, queue="q")`, `app.send_task("n", queue="q")`;
/// a task that is a method, `tasks.Jobs().send.delay(…)` or `Jobs.send.delay(…)` (callee
/// `tasks.Jobs.send`); `app.config_from_object(src)` and `app.conf.update(src)` (the sources
/// of the app's settings, as written).
fn send(n: Node, src: &[u8], celery: bool, facts: &mut CeleryFacts) {
    let Some(f) = n.field("function").filter(|f| f.kind_name() == "attribute") else { return };
    let (Some(obj), Some(method)) = (f.field("object"), f.field("attribute")) else {
        return;
    };
    let Some(args) = n.field("arguments").filter(|a| a.kind_name() == "argument_list") else { return };
    let queue = kwarg(args, "queue", src).map(|v| template(v, src));
    let line = query::line(n);
    match query::text(method, src) {
        // The task as a name or a module's member: `send.s(…).delay()` and the like are not read.
        "delay" | "apply_async" if dotted(obj) => {
            let queue = queue.filter(|_| query::text(method, src) == "apply_async");
            facts.sends.push(CelerySend { callee: query::text(obj, src).to_string(), name: None, queue, line });
        }
        "delay" | "apply_async" => {
            // `Jobs().send`: an instance made with no argument, the task reached through it.
            let made = obj.field("object").filter(|c| obj.kind_name() == "attribute" && c.kind_name() == "call");
            let class = made.filter(|c| c.field("arguments").is_some_and(|a| named(a).is_empty()));
            let class = class.and_then(|c| c.field("function")).filter(|f| dotted(*f));
            if let (Some(class), Some(m)) = (class, obj.field("attribute")) {
                let queue = queue.filter(|_| query::text(method, src) == "apply_async");
                let callee = format!("{}.{}", query::text(class, src), query::text(m, src));
                facts.sends.push(CelerySend { callee, name: None, queue, line });
            }
        }
        "config_from_object" if celery => {
            if let Some(a) = split_args(args).0.first() {
                facts.sources.push(string_value(*a, src).unwrap_or_else(|| query::text(*a, src).to_string()));
            }
        }
        "update" if celery && query::text(obj, src).ends_with(".conf") => {
            if let Some(a) = split_args(args).0.first() {
                facts.sources.push(query::text(*a, src).to_string());
            }
        }
        "send_task" if celery => {
            let (pos, _) = split_args(args);
            let name = pos.first().copied().or_else(|| kwarg(args, "name", src)).map(|v| template(v, src));
            if let Some(name) = name.filter(|t| !t.is_empty()) {
                facts.sends.push(CelerySend { callee: String::new(), name: Some(name), queue, line });
            }
        }
        _ => {}
    }
}

/// A name or a chain of names (`send`, `tasks.send`).
fn dotted(n: Node) -> bool {
    match n.kind_name() {
        "identifier" => true,
        "attribute" => n.field("object").is_some_and(dotted),
        _ => false,
    }
}

/// A routing setting: `task_routes = {"proj.tasks.send": {"queue": "emails"}, "x.*": "q"}`
/// (a dict of task names or globs, or constants naming one, to a queue or to options
/// naming one, `{…}` or `dict(queue=…)`; any other value is not read), or
/// `task_default_queue = "q"`.
fn setting(name: &str, value: Node, src: &[u8], facts: &mut CeleryFacts) {
    let line = query::line(value);
    if DEFAULT_QUEUE_SETTINGS.binary_search(&name).is_ok() {
        facts.default_queues.push((template(value, src), line));
        return;
    }
    if ROUTE_SETTINGS.binary_search(&name).is_err() {
        return;
    }
    if value.kind_name() != "dictionary" {
        facts.unread.push(line);
        return;
    }
    for pair in named(value).into_iter().filter(|p| p.kind_name() == "pair") {
        let (Some(k), Some(v)) = (pair.field("key"), pair.field("value")) else { continue };
        let queue = match v.kind_name() {
            "dictionary" => route_queue(v, src),
            // `dict(queue="q")`.
            "call" if v.field("function").is_some_and(|f| query::text(f, src) == "dict") => {
                v.field("arguments").and_then(|a| kwarg(a, "queue", src)).map(|q| template(q, src))
            }
            _ => Some(template(v, src)),
        };
        // A task's name, or a constant holding one (`MAIN_TASK = os.environ.get("X")`).
        let task = matches!(k.kind_name(), "string" | "identifier" | "attribute").then(|| template(k, src));
        match (task.filter(|t| !t.is_empty()), queue) {
            (Some(task), Some(q)) => facts.routes.push((task, q, query::line(pair))),
            // A route naming no queue (`{"exchange": "x"}`) or a key not read.
            _ => facts.unread.push(query::line(pair)),
        }
    }
}

/// The `"queue"` of a route's options dict.
fn route_queue(d: Node, src: &[u8]) -> Option<Template> {
    let pairs = named(d).into_iter().filter(|p| p.kind_name() == "pair");
    let queue = pairs
        .filter(|p| p.field("key").and_then(|k| string_value(k, src)).as_deref() == Some("queue"))
        .find_map(|p| p.field("value"));
    queue.map(|q| template(q, src))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_sorted() {
        crate::resolve::assert_sorted(&[ROUTE_SETTINGS, DEFAULT_QUEUE_SETTINGS]);
    }
}

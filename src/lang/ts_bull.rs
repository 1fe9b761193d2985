//! Bull and BullMQ job queues (the `bull`, `bullmq`, `@nestjs/bull` and `@nestjs/bullmq`
//! packages), read from the tree of a file whose text names `bull`, and the queues such a
//! file exports used elsewhere, read by text in every file with relative imports.
//!
//! A queue is `new Queue('order:expiration', { redis })` (also `new Bull(…)`); `queue.add(…)`
//! and `addBulk` publish, `queue.process(…)` and BullMQ's `new Worker('name', fn)` consume.
//! NestJS injects a registered queue, `@InjectQueue('order') private queue: Queue`, whose
//! `this.queue.add(…)` publishes, and a `@Processor('order')` class consumes at each
//! `@Process()` handler (at the class when it has none: BullMQ's `process` method). The
//! nodes are `queue:bull:<name>`. A queue variable a module exports is a constant
//! `X.(bull)` holding the queue's name, so `import { expirationQueue }` then
//! `expirationQueue.add(…)` reads it through the import (`crate::resolve::calls` drops such a
//! use silently when the name is no Bull queue: most `.add(` calls are not).
//! A name may be a constant or a string `enum` member (`@Processor(QueueName.GameBids)`,
//! `@InjectQueue(MAIL_QUEUE)`), read through the imports where calls are resolved.
//! No query pattern: `add` and `process` are far too common to match everywhere.

use super::query::FieldExt;
use std::collections::BTreeMap;

use tree_sitter::Node;

use super::arch::{self, lit};
use super::query;
use super::ts_arch::string_value;
use crate::model::{Access, ArchFacts, Part, RawConst, RawQueue, Template};

/// The broker name of Bull queues.
const BULL: &str = "bull";
/// The member an exported queue variable's name constant is kept under (no JS name has parentheses).
pub const QUEUE_MEMBER: &str = ".(bull)";
/// Methods of a queue that publish (sorted).
const PUBLISH: &[&str] = &["add", "addBulk"];

/// The file names a Bull package as a module (`'bull'`, `"bullmq"`, `'@nestjs/bull'`): the
/// word alone is not enough (effect's Swagger bundle holds `hljs-bullet`, and walking its
/// tree cost 1.4 % of the whole scan).
pub fn imports_bull(src: &[u8]) -> bool {
    // One pass over the word's occurrences, not one scan per spelling of the module name.
    let quote = |b: Option<&u8>| b.is_some_and(|b| matches!(b, b'\'' | b'"'));
    memchr::memmem::find_iter(src, b"bull").any(|at| {
        let rest = &src[at + 4..];
        let end = if rest.starts_with(b"mq") { 2 } else { 0 };
        let before = at.checked_sub(1).and_then(|i| src.get(i));
        (quote(before) || before == Some(&b'/')) && quote(rest.get(end))
    })
}

/// Bull queues made and used in a file that imports a Bull package ([`imports_bull`]).
pub fn queues(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let mut found = Found::default();
    collect(root, src, &mut found, 0);
    let bullmq = text.contains("bullmq");
    for (var, name, _) in &found.made {
        facts.consts.push(RawConst { name: format!("{var}{QUEUE_MEMBER}"), value: name.clone(), line: 0 });
    }
    for (ctor, name, line) in &found.workers {
        if bullmq && ctor == "Worker" {
            push(facts, name, Access::Read, *line);
        }
    }
    let vars: BTreeMap<&str, &Template> = found.made.iter().map(|(v, n, _)| (v.as_str(), n)).collect();
    for (recv, method, line) in &found.calls {
        let name = match recv.strip_prefix("this.") {
            Some(field) => found.injected.get(field),
            None => vars.get(recv.as_str()).copied(),
        };
        if let Some(name) = name {
            let access = if PUBLISH.binary_search(&method.as_str()).is_ok() { Access::Write } else { Access::Read };
            push(facts, name, access, *line);
        }
    }
    for (name, handlers, line) in &found.processors {
        if handlers.is_empty() {
            push(facts, name, Access::Read, *line);
        }
        for h in handlers {
            push(facts, name, Access::Read, *h);
        }
    }
}

fn push(facts: &mut ArchFacts, name: &Template, access: Access, line: u32) {
    facts.queues.push(RawQueue { broker: BULL.into(), name: name.clone(), access, line, key: None, rpc: false });
}

/// A queue's name as written: text, or a constant or a string `enum` member
/// (`MAIL_QUEUE`, `QueueName.GameBids`), read where calls are resolved (in the file,
/// imported, through barrels); one not read there names no queue.
fn queue_name(n: Node, src: &[u8]) -> Option<Template> {
    match n.kind_name() {
        "identifier" => Some(vec![Part::Ref(query::text(n, src).to_string())]),
        "member_expression" if n.field("object").is_some_and(|o| o.kind_name() == "identifier") => {
            Some(vec![Part::Ref(query::text(n, src).to_string())])
        }
        _ => string_value(n, src).filter(|s| !s.is_empty()).map(|s| lit(&s)),
    }
}

#[derive(Default)]
struct Found {
    /// `const q = new Queue('name')`: (variable, queue name, line).
    made: Vec<(String, Template, u32)>,
    /// `new Worker('name', fn)`: (constructor, queue name, line).
    workers: Vec<(String, Template, u32)>,
    /// `q.add(…)`, `this.queue.process(…)`: (receiver, method, line).
    calls: Vec<(String, String, u32)>,
    /// `@InjectQueue('order') private queue: Queue`: field → queue name.
    injected: BTreeMap<String, Template>,
    /// `@Processor('order')` classes: (queue name, lines of their `@Process()` handlers, line).
    processors: Vec<(Template, Vec<u32>, u32)>,
}

fn collect(n: Node, src: &[u8], found: &mut Found, depth: usize) {
    if depth > 200 {
        return;
    }
    match n.kind_name() {
        "new_expression" => made(n, src, found),
        "call_expression" => {
            let f = n.field("function").filter(|f| f.kind_name() == "member_expression");
            if let Some((o, p)) = f.and_then(|f| Some((f.field("object")?, f.field("property")?))) {
                let method = query::text(p, src);
                if matches!(method, "add" | "addBulk" | "process") {
                    found.calls.push((query::text(o, src).to_string(), method.to_string(), query::line(n)));
                }
            }
        }
        "decorator" => decorator(n, src, found),
        _ => {}
    }
    let mut c = n.walk();
    for child in n.named_children(&mut c) {
        collect(child, src, found, depth + 1);
    }
}

/// `new Queue<Payload>('order:expiration', { redis })` bound to a variable, `new Worker('q', fn)`.
fn made(n: Node, src: &[u8], found: &mut Found) {
    let Some(ctor) = n.field("constructor").filter(|c| c.kind_name() == "identifier") else { return };
    let ctor = query::text(ctor, src);
    if !matches!(ctor, "Bull" | "Queue" | "Worker") {
        return;
    }
    let first = n.field("arguments").and_then(|a| a.named_child(0));
    let Some(name) = first.and_then(|a| queue_name(a, src)) else { return };
    let line = query::line(n);
    if ctor == "Worker" {
        found.workers.push((ctor.to_string(), name, line));
        return;
    }
    let var = n.parent().filter(|p| p.kind_name() == "variable_declarator").and_then(|d| d.field("name"));
    if let Some(var) = var.filter(|v| v.kind_name() == "identifier") {
        found.made.push((query::text(var, src).to_string(), name, line));
    }
}

/// `@InjectQueue('order')` on a constructor parameter or a field, `@Processor('order')` /
/// `@Processor({ name: 'order' })` on a class.
fn decorator(d: Node, src: &[u8], found: &mut Found) {
    let Some(call) = d.named_child(0).filter(|c| c.kind_name() == "call_expression") else { return };
    let Some(f) = call.field("function").filter(|f| f.kind_name() == "identifier") else { return };
    let first = call.field("arguments").and_then(|a| a.named_child(0));
    let name = first.and_then(|a| match a.kind_name() {
        "object" => super::ts_arch::prop(a, "name", src).and_then(|v| queue_name(v, src)),
        _ => queue_name(a, src),
    });
    let Some(name) = name else { return };
    match query::text(f, src) {
        "InjectQueue" => {
            let Some(owner) = d.parent() else { return };
            let field = owner.field("pattern").or_else(|| owner.field("name"));
            if let Some(field) = field.filter(|f| matches!(f.kind_name(), "identifier" | "property_identifier")) {
                found.injected.insert(query::text(field, src).to_string(), name);
            }
        }
        "Processor" => {
            // `@Processor('q') export class P {}`: the decorator belongs to the export statement.
            let class = d.parent().and_then(super::ts_arch::declared);
            let class = class.filter(|c| matches!(c.kind_name(), "class_declaration" | "class"));
            let body = class.and_then(|c| c.field("body"));
            let handlers = body.map(|b| process_handlers(b, src)).unwrap_or_default();
            found.processors.push((name, handlers, query::line(d)));
        }
        _ => {}
    }
}

/// The lines of a class body's `@Process()` / `@Process('job')` decorators.
fn process_handlers(body: Node, src: &[u8]) -> Vec<u32> {
    let mut c = body.walk();
    body.named_children(&mut c)
        .filter(|m| m.kind_name() == "decorator")
        .chain({
            let mut c2 = body.walk();
            body.named_children(&mut c2)
                .filter(|m| m.kind_name() == "method_definition")
                .flat_map(|m| {
                    let mut c3 = m.walk();
                    m.named_children(&mut c3).filter(|x| x.kind_name() == "decorator").collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
        .filter(|d| {
            let t = query::text(*d, src);
            t == "@Process" || t.starts_with("@Process(")
        })
        .map(query::line)
        .collect()
}

/// `expirationQueue.add(…)` / `.process(…)` on a name imported from the project's own
/// modules (`relative`): a use of the Bull queue that module exports, if it is one (read as
/// the constant `expirationQueue.(bull)` through the import). Found by text; whether any was
/// found.
pub fn imported_uses(text: &str, relative: &[String], facts: &mut ArchFacts) -> bool {
    if relative.is_empty() {
        return false;
    }
    let bytes = text.as_bytes();
    let mut any = false;
    for (method, access) in [(".add(", Access::Write), (".addBulk(", Access::Write), (".process(", Access::Read)] {
        // Hits come in byte order: count the lines from the previous hit, not from the start.
        let (mut from, mut line) = (0, 1u32);
        for at in memchr::memmem::find_iter(bytes, method.as_bytes()) {
            let start = arch::ident_start(bytes, at);
            if start == at || start.checked_sub(1).is_some_and(|i| bytes[i] == b'.') {
                continue;
            }
            let recv = &text[start..at];
            if !relative.iter().any(|r| r == recv) {
                continue;
            }
            line += memchr::memchr_iter(b'\n', &bytes[from..at]).count() as u32;
            from = at;
            let name = vec![Part::Ref(format!("{recv}{QUEUE_MEMBER}"))];
            facts.queues.push(RawQueue { broker: BULL.into(), name, access, line, key: None, rpc: false });
            any = true;
        }
    }
    any
}

//! Temporal task queues (`@temporalio/*`, issue #3, cause 5 of the twenty-fourth blind
//! sample). A Temporal worker polls one task queue and runs the workflows and activities
//! registered with it; a workflow reaches activities through `proxyActivities({ taskQueue })`
//! and a client starts a workflow on a task queue. Each task queue written as an object's
//! `taskQueue` property is a queue of the broker `temporal`:
//!
//! - `proxyActivities({ taskQueue })` / `proxyLocalActivities`: a request awaiting the
//!   activity's result (written, `rpc`), which resolution links to the one other service
//!   whose worker polls that queue;
//! - `Worker.create({ taskQueue })`, and a Nest module's `forRoot`/`forRootAsync`/
//!   `register`/`registerAsync`/`registerWorker` (nestjs-temporal and the like, the option
//!   object or one nested in it): a worker polling it (read, answering requests);
//! - `client.workflow.start(fn, { taskQueue })`, `execute`, `signalWithStart`,
//!   `startWorkflow(name, args, { taskQueue })`: a workflow started on it (written).
//!
//! Any other call with a `taskQueue` option says nothing. The name is the property's
//! value as a template (a string, a constant, a string `enum` member such as
//! `WorkFlowTaskQueue.PAYMENT`, an environment variable), resolved as other queue names
//! are; a shorthand `{ taskQueue }` or a computed value is no queue.

use super::query::FieldExt;
use super::ts_words::{Words, W};
use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, template};
use crate::model::{Access, ArchFacts, RawQueue};

/// Whether a file may name a Temporal task queue: the option's name and Temporal's
/// (`@temporalio/…`, `TemporalModule`, `temporalService`). Plain `memmem` gates.
pub fn mentions(words: &Words) -> bool {
    words.has(W::taskQueue) && words.has(W::emporal)
}

/// What a call taking a `taskQueue` option does with the queue: (access, awaits a reply
/// / answers one), by the callee's last name (and `Worker.create`'s receiver).
fn role(callee: Node, src: &[u8]) -> Option<(Access, bool)> {
    let (object, name) = match callee.kind_name() {
        "identifier" => ("", query::text(callee, src)),
        "member_expression" => (
            callee.field("object").map_or("", |o| query::text(o, src)),
            callee.field("property").map_or("", |p| query::text(p, src)),
        ),
        _ => return None,
    };
    match name {
        "proxyActivities" | "proxyLocalActivities" => Some((Access::Write, true)),
        "create" if object == "Worker" || object.ends_with(".Worker") => Some((Access::Read, true)),
        "forRoot" | "forRootAsync" | "register" | "registerAsync" | "registerWorker" | "registerWorkerAsync" => {
            Some((Access::Read, true))
        }
        "start" | "execute" | "signalWithStart" | "startWorkflow" | "executeWorkflow" => Some((Access::Write, false)),
        _ => None,
    }
}

/// The task queues of the file's calls (see the module's documentation).
pub fn task_queues(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for at in memchr::memmem::find_iter(src, b"taskQueue") {
        let Some(key) = root.descendant_for_byte_range(at, at + 9) else { continue };
        let Some(pair) = key.parent().filter(|p| p.kind_name() == "pair") else { continue };
        if key.kind_name() != "property_identifier"
            || query::text(key, src) != "taskQueue"
            || pair.field("key").is_none_or(|k| k.id() != key.id())
        {
            continue;
        }
        let Some(value) = pair.field("value") else { continue };
        // Up from the object holding the option, through at most two enclosing option
        // objects (`{ workerOptions: { taskQueue } }`), to the call's arguments.
        let mut object = pair.parent().filter(|o| o.kind_name() == "object");
        let mut call = None;
        for _ in 0..3 {
            let Some(o) = object else { break };
            let Some(up) = o.parent() else { break };
            match up.kind_name() {
                "arguments" => {
                    call = up.parent().filter(|c| c.kind_name() == "call_expression");
                    break;
                }
                "pair" => object = up.parent().filter(|p| p.kind_name() == "object"),
                _ => break,
            }
        }
        let Some(call) = call else { continue };
        let Some((access, rpc)) = call.field("function").and_then(|f| role(f, src)) else { continue };
        // A worker registering workflows and no activities runs no activity: it answers
        // no `proxyActivities` request on its queue (the activities' worker does).
        let rpc = rpc && !(access == Access::Read && workflows_only(call, src));
        let name = template(value, src);
        let named = name.iter().any(|p| !matches!(p, crate::model::Part::Param(_)));
        if name.is_empty() || !named {
            continue;
        }
        let line = query::line(pair);
        facts.queues.push(RawQueue { broker: "temporal".into(), name, access, line, key: None, rpc });
    }
}

/// Whether a worker's options (the call's object arguments and the objects nested in
/// them, a few levels deep) name workflows (`workflowsPath`, `workflows`,
/// `workflowBundle`) and no activities (`activities`, `activityClasses`).
fn workflows_only(call: Node, src: &[u8]) -> bool {
    let (mut workflows, mut activities) = (false, false);
    let mut stack: Vec<(Node, usize)> =
        call.field("arguments").map(named).unwrap_or_default().into_iter().map(|a| (a, 0)).collect();
    while let Some((n, depth)) = stack.pop() {
        if n.kind_name() != "object" || depth > 3 {
            continue;
        }
        for member in named(n) {
            let key = match member.kind_name() {
                "pair" => member.field("key").filter(|k| k.kind_name() == "property_identifier"),
                "shorthand_property_identifier" => Some(member),
                _ => None,
            };
            match key.map(|k| query::text(k, src)) {
                Some("workflowsPath" | "workflows" | "workflowBundle") => workflows = true,
                Some("activities" | "activityClasses") => activities = true,
                _ => {}
            }
            if let Some(v) = member.field("value").filter(|_| member.kind_name() == "pair") {
                stack.push((v, depth + 1));
            }
        }
    }
    workflows && !activities
}

/// In a module no trigger word sent through the full pass: the bindings of the imports
/// naming its task queues' constants (`import { WorkFlowTaskQueue } from
/// '@libs/temporal/queue'`), which `import_bindings` leaves out when a path alias spells
/// the module like a scoped package. A specifier that is a package resolves to no file:
/// the name stays unknown, as before.
pub fn bind_queue_names(sources: &[Node], src: &[u8], facts: &mut ArchFacts) {
    let heads: Vec<String> = facts
        .queues
        .iter()
        .filter(|q| q.broker == "temporal")
        .flat_map(|q| &q.name)
        .filter_map(|p| match p {
            crate::model::Part::Ref(r) => r.split('.').next().map(str::to_string),
            _ => None,
        })
        .filter(|h| !facts.bindings.iter().any(|b| &b.local == h))
        .collect();
    if heads.is_empty() {
        return;
    }
    for source in sources {
        let Some(stmt) = source.parent().filter(|p| p.kind_name() == "import_statement") else { continue };
        let line = query::line(*source);
        for clause in named(stmt).into_iter().filter(|c| c.kind_name() == "import_clause") {
            for b in named(clause) {
                let bound: Vec<(String, String)> = match b.kind_name() {
                    "identifier" => vec![(query::text(b, src).to_string(), "default".to_string())],
                    "named_imports" => named(b)
                        .into_iter()
                        .filter(|s| s.kind_name() == "import_specifier")
                        .filter_map(|s| {
                            let remote = query::text(s.field("name")?, src).to_string();
                            let local = s.field("alias").map_or_else(|| remote.clone(), |a| query::text(a, src).into());
                            Some((local, remote))
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                for (local, remote) in bound {
                    if heads.contains(&local) && !facts.bindings.iter().any(|b| b.local == local) {
                        facts.bindings.push(crate::model::Binding { local, remote, line });
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Part;

    fn queues(text: &str) -> Vec<(String, Access, bool)> {
        let lang = crate::model::Lang::TypeScript;
        let tree = query::parse(&super::super::typescript::language(lang), text).unwrap();
        let mut facts = ArchFacts::default();
        task_queues(tree.root_node(), text.as_bytes(), &mut facts);
        let show = |t: &[Part]| {
            t.iter()
                .map(|p| match p {
                    Part::Lit(s) => s.clone(),
                    Part::Ref(r) => format!("<{r}>"),
                    other => format!("{other:?}"),
                })
                .collect::<String>()
        };
        facts.queues.iter().map(|q| (show(&q.name), q.access, q.rpc)).collect()
    }

    #[test]
    fn reads_the_task_queue_of_each_role() {
        let text = "import { proxyActivities } from '@temporalio/workflow';\n\
            const a = proxyActivities({ startToCloseTimeout: '1m', taskQueue: Queues.PAYMENT });\n\
            const w = await Worker.create({ workflowsPath, activities, taskQueue: 'orders' });\n\
            @Module({ imports: [TemporalModule.forRoot({ taskQueue: Q.ORDER, worker: {} })] }) class M {}\n\
            TemporalModule.registerWorker({ workerOptions: { taskQueue: 'nested' } });\n\
            SharedTemporalModule.forRoot({ taskQueue: 'flows', worker: { workflowsPath: p } });\n\
            await client.workflow.start(run, { taskQueue: 'orders', workflowId: id });\n\
            const other = build({ taskQueue: 'not-temporal' });\n\
            const short = proxyActivities({ taskQueue });\n";
        assert_eq!(
            queues(text),
            vec![
                ("<Queues.PAYMENT>".into(), Access::Write, true),
                ("orders".into(), Access::Read, true),
                ("<Q.ORDER>".into(), Access::Read, true),
                ("nested".into(), Access::Read, true),
                ("flows".into(), Access::Read, false),
                ("orders".into(), Access::Write, false),
            ]
        );
        assert!(mentions(&Words::scan(text.as_bytes())));
        assert!(!mentions(&Words::scan(b"const q = { taskQueue: 'x' };")));
    }
}

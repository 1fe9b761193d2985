//! arq, Redis-backed job queues for asyncio (held-out sample 21, Kludex):
//!
//! ```python
//! job = await redis.pool.enqueue_job("test_task", message)   # _queue_name="arq:queue"
//! class WorkerSettings:                                      # `arq app.worker.WorkerSettings`
//!     functions = [test_task]
//!     queue_name = "arq:queue"                               # arq's default when left out
//! ```
//!
//! In a file naming arq, `<x>.enqueue_job(…)` publishes to its `_queue_name=`, else arq's
//! default queue `arq:queue` (`arq.constants.default_queue_name`), and a top-level class
//! assigning `functions = […]` (a worker's settings) consumes its `queue_name`, else the
//! default.

use super::query::FieldExt;
use tree_sitter::Node;

use super::arch::lit;
use super::py_arch::{kwarg, named, template};
use super::query;
use crate::model::{Access, ArchFacts, RawQueue, Template};

/// arq's default queue.
pub const DEFAULT_QUEUE: &str = "arq:queue";

/// Whether a file may use arq.
pub fn mentions(text: &str) -> bool {
    text.contains("from arq") || text.contains("import arq")
}

/// The file's jobs enqueued and worker settings ([`mentions`] is asked first).
pub fn extract(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let queue = |broker_name: Template, access: Access, line: u32| RawQueue {
        broker: "arq".into(),
        name: broker_name,
        access,
        line,
        key: None,
        rpc: false,
    };
    for (at, _) in text.match_indices(".enqueue_job(") {
        let paren = at + ".enqueue_job".len();
        let Some(call) = root.descendant_for_byte_range(at, paren + 1).filter(|c| c.kind_name() == "call") else {
            continue;
        };
        let Some(args) = call.field("arguments").filter(|a| a.kind_name() == "argument_list") else { continue };
        let name = kwarg(args, "_queue_name", src).map(|n| template(n, src)).unwrap_or_else(|| lit(DEFAULT_QUEUE));
        facts.queues.push(queue(name, Access::Write, query::line(call)));
    }
    for class in named(root).into_iter().filter(|c| c.kind_name() == "class_definition") {
        let Some(body) = class.field("body") else { continue };
        let assigned = |field: &str| {
            named(body).into_iter().find_map(|s| {
                let a = s
                    .named_child(0)
                    .filter(|a| s.kind_name() == "expression_statement" && a.kind_name() == "assignment")?;
                (a.field("left").map(|l| query::text(l, src)) == Some(field)).then(|| a.field("right")).flatten()
            })
        };
        if assigned("functions").is_none_or(|f| f.kind_name() != "list") {
            continue;
        }
        let name = assigned("queue_name").map(|n| template(n, src)).unwrap_or_else(|| lit(DEFAULT_QUEUE));
        facts.queues.push(queue(name, Access::Read, query::line(class)));
    }
}

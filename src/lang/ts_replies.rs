//! Request/reply over Redis pub/sub through a wrapper function (issue #3, cause 3 of the
//! twenty-sixth blind sample). A shared module wraps the two halves:
//!
//! ```js
//! export const redisPubSub = async (channel, payload) => {
//!   await pub.publish(channel, JSON.stringify({ data: payload, id }));
//!   return redisFollow(channel, id);       // sub.subscribe(`${channel}:reply`), resolves on the id
//! };
//! export const redisSubPub = (channel, cb) => {
//!   sub.subscribe(channel);
//!   sub.on('message', (chan, m) => cb(m, (data) => pub.publish(`${channel}:reply`, data)));
//! };
//! ```
//!
//! Services call `redisPubSub(PATTERNS.GET_ALL, …)` and `redisSubPub(PATTERNS.GET_ALL, …)`:
//! the channel is the wrapper's parameter, which the callers name (`RawQueueParam`, as a
//! Kafka topic's parameter). A publish on a parameter whose function (or a function of the
//! file it hands the parameter to, `redisFollow(channel, id)`) also subscribes to a channel
//! made of that parameter and more (`` `${channel}:reply` ``, `` `reply:${channel}` ``,
//! directly or through a local holding it) is a request awaiting a reply (`rpc`); a subscription on a parameter
//! whose function also publishes to such a channel answers requests. The reply channel is
//! the pair's own (as NATS's reply inbox), no queue of its own: its lines are returned so
//! that its queue facts are dropped.

use super::query::FieldExt;
use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, param_ident};

/// The lines of the calls making `method`'s reply half (`"publish"` looks for the
/// subscription to the reply channel, `"subscribe"` for the publish to it) for a call of
/// `method` on parameter `param` of function `func`; empty when it is no request/reply.
pub fn reply_half(root: Node, func: Node, param: &str, method: &str, src: &[u8]) -> Vec<u32> {
    let other = if method == "publish" { "subscribe" } else { "publish" };
    let mut lines = derived_uses(func, param, other, src);
    // `return redisFollow(channel, id)`: a function of the file the parameter is handed to.
    if lines.is_empty() && method == "publish" {
        for (helper, index) in handed_to(func, param, src) {
            let Some(g) = top_function(root, &helper, src) else { continue };
            let params: Vec<Node> = g.field("parameters").map(named).unwrap_or_default();
            let Some(q) = params.get(index).and_then(|p| param_ident(*p)) else { continue };
            lines.extend(derived_uses(g, query::text(q, src), other, src));
        }
    }
    lines
}

/// A channel made of parameter `param` and more: `` `${param}:reply` ``, `` `reply.${param}` ``,
/// `` `${param}:${id}` ``, `param + ':reply'`.
fn derived(n: Node, param: &str, src: &[u8]) -> bool {
    let is_param = |i: Node| i.kind_name() == "identifier" && query::text(i, src) == param;
    let worded = |t: Node| query::text(t, src).bytes().any(|b| b.is_ascii_alphanumeric());
    match n.kind_name() {
        "template_string" => {
            let parts = named(n);
            let subs: Vec<Node> = parts
                .iter()
                .filter(|p| p.kind_name() == "template_substitution")
                .filter_map(|p| p.named_child(0))
                .collect();
            let more = parts.iter().any(|p| p.kind_name() == "string_fragment" && worded(*p)) || subs.len() > 1;
            subs.iter().any(|s| is_param(*s)) && more
        }
        "binary_expression" => {
            let (Some(l), Some(r)) = (n.field("left"), n.field("right")) else { return false };
            (is_param(l) && r.kind_name() == "string" && worded(r))
                || (is_param(r) && l.kind_name() == "string" && worded(l))
        }
        _ => false,
    }
}

/// The lines of `x.method(channel, …)` calls in `func` (its nested callbacks too) whose
/// channel is made of `param` ([`derived`]), written out or held by a local
/// (`const replyChannel = `${channel}:reply``).
fn derived_uses(func: Node, param: &str, method: &str, src: &[u8]) -> Vec<u32> {
    let mut locals: Vec<&str> = Vec::new();
    let mut calls: Vec<Node> = Vec::new();
    let mut stack = vec![func];
    while let Some(n) = stack.pop() {
        match n.kind_name() {
            "variable_declarator" => {
                let name = n.field("name").filter(|x| x.kind_name() == "identifier");
                if let (Some(name), Some(value)) = (name, n.field("value")) {
                    if derived(value, param, src) {
                        locals.push(query::text(name, src));
                    }
                }
            }
            "call_expression" => {
                let property = n.field("function").filter(|f| f.kind_name() == "member_expression");
                if property.and_then(|f| f.field("property")).is_some_and(|p| query::text(p, src) == method) {
                    calls.push(n);
                }
            }
            _ => {}
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    let mut lines: Vec<u32> = calls
        .into_iter()
        .filter(|c| {
            let first = c.field("arguments").and_then(|a| a.named_child(0));
            first.is_some_and(|a| {
                derived(a, param, src) || a.kind_name() == "identifier" && locals.contains(&query::text(a, src))
            })
        })
        .map(query::line)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

/// The functions `func` calls by a bare name with `param` among the arguments, and the
/// argument's index: `redisFollow(channel, id)` → (`redisFollow`, 0).
fn handed_to(func: Node, param: &str, src: &[u8]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut stack = vec![func];
    while let Some(n) = stack.pop() {
        if n.kind_name() == "call_expression" {
            let callee = n.field("function").filter(|f| f.kind_name() == "identifier");
            let args: Vec<Node> = n.field("arguments").map(named).unwrap_or_default();
            let at = args.iter().position(|a| a.kind_name() == "identifier" && query::text(*a, src) == param);
            if let (Some(callee), Some(at)) = (callee, at) {
                out.push((query::text(callee, src).to_string(), at));
            }
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    out
}

/// The function the file declares at its top level as `name` (`function name(…)`, `const
/// name = (…) => …`, exported or not).
fn top_function<'t>(root: Node<'t>, name: &str, src: &[u8]) -> Option<Node<'t>> {
    for stmt in named(root) {
        let stmt = match stmt.kind_name() {
            "export_statement" => stmt.field("declaration").unwrap_or(stmt),
            _ => stmt,
        };
        match stmt.kind_name() {
            "function_declaration" if stmt.field("name").is_some_and(|n| query::text(n, src) == name) => {
                return Some(stmt);
            }
            "lexical_declaration" | "variable_declaration" => {
                for d in named(stmt).into_iter().filter(|d| d.kind_name() == "variable_declarator") {
                    let value = d
                        .field("value")
                        .filter(|v| matches!(v.kind_name(), "arrow_function" | "function_expression" | "function"));
                    if d.field("name").is_some_and(|n| query::text(n, src) == name) {
                        if let Some(v) = value {
                            return Some(v);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reply lines for the `method` call on `channel` in function `f` of `text`.
    fn halves(text: &str, f: &str, method: &str) -> Vec<u32> {
        let lang = crate::model::Lang::JavaScript;
        let tree = query::parse(&super::super::typescript::language(lang), text).unwrap();
        let root = tree.root_node();
        let func = top_function(root, f, text.as_bytes()).unwrap();
        reply_half(root, func, "channel", method, text.as_bytes())
    }

    #[test]
    fn pairs_a_publish_with_its_reply_subscription() {
        let text = "const follow = (channel, id) => {\n\
            const replyChannel = `reply:${channel}`;\n\
            sub.subscribe(replyChannel);\n\
            };\n\
            export const ask = async (channel, data) => {\n\
            await pub.publish(channel, data);\n\
            return follow(channel, 1);\n\
            };\n\
            export function answer(channel, cb) {\n\
            sub.subscribe(channel);\n\
            sub.on('message', (c, m) => cb(m, (d) => pub.publish(channel + '.reply', d)));\n\
            }\n\
            export const fire = (channel, data) => pub.publish(channel, data);\n\
            export const both = (channel) => { pub.publish(channel, 1); sub.subscribe(channel); };\n";
        assert_eq!(halves(text, "ask", "publish"), vec![3]);
        assert_eq!(halves(text, "answer", "subscribe"), vec![11]);
        assert!(halves(text, "fire", "publish").is_empty());
        // The channel itself is no reply channel.
        assert!(halves(text, "both", "publish").is_empty());
    }
}

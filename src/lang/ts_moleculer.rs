//! Moleculer services and the actions they call (issue #3, cause 4 of the eighteenth
//! blind sample).
//!
//! A Moleculer service is a schema, `{ name: 'auth', version: 2, actions: { signUp: {
//! handler() {…} }, login(ctx) {…} } }`, written as a module's export (`module.exports =
//! {…}`, `export default {…}`), given to `broker.createService({…})` or to
//! `this.parseServiceSchema({…})`, or a moleculer-decorators class, `@Service({ name:
//! 'auth' }) class AuthService extends Service { @Action() signUp(ctx) {…} }` (the class's
//! name when `@Service` names none, as the decorator does). Its actions are called by
//! their full name, `<version prefix><service>.<action>` (`v2.posts.list`; a string
//! version is its own prefix, `settings: { $noVersionPrefix: true }` drops it), and an
//! action's `name` option renames it. Schemas are read in files that name Moleculer
//! (`moleculer`, `ServiceSchema`) or that moleculer-runner loads by their name
//! (`*.service.js`/`.ts`); a schema whose name or version is not a literal is not read.
//!
//! A call is `call('<service>.<action>', …)` on a context or broker (`ctx.call`,
//! `broker.call`, `this.broker.call`): the receiver's last name is `ctx`, `context` or
//! `broker`. A name that is not a literal is kept as unknown, for a diagnostic.

use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, prop, string_value};
use crate::model::{ArchFacts, RawMoleculerCall, RawMoleculerService};

/// Receivers of `call(action, params)` (sorted).
const CALLERS: &[&str] = &["broker", "context", "ctx"];

/// Whether the file may declare Moleculer services.
pub fn declares(src: &[u8], rel: &str) -> bool {
    let has = |w: &[u8]| memchr::memmem::find(src, w).is_some();
    let by_name = rel.ends_with(".service.js") || rel.ends_with(".service.ts");
    (by_name || has(b"moleculer") || has(b"ServiceSchema")) && (has(b"actions") || has(b"@Action"))
}

/// Whether the file may call Moleculer actions.
pub fn calls_actions(src: &[u8]) -> bool {
    let has = |w: &[u8]| memchr::memmem::find(src, w).is_some();
    has(b".call(") && (has(b"broker") || has(b"ctx") || has(b"context"))
}

/// The service schemas and decorated classes the file declares.
pub fn services(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for at in memchr::memmem::find_iter(src, b"actions") {
        let Some(key) = root.descendant_for_byte_range(at, at + 7) else { continue };
        let Some(pair) = key.parent().filter(|p| p.kind() == "pair" && p.child_by_field_name("key") == Some(key))
        else {
            continue;
        };
        let (Some(schema), Some(actions)) = (pair.parent(), pair.child_by_field_name("value")) else { continue };
        if schema.kind() != "object" || actions.kind() != "object" {
            continue;
        }
        let Some(name) = service_name(schema, src, None) else { continue };
        let actions = named(actions).into_iter().filter_map(|a| action(a, src)).collect();
        facts.moleculer_services.push(RawMoleculerService { name, line: query::line(schema), actions });
    }
    for at in memchr::memmem::find_iter(src, b"@Service(") {
        let Some(dec) = root.descendant_for_byte_range(at, at + 1).and_then(|n| n.parent()) else { continue };
        if dec.kind() != "decorator" {
            continue;
        }
        let Some(class) = decorated(dec) else { continue };
        let options =
            dec.named_child(0).and_then(|c| c.child_by_field_name("arguments")).and_then(|a| a.named_child(0));
        let class_name = class.child_by_field_name("name").map(|n| query::text(n, src));
        let name = match options {
            Some(o) if o.kind() == "object" => service_name(o, src, class_name),
            None => class_name.map(str::to_string),
            Some(_) => None,
        };
        let Some(name) = name else { continue };
        let actions = class.child_by_field_name("body").map(|b| decorated_actions(b, src)).unwrap_or_default();
        facts.moleculer_services.push(RawMoleculerService { name, line: query::line(dec), actions });
    }
}

/// A schema's full name: `name` (else `default`), after its version's prefix.
fn service_name(schema: Node, src: &[u8], default: Option<&str>) -> Option<String> {
    let name = match prop(schema, "name", src) {
        Some(n) => string_value(n, src)?,
        None => default?.to_string(),
    };
    let unprefixed = prop(schema, "settings", src)
        .and_then(|s| prop(s, "$noVersionPrefix", src))
        .is_some_and(|v| query::text(v, src) == "true");
    let prefix = match prop(schema, "version", src) {
        None => String::new(),
        Some(_) if unprefixed => String::new(),
        Some(v) if v.kind() == "number" => format!("v{}.", query::text(v, src)),
        Some(v) => format!("{}.", string_value(v, src)?),
    };
    Some(format!("{prefix}{name}"))
}

/// An entry of `actions: {…}`: its name (an object's `name` option renames it) and its
/// key's line;
/// none for `x: false` (an action a mixin gave, disabled).
fn action(a: Node, src: &[u8]) -> Option<(String, u32)> {
    let key = match a.kind() {
        "pair" => a.child_by_field_name("key")?,
        "method_definition" => a.child_by_field_name("name")?,
        "shorthand_property_identifier" => a,
        _ => return None,
    };
    let value = a.child_by_field_name("value");
    if value.is_some_and(|v| v.kind() == "false") {
        return None;
    }
    let renamed = value.and_then(|v| prop(v, "name", src)).and_then(|n| string_value(n, src));
    let name = renamed.or_else(|| key_name(key, src))?;
    Some((name, query::line(key)))
}

/// A property key's name: an identifier or a string.
fn key_name(key: Node, src: &[u8]) -> Option<String> {
    match key.kind() {
        "property_identifier" | "shorthand_property_identifier" => Some(query::text(key, src).to_string()),
        "string" => string_value(key, src),
        _ => None,
    }
}

/// The class a decorator decorates.
fn decorated(dec: Node) -> Option<Node> {
    let parent = dec.parent()?;
    match parent.kind() {
        "class_declaration" | "class" | "abstract_class_declaration" => Some(parent),
        "export_statement" => parent.child_by_field_name("declaration"),
        _ => None,
    }
}

/// The methods of a class body decorated `@Action(…)`/`@Action`: their action names
/// (`@Action({ name })` renames) and lines.
fn decorated_actions(body: Node, src: &[u8]) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut pending: Vec<Node> = Vec::new();
    for m in named(body) {
        if m.kind() == "decorator" {
            pending.push(m);
            continue;
        }
        let own: Vec<Node> = named(m).into_iter().filter(|d| d.kind() == "decorator").collect();
        let decorators = std::mem::take(&mut pending).into_iter().chain(own);
        if m.kind() != "method_definition" {
            continue;
        }
        for d in decorators {
            let call = d.named_child(0);
            let f = call.map(|c| c.child_by_field_name("function").unwrap_or(c)).map(|f| query::text(f, src));
            if f != Some("Action") {
                continue;
            }
            let options = call.and_then(|c| c.child_by_field_name("arguments")).and_then(|a| a.named_child(0));
            let renamed = options.and_then(|o| prop(o, "name", src)).and_then(|n| string_value(n, src));
            let Some(key) = m.child_by_field_name("name") else { continue };
            out.extend(renamed.or_else(|| key_name(key, src)).map(|n| (n, query::line(key))));
        }
    }
    out
}

/// The file's `ctx.call('svc.action', …)` calls; one whose name is not a literal only
/// in a file naming Moleculer (`moleculer`, `ServiceBroker`).
pub fn calls(root: Node, src: &[u8], facts: &mut ArchFacts) {
    let named_here =
        memchr::memmem::find(src, b"moleculer").is_some() || memchr::memmem::find(src, b"ServiceBroker").is_some();
    for at in memchr::memmem::find_iter(src, b".call(") {
        let Some(prop) = root.descendant_for_byte_range(at + 1, at + 5) else { continue };
        let Some(member) = prop.parent().filter(|m| m.kind() == "member_expression") else { continue };
        let Some(call) = member.parent().filter(|c| c.kind() == "call_expression") else { continue };
        let receiver = member.child_by_field_name("object").map(|o| query::text(o, src)).unwrap_or_default();
        let last = receiver.rsplit('.').next().unwrap_or(receiver);
        if CALLERS.binary_search(&last).is_err() {
            continue;
        }
        let Some(first) = call.child_by_field_name("arguments").and_then(|a| a.named_child(0)) else { continue };
        let action = string_value(first, src);
        if action.as_deref().is_some_and(|a| !is_action_name(a)) || action.is_none() && !named_here {
            continue;
        }
        facts.moleculer_calls.push(RawMoleculerCall { action, line: query::line(call) });
    }
}

/// `service.action`, `v2.posts.list`, `$node.list`: dotted names without spaces.
fn is_action_name(a: &str) -> bool {
    a.contains('.')
        && !a.starts_with('.')
        && !a.ends_with('.')
        && a.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '$'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn callers_are_sorted() {
        crate::resolve::assert_sorted(&[super::CALLERS]);
    }

    #[test]
    fn action_names() {
        assert!(super::is_action_name("auth.signUp"));
        assert!(super::is_action_name("v2.posts.list"));
        assert!(!super::is_action_name("hello world"));
        assert!(!super::is_action_name("users"));
    }
}

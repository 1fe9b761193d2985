//! Queue names handed through the `publish` methods of classes held in typed fields
//! (issue #3, cause 3 of the twenty-fourth blind sample: kyhsa93's SNS topics).
//!
//! ```ts
//! class SNSMessagePublisher {
//!   async publish(Name: Topic, Message: Message) {
//!     await this.snsClient.send(new CreateTopicCommand({ Name }));   // queue named by `Name`
//!   }
//! }
//! class IntegrationEventPublisherImplement implements IntegrationEventPublisher {
//!   @Inject() private readonly snsMessagePublisher: SNSMessagePublisher;
//!   async publish(name: Topic, body: IEvent) {
//!     await this.snsMessagePublisher.publish(name, { … });           // hands `name` on
//!   }
//! }
//! // another module:
//! @Inject(INTEGRATION_EVENT_PUBLISHER) private readonly integrationEventPublisher: IntegrationEventPublisher;
//! await this.integrationEventPublisher.publish(Topic.ACCOUNT_OPENED, …);   // names it
//! ```
//!
//! A call `this.<field>.publish(…)` in a class whose `<field>` is declared with a plain
//! type `T` (a field `field: T` or a constructor parameter property) is a call of the
//! method `T.publish`, the name the queue's own method is known by ([`method_key`]):
//! its text, string-enum members and constants among the arguments are a
//! [`crate::model::ArchFacts::name_calls`] entry, and an argument that is a parameter of the
//! method around is a [`RawParamPass`]. A class `C implements I` hands each parameter of its
//! `publish` on from `I.publish`: the callers of the interface reach the implementation.
//! Only `publish`: the one name such wrappers share that other code seldom calls on a
//! field (`send`, `emit` are HTTP clients' and event emitters' too).

use super::query::FieldExt;
use tree_sitter::Node;

use super::query;
use super::ts_arch::{named, param_ident, string_value, FUNCTIONS};
use crate::model::{ArchFacts, Part, RawArgCall, RawParamPass, Template};

/// The method whose calls are followed.
const METHOD: &str = "publish";

/// The name a method of a class is called by through a typed field: `Class.method`; none
/// for anything but a named class's method.
pub fn method_key(func: Node, src: &[u8]) -> Option<String> {
    if func.kind_name() != "method_definition" {
        return None;
    }
    let class = func.parent().filter(|b| b.kind_name() == "class_body")?.parent()?;
    if !matches!(class.kind_name(), "class_declaration" | "abstract_class_declaration" | "class") {
        return None;
    }
    let name = func.field("name").filter(|n| n.kind_name() == "property_identifier")?;
    Some(format!("{}.{}", query::text(class.field("name")?, src), query::text(name, src)))
}

/// The plain type a class declares its field `field` with: `private readonly x: T;` or
/// `constructor(private readonly x: T)`.
fn field_type<'t>(class: Node<'t>, field: &str, src: &'t [u8]) -> Option<&'t str> {
    let body = class.field("body")?;
    let plain =
        |ty: Node<'t>| ty.named_child(0).filter(|t| t.kind_name() == "type_identifier").map(|t| query::text(t, src));
    for m in named(body) {
        match m.kind_name() {
            "public_field_definition" => {
                let name = m.field("name").filter(|n| query::text(*n, src) == field);
                if let Some(ty) = name.and_then(|_| m.field("type")) {
                    return plain(ty);
                }
            }
            "method_definition" if m.field("name").is_some_and(|n| query::text(n, src) == "constructor") => {
                for p in m.field("parameters").map(named).unwrap_or_default() {
                    let property = (0..p.child_count()).filter_map(|i| p.child(i)).any(|c| {
                        matches!(c.kind_name(), "accessibility_modifier" | "override_modifier")
                            || query::text(c, src) == "readonly"
                    });
                    let name = p.field("pattern").filter(|n| query::text(*n, src) == field);
                    if let (true, Some(ty)) = (property, name.and_then(|_| p.field("type"))) {
                        return plain(ty);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// The calls of `this.<field>.publish(…)` and the interfaces' hand-overs, as the module
/// doc says. Asked for files whose text has `.publish(`, `this.` and `class `.
pub fn typed_calls(root: Node, text: &str, facts: &mut ArchFacts) {
    let src = text.as_bytes();
    let needle = format!(".{METHOD}(");
    for at in memchr::memmem::find_iter(src, needle.as_bytes()) {
        let (start, end) = (at + 1, at + 1 + METHOD.len());
        let Some(prop) = root.descendant_for_byte_range(start, end) else { continue };
        if prop.kind_name() != "property_identifier" {
            continue;
        }
        let Some(member) = prop.parent().filter(|m| m.kind_name() == "member_expression") else { continue };
        let Some(call) = member.parent().filter(|c| c.kind_name() == "call_expression") else { continue };
        if call.field("function").is_none_or(|f| f.id() != member.id()) {
            continue;
        }
        // `this.<field>`
        let Some(object) = member.field("object").filter(|o| o.kind_name() == "member_expression") else { continue };
        if object.field("object").is_none_or(|t| t.kind_name() != "this") {
            continue;
        }
        let Some(field) = object.field("property").filter(|p| p.kind_name() == "property_identifier") else {
            continue;
        };
        let ancestors = query::ancestors(call, 64).collect::<Vec<_>>();
        let Some(class) = ancestors
            .iter()
            .find(|a| matches!(a.kind_name(), "class_declaration" | "abstract_class_declaration" | "class"))
        else {
            continue;
        };
        let Some(ty) = field_type(*class, query::text(field, src), src) else { continue };
        let callee = format!("{ty}.{METHOD}");
        // The method around, when the call is in its body (not in a nested function).
        let func = ancestors.iter().find(|a| FUNCTIONS.contains(&a.kind_name()));
        let around = func.and_then(|f| method_key(*f, src).map(|k| (*f, k)));
        let params: Vec<Node> = around.as_ref().and_then(|(f, _)| f.field("parameters")).map(named).unwrap_or_default();
        let args = call.field("arguments").map(named).unwrap_or_default();
        let mut words: Vec<Template> = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let word = match a.kind_name() {
                "identifier" => {
                    let name = query::text(*a, src);
                    let param =
                        params.iter().position(|p| param_ident(*p).is_some_and(|n| query::text(n, src) == name));
                    if let (Some(param), Some((_, function))) = (param, &around) {
                        let (callee, function) = (callee.clone(), function.clone());
                        facts.param_passes.push(RawParamPass { callee, arg: i, function, param });
                        Template::new()
                    } else {
                        vec![Part::Ref(name.to_string())]
                    }
                }
                // `Topic.ACCOUNT_OPENED`: a string enum's member or a constant's, read in resolution.
                "member_expression" => {
                    let plain = a.field("object").is_some_and(|o| o.kind_name() == "identifier")
                        && a.field("property").is_some_and(|p| p.kind_name() == "property_identifier");
                    if plain {
                        vec![Part::Ref(query::text(*a, src).to_string())]
                    } else {
                        Template::new()
                    }
                }
                "string" => {
                    string_value(*a, src).filter(|s| !s.is_empty()).map(|s| vec![Part::Lit(s)]).unwrap_or_default()
                }
                _ => Template::new(),
            };
            words.push(word);
        }
        if words.iter().any(|w| !w.is_empty()) {
            let line = query::line(call);
            let (kwargs, methods, props) = (Vec::new(), Vec::new(), Vec::new());
            facts.name_calls.push(RawArgCall { callee, args: words, kwargs, methods, props, line });
        }
    }
    implementations(root, src, facts);
}

/// `class C implements I { publish(a, b) { … } }` (top level, exported or not): `I.publish`
/// hands each of its parameters on to `C.publish`.
fn implementations(root: Node, src: &[u8], facts: &mut ArchFacts) {
    for top in named(root) {
        let Some(class) = super::ts_arch::declared(top)
            .filter(|d| matches!(d.kind_name(), "class_declaration" | "abstract_class_declaration"))
        else {
            continue;
        };
        let (Some(name), Some(body)) = (class.field("name"), class.field("body")) else { continue };
        let heritage = named(class).into_iter().find(|c| c.kind_name() == "class_heritage");
        let implements = heritage.map(named).unwrap_or_default();
        let interfaces: Vec<&str> = implements
            .iter()
            .filter(|c| c.kind_name() == "implements_clause")
            .flat_map(|c| named(*c))
            .filter(|t| t.kind_name() == "type_identifier")
            .map(|t| query::text(t, src))
            .collect();
        if interfaces.is_empty() {
            continue;
        }
        let method = named(body).into_iter().find(|m| {
            m.kind_name() == "method_definition" && m.field("name").is_some_and(|n| query::text(n, src) == METHOD)
        });
        let Some(method) = method else { continue };
        let count = method.field("parameters").map(named).unwrap_or_default().len();
        let own = format!("{}.{METHOD}", query::text(name, src));
        for interface in interfaces {
            for param in 0..count {
                let (callee, function) = (own.clone(), format!("{interface}.{METHOD}"));
                facts.param_passes.push(RawParamPass { callee, arg: param, function, param });
            }
        }
    }
}

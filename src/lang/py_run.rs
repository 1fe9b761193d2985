//! Flask's (and Quart's) development server started by the module that builds the app:
//! `app = Flask(__name__)` at the top level, then `app.run(port=8000)` (often in `main()`
//! or under `if __name__ == "__main__":`). The port is where the process listens, as
//! `app.listen(3000)` is for Node: each such call becomes a `listens` fact of the file,
//! which `resolve/services.rs` reads to tell several app files of one tree apart and
//! `resolve/calls.rs` to send a `localhost:PORT` call to the app that binds it.
//!
//! The port is the `port=` keyword, else the second positional argument
//! (`app.run("0.0.0.0", 8000)`), else Flask's default, 5000
//! (flask.palletsprojects.com/en/stable/api/#flask.Flask.run), unless the file
//! names `SERVER_NAME` (a configured server name may carry the port) or passes
//! `**options`, whose keys are not read. Only the module's own app object is read:
//! `x.run()` on anything else (a thread, a Celery app, `socketio.run(app)`) is not.

use super::query::FieldExt;
use tree_sitter::Node;

use super::py_arch::{kwarg, split_args, template};
use super::query;
use crate::model::{ArchFacts, Part};

/// Flask's default port for `app.run()` given none.
const FLASK_DEFAULT_PORT: &str = "5000";

/// Whether a file may start a Flask development server.
pub fn mentions(text: &str) -> bool {
    text.contains(".run(") && (text.contains("Flask(") || text.contains("Quart("))
}

/// Add a `listens` fact for each `app.run(…)` of a Flask/Quart app the module builds
/// at its top level (`facts.servers`, `facts.routers`: read after the query pass).
pub fn listens(root: Node, text: &str, facts: &mut ArchFacts) {
    if facts.servers.is_empty() {
        return;
    }
    let apps: Vec<&str> = facts
        .routers
        .iter()
        .filter(|r| r.framework == "flask" && facts.servers.contains(&r.line) && !facts.sub_routers.contains(&r.name))
        .map(|r| r.name.as_str())
        .collect();
    if apps.is_empty() {
        return;
    }
    let src = text.as_bytes();
    let mut found = Vec::new();
    for (at, _) in text.match_indices(".run(") {
        let Some(call) = call_at(root, at + 1, at + ".run".len()) else { continue };
        let Some(object) = call.field("function").and_then(|f| f.field("object")) else { continue };
        if object.kind_name() != "identifier" || !apps.contains(&query::text(object, src)) {
            continue;
        }
        let Some(args) = call.field("arguments") else { continue };
        let (positional, _) = split_args(args);
        let port = kwarg(args, "port", src).or_else(|| positional.get(1).copied());
        let value = match port {
            Some(p) if p.kind_name() == "integer" => vec![Part::Lit(query::text(p, src).to_string())],
            Some(p) => template(p, src),
            None => {
                let splat = super::py_arch::named(args).iter().any(|a| a.kind_name() == "dictionary_splat");
                if splat || text.contains("SERVER_NAME") {
                    continue;
                }
                vec![Part::Lit(FLASK_DEFAULT_PORT.to_string())]
            }
        };
        found.push((value, query::line(call)));
    }
    facts.listens.extend(found);
}

/// The call whose callee is `x.run` with `run` at `start..end`.
fn call_at(root: Node, start: usize, end: usize) -> Option<Node> {
    let name = root.descendant_for_byte_range(start, end).filter(|n| n.kind_name() == "identifier")?;
    let callee = name.parent().filter(|p| p.kind_name() == "attribute")?;
    let call = callee.parent().filter(|c| c.kind_name() == "call")?;
    (call.field("function") == Some(callee)).then_some(call)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ports(code: &str) -> Vec<String> {
        let tree = query::parse(&tree_sitter_python::LANGUAGE.into(), code).ok().unwrap();
        let mut facts = ArchFacts::default();
        facts.servers.push(2);
        facts.routers.push(crate::model::RawRouter {
            name: "app".into(),
            framework: "flask".into(),
            prefix: Vec::new(),
            line: 2,
        });
        listens(tree.root_node(), code, &mut facts);
        facts.listens.iter().map(|(t, _)| format!("{t:?}")).collect()
    }

    #[test]
    fn port_keyword_positional_and_default() {
        let head = "from flask import Flask\napp = Flask(__name__)\n";
        assert_eq!(ports(&format!("{head}def main():\n    app.run(port=9000, debug=True)\n")), [r#"[Lit("9000")]"#]);
        assert_eq!(ports(&format!("{head}app.run('0.0.0.0', 8001)\n")), [r#"[Lit("8001")]"#]);
        assert_eq!(
            ports(&format!("{head}if __name__ == '__main__':\n    app.run(debug=True)\n")),
            [r#"[Lit("5000")]"#]
        );
        assert_eq!(ports(&format!("{head}app.run(port=PORT)\n")), [r#"[Ref("PORT")]"#]);
    }

    #[test]
    fn other_objects_and_unread_options() {
        let head = "from flask import Flask\napp = Flask(__name__)\n";
        assert!(ports(&format!("{head}thread.run()\nsocketio.run(app, port=1)\n")).is_empty());
        assert!(ports(&format!("{head}app.run(**opts)\n")).is_empty());
        assert!(ports(&format!("{head}app.config['SERVER_NAME'] = 'x:1'\napp.run()\n")).is_empty());
    }
}

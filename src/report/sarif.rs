//! SARIF 2.1.0 for code-scanning upload: one result per new violation, at
//! the site of the dependency that makes it new, with the violation's
//! fingerprint as `partialFingerprints` so re-runs match the same alert.

use serde_json::{json, Value};

use crate::gate::Outcome;

/// Rules, sorted by id, with their help text.
const RULES: &[(&str, &str)] = &[
    ("cycle", "A new circular dependency between modules."),
    ("forbidden", "A dependency that tapestry.toml forbids."),
    ("layer", "A dependency from a layer to one above it."),
    ("max-fan-out", "A module depending on more modules than tapestry.toml allows."),
    ("max-instability", "A directory others depend on that is less stable than tapestry.toml allows."),
    ("service-cycle", "A new circular chain of calls between services."),
];

pub fn render(o: &Outcome) -> String {
    let results: Vec<Value> = o
        .new
        .iter()
        .map(|n| {
            let v = &n.violation;
            let at = n.new_edges.first().or(v.sites.first());
            let mut text = v.message.clone();
            for s in &n.example {
                text.push_str(&format!("\n{}:{} {} → {}", s.file, s.line, s.from, s.to));
            }
            let locations: Vec<Value> = at
                .map(|s| {
                    vec![json!({
                        "physicalLocation": {
                            "artifactLocation": { "uri": s.file, "uriBaseId": "%SRCROOT%" },
                            "region": { "startLine": s.line.max(1) }
                        }
                    })]
                })
                .unwrap_or_default();
            json!({
                "ruleId": v.rule,
                "ruleIndex": RULES.iter().position(|(id, _)| *id == v.rule).unwrap_or(0),
                "level": "error",
                "message": { "text": text },
                "locations": locations,
                "partialFingerprints": { "tapestry/v1": v.fingerprint }
            })
        })
        .collect();
    let rules: Vec<Value> =
        RULES.iter().map(|(id, help)| json!({ "id": id, "name": id, "shortDescription": { "text": help } })).collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "tapestry",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("plain data serializes");
    s.push('\n');
    s
}

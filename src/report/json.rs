//! `--format json`: the report as documented in `schema/report.schema.json`.

use super::Report;

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("report serializes: plain data, string keys");
    s.push('\n');
    s
}

//! `--format json`: the report as documented in `schema/report.schema.json`.

use super::Report;

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("report serializes: plain data, string keys");
    s.push('\n');
    s
}

/// [`render`], written as it is made: the report of a large tree is never held as one string.
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}

//! `--format html` / `-o map.html`: one self-contained interactive HTML map.
//!
//! The page is an askama template (`templates/map.html`) with the stylesheet
//! and script inlined (`templates/map.css`, `templates/map.js`) and the data in
//! a `<script type="application/json">` block. Nothing is loaded from
//! anywhere: a Content-Security-Policy allows no fetch, frame, font, image or
//! form, and only the exact inline script and style shipped here (by SHA-256
//! hash), so even markup that slipped into the page could not run.
//!
//! Everything in a report comes from an untrusted repository, so:
//! - the data is JSON in which `<`, `>`, `&`, U+2028 and U+2029 are `\u`
//!   escapes: it cannot end its `<script>` block or open a comment;
//! - credentials inside URLs (`scheme://user:secret@host`) are redacted in
//!   every string before it is written;
//! - the script builds the page with `textContent`/`createElement` only, and
//!   turns file paths into links only under the `--link-base` the user gave
//!   (checked here: `http` or `https`, no credentials), each path segment
//!   percent-encoded;
//! - the few strings the template prints are escaped by askama for HTML.

use askama::Template;
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{html_model, RenderOptions, Report};

const SCRIPT: &str = include_str!("../../templates/map.js");
const STYLE: &str = include_str!("../../templates/map.css");

#[derive(Template)]
#[template(path = "map.html")]
struct Page<'a> {
    title: &'a str,
    csp: String,
    style: &'a str,
    script: &'a str,
    data: String,
}

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let value = serde_json::to_value(report).expect("report serializes: plain data, string keys");
    render_value(&value, opts)
}

/// Renders a report given as its JSON contract (what [`render`] does after
/// serializing; public so that reports with every node kind can be rendered
/// in tests before the scan produces them).
pub fn render_value(report: &Value, opts: &RenderOptions) -> String {
    let data = html_model::build(report, opts.compare.as_ref(), opts.link_base.as_deref());
    let mut data = serde_json::to_value(&data).expect("page data serializes");
    redact_all(&mut data);
    let title = format!("tapestry · {}", redact_credentials(html_model::s(report, "root")));
    let page = Page { title: &title, csp: csp(), style: STYLE, script: SCRIPT, data: script_safe_json(&data) };
    let mut html = page.render().expect("the template renders plain strings");
    html.push('\n');
    html
}

/// The policy: nothing from anywhere but the inline script and style shipped.
fn csp() -> String {
    format!(
        "default-src 'none'; script-src '{}'; style-src '{}'; img-src 'none'; font-src 'none'; \
         connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none'; \
         manifest-src 'none'; base-uri 'none'; form-action 'none'",
        sha256(SCRIPT),
        sha256(STYLE)
    )
}

fn sha256(text: &str) -> String {
    format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes())))
}

/// JSON that is safe inside `<script type="application/json">`: the
/// characters that could end the block, open a comment or break a line in
/// old parsers only ever occur inside JSON strings, where `\u` escapes mean
/// the same.
pub(super) fn script_safe_json(v: &Value) -> String {
    let text = serde_json::to_string(v).expect("plain data serializes");
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Redacts credentials in URLs in every string of `v`.
fn redact_all(v: &mut Value) {
    match v {
        Value::String(s) if s.contains("://") => *s = redact_credentials(s),
        Value::Array(a) => a.iter_mut().for_each(redact_all),
        Value::Object(o) => o.values_mut().for_each(redact_all),
        _ => {}
    }
}

/// `https://user:secret@host/x` → `https://***@host/x`, for every URL in `text`.
pub(crate) fn redact_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let end = tail.find(|c: char| c.is_whitespace() || "/?#\"'<>`\\".contains(c)).unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(i) => {
                out.push_str("***");
                out.push_str(&authority[i..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Checks `--link-base`: an `http` or `https` URL without credentials,
/// quotes or spaces; a `/` is added when missing.
pub fn check_link_base(url: &str) -> anyhow::Result<String> {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) else {
        anyhow::bail!(
            "--link-base {url:?}: use an http:// or https:// URL, e.g. https://github.com/OWNER/REPO/blob/main/"
        );
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || "\"'<>`\\".contains(c)) {
        anyhow::bail!("--link-base {url:?}: quotes, spaces and control characters are not allowed in the URL");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() {
        anyhow::bail!("--link-base {url:?}: the URL has no host");
    }
    if authority.contains('@') {
        anyhow::bail!("--link-base: the URL carries credentials, which would be written into the report; remove them");
    }
    Ok(if url.ends_with('/') { url.to_string() } else { format!("{url}/") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_cannot_end_its_script_block() {
        let v = serde_json::json!({"route": "/</script><script>alert(1)</script>", "c": "<!-- x & y \u{2028}"});
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&') && !s.contains('\u{2028}'));
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v);
    }

    #[test]
    fn credentials_in_urls_are_redacted() {
        assert_eq!(
            redact_credentials("fetch https://bob:hunter2@api.x.com/v1 and redis://:pw@cache:6379"),
            "fetch https://***@api.x.com/v1 and redis://***@cache:6379"
        );
        assert_eq!(redact_credentials("mailto a@b and https://host/p@q"), "mailto a@b and https://host/p@q");
    }

    #[test]
    fn link_base_is_http_without_credentials() {
        assert_eq!(check_link_base("https://github.com/o/r/blob/main").unwrap(), "https://github.com/o/r/blob/main/");
        assert!(check_link_base("javascript:alert(1)//").is_err());
        assert!(check_link_base("https://token@github.com/o/r/").is_err());
        assert!(check_link_base("https://x.com/\"onmouseover=").is_err());
        assert!(check_link_base("file:///etc/").is_err());
    }
}

//! Bare paths handed to a request wrapper that puts them after a base URL: RealWorld's
//! `agent.js`, `const requests = { get: (url) => superagent.get(`${API_ROOT}${url}`) }`,
//! called as `requests.get('school')` or `requests.post('applicationForms/', body)`.
//! The general pass ([`crate::lang::arch::calls_of`]) keeps only arguments that look like
//! URLs (a leading `/`, a scheme, a constant), so these calls are looked for here, by
//! text: `name.<method>(` followed by a quote, for the heads of the file's own
//! object-member wrappers and the names it imports from its own modules. Resolution
//! keeps such an argument only for a wrapper with a base before its parameter
//! (`resolve/calls.rs`), so a bare word given to anything else stays unread.

use super::query::FieldExt;
use tree_sitter::Node;

use crate::lang::query;

/// The HTTP method names a wrapper object's members are called by (sorted).
const METHODS: &[&str] = &["del", "delete", "get", "patch", "post", "put"];

/// Calls `head.method('…')` of one of `heads` (sorted) whose first argument is a string
/// or template literal: the callee as written and the argument list, by head, then in
/// text order.
///
/// Found from the text's `.method(` spellings, one search per method: searching the text
/// for each head instead (every name a module imports from its own modules) was 5 % of
/// effect's scan.
pub fn bare_path_calls<'t>(root: Node<'t>, text: &str, heads: &[&str]) -> Vec<(String, Node<'t>)> {
    if heads.is_empty() {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$');
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    for method in METHODS {
        let spelled = format!(".{method}(");
        for dot in memchr::memmem::find_iter(bytes, spelled.as_bytes()) {
            let at = dot - bytes[..dot].iter().rev().take_while(|b| ident(**b)).count();
            if at == dot || at.checked_sub(1).is_some_and(|i| bytes[i] == b'.') {
                continue;
            }
            let Ok(h) = heads.binary_search(&&text[at..dot]) else { continue };
            let paren = dot + spelled.len() - 1;
            if text[paren + 1..].trim_start().starts_with(['\'', '"', '`']) {
                found.push((h, at, paren));
            }
        }
    }
    found.sort_unstable();
    let mut out = Vec::new();
    for (_, at, paren) in found {
        let Some(call) = root.descendant_for_byte_range(at, paren + 1).filter(|c| c.kind_name() == "call_expression")
        else {
            continue;
        };
        if let Some(list) = call.field("arguments") {
            out.push((query::text(call.field("function").unwrap_or(call), bytes).to_string(), list));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::METHODS;

    #[test]
    fn methods_are_sorted() {
        assert!(METHODS.windows(2).all(|w| w[0] < w[1]));
    }
}

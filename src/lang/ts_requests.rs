//! Bare paths handed to a request wrapper that puts them after a base URL: RealWorld's
//! `agent.js`, `const requests = { get: (url) => superagent.get(`${API_ROOT}${url}`) }`,
//! called as `requests.get('school')` or `requests.post('applicationForms/', body)`.
//! The general pass ([`crate::lang::arch::calls_of`]) keeps only arguments that look like
//! URLs (a leading `/`, a scheme, a constant), so these calls are looked for here, by
//! text: `name.<method>(` followed by a quote, for the heads of the file's own
//! object-member wrappers and the names it imports from its own modules. Resolution
//! keeps such an argument only for a wrapper with a base before its parameter
//! (`resolve/calls.rs`), so a bare word given to anything else stays unread.

use tree_sitter::Node;

use crate::lang::query;

/// The HTTP method names a wrapper object's members are called by (sorted).
const METHODS: &[&str] = &["del", "delete", "get", "patch", "post", "put"];

/// Calls `head.method('…')` of one of `heads` whose first argument is a string or
/// template literal: the callee as written and the argument list, in text order.
pub fn bare_path_calls<'t>(root: Node<'t>, text: &str, heads: &[&str]) -> Vec<(String, Node<'t>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for head in heads {
        for (at, _) in text.match_indices(head) {
            if at
                .checked_sub(1)
                .is_some_and(|i| bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'$' | b'.'))
            {
                continue;
            }
            let Some(rest) = text[at + head.len()..].strip_prefix('.') else { continue };
            let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            let (method, after) = rest.split_at(name_len);
            if METHODS.binary_search(&method).is_err() {
                continue;
            }
            let Some(args) = after.strip_prefix('(') else { continue };
            if !args.trim_start().starts_with(['\'', '"', '`']) {
                continue;
            }
            let paren = at + head.len() + 1 + name_len;
            let Some(call) = root.descendant_for_byte_range(at, paren + 1).filter(|c| c.kind() == "call_expression")
            else {
                continue;
            };
            if let Some(list) = call.child_by_field_name("arguments") {
                out.push((query::text(call.child_by_field_name("function").unwrap_or(call), bytes).to_string(), list));
            }
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

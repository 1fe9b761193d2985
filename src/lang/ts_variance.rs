//! Variance annotations on TypeScript type parameters (`interface Box<in out A>`,
//! `type Fn<in A> = …`, TypeScript 4.7) are blanked out before parsing.
//!
//! Why: tree-sitter-typescript 0.23.2, the newest grammar on crates.io, does
//! not know them. A file using them parsed with an ERROR node at every such
//! list, so libraries written in that style (effect: 49 of its 627 files)
//! were each reported with a syntax error they do not have, and whatever sat
//! inside the broken span was searched with less context. The modifiers say
//! nothing about dependencies, so they are replaced with spaces of the same
//! length: every byte offset, line and column stays where it was.
//!
//! What counts as a modifier: `in` and/or `out`, as whole words, right after
//! the `<` of a type parameter list (an identifier character just before the
//! `<`, which leaves JSX tags such as `return <out x="1">` alone) or after one
//! of its commas, followed by the parameter's name and then `,`, `>`, `=` or
//! `extends`. Anything else (`for (x in y)`, `a < b`) is left as written.

use std::borrow::Cow;

/// `text` with variance modifiers replaced by spaces (borrowed when there are none).
pub fn mask(text: &str) -> Cow<'_, str> {
    if !text.contains("in ") && !text.contains("out ") {
        return Cow::Borrowed(text);
    }
    let b = text.as_bytes();
    let mut blanks: Vec<(usize, usize)> = Vec::new();
    // Only a `<` or a `,` can start a list position: jump between them (0.7 % of effect's
    // instructions went to testing every byte).
    for p in memchr::memchr2_iter(b'<', b',', b) {
        let opens_list = b[p] == b'<' && p > 0 && is_ident(b[p - 1]);
        if opens_list || b[p] == b',' {
            modifiers_after(b, p + 1, &mut blanks);
        }
    }
    if blanks.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = b.to_vec();
    for (start, end) in blanks {
        out[start..end].fill(b' ');
    }
    // Only ASCII letters were replaced by ASCII spaces: still UTF-8.
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
}

/// The modifiers of the type parameter starting at or after `at`, if it is one.
fn modifiers_after(b: &[u8], at: usize, blanks: &mut Vec<(usize, usize)>) {
    let mut i = skip_ws(b, at);
    let mut found = Vec::new();
    while found.len() < 2 {
        let Some(len) = ["in", "out"].into_iter().find(|w| word_at(b, i, w)).map(str::len) else {
            break;
        };
        let next = skip_ws(b, i + len);
        // A modifier is followed by whitespace and then the parameter's name.
        if next == i + len || next >= b.len() || !is_ident_start(b[next]) {
            break;
        }
        found.push((i, i + len));
        i = next;
    }
    if !found.is_empty() && is_parameter(b, i) {
        blanks.extend(found);
    }
}

/// An identifier at `i`, then `,`, `>`, `=` or `extends`: a type parameter.
fn is_parameter(b: &[u8], i: usize) -> bool {
    if i >= b.len() || !is_ident_start(b[i]) {
        return false;
    }
    let mut j = i;
    while j < b.len() && is_ident(b[j]) {
        j += 1;
    }
    let k = skip_ws(b, j);
    match b.get(k) {
        Some(b',' | b'>' | b'=') => true,
        _ => b[k..].starts_with(b"extends") && b.get(k + 7).is_some_and(|c| !is_ident(*c)),
    }
}

/// Whether `word` stands at `i` as a whole word.
fn word_at(b: &[u8], i: usize, word: &str) -> bool {
    b[i.min(b.len())..].starts_with(word.as_bytes()) && b.get(i + word.len()).is_none_or(|c| !is_ident(*c))
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$'
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn blanks_variance_modifiers_keeping_offsets() {
        let src = "export interface Cache<in out Key, in out A, out R = never> extends X<A> {}";
        let want = "export interface Cache<       Key,        A,     R = never> extends X<A> {}";
        assert_eq!(mask(src), want);
        assert_eq!(mask("type F<in A> = (a: A) => void"), "type F<   A> = (a: A) => void");
        assert_eq!(
            mask("interface K<\n  out Id extends string,\n  out T\n> {}"),
            "interface K<\n      Id extends string,\n      T\n> {}"
        );
    }

    #[test]
    fn leaves_parameters_named_in_or_out_and_other_code_alone() {
        for src in [
            "interface P<in, out> {}",
            "interface Q<out> {}",
            "for (const k in obj) {}",
            "if (a < out) { f(a, in_b) }",
            "return <out x=\"1\">y</out>",
            "const s = 'a, in b'",
            "f(a, out)",
        ] {
            assert_eq!(mask(src), src, "{src}");
        }
        // The parameter itself may be called `out` once a modifier precedes it.
        assert_eq!(mask("interface R<in out> {}"), "interface R<   out> {}");
    }
}

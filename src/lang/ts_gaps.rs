//! TypeScript that tree-sitter-typescript 0.23.2, the newest grammar on
//! crates.io, does not parse, rewritten before parsing without moving a byte.
//!
//! Why: a file using such syntax parsed with an ERROR node around it, so
//! libraries written in that style were each reported with a syntax error
//! they do not have, whatever sat inside the broken span was searched with
//! less context, and the parser's error recovery cost a quarter of parsing
//! them. Each rewrite replaces bytes with bytes of the same length: every
//! byte offset, line and column stays where it was.
//!
//! 1. Variance annotations on type parameters (`interface Box<in out A>`,
//!    `type Fn<in A> = …`, TypeScript 4.7; effect: 49 of its 627 files) are
//!    replaced with spaces. They say nothing about dependencies. What counts
//!    as a modifier: `in` and/or `out`, as whole words, right after the `<`
//!    of a type parameter list (an identifier character just before the
//!    `<`, which leaves JSX tags such as `return <out x="1">` alone) or after
//!    one of its commas, followed by the parameter's name and then `,`, `>`,
//!    `=` or `extends`. Anything else (`for (x in y)`, `a < b`) is left as written.
//! 2. Generic call signatures separated by a line break alone, as in the
//!    overloads of effect's `dual` API (`map: {\n  <A, B>(f: …): …\n  <A,
//!    B>(self: …): …\n}`; effect: 135 of 572 files). The grammar needs a `;`
//!    or `,` before a member that starts with `<`: the first indentation byte
//!    of such a line becomes `;`. Only in `.ts` files (a line starting with `<`
//!    is JSX in `.tsx` and `.js`), only before `<T…>(` at a line's start, and
//!    only after a line whose code ends the way a type member ends (a name, a
//!    string, `)`, `]`, `}` or a `>` that is not `=>`), comments skipped.

use std::borrow::Cow;

/// `text` with the gaps above rewritten (borrowed when there are none); the
/// call-signature separators only when `separators` (a `.ts` file).
pub fn mask(text: &str, separators: bool) -> Cow<'_, str> {
    let b = text.as_bytes();
    // (start, end, byte): the range is filled with the byte.
    let mut edits: Vec<(usize, usize, u8)> = Vec::new();
    if text.contains("in ") || text.contains("out ") {
        // Only a `<` or a `,` can start a list position: jump between them (0.7 % of effect's
        // instructions went to testing every byte).
        for p in memchr::memchr2_iter(b'<', b',', b) {
            let opens_list = b[p] == b'<' && p > 0 && is_ident(b[p - 1]);
            if opens_list || b[p] == b',' {
                modifiers_after(b, p + 1, &mut edits);
            }
        }
    }
    if separators {
        call_signature_separators(b, &mut edits);
    }
    if edits.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = b.to_vec();
    for (start, end, byte) in edits {
        out[start..end].fill(byte);
    }
    // Only ASCII bytes were replaced by ASCII bytes: still UTF-8.
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
}

/// A `;` in place of the first indentation byte of each line that starts a
/// generic call signature right after a type member (rewrite 2 above).
fn call_signature_separators(b: &[u8], edits: &mut Vec<(usize, usize, u8)>) {
    for nl in memchr::memchr_iter(b'\n', b) {
        let start = nl + 1;
        let mut i = start;
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if i == start || b.get(i) != Some(&b'<') || !b.get(skip_ws(b, i + 1)).copied().is_some_and(is_ident_start) {
            continue;
        }
        if type_parameters_then_call(b, i) && previous_code(b, nl).is_some_and(|j| ends_member(b, j)) {
            edits.push((start, start + 1, b';'));
        }
    }
}

/// Whether the `<` at `at` opens a type parameter list whose `>` is followed by `(`.
fn type_parameters_then_call(b: &[u8], at: usize) -> bool {
    let mut depth = 0usize;
    for (i, &c) in b.iter().enumerate().skip(at).take(2000) {
        match c {
            b'<' => depth += 1,
            // `=>` inside a parameter's constraint closes nothing.
            b'>' if b[i - 1] != b'=' => {
                depth -= 1;
                if depth == 0 {
                    return b.get(skip_ws(b, i + 1)) == Some(&b'(');
                }
            }
            b';' => return false,
            _ => {}
        }
    }
    false
}

/// The offset of the last byte of code before `end`, skipping whitespace, block
/// comments, comment lines and a line's trailing ` //` comment.
fn previous_code(b: &[u8], mut end: usize) -> Option<usize> {
    loop {
        while end > 0 && b[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        if end == 0 {
            return None;
        }
        if b[..end].ends_with(b"*/") {
            end = memchr::memmem::rfind(&b[..end - 2], b"/*")?;
            continue;
        }
        let line_start = memchr::memrchr(b'\n', &b[..end]).map_or(0, |n| n + 1);
        let line = &b[line_start..end];
        match memchr::memmem::find(line, b"//") {
            Some(0) => end = line_start,
            Some(c) if line[..c].trim_ascii().is_empty() => end = line_start,
            Some(c) if line[c - 1].is_ascii_whitespace() => end = line_start + c,
            _ => return Some(end - 1),
        }
    }
}

/// Whether the code byte at `j` can end a type member: a name, a string, `)`,
/// `]`, `}`, or a `>` closing type arguments (not the arrow `=>`).
fn ends_member(b: &[u8], j: usize) -> bool {
    match b[j] {
        b')' | b']' | b'}' | b'\'' | b'"' | b'`' => true,
        b'>' => j == 0 || b[j - 1] != b'=',
        c => is_ident(c),
    }
}

/// The modifiers of the type parameter starting at or after `at`, if it is one.
fn modifiers_after(b: &[u8], at: usize, edits: &mut Vec<(usize, usize, u8)>) {
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
        edits.extend(found.into_iter().map(|(s, e)| (s, e, b' ')));
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
        assert_eq!(mask(src, true), want);
        assert_eq!(mask("type F<in A> = (a: A) => void", true), "type F<   A> = (a: A) => void");
        assert_eq!(
            mask("interface K<\n  out Id extends string,\n  out T\n> {}", true),
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
            assert_eq!(mask(src, true), src, "{src}");
        }
        // The parameter itself may be called `out` once a modifier precedes it.
        assert_eq!(mask("interface R<in out> {}", true), "interface R<   out> {}");
    }

    #[test]
    fn separates_generic_call_signatures_on_their_own_lines() {
        let src = "export const map: {\n  <A, B>(f: (a: A) => B): (self: C<A>) => C<B>\n  /** doc */\n  <A, B extends X<A>>(self: C<A>, f: (a: A) => B): C<B>\n} = dual(2, g)";
        let want = "export const map: {\n  <A, B>(f: (a: A) => B): (self: C<A>) => C<B>\n  /** doc */\n; <A, B extends X<A>>(self: C<A>, f: (a: A) => B): C<B>\n} = dual(2, g)";
        assert_eq!(mask(src, true), want);
        // After a name, a string, `)`, `]` or `}`, and past comment lines and a trailing comment.
        for prev in ["a: string", "b: 'x'", "c(): void", "d: X[]", "e: { f: 1 }", "g: number // note\n  // more"] {
            let src = format!("type T = {{\n  {prev}\n  <A>(a: A): A\n}}");
            let want = format!("type T = {{\n  {prev}\n; <A>(a: A): A\n}}");
            assert_eq!(mask(&src, true), want, "{prev}");
        }
    }

    #[test]
    fn leaves_other_lines_starting_with_a_bracket_alone() {
        for src in [
            // The first member, after `{`; an arrow's body; an argument; already separated.
            "type T = {\n  <A>(a: A): A\n}",
            "const f = () =>\n  <A>(a: A) => a",
            "f(x,\n  <A>(a: A) => a)",
            "type T = {\n  a: string;\n  <A>(a: A): A\n}",
            // Not a call signature: a comparison, a tag, no indentation.
            "const c = a\n  < b",
            "const d = x\n  <A>y",
            "type T = {\n  a: string\n<A>(a: A): A\n}",
        ] {
            assert_eq!(mask(src, true), src, "{src}");
        }
        let tsx = "type T = {\n  a: string\n  <A>(a: A): A\n}";
        assert_eq!(mask(tsx, false), tsx);
    }
}

//! How deep `syn` would recurse on a Rust source, estimated before parsing.
//!
//! `syn` is a recursive-descent parser and its syntax tree is walked and
//! dropped recursively, so hostile input overflows any fixed stack: nested
//! brackets, but also `Vec<Vec<…>>` (10,000 levels overflow a 64 MiB stack),
//! 50,000 `&` in a type, or 200,000 terms of `1+1+…` (a left-deep tree). This
//! module runs a small lexer (comments, strings, chars and lifetimes are
//! skipped) over the text and returns an upper estimate of the recursion
//! depth; files above [`MAX_DEPTH`] are not given to `syn`.
//!
//! The estimate: each open bracket costs [`BRACKET_WEIGHT`], and each token in
//! an unbroken run at one bracket level costs 1 (a closed bracket group
//! counts as one token of the level around it). A run is broken by `,` and
//! `;` (list items and statements are parsed in a loop, not recursively) and
//! by a `}` that is not followed by `else` (a block closes a statement, while
//! `} else if … {` chains nest). `::` is free (paths are parsed in a loop).
//! The estimate is the largest sum, over the open levels, of their runs plus
//! the bracket weights.

/// Cost of one open bracket. `BRACKET_WEIGHT * 512` is [`MAX_DEPTH`], so 512
/// nested brackets are accepted, as before this estimate existed.
pub const BRACKET_WEIGHT: usize = 8;

/// Largest estimate handed to `syn`. Real code stays far below (a long
/// statement is a few hundred tokens); measured on a debug build with 64 MiB
/// stacks, the costliest construct (nested generics, two tokens a level) first
/// overflows near 16,000 tokens, so this leaves a margin of four.
pub const MAX_DEPTH: usize = 4096;

/// Upper estimate of `syn`'s recursion depth on `text` (see the module docs).
/// Stops counting once `limit` is exceeded.
pub fn estimate(text: &str, limit: usize) -> usize {
    let mut lx = Lexer { b: text.as_bytes(), i: 0 };
    // Runs of the enclosing levels, innermost last; `total` is their sum plus
    // the bracket weights plus the current run.
    let mut outer: Vec<usize> = Vec::new();
    let (mut run, mut total, mut max) = (0usize, 0usize, 0usize);
    let mut after_close = false;
    while let Some(tok) = lx.next() {
        if after_close && tok != Tok::Else {
            total -= run;
            run = 0;
        }
        after_close = false;
        match tok {
            Tok::Open => {
                outer.push(run);
                run = 0;
                total += BRACKET_WEIGHT;
            }
            Tok::Close(brace) => {
                if let Some(prev) = outer.pop() {
                    // The closed group is one more token of the enclosing run:
                    // `x()()()…` and `x[0][0]…` nest to the left.
                    total -= run + BRACKET_WEIGHT;
                    run = prev + 1;
                    total += 1;
                } else {
                    total -= run;
                    run = 0;
                }
                after_close = brace;
            }
            Tok::Separator => {
                total -= run;
                run = 0;
            }
            Tok::Free => {}
            Tok::Else | Tok::Other => {
                run += 1;
                total += 1;
            }
        }
        max = max.max(total);
        if max > limit {
            break;
        }
    }
    max
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Open,
    /// A closing bracket; `true` for `}`.
    Close(bool),
    /// `,` or `;`.
    Separator,
    /// `::`.
    Free,
    Else,
    Other,
}

struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
}

impl Lexer<'_> {
    fn peek(&self, k: usize) -> u8 {
        self.b.get(self.i + k).copied().unwrap_or(0)
    }

    fn next(&mut self) -> Option<Tok> {
        loop {
            let c = *self.b.get(self.i)?;
            match c {
                b' ' | b'\t' | b'\n' | b'\r' => self.i += 1,
                b'/' if self.peek(1) == b'/' => self.skip_line(),
                b'/' if self.peek(1) == b'*' => self.skip_block_comment(),
                b'"' => self.skip_string(false, 0),
                b'\'' => return Some(self.char_or_lifetime()),
                b'(' | b'[' | b'{' => return Some(self.one(Tok::Open)),
                b')' | b']' => return Some(self.one(Tok::Close(false))),
                b'}' => return Some(self.one(Tok::Close(true))),
                b',' | b';' => return Some(self.one(Tok::Separator)),
                b':' if self.peek(1) == b':' => {
                    self.i += 2;
                    return Some(Tok::Free);
                }
                c if c == b'_' || c.is_ascii_alphanumeric() || c >= 0x80 => return Some(self.word()),
                _ => return Some(self.one(Tok::Other)),
            }
        }
    }

    fn one(&mut self, t: Tok) -> Tok {
        self.i += 1;
        t
    }

    fn skip_line(&mut self) {
        while self.i < self.b.len() && self.b[self.i] != b'\n' {
            self.i += 1;
        }
    }

    /// `/* … */`, nested as Rust allows.
    fn skip_block_comment(&mut self) {
        self.i += 2;
        let mut depth = 1usize;
        while self.i < self.b.len() && depth > 0 {
            if self.b[self.i] == b'/' && self.peek(1) == b'*' {
                depth += 1;
                self.i += 2;
            } else if self.b[self.i] == b'*' && self.peek(1) == b'/' {
                depth -= 1;
                self.i += 2;
            } else {
                self.i += 1;
            }
        }
    }

    /// A string from its opening quote; raw strings (`r#"…"#`) have no escapes and end with `hashes` `#`.
    fn skip_string(&mut self, raw: bool, hashes: usize) {
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' if !raw => self.i += 2,
                b'"' if (0..hashes).all(|k| self.peek(1 + k) == b'#') => {
                    self.i += 1 + hashes;
                    return;
                }
                _ => self.i += 1,
            }
        }
    }

    /// `'a'`, `'\n'`, `'\u{1F600}'` (a char) or `'a` (a lifetime or label).
    fn char_or_lifetime(&mut self) -> Tok {
        if self.peek(1) == b'\\' {
            self.i += 3; // the quote, the backslash and the escaped character
            while self.i < self.b.len() && self.b[self.i] != b'\'' && self.b[self.i] != b'\n' {
                self.i += 1;
            }
            self.i += 1;
            return Tok::Other;
        }
        // One character (possibly multi-byte) then a quote: a char literal.
        let width = utf8_width(self.peek(1));
        if self.peek(1 + width) == b'\'' {
            self.i += 2 + width;
            return Tok::Other;
        }
        self.i += 1;
        while self.i < self.b.len() && is_word_byte(self.b[self.i]) {
            self.i += 1;
        }
        Tok::Other
    }

    /// An identifier, keyword or number; string prefixes (`b"`, `r#"`, `br"`, `c"`, `b'`) start literals.
    fn word(&mut self) -> Tok {
        let start = self.i;
        while self.i < self.b.len() && is_word_byte(self.b[self.i]) {
            self.i += 1;
        }
        let word = &self.b[start..self.i];
        match (word, self.peek(0)) {
            (b"b" | b"c", b'"') => self.skip_string(false, 0),
            (b"b", b'\'') => {
                self.char_or_lifetime();
            }
            (b"r" | b"br" | b"cr", b'"' | b'#') => {
                let hashes = (0..).take_while(|&k| self.peek(k) == b'#').count();
                if self.peek(hashes) == b'"' {
                    self.i += hashes;
                    self.skip_string(true, hashes);
                } else {
                    // `r#ident`: a raw identifier.
                    self.i += hashes;
                    while self.i < self.b.len() && is_word_byte(self.b[self.i]) {
                        self.i += 1;
                    }
                }
            }
            (b"else", _) => return Tok::Else,
            _ => {}
        }
        Tok::Other
    }
}

fn is_word_byte(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphanumeric() || c >= 0x80
}

/// Bytes of the UTF-8 character starting with `first` (1 for anything invalid).
fn utf8_width(first: u8) -> usize {
    match first {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(s: &str) -> usize {
        estimate(s, usize::MAX)
    }

    #[test]
    fn ordinary_code_is_shallow() {
        let src = include_str!("rust.rs");
        assert!(est(src) < 200, "{}", est(src));
        assert!(est(include_str!("../lib.rs")) < 200);
    }

    #[test]
    fn brackets_weigh_and_separators_break_runs() {
        assert_eq!(est("((()))"), 3 * BRACKET_WEIGHT);
        assert_eq!(est("a + b + c"), 5);
        assert_eq!(est("a + b; c"), 3);
        assert_eq!(est("f(a, b, c)"), 1 + BRACKET_WEIGHT + 1);
        assert_eq!(est("a::b::c::d"), 4);
    }

    #[test]
    fn comments_strings_chars_and_lifetimes_are_not_tokens_of_depth() {
        assert_eq!(est("// ((((((\n/* (( /* (( */ (( */ x"), 1);
        assert_eq!(est(r####"x("((((\"((((", r#"(("#, b"((", '(', '\'', 'a)"####), 1 + BRACKET_WEIGHT + 1);
        assert_eq!(est("fn f<'a>(x: &'a str) {}"), est("fn f<a>(x: &a str) {}"));
    }

    #[test]
    fn else_if_chains_nest_but_blocks_end_runs() {
        let chain = format!("fn f() {{ if a {{}}{} }}", " else if a {}".repeat(100));
        assert!(est(&chain) > 300, "{}", est(&chain));
        let flat = format!("fn f() {{ {} }}", "if a { b(); } ".repeat(100));
        assert_eq!(est(&flat), est("fn f() { if a { b(); } }"));
    }

    #[test]
    fn bombs_are_deep_and_counting_stops_at_the_limit() {
        for bomb in ["Vec<".repeat(3000), "&".repeat(5000), "1+".repeat(3000), "(".repeat(600), "x()".repeat(5000)] {
            assert!(est(&bomb) > MAX_DEPTH);
        }
        assert_eq!(estimate(&"!".repeat(1_000_000), 10), 11);
    }
}

//! Every occurrence of a few hundred short words in a file's text, each word matched
//! with or without ASCII case: what an Aho-Corasick automaton's overlapping search
//! reports, found by a cheaper route.
//!
//! A full Aho-Corasick DFA of the TypeScript patterns' ~280 words holds thousands of
//! states (~100 KB of transitions): each byte's step waits on the previous one's load,
//! mostly out of L2, ~6 ns a byte, 5 % of a cold eclipse-theia scan (perf). Here each
//! position is tested on its own: its next three bytes (ASCII-folded) are hashed into an
//! 8 KB bit set holding the first three bytes of the words of three bytes or more, and
//! its next two bytes and next byte are looked up in bit sets of the shorter words.
//! Positions are independent, so the loop pipelines; the few that pass compare the
//! words of their bucket byte for byte.

use std::ops::{ControlFlow, Range};

/// Bits of the prefix filter (8 KB) and of the bucket index.
const FILTER_BITS: u32 = 16;
const BUCKET_BITS: u32 = 12;

/// The words, their prefix filters and their buckets.
#[derive(Clone, Debug)]
pub struct Finder {
    /// (bytes, ignore ASCII case); empty words are kept for their ids but never found.
    words: Vec<(Box<[u8]>, bool)>,
    /// Bit `slot(prefix)` is set for the folded first three bytes of each longer word.
    filter: Box<[u64]>,
    /// Bucket `b`'s words (of three bytes or more) are `ids[heads[b]..heads[b + 1]]`.
    heads: Box<[u32]>,
    ids: Box<[u32]>,
    /// Bit `(b0 << 8) | b1` is set for each folded two-byte word, bit `b0` for each one-byte word.
    two: Box<[u64]>,
    one: [u64; 4],
    /// The words of one or two bytes.
    short: Box<[u32]>,
}

/// ASCII upper case to lower case, other bytes as they are.
fn fold(b: u8) -> u32 {
    u32::from(b.to_ascii_lowercase())
}

/// The filter's bit of a folded three-byte prefix (its bytes packed big-endian).
fn slot(key: u32) -> u32 {
    key.wrapping_mul(0x9E37_79B1) >> (32 - FILTER_BITS)
}

/// The bucket of a folded three-byte prefix.
fn bucket(key: u32) -> usize {
    (key.wrapping_mul(0x85EB_CA6B) >> (32 - BUCKET_BITS)) as usize
}

fn has_bit(bits: &[u64], i: u32) -> bool {
    bits[(i >> 6) as usize] & (1 << (i & 63)) != 0
}

fn set_bit(bits: &mut [u64], i: u32) {
    bits[(i >> 6) as usize] |= 1 << (i & 63);
}

impl Finder {
    /// A finder of `words` (text, ignore ASCII case); a word's id is its index.
    pub fn new<'a>(words: impl IntoIterator<Item = (&'a str, bool)>) -> Finder {
        let words: Vec<(Box<[u8]>, bool)> = words.into_iter().map(|(w, i)| (w.as_bytes().into(), i)).collect();
        let mut filter = vec![0u64; 1 << (FILTER_BITS - 6)].into_boxed_slice();
        let mut two = vec![0u64; 1 << (16 - 6)].into_boxed_slice();
        let mut one = [0u64; 4];
        let mut by_bucket: Vec<Vec<u32>> = vec![Vec::new(); 1 << BUCKET_BITS];
        let mut short = Vec::new();
        for (id, (w, _)) in words.iter().enumerate() {
            let key = w.iter().take(3).fold(0u32, |key, &b| (key << 8) | fold(b));
            match w.len() {
                0 => continue,
                1 => set_bit(&mut one, key),
                2 => set_bit(&mut two, key),
                _ => {
                    set_bit(&mut filter, slot(key));
                    by_bucket[bucket(key)].push(id as u32);
                    continue;
                }
            }
            short.push(id as u32);
        }
        let mut heads = Vec::with_capacity(by_bucket.len() + 1);
        let mut ids = Vec::with_capacity(words.len());
        for b in &by_bucket {
            heads.push(ids.len() as u32);
            ids.extend_from_slice(b);
        }
        heads.push(ids.len() as u32);
        Finder { words, filter, heads: heads.into(), ids: ids.into(), two, one, short: short.into() }
    }

    /// Calls `found(word id, start)` for every occurrence of every word lying wholly in
    /// `range` of `text`, overlapping ones included, by start; stops when it breaks.
    pub fn find(&self, text: &[u8], range: Range<usize>, mut found: impl FnMut(usize, usize) -> ControlFlow<()>) {
        let Some(t) = text.get(range.clone()) else { return };
        let mut check = |ids: &[u32], i: usize| -> ControlFlow<()> {
            for &id in ids {
                let (w, ignore_case) = &self.words[id as usize];
                let Some(here) = t.get(i..i + w.len()) else { continue };
                let same = if *ignore_case { here.eq_ignore_ascii_case(w) } else { here == &**w };
                if same {
                    found(id as usize, range.start + i)?;
                }
            }
            ControlFlow::Continue(())
        };
        let shorts = !self.short.is_empty();
        // The folded bytes at i, i + 1 and i + 2 (0 past the end), packed big-endian.
        let mut key = t.iter().take(2).fold(0u32, |key, &b| (key << 8) | fold(b)) << (8 * (2 - t.len().min(2)));
        for i in 0..t.len() {
            key = ((key << 8) | t.get(i + 2).map_or(0, |&b| fold(b))) & 0xFF_FFFF;
            if has_bit(&self.filter, slot(key)) {
                let b = bucket(key);
                if check(&self.ids[self.heads[b] as usize..self.heads[b + 1] as usize], i).is_break() {
                    return;
                }
            }
            if shorts
                && (has_bit(&self.two, key >> 8) || has_bit(&self.one, key >> 16))
                && check(&self.short, i).is_break()
            {
                return;
            }
        }
    }

    /// Whether any word occurs in `text`.
    pub fn is_match(&self, text: &[u8]) -> bool {
        let mut any = false;
        self.find(text, 0..text.len(), |_, _| {
            any = true;
            ControlFlow::Break(())
        });
        any
    }

    /// The length of word `id` in bytes.
    pub fn len_of(&self, id: usize) -> usize {
        self.words.get(id).map_or(0, |(w, _)| w.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (id, start) a naive search finds, in the finder's order.
    fn naive(words: &[(&str, bool)], text: &[u8], range: Range<usize>) -> Vec<(usize, usize)> {
        let mut all = Vec::new();
        for start in range.clone() {
            for (id, (w, ignore_case)) in words.iter().enumerate() {
                let Some(here) = text.get(start..start + w.len()).filter(|_| start + w.len() <= range.end) else {
                    continue;
                };
                let same = if *ignore_case { here.eq_ignore_ascii_case(w.as_bytes()) } else { here == w.as_bytes() };
                if same && !w.is_empty() {
                    all.push((id, start));
                }
            }
        }
        all
    }

    fn found(f: &Finder, text: &[u8], range: Range<usize>) -> Vec<(usize, usize)> {
        let mut all = Vec::new();
        f.find(text, range, |id, start| {
            all.push((id, start));
            ControlFlow::Continue(())
        });
        // Same start: by id (a bucket may list its words in any order).
        all.sort_by_key(|&(id, start)| (start, id));
        all
    }

    /// The same occurrences as a naive search, on this crate's own sources and on
    /// word-dense made-up text, for word sets with shortest words of 1, 2, 3 and 5 bytes.
    #[test]
    fn same_as_naive_search() {
        let sets: [&[(&str, bool)]; 5] = [
            &[("get", true), ("Get", false), ("getter", true), ("post", true), ("express", false), ("ex", false)],
            &[("select", true), ("from", true), ("x", false), ("SELECT", false)],
            &[("static readonly ", false), ("static ", false), ("extends", false), ("class", true), ("", true)],
            &[("axios", true), ("fetch(", false), ("http", true), ("https://", true), ("Router", false)],
            &[("ab", true), ("aba", true), ("bab", false), ("abab", true), ("b", true)],
        ];
        let mut texts: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"g".to_vec(),
            b"GETTER getter Getter get(x) express.Router() POST /post ex".to_vec(),
            b"SELECT * FROM t; select x from y WHERE a = 'fromage'".to_vec(),
            b"class A extends B { static readonly T = 1; static x() {} }".to_vec(),
            b"ababababa BABAB abab AbAb".to_vec(),
            "é axios fetch( https://x — Router\u{0} GET".as_bytes().to_vec(),
        ];
        for file in ["src/lang/query.rs", "src/lang/typescript.rs", "src/lang/ts_words.rs"] {
            texts.push(std::fs::read(file).expect("a source file"));
        }
        for words in sets {
            let f = Finder::new(words.iter().copied());
            for text in &texts {
                let n = text.len();
                for range in [0..n, n / 3..n, 0..n / 2, n / 4..n / 4 + 7.min(n - n / 4)] {
                    assert_eq!(
                        found(&f, text, range.clone()),
                        naive(words, text, range.clone()),
                        "{words:?} {range:?}"
                    );
                }
            }
            assert_eq!(f.is_match(&texts[2]), !naive(words, &texts[2], 0..texts[2].len()).is_empty());
        }
    }

    #[test]
    fn no_words_find_nothing() {
        let f = Finder::new(std::iter::empty());
        assert!(!f.is_match(b"anything"));
        let f = Finder::new([("", true)]);
        assert!(!f.is_match(b"anything"));
    }
}

//! TypeScript, TSX and JavaScript extraction on any bytes; the first byte picks the grammar.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tapestry::model::Lang;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let lang = [Lang::TypeScript, Lang::Tsx, Lang::JavaScript][usize::from(pick) % 3];
    let _ = tapestry::lang::extract("src/index.test.ts", rest, lang);
});

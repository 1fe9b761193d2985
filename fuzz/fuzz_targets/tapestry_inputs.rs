//! tapestry's own inputs, `tapestry.toml` and a `--baseline` file: any text
//! is a config or baseline, or an error (which the CLI turns into exit 2
//! naming the file), never a panic. The input is split on the first NUL: the
//! config's text, then the baseline's.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |&b| b == 0);
    let config = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let baseline = String::from_utf8_lossy(parts.next().unwrap_or_default());
    if let Err(e) = tapestry::config::Config::parse(&config) {
        let line = e.split_once(':').and_then(|(l, _)| l.parse::<usize>().ok());
        assert!(line.is_some_and(|l| l >= 1), "a config error without a line: {e}");
    }
    if let Err((line, e)) = tapestry::gate::Baseline::parse(&baseline) {
        assert!(!e.is_empty() && line.is_none_or(|l| l >= 1));
    }
});

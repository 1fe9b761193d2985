//! Progress on long scans: an `indicatif` bar on stderr that appears only
//! when stderr is a terminal, the user did not ask for `--quiet`, and the
//! scan has already taken [`DELAY`] (short scans, pipes and CI logs stay clean).

use std::io::IsTerminal;
use std::sync::Once;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a scan runs before the bar is drawn.
pub const DELAY: Duration = Duration::from_secs(1);

/// A progress bar over the files being extracted; drawn only after [`DELAY`].
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: Once,
}

impl Progress {
    /// A bar when `wanted` and stderr is a terminal; otherwise a no-op.
    pub fn new(wanted: bool, total: usize) -> Self {
        let bar = (wanted && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
            let style = ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} files ({elapsed}, about {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.set_message("extracting");
            bar
        });
        Progress { bar, started: Instant::now(), shown: Once::new() }
    }

    /// One more file done (called from worker threads).
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            self.show_when_due(bar);
        }
    }

    /// Say what the scan is doing now (resolving, analyzing…).
    pub fn phase(&self, message: &'static str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
            self.show_when_due(bar);
        }
    }

    fn show_when_due(&self, bar: &ProgressBar) {
        if self.started.elapsed() >= DELAY {
            self.shown.call_once(|| bar.set_draw_target(ProgressDrawTarget::stderr()));
        }
    }

    /// Erase the bar (before the report and the timing line are printed).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

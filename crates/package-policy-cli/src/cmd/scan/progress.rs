//! Progress on long scans: an indicatif bar when stderr is a terminal, a line
//! every 10,000 packages otherwise (CI logs), nothing on short scans.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Above this many packages, progress lines go to a non-terminal stderr.
const LINES_OVER: usize = 10_000;
/// Above this many packages, a terminal gets a bar.
const BAR_OVER: usize = 1_000;

pub enum Progress {
    Quiet,
    Lines { total: usize },
    Bar(ProgressBar),
}

impl Progress {
    pub fn new(total: usize) -> Self {
        if std::io::stderr().is_terminal() && total > BAR_OVER {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("scan {bar:40} {pos}/{len} packages {eta}")
            {
                bar.set_style(style);
            }
            Progress::Bar(bar)
        } else if total > LINES_OVER {
            Progress::Lines { total }
        } else {
            Progress::Quiet
        }
    }

    /// `done` packages are evaluated.
    pub fn tick(&self, done: usize) {
        match self {
            Progress::Quiet => {}
            Progress::Lines { total } => {
                if done % LINES_OVER == 0 {
                    eprintln!("scan: {done}/{total} packages");
                }
            }
            Progress::Bar(bar) => bar.inc(1),
        }
    }

    pub fn finish(self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

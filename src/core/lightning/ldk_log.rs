//! LDK Node's log, written to the same file in the same form as LDK Node's own file logger,
//! and read on the way for what LDK Node reports nowhere else: an incoming payment a channel
//! refused (LDK raises no event for it; only the payer sees a failure), and the reason behind
//! an error LDK Node returns without one (a channel LDK would not start, for instance).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ldk_node::logger::{LogLevel, LogRecord, LogWriter};

/// The refusals kept for the channel screens: the latest ones are enough to say why.
const KEPT_REFUSALS: usize = 32;
/// The error lines kept for explaining a failed call.
const KEPT_ERRORS: usize = 16;
/// The log file's size at which it is rotated: it becomes `<name>.1` (the one before goes),
/// so LDK's log takes at most twice this on disk, however long the wallet runs.
const ROTATE_AT_BYTES: u64 = 10 * 1024 * 1024;

/// The open log file and its size so far.
struct Sink {
    path: PathBuf,
    file: File,
    written: u64,
}

impl Sink {
    fn open(path: &Path) -> std::io::Result<Sink> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        let written = file.metadata()?.len();
        Ok(Sink {
            path: path.to_path_buf(),
            file,
            written,
        })
    }

    /// Appends `line`, rotating first when the file has grown to [`ROTATE_AT_BYTES`]. A line
    /// that cannot be written is not worth stopping the node for.
    fn write(&mut self, line: &str, rotate_at: u64) {
        if self.written >= rotate_at {
            let mut older = self.path.clone().into_os_string();
            older.push(".1");
            if std::fs::rename(&self.path, &older).is_ok() {
                if let Ok(fresh) = Sink::open(&self.path) {
                    *self = fresh;
                }
            }
        }
        if self.file.write_all(line.as_bytes()).is_ok() {
            self.written += line.len() as u64;
        }
    }
}

pub struct LdkLog {
    file: Mutex<Sink>,
    rotate_at: u64,
    refusals: Mutex<Vec<IncomingRefusal>>,
    /// The latest error lines, each with its number in the run (see [`LdkLog::mark`]).
    errors: Mutex<(u64, Vec<(u64, String)>)>,
}

impl LdkLog {
    /// Appends to `path` (created if missing), as LDK Node's file logger does.
    pub fn open(path: &Path) -> std::io::Result<LdkLog> {
        Self::open_rotating_at(path, ROTATE_AT_BYTES)
    }

    /// [`LdkLog::open`], rotating at `rotate_at` bytes.
    fn open_rotating_at(path: &Path, rotate_at: u64) -> std::io::Result<LdkLog> {
        Ok(LdkLog {
            file: Mutex::new(Sink::open(path)?),
            rotate_at,
            refusals: Mutex::new(Vec::new()),
            errors: Mutex::new((0, Vec::new())),
        })
    }

    /// A mark to read the errors logged after it (see [`LdkLog::errors_since`]).
    pub fn mark(&self) -> u64 {
        self.errors.lock().unwrap_or_else(|p| p.into_inner()).0
    }

    /// The error lines LDK logged since `mark`, oldest first: what a call that failed without
    /// a reason said on its way out.
    pub fn errors_since(&self, mark: u64) -> Vec<String> {
        let errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
        errors
            .1
            .iter()
            .filter(|(n, _)| *n > mark)
            .map(|(_, text)| text.clone())
            .collect()
    }

    /// The incoming payments refused in this run, oldest first.
    pub fn refusals(&self) -> Vec<IncomingRefusal> {
        self.refusals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl LogWriter for LdkLog {
    fn log(&self, record: LogRecord<'_>) {
        // LDK Node hands a custom writer every record, down to gossip; the file keeps what it
        // kept before (Info and above).
        if record.level < LogLevel::Info {
            return;
        }
        let text = record.args.to_string();
        if let Some(r) = IncomingRefusal::read(&text, crate::core::shared::now()) {
            let mut kept = self.refusals.lock().unwrap_or_else(|p| p.into_inner());
            if kept.len() == KEPT_REFUSALS {
                kept.remove(0);
            }
            kept.push(r);
        }
        if record.level == LogLevel::Error {
            let mut errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
            errors.0 += 1;
            let n = errors.0;
            if errors.1.len() == KEPT_ERRORS {
                errors.1.remove(0);
            }
            errors.1.push((n, text.clone()));
        }
        let line = format!(
            "{} {:<5} [{}:{}] {}\n",
            chrono::Utc::now().format("%Y-%m-%d %H:%M:%S%.3f"),
            record.level.to_string(),
            record.module_path,
            record.line,
            text
        );
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.write(&line, self.rotate_at);
    }
}

/// An incoming payment LDK refused because it would have put more at stake in dust than the
/// channel's limit. LDK Node raises no event for it; its log says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomingRefusal {
    /// Unix seconds.
    pub at: u64,
    /// What would have been at stake with the payment.
    pub exposure_sat: u64,
    /// The limit of the channel that refused it: how the refusal is told apart between
    /// channels, since LDK's line names none.
    pub limit_sat: u64,
}

impl IncomingRefusal {
    /// Reads LDK's line for a refused incoming HTLC over the dust limit (on the peer's
    /// commitment transaction or on ours); `None` for any other line.
    pub fn read(line: &str, at: u64) -> Option<IncomingRefusal> {
        let rest = line
            .strip_prefix("Cannot accept value that would put our total dust exposure at ")
            .or_else(|| {
                line.strip_prefix(
                    "Cannot accept value that would put our exposure to dust HTLCs at ",
                )
            })?;
        let (exposure, rest) = rest.split_once(" over the limit ")?;
        let limit = rest.split_whitespace().next()?;
        Some(IncomingRefusal {
            at,
            exposure_sat: exposure.parse::<u64>().ok()? / 1000,
            limit_sat: limit.parse::<u64>().ok()? / 1000,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_is_rotated_and_never_grows_without_end() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("ldk_node.log");
        let line = format!("{}\n", "x".repeat(99));
        let mut sink = Sink::open(&path).unwrap();
        for _ in 0..25 {
            sink.write(&line, 1_000);
        }
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let older = tmp.path().join("ldk_node.log.1");
        assert_eq!(size(&older), 1_000, "the full file moved aside whole");
        assert_eq!(size(&path), 500, "the rest in a fresh file");
        // Taken up again after a restart: the size is read, not started from zero.
        let mut again = Sink::open(&path).unwrap();
        for _ in 0..6 {
            again.write(&line, 1_000);
        }
        assert_eq!((size(&older), size(&path)), (1_000, 100));
    }

    #[test]
    fn reads_ldks_refusal_lines() {
        let counterparty = "Cannot accept value that would put our total dust exposure at \
                            65828000 over the limit 27750000 on counterparty commitment tx";
        assert_eq!(
            IncomingRefusal::read(counterparty, 7),
            Some(IncomingRefusal {
                at: 7,
                exposure_sat: 65_828,
                limit_sat: 27_750
            })
        );
        let holder = "Cannot accept value that would put our exposure to dust HTLCs at \
                      120000000 over the limit 100000000 on holder commitment tx";
        assert_eq!(
            IncomingRefusal::read(holder, 8).map(|r| (r.exposure_sat, r.limit_sat)),
            Some((120_000, 100_000))
        );
        assert_eq!(
            IncomingRefusal::read("Failed to accept/forward incoming HTLC: x", 9),
            None
        );
        assert_eq!(
            IncomingRefusal::read(
                "Cannot accept value that would put our total dust exposure at lots",
                9
            ),
            None
        );
    }
}

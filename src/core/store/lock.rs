//! One running wallet per data folder. Two nodes with one key fighting over one channel state
//! is the surest way to a force close, so a second start is refused before it touches anything.
//!
//! The lock is the OS's advisory file lock on `wallet.lock` (released by the OS when the process
//! ends, even on kill -9); the file also says which process holds it, for the message.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Arc;

const LOCK_FILE: &str = "wallet.lock";

/// Held while a wallet runs from a folder; dropping the last clone releases it.
#[derive(Debug, Clone)]
pub struct InstanceLock {
    _file: Arc<File>,
}

/// Who holds the folder, as far as its lock file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: Option<u32>,
    /// Unix seconds when that process took the lock.
    pub since: Option<u64>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pid {
            Some(pid) => write!(f, "process {pid}"),
            None => f.write_str("another process"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LockError {
    #[error("the wallet in {folder} is already open in {holder}")]
    InUse { folder: String, holder: Holder },
    #[error("cannot lock {folder}: {reason}")]
    Io { folder: String, reason: String },
}

impl InstanceLock {
    /// Takes the folder's lock, or says who holds it. Never waits.
    pub fn take(folder: &Path) -> Result<Self, LockError> {
        let io = |e: std::io::Error| LockError::Io {
            folder: folder.display().to_string(),
            reason: e.to_string(),
        };
        // Not truncated on open: while someone else holds it, its text names them.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(folder.join(LOCK_FILE))
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                return Err(LockError::InUse {
                    folder: folder.display().to_string(),
                    holder: parse_holder(&text),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        write!(
            file,
            "pid = {}\nsince = {}\n",
            std::process::id(),
            crate::core::shared::now()
        )
        .map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(InstanceLock {
            _file: Arc::new(file),
        })
    }
}

fn parse_holder(text: &str) -> Holder {
    let field = |name: &str| {
        text.lines()
            .filter_map(|l| l.split_once('='))
            .find(|(k, _)| k.trim() == name)
            .map(|(_, v)| v.trim().to_string())
    };
    Holder {
        pid: field("pid").and_then(|v| v.parse().ok()),
        since: field("since").and_then(|v| v.parse().ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_with_the_holder_and_free_again_after() {
        let tmp = tempfile::tempdir().unwrap();
        let first = InstanceLock::take(tmp.path()).unwrap();
        match InstanceLock::take(tmp.path()) {
            Err(LockError::InUse { holder, .. }) => {
                assert_eq!(holder.pid, Some(std::process::id()));
                assert!(holder.since.is_some());
            }
            other => panic!("second lock: {other:?}"),
        }
        let clone = first.clone();
        drop(first);
        assert!(
            InstanceLock::take(tmp.path()).is_err(),
            "a clone still holds it"
        );
        drop(clone);
        InstanceLock::take(tmp.path()).unwrap();
    }
}

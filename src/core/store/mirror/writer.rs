//! The one thread that touches the backup folder for the store's writes (see
//! [`super::MirrorStore`]): a folder that hangs holds that thread, never LDK's.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

/// A write to the backup folder, run on the backup's own thread.
pub(super) type Job = Box<dyn FnOnce() + Send>;

/// The one thread that touches the backup folder for the store's writes, so a folder that hangs
/// holds that thread, never LDK's.
pub(super) struct Writer {
    pub(super) jobs: Mutex<std::sync::mpsc::Sender<Job>>,
    /// Set while a write has run past [`super::BACKUP_WRITE_TIMEOUT`]; cleared when it ends.
    pub(super) hung: Arc<AtomicBool>,
}

impl Writer {
    pub(super) fn start() -> Self {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let hung = Arc::new(AtomicBool::new(false));
        let _ = std::thread::Builder::new()
            .name("shandian-backup-writer".into())
            .spawn(move || {
                // Ends when the store (the only sender) is gone.
                for job in queue {
                    job();
                }
            });
        Writer {
            jobs: Mutex::new(jobs),
            hung,
        }
    }
}

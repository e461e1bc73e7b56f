//! Small files of our own (settings, channel book, payment notes, wallet record): written
//! atomically and one at a time, and set aside — never silently lost — when damaged.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Serialize;

/// One writer at a time for all of our small files: two saves of the same file (say, settings
/// changed twice quickly) then land in the order they were asked for.
static WRITE_LOCK: Mutex<()> = Mutex::new(());
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes a file through a temporary sibling of its own (unique per process and call), fsyncs
/// it, renames it over `path`, then fsyncs the folder so the rename itself survives a power cut.
/// Readers see the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let _serial = WRITE_LOCK.lock().unwrap_or_else(|p| p.into_inner());
    write_durably(path, bytes)
}

/// [`write_atomically`] without the one-writer-at-a-time lock, for callers that order their own
/// writes (the channel backup, many files at once).
pub fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = folder.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    sync_folder(folder)
}

/// Makes a folder's entries (a rename, a new or removed file) durable.
pub fn sync_folder(folder: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(folder)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        Ok(())
    }
}

/// A damaged file of ours that was renamed aside so the wallet could open with defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// The file's name (`settings.toml`, `payments.json`, …).
    pub file: String,
    /// Where the damaged copy is kept for a person (or support) to look at.
    pub kept_as: PathBuf,
    /// What the parser said.
    pub reason: String,
}

/// Renames a damaged file to `<name>.damaged-<unix seconds>` next to it and says so.
pub fn set_aside(path: &Path, reason: String) -> SetAside {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut kept_as = path.with_file_name(format!("{name}.damaged-{}", crate::core::shared::now()));
    // Two damaged files within one second must not replace each other's copy.
    let mut n = 1;
    while kept_as.exists() {
        kept_as = path.with_file_name(format!("{name}.damaged-{}-{n}", crate::core::shared::now()));
        n += 1;
    }
    match std::fs::rename(path, &kept_as) {
        Ok(()) => log::warn!(
            "{} is damaged ({reason}); kept as {}",
            path.display(),
            kept_as.display()
        ),
        Err(e) => log::error!(
            "{} is damaged ({reason}) and could not be set aside: {e}",
            path.display()
        ),
    }
    SetAside {
        file: name,
        kept_as,
        reason,
    }
}

/// Reads a JSON file of our own: a missing file is `T::default()`; a damaged one is set aside
/// (see [`set_aside`]), the default is used, and the second value says so.
pub fn load_json_or_set_aside<T: serde::de::DeserializeOwned + Default>(
    path: &Path,
) -> (T, Option<SetAside>) {
    match std::fs::read(path) {
        Ok(bytes) => match serde_json::from_slice::<T>(&bytes) {
            Ok(v) => (v, None),
            Err(e) => (T::default(), Some(set_aside(path, e.to_string()))),
        },
        Err(_) => (T::default(), None),
    }
}

/// Writes `value` as pretty JSON, atomically.
pub fn save_json<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let bytes = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    write_atomically(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_saves_of_one_file_never_leave_half_a_file_or_a_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        let writers: Vec<_> = (0..8)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    for j in 0..25 {
                        let text = format!("writer = {i}\nround = {j}\n{}", "x".repeat(4000));
                        write_atomically(&path, text.as_bytes()).unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("writer = ") && text.ends_with(&"x".repeat(4000)));
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("settings.toml")]);
    }

    #[test]
    fn damaged_json_is_set_aside_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("payments.json");
        std::fs::write(&path, b"{ not json").unwrap();
        let (v, aside) = load_json_or_set_aside::<Vec<u32>>(&path);
        assert!(v.is_empty());
        let aside = aside.expect("reported");
        assert_eq!(aside.file, "payments.json");
        assert!(!path.exists());
        assert_eq!(std::fs::read(&aside.kept_as).unwrap(), b"{ not json");
        // A second damaged copy in the same second keeps the first.
        std::fs::write(&path, b"[").unwrap();
        let (_, again) = load_json_or_set_aside::<Vec<u32>>(&path);
        let again = again.unwrap();
        assert_ne!(again.kept_as, aside.kept_as);
        assert!(aside.kept_as.exists() && again.kept_as.exists());
        // Missing is not damaged.
        let (_, none) = load_json_or_set_aside::<Vec<u32>>(&path);
        assert_eq!(none, None);
    }
}

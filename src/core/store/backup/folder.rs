//! A backup on disk: inside the folder a person chose (a USB stick, a synced folder), one
//! subfolder per wallet, `shandian-backup-<network>-<tag>` (the tag comes from the words, so
//! the words alone find it), holding `backup.toml` (format, network, which copy of the wallet
//! writes here), `check.bin` (proves the words open this backup) and `entries/`, one sealed file
//! per entry of LDK Node's store.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::core::store::backup::medium::{
    BackupPlace, Index, Manifest, Medium, TakenOver, CHECK_NAME, CHECK_VALUE, FORMAT, INDEX_NAME,
};
use crate::core::store::backup::seal::{BackupKeys, EntryName, OpenFailure};
use crate::core::store::backup::BackupError;
use crate::core::store::files::{sync_folder, write_durably};

const MANIFEST: &str = "backup.toml";
const ENTRIES: &str = "entries";

/// One wallet's backup folder, opened with its keys.
#[derive(Debug, Clone)]
pub struct BackupFolder {
    /// What the person chose.
    chosen: PathBuf,
    /// Our subfolder in it.
    root: PathBuf,
    keys: Arc<BackupKeys>,
    writer_id: String,
}

impl BackupFolder {
    fn subfolder(chosen: &Path, network: &str, keys: &BackupKeys) -> PathBuf {
        let name = format!("shandian-backup-{network}-{}", keys.folder_tag());
        // A person may pick our subfolder itself rather than the folder holding it.
        if chosen.file_name().is_some_and(|n| n == name.as_str()) {
            chosen.to_path_buf()
        } else {
            chosen.join(name)
        }
    }

    /// Sets up (or takes up again) the backup of the wallet whose data folder has `writer_id`
    /// in `chosen`. Refuses a backup there that another copy of the wallet writes.
    pub fn prepare(
        chosen: &Path,
        network: &str,
        keys: Arc<BackupKeys>,
        writer_id: &str,
    ) -> Result<Self, BackupError> {
        let io = |e: std::io::Error| BackupError::Unwritable {
            folder: chosen.display().to_string(),
            reason: e.to_string(),
        };
        if !chosen.is_dir() {
            return Err(BackupError::Unwritable {
                folder: chosen.display().to_string(),
                reason: "no such folder".into(),
            });
        }
        let root = Self::subfolder(chosen, network, &keys);
        let folder = BackupFolder {
            chosen: chosen.to_path_buf(),
            root: root.clone(),
            keys,
            writer_id: writer_id.to_string(),
        };
        match folder.read_manifest()? {
            Some(m) if m.writer_id != writer_id => {
                return Err(BackupError::OtherWriter {
                    folder: root.display().to_string(),
                })
            }
            Some(_) => folder.check_keys()?,
            None => {
                std::fs::create_dir_all(root.join(ENTRIES)).map_err(io)?;
                let check = EntryName::new("shandian", "", "check");
                write_durably(
                    &root.join(CHECK_NAME),
                    &folder.keys.seal(CHECK_NAME, &check, CHECK_VALUE),
                )
                .map_err(io)?;
                let manifest = Manifest {
                    format: FORMAT,
                    network: network.to_string(),
                    writer_id: writer_id.to_string(),
                    created_at: crate::core::shared::now(),
                };
                let text = toml::to_string_pretty(&manifest).map_err(std::io::Error::other);
                write_durably(&root.join(MANIFEST), text.map_err(io)?.as_bytes()).map_err(io)?;
                sync_folder(chosen).map_err(io)?;
            }
        }
        Ok(folder)
    }

    /// Finds the wallet's backup in `chosen` to restore from, with the words' keys.
    pub fn find(chosen: &Path, network: &str, keys: Arc<BackupKeys>) -> Result<Self, BackupError> {
        let root = Self::subfolder(chosen, network, &keys);
        let mut folder = BackupFolder {
            chosen: chosen.to_path_buf(),
            root,
            keys,
            writer_id: String::new(),
        };
        let manifest = folder
            .read_manifest()?
            .ok_or_else(|| BackupError::NotFound {
                folder: chosen.display().to_string(),
            })?;
        if manifest.network != network {
            return Err(BackupError::Damaged {
                file: folder.root.join(MANIFEST).display().to_string(),
            });
        }
        folder.check_keys()?;
        folder.writer_id = manifest.writer_id;
        Ok(folder)
    }

    fn read_manifest(&self) -> Result<Option<Manifest>, BackupError> {
        let path = self.root.join(MANIFEST);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(BackupError::Unreadable {
                    folder: self.root.display().to_string(),
                    reason: e.to_string(),
                })
            }
        };
        let manifest: Manifest = toml::from_str(&text).map_err(|_| BackupError::Damaged {
            file: path.display().to_string(),
        })?;
        if manifest.format != FORMAT {
            return Err(BackupError::UnknownFormat {
                folder: self.root.display().to_string(),
                format: manifest.format,
            });
        }
        Ok(Some(manifest))
    }

    fn check_keys(&self) -> Result<(), BackupError> {
        let path = self.root.join(CHECK_NAME);
        let body = std::fs::read(&path).map_err(|_| BackupError::Damaged {
            file: path.display().to_string(),
        })?;
        match self.keys.open(CHECK_NAME, &body) {
            Ok((_, value)) if value == CHECK_VALUE => Ok(()),
            // The folder's tag comes from these very words, so a seal that fails here means the
            // file was changed, not that the words are other ones.
            _ => Err(BackupError::Damaged {
                file: path.display().to_string(),
            }),
        }
    }

    /// The folder the person chose.
    pub fn chosen(&self) -> &Path {
        &self.chosen
    }

    /// Fails with [`TakenOver`] when the manifest names another writer than this copy. Read
    /// before every write: a restore elsewhere may take the backup over at any moment, and a
    /// tiny file read is nothing beside the write's fsyncs.
    fn still_ours(&self) -> std::io::Result<()> {
        let manifest = self.read_manifest().map_err(std::io::Error::other)?;
        match manifest {
            Some(m) if m.writer_id == self.writer_id => Ok(()),
            Some(_) => Err(std::io::Error::other(TakenOver)),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the backup's manifest is gone",
            )),
        }
    }
}

impl Medium for BackupFolder {
    fn place(&self) -> BackupPlace {
        BackupPlace::Folder {
            folder: self.chosen.clone(),
        }
    }

    fn writer_id(&self) -> &str {
        &self.writer_id
    }

    fn take_over(&mut self, writer_id: &str) -> Result<(), BackupError> {
        let mut manifest = self.read_manifest()?.ok_or_else(|| BackupError::NotFound {
            folder: self.chosen.display().to_string(),
        })?;
        manifest.writer_id = writer_id.to_string();
        let text = toml::to_string_pretty(&manifest).map_err(|e| BackupError::Unwritable {
            folder: self.root.display().to_string(),
            reason: e.to_string(),
        })?;
        write_durably(&self.root.join(MANIFEST), text.as_bytes()).map_err(|e| {
            BackupError::Unwritable {
                folder: self.root.display().to_string(),
                reason: e.to_string(),
            }
        })?;
        self.writer_id = writer_id.to_string();
        Ok(())
    }

    fn write(&self, name: &EntryName, value: &[u8]) -> std::io::Result<()> {
        self.still_ours()?;
        let file = self.keys.file_name(name);
        let body = self.keys.seal(&file, name, value);
        write_durably(&self.root.join(ENTRIES).join(&file), &body)
    }

    fn remove(&self, name: &EntryName) -> std::io::Result<()> {
        self.still_ours()?;
        let dir = self.root.join(ENTRIES);
        match std::fs::remove_file(dir.join(self.keys.file_name(name))) {
            Ok(()) => sync_folder(&dir),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn write_index(&self, index: &Index) -> std::io::Result<()> {
        write_durably(&self.root.join(INDEX_NAME), &index.seal(&self.keys)?)
    }

    fn read_index(&self) -> Result<Option<Index>, BackupError> {
        let path = self.root.join(INDEX_NAME);
        let body = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(BackupError::Unreadable {
                    folder: self.root.display().to_string(),
                    reason: e.to_string(),
                })
            }
        };
        Index::open(&self.keys, &body)
            .map(Some)
            .ok_or_else(|| BackupError::Damaged {
                file: path.display().to_string(),
            })
    }

    fn read_all(&self) -> Result<crate::core::store::backup::Entries, BackupError> {
        let unreadable = |e: std::io::Error| BackupError::Unreadable {
            folder: self.root.display().to_string(),
            reason: e.to_string(),
        };
        let mut entries = Vec::new();
        for file in self.stored_names().map_err(unreadable)? {
            let path = self.root.join(ENTRIES).join(&file);
            let body = std::fs::read(&path).map_err(unreadable)?;
            match self.keys.open(&file, &body) {
                Ok(entry) => entries.push(entry),
                Err(OpenFailure::NotABackupFile | OpenFailure::WrongKeyOrDamaged) => {
                    return Err(BackupError::Damaged {
                        file: path.display().to_string(),
                    })
                }
            }
        }
        Ok(entries)
    }

    fn stored_names(&self) -> std::io::Result<BTreeSet<String>> {
        let mut names = BTreeSet::new();
        for e in std::fs::read_dir(self.root.join(ENTRIES))? {
            let name = e?.file_name().to_string_lossy().into_owned();
            if name.ends_with(".bin") {
                names.insert(name);
            }
        }
        Ok(names)
    }

    fn stored_name(&self, name: &EntryName) -> String {
        self.keys.file_name(name)
    }

    fn entry_name_of(&self, file_name: &str) -> Option<EntryName> {
        let body = std::fs::read(self.root.join(ENTRIES).join(file_name)).ok()?;
        self.keys.open(file_name, &body).ok().map(|(name, _)| name)
    }

    fn remove_stored(&self, file_name: &str) -> std::io::Result<()> {
        std::fs::remove_file(self.root.join(ENTRIES).join(file_name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(b: u8) -> Arc<BackupKeys> {
        Arc::new(BackupKeys::from_seed(&[b; 64]))
    }

    #[test]
    fn write_read_remove_and_find_again_with_the_words() {
        let tmp = tempfile::tempdir().unwrap();
        let f = BackupFolder::prepare(tmp.path(), "regtest", keys(1), "w1").unwrap();
        let a = EntryName::new("monitors", "", "a");
        let b = EntryName::new("", "", "manager");
        f.write(&a, b"one").unwrap();
        f.write(&b, b"two").unwrap();
        f.write(&a, b"three").unwrap();
        f.remove(&b).unwrap();
        f.remove(&b).unwrap();
        let found = BackupFolder::find(tmp.path(), "regtest", keys(1)).unwrap();
        assert_eq!(found.writer_id(), "w1");
        assert_eq!(found.read_all().unwrap(), vec![(a, b"three".to_vec())]);
        // The same copy takes it up again; another copy of the wallet may not.
        BackupFolder::prepare(tmp.path(), "regtest", keys(1), "w1").unwrap();
        assert!(matches!(
            BackupFolder::prepare(tmp.path(), "regtest", keys(1), "w2"),
            Err(BackupError::OtherWriter { .. })
        ));
    }

    #[test]
    fn other_words_a_damaged_file_and_a_missing_folder_are_each_said() {
        let tmp = tempfile::tempdir().unwrap();
        let f = BackupFolder::prepare(tmp.path(), "regtest", keys(1), "w1").unwrap();
        f.write(&EntryName::new("p", "", "k"), b"value").unwrap();
        assert!(matches!(
            BackupFolder::find(tmp.path(), "regtest", keys(2)),
            Err(BackupError::NotFound { .. })
        ));
        assert!(matches!(
            BackupFolder::find(tmp.path(), "signet", keys(1)),
            Err(BackupError::NotFound { .. })
        ));
        let file = f.stored_names().unwrap().into_iter().next().unwrap();
        let path = f.root.join(ENTRIES).join(file);
        let mut body = std::fs::read(&path).unwrap();
        let last = body.len() - 1;
        body[last] ^= 0x80;
        std::fs::write(&path, body).unwrap();
        let found = BackupFolder::find(tmp.path(), "regtest", keys(1)).unwrap();
        assert!(matches!(found.read_all(), Err(BackupError::Damaged { .. })));
        assert!(matches!(
            BackupFolder::prepare(&tmp.path().join("gone"), "regtest", keys(1), "w1"),
            Err(BackupError::Unwritable { .. })
        ));
    }
}

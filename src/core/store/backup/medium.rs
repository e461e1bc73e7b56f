//! What a backup is written to: a folder a person chose (`folder`) or a VSS server (`server`).
//! Both hold the same sealed entries, the same sealed index and one writer; what makes a
//! backup whole, and how new its channels' states are, is read here once for both.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::core::store::backup::freshness::ChannelStates;
use crate::core::store::backup::{BackupError, BackupKeys, Entries, EntryName};

/// The backup's format, in its manifest.
pub(super) const FORMAT: u32 = 1;
/// LDK Node's channel manager: without it no channel can be restored.
const MANAGER: (&str, &str, &str) = ("", "", "manager");
/// What the check entry holds: proves the words open this backup.
pub(super) const CHECK_VALUE: &[u8] = b"shandian channel backup";
/// The names the check and the index are sealed under.
pub(super) const CHECK_NAME: &str = "check.bin";
pub(super) const INDEX_NAME: &str = "index.bin";

/// Where a backup lives, as a person chose it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BackupPlace {
    /// A folder (a USB stick, a synced folder).
    Folder { folder: PathBuf },
    /// A VSS server (LDK's Versioned Storage Service), by its base URL.
    Server { server: String },
}

impl std::fmt::Display for BackupPlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BackupPlace::Folder { folder } => write!(f, "{}", folder.display()),
            BackupPlace::Server { server } => f.write_str(server),
        }
    }
}

/// What a whole backup holds beyond its entries' own names: one monitor per channel. Written
/// whenever the set of channels changes (a channel opened, a closed one archived) and after
/// every whole copy, so a restore can tell a whole backup from part of one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// The monitors' keys.
    pub monitors: BTreeSet<String>,
}

impl Index {
    /// The index sealed as both places store it.
    pub(super) fn seal(&self, keys: &BackupKeys) -> std::io::Result<Vec<u8>> {
        let text = toml::to_string(self).map_err(std::io::Error::other)?;
        let name = EntryName::new("shandian", "", "index");
        Ok(keys.seal(INDEX_NAME, &name, text.as_bytes()))
    }

    /// Opens a sealed index; `None` when it does not open or does not read as one.
    pub(super) fn open(keys: &BackupKeys, body: &[u8]) -> Option<Index> {
        let (_, text) = keys.open(INDEX_NAME, body).ok()?;
        toml::from_str(&String::from_utf8(text).ok()?).ok()
    }
}

/// The backup's manifest names another copy of the wallet as its writer: that copy took the
/// backup over (restored from it elsewhere), and this one must not write there any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this backup now belongs to another copy of this wallet")]
pub struct TakenOver;

/// What a backup lacks to be restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// No index: the first copy never finished, or the backup is only partly there.
    Index,
    /// LDK Node's channel manager.
    Manager,
    /// The state (monitor) of the channel with this key.
    Monitor(String),
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Manifest {
    pub(super) format: u32,
    /// The chain's name (`regtest`, `mainnet`, …).
    pub(super) network: String,
    /// A random id of the data folder that writes this backup. Another copy of the wallet (a
    /// fresh restore from the words alone, say) must not overwrite it with less.
    pub(super) writer_id: String,
    /// Unix seconds.
    pub(super) created_at: u64,
}

/// One wallet's backup, opened with its keys. Each entry is stored sealed under a name that is
/// a keyed hash of its place in LDK Node's store (its "stored name").
pub trait Medium: Send + Sync + std::fmt::Debug {
    /// Where it is.
    fn place(&self) -> BackupPlace;
    /// The id of the data folder that writes this backup.
    fn writer_id(&self) -> &str;
    /// Makes `writer_id` this backup's writer: the copy that wrote it until now is refused at
    /// its next write ([`TakenOver`]).
    fn take_over(&mut self, writer_id: &str) -> Result<(), BackupError>;
    /// Writes one entry; it is safely stored when this returns. Fails with [`TakenOver`] (as
    /// the error's inner error) when another copy of the wallet writes here now.
    fn write(&self, name: &EntryName, value: &[u8]) -> std::io::Result<()>;
    /// Removes one entry; a missing one is already removed.
    fn remove(&self, name: &EntryName) -> std::io::Result<()>;
    fn write_index(&self, index: &Index) -> std::io::Result<()>;
    /// The index; `None` when the backup has none.
    fn read_index(&self) -> Result<Option<Index>, BackupError>;
    /// Every entry, opened. One that does not open fails the whole read: a restore from part of
    /// a backup could start channels from mismatched states.
    fn read_all(&self) -> Result<Entries, BackupError>;
    /// The stored names of the entries now in the backup.
    fn stored_names(&self) -> std::io::Result<BTreeSet<String>>;
    /// The stored name an entry has here.
    fn stored_name(&self, name: &EntryName) -> String;
    /// The entry a stored name holds, if it opens with our keys.
    fn entry_name_of(&self, stored: &str) -> Option<EntryName>;
    /// Removes an entry no longer in the store, by its stored name.
    fn remove_stored(&self, stored: &str) -> std::io::Result<()>;

    /// Every entry, opened, and only if the backup is whole: its index, the channel manager
    /// and every monitor the index lists. Anything less is named, and nothing is returned.
    fn read_whole(&self) -> Result<Entries, BackupError> {
        let entries = self.read_all()?;
        let mut missing = Vec::new();
        let index = self.read_index()?;
        if index.is_none() {
            missing.push(Missing::Index);
        }
        let has = |primary: &str, key: &str| {
            entries
                .iter()
                .any(|(n, _)| n.primary == primary && n.secondary.is_empty() && n.key == key)
        };
        if !has(MANAGER.0, MANAGER.2) {
            missing.push(Missing::Manager);
        }
        for monitor in index.iter().flat_map(|i| &i.monitors) {
            if !has("monitors", monitor) {
                missing.push(Missing::Monitor(monitor.clone()));
            }
        }
        if missing.is_empty() {
            Ok(entries)
        } else {
            Err(BackupError::Incomplete {
                folder: self.place().to_string(),
                missing,
            })
        }
    }

    /// Each channel's newest state in this backup (see [`ChannelStates`]).
    fn channel_states(&self) -> Result<ChannelStates, BackupError> {
        let entries = self.read_all()?;
        Ok(ChannelStates::read(
            entries.iter().map(|(n, v)| (n, v.as_slice())),
        ))
    }
}

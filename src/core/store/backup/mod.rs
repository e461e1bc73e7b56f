//! The channel backup: a second copy of LDK Node's store, sealed with keys from the seed, in a
//! folder the person chose or on a VSS server. The words recover on-chain coins; channel
//! balances need this.
//!
//! Local SQLite stays the source of truth. The store handed to LDK Node (`store::mirror`) writes
//! each entry here before LDK is told it is persisted; [`target`] records where the backup goes.

pub mod folder;
pub mod freshness;
pub mod medium;
pub mod open;
pub mod seal;
pub mod server;
pub mod target;

pub use folder::BackupFolder;
pub use medium::{BackupPlace, Index, Medium, Missing, TakenOver};
pub use seal::{BackupKeys, EntryName};
pub use server::BackupServer;
pub use target::BackupTarget;

/// Entries of LDK Node's store with their values, as read from a backup.
pub type Entries = Vec<(EntryName, Vec<u8>)>;

/// What Home and Settings show about the backup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackupStatus {
    /// Where the person chose to keep it; `None`: no backup yet.
    pub place: Option<BackupPlace>,
    /// Unix seconds of the last entry written to it.
    pub last_written: Option<u64>,
    /// Set while the backup is behind the wallet: since when, and why.
    pub failing: Option<BackupFailure>,
    /// The whole store is being copied (first use, after a crash or an outage).
    pub catching_up: bool,
}

impl BackupStatus {
    /// A folder is chosen and the backup has everything the wallet has.
    pub fn is_working(&self) -> bool {
        self.place.is_some() && self.failing.is_none() && !self.catching_up
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFailure {
    /// Unix seconds.
    pub since: u64,
    pub reason: String,
    /// Another copy of this wallet took the backup over (a restore elsewhere): this copy no
    /// longer writes there, and should not be used.
    pub taken_over: bool,
}

/// The part of a backup LDK found newer than the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MixedPart {
    /// The channel manager: a monitor misses the channel's latest states.
    Manager,
    /// Channel monitors: the manager is from before their latest states.
    Monitors,
}

/// What can go wrong with a backup folder, each with a sentence that says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    /// The folder holds no backup these words open (another folder, or other words).
    #[error("no channel backup of this wallet in {folder}")]
    NotFound { folder: String },
    /// A file of the backup does not open: changed, cut short, or not ours.
    #[error("the backup file {file} is damaged")]
    Damaged { file: String },
    #[error("the backup in {folder} is of an unknown format {format}")]
    UnknownFormat { folder: String, format: u32 },
    /// Another copy of this wallet writes a backup there.
    #[error("{folder} already holds a backup of this wallet written by another copy of it")]
    OtherWriter { folder: String },
    #[error("cannot write the backup to {folder}: {reason}")]
    Unwritable { folder: String, reason: String },
    #[error("cannot read the backup in {folder}: {reason}")]
    Unreadable { folder: String, reason: String },
    /// Restoring needs an empty place for the node's data.
    #[error("{folder} already holds node data")]
    NotEmpty { folder: String },
    /// Part of a backup: restoring it could forget a channel (and never sweep its balance).
    #[error("the backup in {folder} is incomplete: {missing:?}")]
    Incomplete {
        folder: String,
        missing: Vec<medium::Missing>,
    },
    /// Every entry is there, but LDK found them of different moments (see
    /// `wallet::restore_check`): restoring would start from a monitor without the newest
    /// revocation secrets, or close channels on chain at once.
    #[error("the backup in {folder} holds parts of different moments: the {newer:?} are newer")]
    MixedMoments { folder: String, newer: MixedPart },
    /// The data folder's channel state is older than the backup's (a data folder restored
    /// from an older copy): writing to the backup would replace the newer state.
    #[error(
        "the data folder holds an older state of {channels} channels than the backup in {folder}"
    )]
    LocalOlder { folder: String, channels: usize },
    /// Not a VSS server's URL Shandian may send the backup to.
    #[error("{url} is not an https URL of a backup server")]
    BadServerUrl { url: String },
    #[error("the wallet's own backup record {path} could not be written: {reason}")]
    Record { path: String, reason: String },
}

//! The wallet's channel backup: choosing where it goes (a folder or a VSS server), taking it up
//! again at start, looking for one that was away, and reading a backup to restore from. The
//! backup itself (sealing, the folder, the server, the store LDK writes through) is
//! `core::store`.

use std::sync::Arc;

use ldk_node::bip39::Mnemonic;
use ldk_node::lightning::util::persist::KVStoreSync;

use crate::core::store::backup::{
    open, BackupKeys, BackupPlace, BackupStatus, BackupTarget, Entries, Medium,
};
use crate::core::store::dirs::NetworkDir;
use crate::core::store::mirror::MirrorStore;
use crate::core::store::BackupError;
use crate::core::wallet::{Wallet, BACKUP_RETRY_INTERVAL};
use crate::core::Error;
use crate::core::{blocking, NodeError};

impl Wallet {
    /// Where the channel backup stands now.
    pub fn backup_status(&self) -> BackupStatus {
        self.store.status()
    }

    /// Starts backing up to `place` (a person's choice): the whole store is copied before this
    /// returns, then every write goes there too. A place that holds another copy's backup of
    /// this wallet is refused.
    pub async fn choose_backup(
        self: &Arc<Self>,
        place: BackupPlace,
    ) -> Result<BackupStatus, Error> {
        let wallet = self.clone();
        blocking(move || {
            let mut current = wallet
                .backup_target
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            let target = match current.as_ref() {
                // Another place for the same data folder: same writer id.
                Some(t) => BackupTarget {
                    place: place.clone(),
                    writer_id: t.writer_id.clone(),
                    in_sync: false,
                },
                None => BackupTarget::new(place.clone()),
            };
            let prepared = match open::prepare(
                &place,
                wallet.network.as_str(),
                wallet.backup_keys.clone(),
                &target.writer_id,
            ) {
                // Another data folder wrote it (or this one, before its record was lost). It
                // may be taken over only if it holds no channel, and no state of one, newer
                // than this wallet's: an empty node must never replace a backup of real
                // channels, nor an older copy a newer one.
                Err(BackupError::OtherWriter { folder: theirs }) => {
                    let mut existing =
                        open::find(&place, wallet.network.as_str(), wallet.backup_keys.clone())?;
                    match refuse_older_local(&wallet.dir, &wallet.store, &*existing) {
                        Ok(()) => {}
                        Err(BackupError::LocalOlder { .. }) => {
                            return Err(BackupError::OtherWriter { folder: theirs }.into())
                        }
                        Err(e) => return Err(e.into()),
                    }
                    existing.take_over(&target.writer_id)?;
                    existing
                }
                other => other?,
            };
            target.save(&wallet.dir.channel_backup_path())?;
            *current = Some(target);
            drop(current);
            wallet.store.attach(prepared);
            wallet
                .store
                .copy_all()
                .map_err(|reason| BackupError::Unwritable {
                    folder: place.to_string(),
                    reason,
                })?;
            Ok(wallet.store.status())
        })
        .await
    }

    /// Looks again for a chosen backup place that could not be reached, at most every
    /// [`BACKUP_RETRY_INTERVAL`], and copies everything to it once it is back.
    pub(super) fn retry_backup(&self) {
        let Some(chosen) = self.store.pending_place() else {
            return;
        };
        {
            let mut last = self
                .backup_retried
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if last.elapsed() < BACKUP_RETRY_INTERVAL {
                return;
            }
            *last = std::time::Instant::now();
        }
        let Some(writer_id) = self
            .backup_target
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|t| t.writer_id.clone())
        else {
            return;
        };
        if let Ok(medium) = open::prepare(
            &chosen,
            self.network.as_str(),
            self.backup_keys.clone(),
            &writer_id,
        ) {
            log::info!("channel backup {chosen} is back");
            self.store.attach(medium);
            self.store.mark_behind();
            self.store.copy_in_background();
        }
    }
}

/// Takes up the recorded backup before the node starts. A place that cannot be reached (the
/// stick not plugged in, the server down) does not keep the wallet closed: the backup shows as failing and is
/// looked for again while the wallet runs. One that may have missed writes is copied whole.
///
/// A backup holding a newer state of any channel than the data folder (a data folder restored
/// from an older copy) keeps the wallet closed, with nothing written to either: the first
/// writes of the older state would replace the only fresh copy of the channels' revocation
/// secrets.
pub(super) fn attach_backup(
    dir: &NetworkDir,
    store: &Arc<MirrorStore>,
    keys: &Arc<BackupKeys>,
    mut target: BackupTarget,
) -> Result<BackupTarget, Error> {
    let complete = target.in_sync;
    match open::prepare(
        &target.place,
        dir.network().as_str(),
        keys.clone(),
        &target.writer_id,
    ) {
        Ok(medium) => {
            refuse_older_local(dir, store, &*medium)?;
            // A backup without an index was made before backups had one, or its first copy
            // never finished: a whole copy writes it.
            let indexed = medium.read_index().is_ok_and(|i| i.is_some());
            store.attach(medium);
            if !complete || !indexed {
                store.mark_behind();
                store.copy_in_background();
            }
        }
        Err(e) => store.attach_later(target.place.clone(), e.to_string()),
    }
    // Until a clean stop says otherwise, a crash may leave the backup behind.
    target.in_sync = false;
    if let Err(e) = target.save(&dir.channel_backup_path()) {
        store.mark_failing(e.to_string());
    }
    Ok(target)
}

/// Refuses a data folder whose state of some channel is older than the backup's, or which
/// lacks a channel the backup has.
fn refuse_older_local(
    dir: &NetworkDir,
    store: &MirrorStore,
    backup: &dyn Medium,
) -> Result<(), BackupError> {
    let local = store
        .channel_states()
        .map_err(|e| BackupError::Unreadable {
            folder: dir.node_dir().display().to_string(),
            reason: e.to_string(),
        })?;
    let behind = local.behind(&backup.channel_states()?);
    if behind.is_empty() {
        return Ok(());
    }
    for b in &behind {
        log::warn!(
            "channel {}: the data folder has update {:?}, the backup {}",
            b.channel,
            b.ours,
            b.theirs
        );
    }
    Err(BackupError::LocalOlder {
        folder: backup.place().to_string(),
        channels: behind.len(),
    })
}

/// Reads a backup to restore from, whole, before anything is written: the node's data folder
/// must be empty, the backup must be this wallet's, every entry must open, and the backup must
/// hold everything its index lists (see [`Medium::read_whole`]).
pub(super) fn read_backup(
    dir: &NetworkDir,
    chosen: &BackupPlace,
    mnemonic: &Mnemonic,
) -> Result<(Box<dyn Medium>, Entries), Error> {
    if MirrorStore::database_path(&dir.node_dir()).exists() {
        return Err(BackupError::NotEmpty {
            folder: dir.node_dir().display().to_string(),
        }
        .into());
    }
    let seed = zeroize::Zeroizing::new(mnemonic.to_seed(""));
    let keys = Arc::new(BackupKeys::from_seed(&seed));
    let backup = open::find(chosen, dir.network().as_str(), keys)?;
    let entries = backup.read_whole()?;
    Ok((backup, entries))
}

/// Called at each write of a restore with the step's name, before the write; the restore drill
/// uses it to stop the process there. Drills only.
#[cfg(any(test, feature = "testing"))]
pub static RESTORE_STEP_HOOK: std::sync::OnceLock<RestoreStepHook> = std::sync::OnceLock::new();

/// What [`RESTORE_STEP_HOOK`] holds.
#[cfg(any(test, feature = "testing"))]
pub type RestoreStepHook = Box<dyn Fn(&str) + Send + Sync>;

/// Marks a step of a restore (see [`RESTORE_STEP_HOOK`]).
pub(super) fn restore_step(_step: &str) {
    #[cfg(any(test, feature = "testing"))]
    if let Some(hook) = RESTORE_STEP_HOOK.get() {
        hook(_step);
    }
}

/// Node data with no wallet record beside it was left by a creation or a restore cut short
/// (the record is written last): it is set aside, never deleted, before a new attempt. Returns
/// where it went.
pub(super) fn set_aside_unfinished(dir: &NetworkDir) -> Result<Option<std::path::PathBuf>, Error> {
    let node_dir = dir.node_dir();
    if !node_dir.exists() || dir.load_wallet()?.is_some() {
        return Ok(None);
    }
    let aside = dir
        .path()
        .join(format!("node.unfinished-{}", crate::core::shared::now()));
    std::fs::rename(&node_dir, &aside).map_err(|e| NodeError::Storage {
        folder: node_dir.display().to_string(),
        reason: e.to_string(),
    })?;
    log::warn!(
        "node data without a wallet record (a creation or restore cut short) set aside in {}",
        aside.display()
    );
    Ok(Some(aside))
}

/// Writes a backup's entries as the node's data, in a fresh folder renamed into place at the
/// end (a cut-off restore leaves no half a node), has LDK read it there (`check`: its parts
/// must be of one moment, see `restore_check`), and takes the backup over for this copy of
/// the wallet under a new writer id: the copy it was restored from (an old computer still
/// running somewhere) is refused at its next write, never writing into the same backup
/// unseen. A refused check leaves no node data and the backup untouched.
pub(super) fn write_restored(
    dir: &NetworkDir,
    mut backup: Box<dyn Medium>,
    entries: Entries,
    check: &super::restore_check::Check<'_>,
) -> Result<(), Error> {
    let storage = |e: ldk_node::lightning::io::Error| NodeError::Storage {
        folder: dir.node_dir().display().to_string(),
        reason: e.to_string(),
    };
    // Every restored channel is unproven until it meets its peer (written before the node's
    // data is in place, so no restored channel is ever without it).
    let restored: std::collections::BTreeSet<String> = entries
        .iter()
        .filter(|(n, _)| n.primary == "monitors" && n.secondary.is_empty())
        .map(|(n, _)| n.key.clone())
        .collect();
    restore_step("unproven-list");
    crate::core::lightning::channels::unproven::Unproven::record(
        &dir.unproven_channels_path(),
        restored,
    )
    .map_err(|e| storage(e.into()))?;
    let staging = dir.path().join("node.restoring");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| storage(e.into()))?;
    }
    {
        let store = MirrorStore::open(&staging).map_err(storage)?;
        let middle = entries.len() / 2;
        for (i, (name, value)) in entries.into_iter().enumerate() {
            match i {
                0 => restore_step("first-entry"),
                i if i == middle => restore_step("middle-entry"),
                _ => {}
            }
            KVStoreSync::write(&*store, &name.primary, &name.secondary, &name.key, value)
                .map_err(storage)?;
        }
    }
    if let Err(e) = check.run(&staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let target = BackupTarget {
        in_sync: true,
        ..BackupTarget::new(backup.place())
    };
    restore_step("take-over");
    backup.take_over(&target.writer_id)?;
    restore_step("node-data-in-place");
    std::fs::rename(&staging, dir.node_dir()).map_err(|e| storage(e.into()))?;
    crate::core::store::files::sync_folder(dir.path()).map_err(|e| storage(e.into()))?;
    restore_step("backup-record");
    target.save(&dir.channel_backup_path())?;
    Ok(())
}

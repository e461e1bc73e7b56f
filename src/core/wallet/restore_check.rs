//! A restored node read by LDK before it is put in place.
//!
//! A backup's channel manager and its channel monitors are separate entries, each written as
//! LDK changes it. The index proves every entry is there, not that they are of one moment: a
//! backup copied by hand from two days, a synced folder that merged two computers' writes, a
//! medium that lost the last writes of one entry. LDK checks that on load, and it is the only
//! one that can (it reads both): a monitor older than the manager is refused outright ("A
//! ChannelMonitor is stale compared to the current ChannelManager"; that monitor misses the
//! newest revocation secrets), and a manager older than a monitor makes it close those channels
//! on chain at once ("A ChannelManager is stale compared to the current ChannelMonitor").
//!
//! So the staged restore is built as a node (never started: nothing is broadcast, nobody is
//! dialled) with LDK's log read on the way, and either finding refuses the restore with a
//! sentence before anything of it is in place and before the backup is taken over.

use std::path::Path;
use std::sync::Arc;

use ldk_node::bip39::Mnemonic;
use ldk_node::Builder;

use crate::core::lightning::ldk_log::LdkLog;
use crate::core::network::Network;
use crate::core::store::backup::MixedPart;
use crate::core::store::mirror::MirrorStore;
use crate::core::store::BackupError;
use crate::core::{Error, NodeError};

/// What LDK logs when a monitor is older than the manager.
const MONITOR_BEHIND: &str = "A ChannelMonitor is stale compared to the current ChannelManager";
/// What LDK logs when the manager is older than a monitor.
const MANAGER_BEHIND: &str = "A ChannelManager is stale compared to the current ChannelMonitor";

/// How long LDK may take to read a staged node.
const CHECK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// What a restore needs to build its node for the check.
pub(super) struct Check<'a> {
    pub network: Network,
    pub mnemonic: &'a Mnemonic,
    pub electrum_url: &'a str,
    /// Where the backup is, for the sentence.
    pub place: String,
}

impl Check<'_> {
    /// Builds a node from the node data staged in `staging` and refuses it when LDK finds its
    /// parts from different moments, or cannot read it at all. Blocking.
    ///
    /// The node is built on a thread and a runtime of its own, which end with the check: it
    /// shares nothing with the wallet's node that is built next from the same data.
    pub(super) fn run(&self, staging: &Path) -> Result<(), Error> {
        let (network, mnemonic, url) = (
            self.network,
            self.mnemonic.clone(),
            self.electrum_url.to_string(),
        );
        let staged = staging.to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("shandian-restore-check".into())
            .spawn(move || {
                let _ = tx.send(read_staged(&staged, network, mnemonic, &url));
            })
            .map_err(|e| Error::Internal(e.to_string()))?;
        let (read, said) = rx
            .recv_timeout(CHECK_TIMEOUT)
            .map_err(|_| NodeError::Storage {
                folder: staging.display().to_string(),
                reason: format!("LDK did not read it within {} s", CHECK_TIMEOUT.as_secs()),
            })?;
        if let Some((newer, line)) = mixed(&said) {
            log::warn!("the restore from {} refused: LDK says {line}", self.place);
            return Err(BackupError::MixedMoments {
                folder: self.place.clone(),
                newer,
            }
            .into());
        }
        read
    }
}

/// Builds (never starts) a node from `staging` on a runtime of its own; how that went, and
/// the error lines LDK logged on the way.
fn read_staged(
    staging: &Path,
    network: Network,
    mnemonic: Mnemonic,
    electrum_url: &str,
) -> (Result<(), Error>, Vec<String>) {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return (Err(Error::Internal(e.to_string())), Vec::new()),
    };
    let result = build_staged(staging, network, mnemonic, electrum_url, runtime.handle());
    runtime.shutdown_background();
    result
}

fn build_staged(
    staging: &Path,
    network: Network,
    mnemonic: Mnemonic,
    electrum_url: &str,
    runtime: &tokio::runtime::Handle,
) -> (Result<(), Error>, Vec<String>) {
    let storage = |reason: String| -> Error {
        NodeError::Storage {
            folder: staging.display().to_string(),
            reason,
        }
        .into()
    };
    let store = match MirrorStore::open(staging) {
        Ok(s) => s,
        Err(e) => return (Err(storage(e.to_string())), Vec::new()),
    };
    let log = match LdkLog::open(&staging.join("ldk_node.log")) {
        Ok(l) => Arc::new(l),
        Err(e) => return (Err(storage(e.to_string())), Vec::new()),
    };
    let mut builder = Builder::from_config(ldk_node::config::Config {
        network: network.to_bitcoin(),
        storage_dir_path: staging.display().to_string(),
        ..Default::default()
    });
    builder.set_runtime(runtime.clone());
    builder.set_entropy_bip39_mnemonic(mnemonic, None);
    builder.set_chain_source_electrum(
        electrum_url.to_string(),
        Some(ldk_node::config::ElectrumSyncConfig {
            background_sync_config: None,
        }),
    );
    builder.set_custom_logger(log.clone());
    // Never started: dropping it stops nothing and writes nothing more.
    let read = builder
        .build_with_store(store)
        .map(drop)
        .map_err(|e| NodeError::Build(e).into());
    (read, log.errors_since(0))
}

/// Which part LDK found newer, from its error lines, with the line that says so.
fn mixed(lines: &[String]) -> Option<(MixedPart, &str)> {
    let said = |what: &str| lines.iter().find(|l| l.contains(what)).map(String::as_str);
    said(MONITOR_BEHIND)
        .map(|l| (MixedPart::Manager, l))
        .or_else(|| said(MANAGER_BEHIND).map(|l| (MixedPart::Monitors, l)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(lines: &[String]) -> Option<MixedPart> {
        mixed(lines).map(|(part, _)| part)
    }

    #[test]
    fn ldk_lines_name_the_newer_part() {
        let lines = |l: &str| vec!["Failed to read channel monitors".to_string(), l.to_string()];
        assert_eq!(
            part(&lines("A ChannelMonitor is stale compared to the current ChannelManager! This indicates a potentially-critical violation of the chain::Watch API!")),
            Some(MixedPart::Manager)
        );
        assert_eq!(
            part(&lines(
                "A ChannelManager is stale compared to the current ChannelMonitor!"
            )),
            Some(MixedPart::Monitors)
        );
        assert_eq!(part(&lines("Failed to read channel manager")), None);
    }
}

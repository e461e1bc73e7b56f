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

/// What a restore needs to build its node for the check.
pub(super) struct Check<'a> {
    pub network: Network,
    pub mnemonic: &'a Mnemonic,
    pub electrum_url: &'a str,
    pub runtime: tokio::runtime::Handle,
    /// Where the backup is, for the sentence.
    pub place: String,
}

impl Check<'_> {
    /// Builds a node from the node data staged in `staging` and refuses it when LDK finds its
    /// parts from different moments, or cannot read it at all. Blocking.
    pub(super) fn run(&self, staging: &Path) -> Result<(), Error> {
        let storage = |reason: String| NodeError::Storage {
            folder: staging.display().to_string(),
            reason,
        };
        let store = MirrorStore::open(staging).map_err(|e| storage(e.to_string()))?;
        let log = Arc::new(
            LdkLog::open(&staging.join("ldk_node.log")).map_err(|e| storage(e.to_string()))?,
        );
        let mut builder = Builder::from_config(ldk_node::config::Config {
            network: self.network.to_bitcoin(),
            storage_dir_path: staging.display().to_string(),
            ..Default::default()
        });
        builder.set_runtime(self.runtime.clone());
        builder.set_entropy_bip39_mnemonic(self.mnemonic.clone(), None);
        builder.set_chain_source_electrum(
            self.electrum_url.to_string(),
            Some(ldk_node::config::ElectrumSyncConfig {
                background_sync_config: None,
            }),
        );
        builder.set_custom_logger(log.clone());
        let built = builder.build_with_store(store);
        let said = log.errors_since(0);
        // Never started: dropping it stops nothing and writes nothing more.
        let read = built.map(drop);
        if let Some(newer) = mixed(&said) {
            log::warn!(
                "the restore from {} refused: LDK says {:?}",
                self.place,
                said.iter()
                    .find(|l| l.contains(MONITOR_BEHIND) || l.contains(MANAGER_BEHIND))
            );
            return Err(BackupError::MixedMoments {
                folder: self.place.clone(),
                newer,
            }
            .into());
        }
        read.map_err(|e| NodeError::Build(e).into())
    }
}

/// Which part LDK found newer, from its error lines.
fn mixed(lines: &[String]) -> Option<MixedPart> {
    if lines.iter().any(|l| l.contains(MONITOR_BEHIND)) {
        Some(MixedPart::Manager)
    } else if lines.iter().any(|l| l.contains(MANAGER_BEHIND)) {
        Some(MixedPart::Monitors)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldk_lines_name_the_newer_part() {
        let lines = |l: &str| vec!["Failed to read channel monitors".to_string(), l.to_string()];
        assert_eq!(
            mixed(&lines("A ChannelMonitor is stale compared to the current ChannelManager! This indicates a potentially-critical violation of the chain::Watch API!")),
            Some(MixedPart::Manager)
        );
        assert_eq!(
            mixed(&lines(
                "A ChannelManager is stale compared to the current ChannelMonitor!"
            )),
            Some(MixedPart::Monitors)
        );
        assert_eq!(mixed(&lines("Failed to read channel manager")), None);
    }
}

//! The one repair LDK Node 0.7.1's Electrum sync needs: a node whose Lightning sync is stuck is
//! restarted.
//!
//! LDK Node's Lightning sync (lightning-transaction-sync's Electrum client) opens its connection
//! without a read timeout and holds a lock for the whole sync. A request the server never
//! answers (one a busy server dropped, a connection left half-dead when the computer slept or
//! changed networks) leaves that sync waiting for ever, and every later Lightning sync waits on
//! its lock: LDK Node ends each one after 10 s "timed out", and the channels never see another
//! block — not a breach to punish, not an HTLC to claim before it times out. Only a new
//! connection helps, and LDK Node opens one when it starts. So when the Lightning sync has run
//! out of time [`STUCK_AFTER`] times in a row, the node is stopped (its state is persisted
//! before `stop` returns; peers are told and come back by themselves) and started again, and
//! synced once more.
//!
//! The stuck thread stays behind, waiting on the old connection; it holds nothing the new one
//! needs.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use ldk_node::{Node, NodeError};

/// Lightning syncs that ran out of time in a row before the node is restarted. One can be a
/// slow server; two in a row, with the fee estimates of the same syncs answered (they come
/// first, from another connection), is the stuck lock.
pub const STUCK_AFTER: u32 = 2;

/// One per node; call [`StuckSync::sync_wallets`] instead of `Node::sync_wallets`, inside the
/// node's sync gate (see `sync_gate`), so that no other sync runs during a restart.
#[derive(Debug, Default)]
pub struct StuckSync {
    /// Lightning syncs that ran out of time since the last one that went through.
    lightning_timeouts: AtomicU32,
    /// The node is being restarted here, or its start after the stop failed (the next sync
    /// tries again).
    restarting: AtomicBool,
}

impl StuckSync {
    /// `node.sync_wallets()`, restarting the node first when a start after a restart is still
    /// owed, and after this sync when it found the Lightning sync stuck. Blocking.
    pub fn sync_wallets(&self, node: &Node) -> Result<(), NodeError> {
        if self.restarting.load(Ordering::SeqCst) {
            self.start(node)?;
        }
        let result = node.sync_wallets();
        if !self.count(&result) {
            return result;
        }
        log::warn!(
            "LDK Node's Lightning sync ran out of time {STUCK_AFTER} times in a row while the \
             server answers its fee estimates: it is stuck on a request the server never \
             answered. Restarting the node for a new connection."
        );
        self.restarting.store(true, Ordering::SeqCst);
        match node.stop() {
            Ok(()) | Err(NodeError::NotRunning) => {}
            Err(e) => {
                self.restarting.store(false, Ordering::SeqCst);
                log::warn!("the node did not stop for its restart: {e}");
                return result;
            }
        }
        self.start(node)?;
        let again = node.sync_wallets();
        self.count(&again);
        again
    }

    /// Whether the node runs, or is between the stop and the start of a restart here: what
    /// background rounds check before they end for good.
    pub fn keeps_running(&self, node: &Node) -> bool {
        node.status().is_running || self.restarting.load(Ordering::SeqCst)
    }

    fn start(&self, node: &Node) -> Result<(), NodeError> {
        match node.start() {
            Ok(()) | Err(NodeError::AlreadyRunning) => {
                self.restarting.store(false, Ordering::SeqCst);
                log::info!("the node runs again, with a new connection to the Electrum server");
                Ok(())
            }
            Err(e) => {
                log::warn!("the node did not start again after its restart: {e}");
                Err(e)
            }
        }
    }

    /// Counts a sync's Lightning part; true when it is found stuck. LDK Node syncs the fee
    /// estimates, then the Lightning wallet, then the on-chain wallet: an error of the fee part
    /// says nothing of the Lightning part, an error of the on-chain part says it went through.
    fn count(&self, result: &Result<(), NodeError>) -> bool {
        match result {
            Err(NodeError::TxSyncTimeout) => {
                self.lightning_timeouts.fetch_add(1, Ordering::SeqCst) + 1 >= STUCK_AFTER
            }
            Err(NodeError::FeerateEstimationUpdateTimeout)
            | Err(NodeError::FeerateEstimationUpdateFailed) => false,
            _ => {
                self.lightning_timeouts.store(0, Ordering::SeqCst);
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_lightning_timeouts_in_a_row_are_stuck() {
        let s = StuckSync::default();
        assert!(!s.count(&Err(NodeError::TxSyncTimeout)));
        // The fee part failing in between says nothing of the Lightning part.
        assert!(!s.count(&Err(NodeError::FeerateEstimationUpdateTimeout)));
        assert!(s.count(&Err(NodeError::TxSyncTimeout)));
    }

    #[test]
    fn a_lightning_part_that_went_through_starts_the_count_again() {
        let s = StuckSync::default();
        assert!(!s.count(&Err(NodeError::TxSyncTimeout)));
        // The on-chain part ran out of time: the Lightning part before it went through.
        assert!(!s.count(&Err(NodeError::WalletOperationTimeout)));
        assert!(!s.count(&Err(NodeError::TxSyncTimeout)));
        assert!(!s.count(&Ok(())));
        assert!(!s.count(&Err(NodeError::TxSyncTimeout)));
    }
}

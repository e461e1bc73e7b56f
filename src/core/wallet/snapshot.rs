//! What the screens draw from: balances, height, on-chain activity, the backup's and the
//! server's state, read from the node without a network round trip.

use std::sync::Arc;

use ldk_node::payment::{ConfirmationStatus, PaymentDirection, PaymentKind};
use ldk_node::Node;

use crate::core::blocking;
use crate::core::history::OnchainActivity;
use crate::core::store::backup::BackupStatus;
use crate::core::wallet::Wallet;
use crate::core::Error;

/// On-chain and Lightning balances, in satoshis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Balances {
    /// All on-chain funds the wallet knows of, confirmed or not.
    pub onchain_total_sat: u64,
    /// Incoming on-chain payments not yet in a block.
    pub onchain_incoming_sat: u64,
    /// What can be sent now (confirmed, less the anchor-channel reserve).
    pub onchain_spendable_sat: u64,
    /// Kept back to fee-bump channel closes (anchor channels).
    pub anchor_reserve_sat: u64,
    /// What our channels would pay us if closed now.
    pub lightning_sat: u64,
}

impl Balances {
    /// On-chain funds already in a block.
    pub fn onchain_confirmed_sat(&self) -> u64 {
        self.onchain_total_sat
            .saturating_sub(self.onchain_incoming_sat)
    }
}

/// The state the screens draw from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub balances: Balances,
    pub height: u32,
    /// Unix seconds of the last finished on-chain sync.
    pub last_sync: Option<u64>,
    /// Newest first.
    pub activity: Vec<OnchainActivity>,
    /// Where the channel backup stands.
    pub backup: BackupStatus,
    /// Whether the Electrum server answers.
    pub server: crate::core::chain::server::ServerStatus,
    /// The wallet's swaps between chain and Lightning, oldest first (Activity lists each as one
    /// entry).
    pub swaps: Vec<crate::core::swap::book::SwapRecord>,
}

impl Wallet {
    /// Reads balances, height and activity (local state only, no network round trip).
    pub async fn snapshot(self: &Arc<Self>) -> Result<Snapshot, Error> {
        self.check_not_stale()?;
        let node = self.node.clone();
        let backup = self.store.status();
        let server = self.server.status();
        let swaps = self.swaps();
        blocking(move || {
            Ok(Snapshot {
                backup,
                server,
                swaps,
                ..read_snapshot(&node)
            })
        })
        .await
    }

    /// What the wallet would have back if every channel closed now and every close were swept:
    /// on-chain funds, channel balances and sweeps still under way, in satoshis. A crash must
    /// not change it by more than the fees actually paid.
    pub async fn total_sat(self: &Arc<Self>) -> Result<u64, Error> {
        let node = self.node.clone();
        blocking(move || {
            let b = node.list_balances();
            use ldk_node::PendingSweepBalance as S;
            let sweeping: u64 = b
                .pending_balances_from_channel_closures
                .iter()
                .map(|s| match s {
                    S::PendingBroadcast {
                        amount_satoshis, ..
                    }
                    | S::BroadcastAwaitingConfirmation {
                        amount_satoshis, ..
                    }
                    | S::AwaitingThresholdConfirmations {
                        amount_satoshis, ..
                    } => *amount_satoshis,
                })
                .sum();
            Ok(b.total_onchain_balance_sats + b.total_lightning_balance_sats + sweeping)
        })
        .await
    }
}

fn read_snapshot(node: &Node) -> Snapshot {
    let balances = node.list_balances();
    let status = node.status();
    let height = status.current_best_block.height;
    let mut incoming = 0;
    let mut activity: Vec<OnchainActivity> = node
        .list_payments_with_filter(|p| matches!(p.kind, PaymentKind::Onchain { .. }))
        .into_iter()
        .filter_map(|p| {
            let PaymentKind::Onchain { txid, status } = p.kind else {
                return None;
            };
            let inbound = p.direction == PaymentDirection::Inbound;
            let amount_sat = p.amount_msat.unwrap_or(0) / 1000;
            let (confirmations, time) = match status {
                // A block can be stamped ahead of the clock (far ahead on a local test chain,
                // where many are mined at once): never later than the wallet saw it.
                ConfirmationStatus::Confirmed {
                    height: h,
                    timestamp,
                    ..
                } => (
                    height.saturating_sub(h) + 1,
                    timestamp.min(p.latest_update_timestamp),
                ),
                ConfirmationStatus::Unconfirmed => {
                    if inbound {
                        incoming += amount_sat;
                    }
                    (0, p.latest_update_timestamp)
                }
            };
            Some(OnchainActivity {
                txid: txid.to_string(),
                incoming: inbound,
                amount_sat,
                fee_sat: p.fee_paid_msat.map(|m| m / 1000),
                confirmations,
                time,
            })
        })
        .collect();
    activity.sort_by(|a, b| {
        // Unconfirmed first, then by time, newest first.
        (a.confirmations != 0, std::cmp::Reverse(a.time))
            .cmp(&(b.confirmations != 0, std::cmp::Reverse(b.time)))
    });
    Snapshot {
        balances: Balances {
            onchain_total_sat: balances.total_onchain_balance_sats,
            onchain_incoming_sat: incoming.min(balances.total_onchain_balance_sats),
            onchain_spendable_sat: balances.spendable_onchain_balance_sats,
            anchor_reserve_sat: balances.total_anchor_channels_reserve_sats,
            lightning_sat: balances.total_lightning_balance_sats,
        },
        height,
        last_sync: status.latest_onchain_wallet_sync_timestamp,
        swaps: Vec::new(),
        activity,
        backup: BackupStatus::default(),
        server: Default::default(),
    }
}

//! The wallet's own watch tasks: new blocks as the Electrum server announces them, whether the
//! server answers, a backup folder that was away, peers that are away, swaps; and the one way
//! the node syncs ([`sync_node`]).

use std::sync::Arc;

use ldk_node::Node;

use crate::core::chain::headers;
use crate::core::chain::stuck_sync::StuckSync;
use crate::core::wallet::Wallet;
use crate::core::{Error, NodeError};

/// How often the wallet syncs when no new block asked for it: unconfirmed transactions (a
/// deposit on its way) and, should the new-block feed be down, blocks. LDK Node's own
/// background sync is off (see `chain::sync_gate`); its default rounds were 30 s (Lightning)
/// and 80 s (on chain).
pub(super) const SYNC_INTERVAL: std::time::Duration = std::time::Duration::from_secs(30);

/// How often the peers of open channels that are away are dialled again.
const REDIAL_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10);

impl Wallet {
    /// Starts the wallet's own watch, on the app's runtime, for as long as the wallet lives:
    /// every few seconds it asks the Electrum server whether it is there (a change wakes the
    /// update stream; when the server comes back the wallet syncs at once rather than at LDK
    /// Node's next background round), looks again for a backup folder that was away and moves
    /// its swaps on.
    pub(super) fn start_watch(self: &Arc<Self>, runtime: &tokio::runtime::Handle) {
        self.start_redial(runtime);
        self.start_tip_feed(runtime);
        let weak = Arc::downgrade(self);
        runtime.spawn(async move {
            loop {
                tokio::time::sleep(crate::core::chain::server::CHECK_INTERVAL).await;
                let Some(wallet) = weak.upgrade() else { return };
                if wallet.check_not_stale().is_err() {
                    // Wake the update stream once, so the screens read the error; the node
                    // is not to be touched again.
                    wallet.server_changed.notify_one();
                    return;
                }
                if !wallet.stuck_sync.keeps_running(&wallet.node) {
                    return;
                }
                let w = wallet.clone();
                let change = tokio::task::spawn_blocking(move || {
                    w.retry_backup();
                    w.server.check()
                })
                .await
                .ok()
                .flatten();
                if let Some(change) = change {
                    wallet.server_changed.notify_one();
                    if change == crate::core::chain::server::Change::CameBack {
                        if let Err(e) = wallet.sync().await {
                            log::warn!("sync after the server came back: {e}");
                        }
                        wallet.server_changed.notify_one();
                    }
                }
                // Swaps are finished by the wallet itself (see `swap_tend`), while the
                // server answers.
                if wallet.server.status().unreachable_since.is_none() && wallet.has_open_swaps() {
                    wallet.tend_swaps().await;
                }
            }
        });
    }

    /// Syncs as soon as the Electrum server announces a new tip (see `chain::headers`), and wakes
    /// the update stream when that sync is done, so the screens show a block within a moment of
    /// it being mined; and syncs every `SYNC_INTERVAL` without a sync, the fallback should the
    /// feed's connection be down. Tips announced while a sync runs are taken together: the next
    /// sync starts after the last one.
    fn start_tip_feed(self: &Arc<Self>, runtime: &tokio::runtime::Handle) {
        let (tip_tx, mut tip_rx) = tokio::sync::watch::channel(0u32);
        let url = self.electrum_url.clone();
        runtime.spawn(async move {
            loop {
                tokio::select! {
                    end = headers::follow(&url, |h| {
                        log::debug!("the server announces block {h}");
                        tip_tx.send_replace(h);
                    }) => {
                        log::info!("new-block feed from {url} ended ({end}); connecting again");
                    }
                    // The syncing side ended with the wallet.
                    _ = tip_tx.closed() => return,
                }
                tokio::select! {
                    _ = tokio::time::sleep(crate::core::chain::server::CHECK_INTERVAL) => {}
                    _ = tip_tx.closed() => return,
                }
            }
        });
        // The syncing side holds neither the wallet (whose drop frees the folder's lock) nor
        // a strong reference to the node outside a sync.
        let node = Arc::downgrade(&self.node);
        let (gate, synced) = (self.feed_gate.clone(), self.chain_synced.clone());
        let (stale, url) = (self.stale.clone(), self.electrum_url.clone());
        let (sync_gate, stuck) = (self.sync_gate.clone(), self.stuck_sync.clone());
        runtime.spawn(async move {
            loop {
                // `Some(tip)`: the server announced a block; `None`: a periodic round.
                let tip = tokio::select! {
                    changed = tip_rx.changed() => {
                        if changed.is_err() { return }
                        Some(*tip_rx.borrow_and_update())
                    }
                    // Ends with the wallet's stop or its drop; the feed's connection with it.
                    _ = tokio::time::sleep(crate::core::chain::server::CHECK_INTERVAL) => {
                        if node.strong_count() == 0 || *gate.lock().await {
                            return;
                        }
                        if sync_gate.idle_for().is_none_or(|idle| idle < SYNC_INTERVAL) {
                            continue;
                        }
                        None
                    }
                };
                // Held through the sync: `Wallet::stop` waits for it before stopping the node.
                let stopping = gate.lock().await;
                if *stopping || stale.load(std::sync::atomic::Ordering::SeqCst) {
                    return;
                }
                let Some(node) = node.upgrade() else { return };
                let (url, sync_gate, stuck) = (url.clone(), sync_gate.clone(), stuck.clone());
                let started = std::time::Instant::now();
                // The node is let go on the blocking thread, never on an async worker.
                let outcome = tokio::task::spawn_blocking(move || {
                    let status = node.status();
                    if !stuck.keeps_running(&node) {
                        return Ok(false);
                    }
                    if tip.is_some_and(|tip| status.current_best_block.height >= tip) {
                        return Ok(false);
                    }
                    sync_gate
                        .run(|| sync_node(&node, &url, &stuck))
                        .map(|()| true)
                })
                .await;
                drop(stopping);
                let what = match tip {
                    Some(tip) => format!("at a new block ({tip})"),
                    None => "of the periodic round".to_string(),
                };
                match outcome {
                    Ok(Ok(true)) => {
                        log::debug!("sync {what} done in {:?}", started.elapsed());
                        synced.notify_one();
                    }
                    Ok(Ok(false)) => {}
                    Ok(Err(e)) => log::warn!("sync {what} failed: {e}"),
                    Err(e) => log::warn!("sync {what} stopped: {e}"),
                }
            }
        });
    }

    /// Dials the peers of open channels that are away, now and every few seconds (see
    /// `redial_channel_peers`).
    fn start_redial(self: &Arc<Self>, runtime: &tokio::runtime::Handle) {
        let weak = Arc::downgrade(self);
        runtime.spawn(async move {
            loop {
                let Some(wallet) = weak.upgrade() else { return };
                if wallet.check_not_stale().is_err()
                    || !wallet.stuck_sync.keeps_running(&wallet.node)
                {
                    return;
                }
                let w = wallet.clone();
                drop(wallet);
                let _ =
                    tokio::task::spawn_blocking(move || w.channels.redial_channel_peers()).await;
                tokio::time::sleep(REDIAL_INTERVAL).await;
            }
        });
    }
}

/// Asks the Electrum server for new blocks and transactions now, blocking; only through the
/// wallet's sync gate (see [`Wallet::sync`]). A sync that timed out while the server answers
/// a connection of our own is said to be slow, not the server to be away. A node whose
/// Lightning sync is stuck is restarted (see `chain::stuck_sync`).
pub(super) fn sync_node(node: &Node, url: &str, stuck: &StuckSync) -> Result<(), Error> {
    use ldk_node::NodeError as E;
    stuck.sync_wallets(node).map_err(|e| match e {
        e @ (E::WalletOperationTimeout | E::TxSyncTimeout | E::FeerateEstimationUpdateTimeout)
            if crate::core::chain::server::answers(url) =>
        {
            NodeError::SyncTooSlow {
                url: url.to_string(),
                what: e,
            }
            .into()
        }
        e => NodeError::from_ldk(e, url).into(),
    })
}

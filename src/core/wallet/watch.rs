//! The wallet's own watch task: whether the Electrum server answers, and a backup folder that
//! was away.

use std::sync::Arc;

use crate::core::wallet::Wallet;

/// How often the peers of open channels that are away are dialled again.
const REDIAL_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10);

impl Wallet {
    /// Starts the wallet's own watch, on the app's runtime, for as long as the wallet lives:
    /// every few seconds it asks the Electrum server whether it is there (a change wakes the
    /// update stream; when the server comes back the wallet syncs at once rather than at LDK
    /// Node's next background round) and looks again for a backup folder that was away.
    pub(super) fn start_watch(self: &Arc<Self>, runtime: &tokio::runtime::Handle) {
        self.start_redial(runtime);
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
                if !wallet.node.status().is_running {
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
                if wallet.check_not_stale().is_err() || !wallet.node.status().is_running {
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

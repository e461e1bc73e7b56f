//! Regtest harness: a real bitcoind + electrs on loopback (temporary folders), the real system
//! keyring (Secret Service; scripts/test.sh runs an unlocked GNOME Keyring in a private D-Bus
//! session), and wallets opened through Shandian's `core`, exactly as the app does.

#![allow(dead_code)]

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use shandian::core::dirs::{DataRoot, NetworkDir};
use shandian::core::node::{OpenRequest, Snapshot, Wallet};
use shandian::core::playground::LocalChain;
use shandian::core::secrets::Keyring;
use shandian::core::Network;

pub const WAIT: Duration = Duration::from_secs(90);

/// One local chain per test.
pub async fn start_chain() -> Arc<LocalChain> {
    let chain = tokio::task::spawn_blocking(|| LocalChain::start(None))
        .await
        .unwrap()
        .expect("bitcoind and electrs start (scripts/regtest-tools.sh builds them)");
    Arc::new(chain)
}

/// A fresh data root in a temporary folder.
pub fn temp_root() -> (tempfile::TempDir, DataRoot, NetworkDir) {
    let tmp = tempfile::tempdir().unwrap();
    let root = DataRoot::at(tmp.path().join("shandian"));
    let dir = root.network_dir(Network::Regtest).unwrap();
    (tmp, root, dir)
}

/// Creates a wallet with a new mnemonic, stored in the real keyring.
pub async fn create_wallet(
    dir: &NetworkDir,
    chain: &LocalChain,
) -> (Arc<Wallet>, ldk_node::bip39::Mnemonic) {
    let mnemonic = shandian::core::seed::generate();
    let wallet = Wallet::create(
        dir.clone(),
        mnemonic.clone(),
        chain.electrum_url(),
        Keyring::Os,
    )
    .await
    .expect("wallet created");
    (wallet, mnemonic)
}

/// Opens the wallet recorded in `dir`, reading the mnemonic from the real keyring.
pub async fn open_wallet(dir: &NetworkDir, chain: &LocalChain) -> Arc<Wallet> {
    let meta = dir.load_wallet().unwrap().expect("a wallet is recorded");
    Wallet::open(OpenRequest {
        dir: dir.clone(),
        meta,
        electrum_url: chain.electrum_url(),
        keyring: Keyring::Os,
    })
    .await
    .expect("wallet opens")
}

/// Syncs and reads until `check` holds, or fails after `WAIT`.
pub async fn wait_for_snapshot(
    wallet: &Arc<Wallet>,
    what: &str,
    check: impl Fn(&Snapshot) -> bool,
) -> Snapshot {
    let result = tokio::time::timeout(WAIT, async {
        loop {
            wallet.sync().await.expect("sync");
            let s = wallet.snapshot().await.expect("snapshot");
            if check(&s) {
                return s;
            }
            // Wait for the next node update (event or finished background sync) before looking
            // again, rather than a fixed sleep.
            let mut last = s.last_sync;
            let _ =
                tokio::time::timeout(Duration::from_secs(3), wallet.next_update(&mut last)).await;
        }
    })
    .await;
    match result {
        Ok(s) => s,
        Err(_) => panic!("timed out waiting for: {what}"),
    }
}

/// Runs blocking chain calls off the async workers.
pub async fn on_chain<T: Send + 'static>(
    chain: &Arc<LocalChain>,
    f: impl FnOnce(&LocalChain) -> T + Send + 'static,
) -> T {
    let chain = chain.clone();
    tokio::task::spawn_blocking(move || f(&chain))
        .await
        .unwrap()
}

pub async fn with_timeout<T>(what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(WAIT, fut)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

/// Waits until bitcoind knows `txid` (ldk-node broadcasts from a queue, a moment after a send
/// returns) and returns it decoded.
pub async fn wait_for_tx(chain: &Arc<LocalChain>, txid: &str) -> serde_json::Value {
    let txid = txid.to_string();
    with_timeout("bitcoind to see the transaction", async {
        loop {
            let id = txid.clone();
            let found = on_chain(chain, move |c| {
                c.rpc(
                    "getrawtransaction",
                    &[serde_json::json!(id), serde_json::json!(true)],
                )
            })
            .await;
            if let Ok(tx) = found {
                return tx;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
}

//! Channel backups in the drills: a restore as the app asks for one, a wallet whose backup
//! folder was chosen before its first channel, and folders copied as a person would.

use std::path::Path;
use std::sync::Arc;

use super::*;
use shandian::core::keys::secrets::Keyring;
use shandian::core::wallet::{CreateRequest, Wallet};
use shandian::core::Error;

pub const CAPACITY_SAT: u64 = 1_000_000;

/// Restores the wallet of `mnemonic` into `dir` from the backup in `backup`.
pub async fn restore(
    dir: &shandian::core::store::dirs::NetworkDir,
    mnemonic: ldk_node::bip39::Mnemonic,
    chain: &shandian::lab::chain::LocalChain,
    backup: &Path,
) -> Result<Arc<Wallet>, Error> {
    Wallet::create(CreateRequest {
        dir: dir.clone(),
        lock: dir.lock().unwrap(),
        mnemonic,
        electrum_url: chain.electrum_url(),
        keyring: Keyring::Os,
        restore_from: Some(backup.to_path_buf()),
    })
    .await
}

/// A funded wallet whose backup folder was chosen before it opened a channel with a new peer.
pub async fn backed_up_channel(
    chain: &Arc<shandian::lab::chain::LocalChain>,
    dir: &shandian::core::store::dirs::NetworkDir,
) -> (
    Arc<Wallet>,
    ldk_node::bip39::Mnemonic,
    tempfile::TempDir,
    Arc<shandian::lab::peer::PeerNode>,
    shandian::core::lightning::channels::Channel,
) {
    let (wallet, mnemonic, usb) = create_wallet_with_backup(dir, chain).await;
    let address = wallet.new_address().await.unwrap();
    on_chain(chain, move |c| c.fund(&address)).await.unwrap();
    wait_for_snapshot(&wallet, "the coinbase", |s| {
        s.balances.onchain_spendable_sat > 0
    })
    .await;
    let peer = start_peer(chain).await;
    let channel = open_ready_channel(chain, &wallet, &peer, CAPACITY_SAT, 0).await;
    (wallet, mnemonic, usb, peer, channel)
}

/// Copies a folder and everything in it, as a person's file manager would.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

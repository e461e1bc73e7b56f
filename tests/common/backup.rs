//! Channel backups in the drills: a restore as the app asks for one, a wallet whose backup
//! folder was chosen before its first channel, and folders copied as a person would.

use std::path::Path;
use std::sync::Arc;

use super::*;
use shandian::core::keys::secrets::Keyring;
use shandian::core::store::backup::BackupPlace;
use shandian::core::wallet::{CreateRequest, Wallet};
use shandian::core::Error;

pub const CAPACITY_SAT: u64 = 1_000_000;

/// Restores the wallet of `mnemonic` into `dir` from the backup folder `backup`.
pub async fn restore(
    dir: &shandian::core::store::dirs::NetworkDir,
    mnemonic: ldk_node::bip39::Mnemonic,
    chain: &shandian::lab::chain::LocalChain,
    backup: &Path,
) -> Result<Arc<Wallet>, Error> {
    let place = BackupPlace::Folder {
        folder: backup.to_path_buf(),
    };
    restore_from(dir, mnemonic, chain, place).await
}

/// Restores the wallet of `mnemonic` into `dir` from the backup at `place`.
pub async fn restore_from(
    dir: &shandian::core::store::dirs::NetworkDir,
    mnemonic: ldk_node::bip39::Mnemonic,
    chain: &shandian::lab::chain::LocalChain,
    place: BackupPlace,
) -> Result<Arc<Wallet>, Error> {
    let restored = Wallet::create(CreateRequest {
        dir: dir.clone(),
        lock: dir.lock().unwrap(),
        mnemonic,
        electrum_url: chain.electrum_url(),
        keyring: Keyring::Os,
        restore_from: Some(place),
    });
    super::with_timeout("a restore to end, either way", restored).await
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
    let (peer, channel) = fund_and_open(chain, &wallet).await;
    (wallet, mnemonic, usb, peer, channel)
}

/// A funded wallet backed up to `place` before it opened a channel with a new peer.
pub async fn backed_up_channel_at(
    chain: &Arc<shandian::lab::chain::LocalChain>,
    dir: &shandian::core::store::dirs::NetworkDir,
    place: BackupPlace,
) -> (
    Arc<Wallet>,
    ldk_node::bip39::Mnemonic,
    Arc<shandian::lab::peer::PeerNode>,
    shandian::core::lightning::channels::Channel,
) {
    let (wallet, mnemonic) = create_wallet(dir, chain).await;
    let status = wallet
        .choose_backup(place)
        .await
        .expect("the backup is taken");
    assert!(status.is_working(), "{status:?}");
    let (peer, channel) = fund_and_open(chain, &wallet).await;
    (wallet, mnemonic, peer, channel)
}

async fn fund_and_open(
    chain: &Arc<shandian::lab::chain::LocalChain>,
    wallet: &Arc<Wallet>,
) -> (
    Arc<shandian::lab::peer::PeerNode>,
    shandian::core::lightning::channels::Channel,
) {
    let address = wallet.new_address().await.unwrap();
    on_chain(chain, move |c| c.fund(&address)).await.unwrap();
    wait_for_snapshot(wallet, "the coinbase", |s| {
        s.balances.onchain_spendable_sat > 0
    })
    .await;
    let peer = start_peer(chain).await;
    let channel = open_ready_channel(chain, wallet, &peer, CAPACITY_SAT, 0).await;
    (peer, channel)
}

/// A VSS server of the test's own on loopback (PostgreSQL and vss-server).
pub async fn start_vss() -> shandian::lab::vss::LocalVss {
    tokio::task::spawn_blocking(shandian::lab::vss::LocalVss::start)
        .await
        .unwrap()
        .expect("the VSS server starts (scripts/vss-server.sh builds it)")
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

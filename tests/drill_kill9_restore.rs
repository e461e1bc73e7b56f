//! A restore cut short must leave either nothing or a whole wallet, never a wallet whose next
//! start opens an empty node in place of the restored one. The headless wallet restores from a
//! real backup (a channel with a payment in it) and is killed with SIGKILL before each write of
//! the restore in turn; then the folder either holds no wallet (and a new restore goes through)
//! or a wallet that opens as the whole restored node: same node id, the channel with the
//! payment.

mod common;

use common::backup::backed_up_channel;
use common::child::DrillWallet;
use common::*;
use shandian::core::store::dirs::DataRoot;
use shandian::core::Network;

/// Every write of a restore, in order (see `core::wallet::backup::write_restored` and
/// `Wallet::create`).
const STEPS: [&str; 8] = [
    "unproven-list",
    "first-entry",
    "middle-entry",
    "take-over",
    "node-data-in-place",
    "backup-record",
    "keyring",
    "wallet-record",
];

#[test]
fn drill_kill9_restore() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, mnemonic, usb, peer, channel) = backed_up_channel(&chain, &dir).await;
        pay_peer(&wallet, &peer, 30_000_000).await;
        wait_for_channels(&wallet, "the payment settled in the channel", |o| {
            o.get(&channel.id).is_some_and(|c| {
                c.parts.theirs_sat == 30_000 && c.parts.htlc_in_sat + c.parts.htlc_out_sat == 0
            })
        })
        .await;
        let node_id = wallet.node_id().to_string();
        wallet.stop().await.unwrap();
        drop(wallet);
        let (words, url) = (mnemonic.to_string(), chain.electrum_url());

        for step in STEPS {
            let folder = tempfile::tempdir().unwrap();
            tokio::task::block_in_place(|| {
                let cut = DrillWallet::restore(folder.path(), &url, usb.path(), &words, Some(step));
                assert_eq!(cut.expect("killpoint "), step);
                cut.kill9();
            });
            let network_dir = DataRoot::at(folder.path())
                .network_dir(Network::Regtest)
                .unwrap();
            let whole = network_dir.load_wallet().unwrap().is_some();
            let state = tokio::task::block_in_place(|| {
                let mut w = if whole {
                    DrillWallet::start(folder.path(), &url, false)
                } else {
                    DrillWallet::restore(folder.path(), &url, usb.path(), &words, None)
                };
                assert_eq!(
                    w.expect("ready "),
                    node_id,
                    "killed at {step}: the same node"
                );
                w.send("state");
                let state: serde_json::Value = serde_json::from_str(&w.expect("state ")).unwrap();
                assert_eq!(w.stop(), 0);
                state
            });
            let restored = state["channels"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == channel.id)
                .unwrap_or_else(|| panic!("killed at {step}: the channel is gone: {state:#}"));
            assert_eq!(
                restored["peer_side_sat"], 30_000,
                "killed at {step}: {restored:#}"
            );
            println!(
                "killed at {step}: {}",
                if whole {
                    "a whole wallet, which opened"
                } else {
                    "no wallet; a new restore went through"
                }
            );
        }
        stop_peer(&peer).await;
    })
}

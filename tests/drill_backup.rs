//! The channel backup, tried as a person who lost their disk would: the data folder is deleted,
//! and the words plus the backup folder bring back the same node, the same channel with the same
//! balance, the payment history, and a wallet that pays again. A backup that cannot be trusted
//! (other words, a changed file, the wrong folder) is a clear error and nothing is created.

mod common;

use common::backup::{backed_up_channel, copy_dir, restore, CAPACITY_SAT};
use common::*;
use shandian::core::keys::secrets::Keyring;
use shandian::core::lightning::channels::ChannelStatus;
use shandian::core::lightning::payments::PaymentState;
use shandian::core::store::BackupError;
use shandian::core::wallet::{CreateRequest, Wallet};
use shandian::core::Error;
use shandian::core::NodeError;

#[test]
fn drill_restore_from_backup() {
    run(async {
        let chain = start_chain().await;
        let (tmp, root, dir) = temp_root();
        // A backup folder is chosen before the channel exists, as the app asks.
        let (wallet, mnemonic, usb, peer, channel) = backed_up_channel(&chain, &dir).await;
        let paid = pay_peer(&wallet, &peer, 50_000_000).await;
        // What the peer holds in the channel is what we paid it (we opened it, so the commitment
        // fee, which may be adjusted after a restart, is ours alone). The success event comes
        // with the preimage, a moment before the commitments drop the HTLC.
        fn peer_side(p: &shandian::core::lightning::channels::BalanceParts) -> u64 {
            p.theirs_sat
        }
        let before = wait_for_channels(&wallet, "the payment settled in the channel", |o| {
            o.get(&channel.id).is_some_and(|c| {
                peer_side(&c.parts) == 50_000 && c.parts.htlc_out_sat + c.parts.htlc_in_sat == 0
            })
        })
        .await;
        let parts_before = before.get(&channel.id).unwrap().parts;
        let node_id = wallet.node_id().to_string();
        let status = wallet.snapshot().await.unwrap().backup;
        assert!(
            status.is_working() && status.last_written.is_some(),
            "{status:?}"
        );
        wallet.stop().await.unwrap();
        drop(wallet);

        // The disk is lost: the whole data folder goes.
        std::fs::remove_dir_all(root.path()).unwrap();
        drop(tmp);

        // A restore from the words alone (elsewhere) starts a node without the channel. It must
        // not take over the backup that holds the channel: that is how other wallets lost it.
        let (_t2, _r2, words_only) = temp_root();
        let bare = Wallet::create(CreateRequest {
            dir: words_only.clone(),
            lock: words_only.lock().unwrap(),
            mnemonic: mnemonic.clone(),
            electrum_url: chain.electrum_url(),
            keyring: Keyring::Os,
            restore_from: None,
        })
        .await
        .unwrap();
        let err = bare
            .choose_backup(shandian::core::store::backup::BackupPlace::Folder {
                folder: usb.path().to_path_buf(),
            })
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Backup(BackupError::OtherWriter { .. })),
            "{err:?}"
        );
        bare.stop().await.unwrap();
        drop(bare);

        let (_tmp, _root, empty) = temp_root();
        let restored = restore(&empty, mnemonic, &chain, usb.path()).await.unwrap();
        assert_eq!(restored.node_id(), node_id, "the same node");

        // The same channel, active again with the peer, with the same balance to the msat.
        let back = wait_for_channels(&restored, "the channel to be active again", |o| {
            o.get(&channel.id)
                .is_some_and(|c| c.status == ChannelStatus::Active)
        })
        .await;
        let parts_after = back.get(&channel.id).unwrap().parts;
        assert_eq!(peer_side(&parts_after), 50_000, "{parts_after:?}");
        assert_eq!(parts_after.total(), parts_before.total());
        assert!(
            back.channels.iter().all(|c| c.id == channel.id),
            "no other channel: {back:#?}"
        );
        // The payment made before the loss is in the history, once, still succeeded.
        let history = restored.payments().await.unwrap();
        let found: Vec<_> = history.iter().filter(|p| p.id == paid.id).collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].status, PaymentState::Succeeded);

        // It pays again, and the backup goes on being written from the restored wallet.
        let again = pay_peer(&restored, &peer, 20_000_000).await;
        assert_eq!(again.amount_msat, Some(20_000_000));
        let status = restored.snapshot().await.unwrap().backup;
        assert!(status.is_working(), "{status:?}");
        assert_eq!(
            status.place,
            Some(shandian::core::store::backup::BackupPlace::Folder {
                folder: usb.path().to_path_buf()
            })
        );
        restored.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

#[test]
fn drill_restore_refuses_bad_backup() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, mnemonic, usb) = create_wallet_with_backup(&dir, &chain).await;
        wallet.stop().await.unwrap();
        drop(wallet);

        // Nothing is created by a refused restore: no wallet record, no node data.
        let nothing_created = |dir: &shandian::core::store::dirs::NetworkDir| {
            assert_eq!(dir.load_wallet().unwrap(), None);
            assert!(!dir.node_dir().exists(), "no node data");
        };

        // Other words: their backup is not in that folder.
        let (_t1, _r1, empty) = temp_root();
        let err = restore(
            &empty,
            shandian::core::keys::seed::generate(),
            &chain,
            usb.path(),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, Error::Backup(BackupError::NotFound { .. })),
            "{err:?}"
        );
        nothing_created(&empty);

        // The wrong folder.
        let elsewhere = tempfile::tempdir().unwrap();
        let err = restore(&empty, mnemonic.clone(), &chain, elsewhere.path())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Backup(BackupError::NotFound { .. })),
            "{err:?}"
        );
        nothing_created(&empty);

        // One changed byte in one entry: the whole backup is refused, not half-used.
        let entries = std::fs::read_dir(usb.path())
            .unwrap()
            .map(|e| e.unwrap().path().join("entries"))
            .find(|p| p.is_dir())
            .expect("the wallet's backup folder");
        let victim = std::fs::read_dir(&entries)
            .unwrap()
            .map(|e| e.unwrap().path())
            .next()
            .expect("entries were written");
        let mut bytes = std::fs::read(&victim).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        std::fs::write(&victim, bytes).unwrap();
        let err = restore(&empty, mnemonic, &chain, usb.path())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Backup(BackupError::Damaged { .. })),
            "{err:?}"
        );
        nothing_created(&empty);
    })
}

#[test]
fn drill_restore_stale_backup() {
    run(async {
        let chain = start_chain().await;
        let (tmp, root, dir) = temp_root();
        let (wallet, mnemonic, usb, peer, channel) = backed_up_channel(&chain, &dir).await;
        // The copy that will be stale: taken before a payment moves the channel on.
        let stale = tempfile::tempdir().unwrap();
        copy_dir(usb.path(), stale.path());
        pay_peer(&wallet, &peer, 50_000_000).await;
        pay_peer(&wallet, &peer, 30_000_000).await;
        // The last payment is settled on both sides (its HTLC removed from both commitments)
        // before the wallet goes: the peer's close then has our balance as one output.
        wait_for_channels(&wallet, "the last payment to settle", |o| {
            o.get(&channel.id)
                .is_some_and(|c| c.parts.htlc_in_sat + c.parts.htlc_out_sat == 0)
        })
        .await;
        wait_for_peer(
            &peer,
            "the last payment to settle on the peer's side",
            |n| {
                n.list_balances()
                    .lightning_balances
                    .iter()
                    .all(|b| match b {
                        ldk_node::LightningBalance::ClaimableOnChannelClose {
                            outbound_payment_htlc_rounded_msat,
                            inbound_claiming_htlc_rounded_msat,
                            inbound_htlc_rounded_msat,
                            ..
                        } => {
                            outbound_payment_htlc_rounded_msat
                                + inbound_claiming_htlc_rounded_msat
                                + inbound_htlc_rounded_msat
                                == 0
                        }
                        _ => true,
                    })
            },
        )
        .await;
        let onchain_ref = wallet.snapshot().await.unwrap().balances.onchain_total_sat;
        wallet.stop().await.unwrap();
        drop(wallet);
        std::fs::remove_dir_all(root.path()).unwrap();
        drop(tmp);

        // Restored from the stale copy: LDK sees the peer's newer state when it reconnects, and
        // stops rather than broadcast the old one. The wallet says so.
        let (_tmp, _root, empty) = temp_root();
        let restored = restore(&empty, mnemonic.clone(), &chain, stale.path())
            .await
            .unwrap();
        let err = with_timeout("the wallet to see it is behind its peer", async {
            loop {
                match restored.snapshot().await {
                    Err(e @ Error::Node(NodeError::StaleChannelState { .. })) => return e,
                    _ => {
                        let mut last = None;
                        let _ = tokio::time::timeout(
                            std::time::Duration::from_secs(2),
                            restored.next_update(&mut last),
                        )
                        .await;
                    }
                }
            }
        })
        .await;
        println!("the restored wallet says: {err}");
        assert!(matches!(
            restored.channels().await,
            Err(Error::Node(NodeError::StaleChannelState { .. }))
        ));
        // Nothing was broadcast: the channel's funding output is unspent (a broadcast of the
        // old state would have handed the channel to the peer).
        mine(&chain, 1).await;
        let funding = channel.funding_outpoint.clone().unwrap();
        let (txid, vout) = funding.split_once(':').unwrap();
        let (txid, vout) = (txid.to_string(), vout.parse::<u64>().unwrap());
        let unspent = on_chain(&chain, move |c| {
            c.rpc(
                "gettxout",
                &[
                    serde_json::json!(txid),
                    serde_json::json!(vout),
                    serde_json::json!(true),
                ],
            )
        })
        .await
        .unwrap();
        assert!(!unspent.is_null(), "the funding output is unspent");
        drop(restored);

        // Started again on that folder, the wallet refuses before anything reaches the peer.
        let meta = empty.load_wallet().unwrap().unwrap();
        let again = Wallet::open(shandian::core::wallet::OpenRequest {
            dir: empty.clone(),
            lock: empty.lock().unwrap(),
            meta,
            electrum_url: chain.electrum_url(),
            keyring: Keyring::Os,
        })
        .await;
        assert!(
            matches!(again, Err(Error::Node(NodeError::StaleChannelState { .. }))),
            "{:?}",
            again.map(|_| ())
        );

        // Recovery: the same keys without channel state meet the peer, which closes with its
        // latest state; the wallet then opens and sweeps our part of it.
        let req = shandian::core::wallet::OpenRequest {
            dir: empty.clone(),
            lock: empty.lock().unwrap(),
            meta: empty.load_wallet().unwrap().unwrap(),
            electrum_url: chain.electrum_url(),
            keyring: Keyring::Os,
        };
        let recovering = tokio::spawn(Wallet::recover_stale(
            req,
            std::time::Duration::from_secs(120),
        ));
        let commitment = wait_for_spend(&chain, &funding, "the peer's close").await;
        mine(&chain, 6).await;
        let recovered = with_timeout("the recovery", recovering)
            .await
            .unwrap()
            .expect("recovered");
        let sweep = with_timeout("the sweep of our output", async {
            loop {
                if let Some(t) = mempool_spender_of(&chain, &commitment).await {
                    return t;
                }
                sync_tolerantly(&recovered).await;
            }
        })
        .await;
        // Our output of the peer's close is the latest state's balance (80,000 sat paid since
        // the stale copy), not the stale one's.
        let sweep_tx = wait_for_tx(&chain, &sweep).await;
        let input = &sweep_tx["vin"][0];
        let close = wait_for_tx(&chain, &commitment).await;
        let ours = (close["vout"][input["vout"].as_u64().unwrap() as usize]["value"]
            .as_f64()
            .unwrap()
            * 100_000_000.0)
            .round() as u64;
        assert!(
            ours < CAPACITY_SAT - 80_000 && ours > CAPACITY_SAT - 80_000 - 5_000,
            "the latest balance comes back: {ours}"
        );
        let sweep_fee = tx_fee_sat(&chain, &sweep).await;
        mine(&chain, 6).await;
        let after = wait_for_snapshot(&recovered, "the swept balance", |s| {
            s.balances.onchain_total_sat > onchain_ref
        })
        .await;
        assert_eq!(
            after.balances.onchain_total_sat - onchain_ref,
            ours - sweep_fee,
            "our output less the sweep fee, to the sat"
        );
        println!("recovered {ours} sat less a {sweep_fee} sat sweep fee");
        recovered.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

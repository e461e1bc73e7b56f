//! The channel backup on a VSS server: LDK's own `vss-server` on a real PostgreSQL cluster, on
//! loopback (`lab::vss::LocalVss`), written by the wallet through `vss-client-ng`. Backed up,
//! the disk lost and restored from the words and the server's address; a copy the backup was
//! taken from refused by the server's versions; a server that goes down and comes back.
//! Real bitcoind + electrs, a real second LDK node as the peer.

mod common;

use std::sync::Arc;

use common::backup::{backed_up_channel_at, restore_from, start_vss};
use common::*;
use shandian::core::lightning::channels::ChannelStatus;
use shandian::core::store::backup::{BackupKeys, BackupPlace, BackupServer, Entries, Medium};
use shandian::core::Network;

fn server(vss: &shandian::lab::vss::LocalVss) -> BackupPlace {
    BackupPlace::Server { server: vss.url() }
}

/// Everything the server holds of the wallet of `mnemonic`, opened with its words.
async fn on_server(url: String, mnemonic: &ldk_node::bip39::Mnemonic) -> Entries {
    let keys = Arc::new(BackupKeys::from_seed(&mnemonic.to_seed("")));
    tokio::task::spawn_blocking(move || {
        let mut entries = BackupServer::find(&url, Network::Regtest.as_str(), keys)
            .expect("the backup is on the server")
            .read_all()
            .expect("every entry opens");
        entries.sort();
        entries
    })
    .await
    .unwrap()
}

#[test]
fn drill_vss_backup_restore() {
    run(async {
        let chain = start_chain().await;
        let vss = start_vss().await;
        let (tmp, root, dir) = temp_root();
        let (wallet, mnemonic, peer, channel) =
            backed_up_channel_at(&chain, &dir, server(&vss)).await;
        let paid = pay_peer(&wallet, &peer, 50_000_000).await;
        let before = wait_for_channels(&wallet, "the payment settled in the channel", |o| {
            o.get(&channel.id).is_some_and(|c| {
                c.parts.theirs_sat == 50_000 && c.parts.htlc_out_sat + c.parts.htlc_in_sat == 0
            })
        })
        .await;
        let total_before = before.get(&channel.id).unwrap().parts.total();
        let status = wallet.snapshot().await.unwrap().backup;
        assert!(status.is_working(), "{status:?}");
        assert_eq!(status.place, Some(server(&vss)));
        let node_id = wallet.node_id().to_string();
        wallet.stop().await.unwrap();
        drop(wallet);

        // The computer is lost: the whole data folder goes. A new computer has the words and
        // the server's address.
        std::fs::remove_dir_all(root.path()).unwrap();
        drop(tmp);
        let (_t2, _r2, fresh) = temp_root();
        let restored = restore_from(&fresh, mnemonic, &chain, server(&vss))
            .await
            .expect("restored from the server");
        assert_eq!(restored.node_id(), node_id, "the same node");
        let back = wait_for_channels(&restored, "the channel active again", |o| {
            o.get(&channel.id)
                .is_some_and(|c| c.status == ChannelStatus::Active)
        })
        .await;
        let parts = back.get(&channel.id).unwrap().parts;
        assert_eq!(parts.theirs_sat, 50_000, "{parts:?}");
        assert_eq!(parts.total(), total_before);
        let history = restored.payments().await.unwrap();
        assert_eq!(history.iter().filter(|p| p.id == paid.id).count(), 1);

        // It pays again, and goes on writing to the server.
        pay_peer(&restored, &peer, 20_000_000).await;
        let status = restored.snapshot().await.unwrap().backup;
        assert!(status.is_working(), "{status:?}");
        assert_eq!(status.place, Some(server(&vss)));
        restored.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

/// The copy the backup was restored from (an old computer still running) writes again: the
/// server refuses it (its version of the store is behind), it says so, and nothing of it
/// reaches the server.
#[test]
fn drill_vss_stale_writer_refused() {
    run(async {
        let chain = start_chain().await;
        let vss = start_vss().await;
        let (_tmp, _root, dir) = temp_root();
        let (old_copy, mnemonic, peer, _channel) =
            backed_up_channel_at(&chain, &dir, server(&vss)).await;
        // The peer is away, so the two copies of one node never meet it at once.
        stop_peer(&peer).await;

        let (_t2, _r2, elsewhere) = temp_root();
        let new_copy = restore_from(&elsewhere, mnemonic.clone(), &chain, server(&vss))
            .await
            .expect("restored on the new computer");
        assert!(new_copy.snapshot().await.unwrap().backup.is_working());
        new_copy.stop().await.unwrap();
        drop(new_copy);
        let taken_over = on_server(vss.url(), &mnemonic).await;

        // The old copy writes (an invoice is recorded in LDK Node's store).
        old_copy
            .receive_invoice(Some(1_000_000), "after the restore".into(), 3600, false)
            .await
            .expect("the old copy still works locally");
        let status = old_copy.snapshot().await.unwrap().backup;
        let failing = status.failing.expect("the old copy says its backup failed");
        assert!(failing.taken_over, "{failing:?}");
        assert!(
            on_server(vss.url(), &mnemonic).await == taken_over,
            "nothing of the old copy reached the server"
        );
        old_copy.stop().await.unwrap();
    })
}

/// The server goes down: payments go on, the backup says it is failing; the server comes
/// back: the backup catches up by itself, and a restore from it has the latest balance.
#[test]
fn drill_vss_server_down() {
    run(async {
        let chain = start_chain().await;
        let mut vss = start_vss().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, mnemonic, peer, channel) =
            backed_up_channel_at(&chain, &dir, server(&vss)).await;

        vss.stop_server();
        pay_peer(&wallet, &peer, 30_000_000).await;
        let down = wait_for_snapshot(&wallet, "the backup said to be failing", |s| {
            s.backup.failing.is_some()
        })
        .await;
        assert!(!down.backup.failing.unwrap().taken_over);

        let restarted = tokio::task::spawn_blocking(move || {
            vss.restart_server().expect("the server starts again");
            vss
        })
        .await
        .unwrap();
        let vss = restarted;
        pay_peer(&wallet, &peer, 20_000_000).await;
        wait_for_snapshot(&wallet, "the backup whole again", |s| s.backup.is_working()).await;
        wait_for_channels(&wallet, "both payments settled", |o| {
            o.get(&channel.id).is_some_and(|c| {
                c.parts.theirs_sat == 50_000 && c.parts.htlc_out_sat + c.parts.htlc_in_sat == 0
            })
        })
        .await;
        wallet.stop().await.unwrap();
        drop(wallet);
        stop_peer(&peer).await;

        // What the server holds is the latest state: a restore from it alone has both payments.
        let (_t2, _r2, fresh) = temp_root();
        let restored = restore_from(&fresh, mnemonic, &chain, server(&vss))
            .await
            .expect("restored from the server");
        let o = restored.channels().await.unwrap();
        let parts = o.get(&channel.id).expect("the channel restored").parts;
        assert_eq!(parts.theirs_sat, 50_000, "{parts:?}");
        restored.stop().await.unwrap();
    })
}

//! The channel backup, guarded where it matters: a data folder older than its backup (last
//! week's system backup put back) must not overwrite it, and only a whole backup restores.
//! Real bitcoind + electrs, the wallet through `core`, a real second LDK node as the peer.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::backup::{backed_up_channel, copy_dir, restore};
use common::*;
use shandian::core::keys::secrets::Keyring;
use shandian::core::lightning::channels::ChannelStatus;
use shandian::core::store::backup::{
    BackupFolder, BackupKeys, EntryName, Medium, Missing, MixedPart,
};
use shandian::core::store::BackupError;
use shandian::core::wallet::{OpenRequest, Wallet};
use shandian::core::{ChannelError, Error, Network};
use shandian::fl;
use shandian::lab::Lab;

/// Every file under `folder`, by its path inside it, with its bytes.
fn files(folder: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, at: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(at).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(base).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(folder, folder, &mut out);
    out
}

/// Takes something out of a copy of a backup (its wallet subfolder).
type Cut<'a> = Box<dyn Fn(&Path) + 'a>;

/// Opens the stopped wallet in `dir` again, pays the peer each of `msats` over `channel`, waits
/// until the channel holds them settled, and stops the wallet.
async fn reopen_and_pay(
    dir: &shandian::core::store::dirs::NetworkDir,
    chain: &std::sync::Arc<shandian::lab::chain::LocalChain>,
    peer: &std::sync::Arc<shandian::lab::peer::PeerNode>,
    channel: &shandian::core::lightning::channels::Channel,
    msats: &[u64],
) {
    let wallet = with_timeout("the wallet to open again", open_wallet(dir, chain)).await;
    wait_for_channels(&wallet, "the peer back after the restart", |o| {
        o.get(&channel.id)
            .is_some_and(|c| c.status == ChannelStatus::Active)
    })
    .await;
    for msat in msats {
        pay_peer(&wallet, peer, *msat).await;
    }
    let theirs_sat = msats.iter().sum::<u64>() / 1000;
    wait_for_channels(&wallet, "the payments settled in the channel", |o| {
        o.get(&channel.id).is_some_and(|c| {
            c.parts.theirs_sat == theirs_sat && c.parts.htlc_in_sat + c.parts.htlc_out_sat == 0
        })
    })
    .await;
    with_timeout("the wallet to stop", wallet.stop())
        .await
        .unwrap();
}

/// Which entries of a backup a case takes.
type Picks = dyn Fn(&EntryName) -> bool;

/// The entries of `all` that `which` picks.
fn picked<'a>(all: &'a [(EntryName, Vec<u8>)], which: &Picks) -> Vec<&'a (EntryName, Vec<u8>)> {
    all.iter().filter(|(n, _)| which(n)).collect()
}

/// The wallet's subfolder in the chosen backup folder.
fn backup_root(usb: &Path) -> PathBuf {
    std::fs::read_dir(usb)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.join("entries").is_dir())
        .expect("the wallet's backup folder")
}

#[test]
fn drill_old_data_folder_refused() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, root, dir) = temp_root();
        let (wallet, mnemonic, usb, peer, channel) = backed_up_channel(&chain, &dir).await;
        // Last week's system backup of the data folder, taken while the wallet was closed.
        wallet.stop().await.unwrap();
        drop(wallet);
        let last_week = tempfile::tempdir().unwrap();
        copy_dir(root.path(), last_week.path());

        // Two payments since.
        reopen_and_pay(&dir, &chain, &peer, &channel, &[50_000_000, 30_000_000]).await;

        // The person puts last week's copy back in place of the data folder.
        std::fs::remove_dir_all(root.path()).unwrap();
        copy_dir(last_week.path(), root.path());
        let newer = files(usb.path());
        let opened = Wallet::open(OpenRequest {
            dir: dir.clone(),
            lock: dir.lock().unwrap(),
            meta: dir.load_wallet().unwrap().unwrap(),
            electrum_url: chain.electrum_url(),
            keyring: Keyring::Os,
        })
        .await;
        let err = match opened {
            Ok(_) => panic!("the older data folder was opened over its newer backup"),
            Err(e) => e,
        };
        assert_eq!(
            err,
            Error::Backup(BackupError::LocalOlder {
                folder: usb.path().display().to_string(),
                channels: 1
            })
        );
        assert_eq!(
            shandian::ui::errors::describe(&err),
            fl!(
                "err-backup-local-older",
                folder = usb.path().display().to_string(),
                channels = "1"
            )
        );
        assert!(
            files(usb.path()) == newer,
            "the backup keeps the newer state byte for byte"
        );

        // What the sentence says to do: the old folder moved away, a restore from the backup
        // has the channel as it is now.
        std::fs::remove_dir_all(root.path()).unwrap();
        let (_t2, _r2, fresh) = temp_root();
        let restored = restore(&fresh, mnemonic, &chain, usb.path()).await.unwrap();
        wait_for_channels(&restored, "the channel as it is now", |o| {
            o.get(&channel.id)
                .is_some_and(|c| c.status == ChannelStatus::Active && c.parts.theirs_sat == 80_000)
        })
        .await;
        restored.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

#[test]
fn drill_restore_refuses_incomplete_backup() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, mnemonic, usb, peer, channel) = backed_up_channel(&chain, &dir).await;
        wallet.stop().await.unwrap();
        drop(wallet);
        // The backup as it was before a payment, and as it is after.
        let before_payment = tempfile::tempdir().unwrap();
        copy_dir(usb.path(), before_payment.path());
        reopen_and_pay(&dir, &chain, &peer, &channel, &[40_000_000]).await;
        stop_peer(&peer).await;

        let seed = mnemonic.to_seed("");
        let keys = std::sync::Arc::new(BackupKeys::from_seed(&seed));
        let whole = BackupFolder::find(usb.path(), Network::Regtest.as_str(), keys.clone())
            .unwrap()
            .read_index()
            .unwrap()
            .expect("a backup with a channel has an index");
        let monitor = whole.monitors.iter().next().expect("the channel").clone();
        let file_of = |name: EntryName| keys.file_name(&name);

        // Each way a backup can be only part of one: a copy of the whole with something gone.
        let cases: Vec<(&str, Cut, Vec<Missing>)> = vec![
            (
                "no index",
                Box::new(|root: &Path| std::fs::remove_file(root.join("index.bin")).unwrap()),
                vec![Missing::Index],
            ),
            (
                "no channel manager",
                Box::new(|root: &Path| {
                    let file = file_of(EntryName::new("", "", "manager"));
                    std::fs::remove_file(root.join("entries").join(file)).unwrap()
                }),
                vec![Missing::Manager],
            ),
            (
                "no monitor",
                Box::new(|root: &Path| {
                    let file = file_of(EntryName::new("monitors", "", &monitor));
                    std::fs::remove_file(root.join("entries").join(file)).unwrap()
                }),
                vec![Missing::Monitor(monitor.clone())],
            ),
            (
                "an empty entries folder (a synced folder half downloaded)",
                Box::new(|root: &Path| {
                    std::fs::remove_dir_all(root.join("entries")).unwrap();
                    std::fs::create_dir(root.join("entries")).unwrap();
                }),
                vec![Missing::Manager, Missing::Monitor(monitor.clone())],
            ),
        ];
        for (what, cut, missing) in cases {
            let part = tempfile::tempdir().unwrap();
            copy_dir(usb.path(), part.path());
            cut(&backup_root(part.path()));
            let (_t, _r, empty) = temp_root();
            let err = match restore(&empty, mnemonic.clone(), &chain, part.path()).await {
                Ok(_) => panic!("{what}: part of a backup was restored as whole"),
                Err(e) => e,
            };
            assert_eq!(
                err,
                Error::Backup(BackupError::Incomplete {
                    folder: part.path().display().to_string(),
                    missing
                }),
                "{what}"
            );
            assert_eq!(empty.load_wallet().unwrap(), None, "{what}: no wallet");
            assert!(!empty.node_dir().exists(), "{what}: no node data");
        }

        // Every entry there, but not of one moment: files of the backup from before the
        // payment put into the one after it (two copies merged by hand or by a sync tool).
        let read_whole = |folder: &Path| {
            BackupFolder::find(folder, Network::Regtest.as_str(), keys.clone())
                .unwrap()
                .read_whole()
                .unwrap()
        };
        let (older_whole, newer_whole) =
            (read_whole(before_payment.path()), read_whole(usb.path()));
        let is_monitor = |n: &EntryName| n.primary == "monitors" || n.primary == "monitor_updates";
        let is_manager = |n: &EntryName| *n == EntryName::new("", "", "manager");
        let mixed: Vec<(&str, &Picks, MixedPart)> = vec![
            (
                "the channel's monitor from before the payment",
                &is_monitor,
                MixedPart::Manager,
            ),
            (
                "the channel manager from before the payment",
                &is_manager,
                MixedPart::Monitors,
            ),
        ];
        for (what, older_part, newer) in mixed {
            let part = tempfile::tempdir().unwrap();
            copy_dir(usb.path(), part.path());
            let entries = backup_root(part.path()).join("entries");
            let older_entries = backup_root(before_payment.path()).join("entries");
            for (name, _) in picked(&newer_whole, older_part) {
                std::fs::remove_file(entries.join(file_of(name.clone()))).unwrap();
            }
            for (name, _) in picked(&older_whole, older_part) {
                let file = file_of(name.clone());
                std::fs::copy(older_entries.join(&file), entries.join(&file)).unwrap();
            }
            let untouched = files(part.path());
            let (_t, _r, empty) = temp_root();
            let err = match restore(&empty, mnemonic.clone(), &chain, part.path()).await {
                Ok(_) => panic!("{what}: a backup of two moments was restored"),
                Err(e) => e,
            };
            let folder = part.path().display().to_string();
            assert_eq!(
                err,
                Error::Backup(BackupError::MixedMoments {
                    folder: folder.clone(),
                    newer
                }),
                "{what}"
            );
            let sentence = match newer {
                MixedPart::Manager => fl!("err-backup-mixed-manager-newer", folder = folder),
                MixedPart::Monitors => fl!("err-backup-mixed-monitors-newer", folder = folder),
            };
            assert_eq!(shandian::ui::errors::describe(&err), sentence, "{what}");
            assert_eq!(empty.load_wallet().unwrap(), None, "{what}: no wallet");
            assert!(!empty.node_dir().exists(), "{what}: no node data");
            assert!(
                files(part.path()) == untouched,
                "{what}: the backup is not taken over"
            );
        }

        // A restore cut short after the node's data but before the wallet's record (a kill,
        // a keyring that refused) left node data with no record: the next restore sets it
        // aside, whole, and restores.
        let (_t, _r, cut_short) = temp_root();
        std::fs::create_dir_all(cut_short.node_dir()).unwrap();
        std::fs::write(cut_short.node_dir().join("ldk_node_data.sqlite"), b"half").unwrap();
        let restored = restore(&cut_short, mnemonic, &chain, usb.path())
            .await
            .expect("the whole backup restores");
        let aside: Vec<PathBuf> = std::fs::read_dir(cut_short.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("node.unfinished-"))
            })
            .collect();
        assert_eq!(aside.len(), 1, "the unfinished node data set aside");
        assert_eq!(
            std::fs::read(aside[0].join("ldk_node_data.sqlite")).unwrap(),
            b"half"
        );
        with_timeout("the restored wallet to stop", restored.stop())
            .await
            .unwrap();
    })
}

/// A wallet restored on a new computer while the old copy still runs: the restore takes the
/// backup over, and the old copy's next write is refused (nothing of it reaches the backup),
/// and it says why.
#[test]
fn drill_second_copy_refused_after_restore() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (old_copy, mnemonic, usb, peer, _channel) = backed_up_channel(&chain, &dir).await;
        // The peer is away, so the two copies of one node never meet it at once.
        stop_peer(&peer).await;

        let (_t2, _r2, elsewhere) = temp_root();
        let new_copy = restore(&elsewhere, mnemonic, &chain, usb.path())
            .await
            .expect("restored on the new computer");
        assert!(new_copy.snapshot().await.unwrap().backup.is_working());
        new_copy.stop().await.unwrap();
        drop(new_copy);
        let taken_over = files(usb.path());

        // The old copy writes (an invoice is recorded in LDK Node's store).
        old_copy
            .receive_invoice(Some(1_000_000), "after the restore".into(), 3600, false)
            .await
            .expect("the old copy still works locally");
        let status = old_copy.snapshot().await.unwrap().backup;
        let failing = status.failing.expect("the old copy says its backup failed");
        assert!(failing.taken_over, "{failing:?}");
        assert!(
            files(usb.path()) == taken_over,
            "nothing of the old copy reached the backup"
        );
        old_copy.stop().await.unwrap();
    })
}

/// After a restore, no force close from a state not yet proven current: refused while the
/// channel has not met its peer (an old state broadcast would hand the peer the whole channel),
/// allowed once it has re-established with its peer. The peer is a Lab node, taken offline
/// before the restore and brought back after.
#[test]
fn drill_no_force_close_before_the_peer_proves_the_state() {
    run(async {
        let chain = start_chain().await;
        let (tmp, _root, dir) = temp_root();
        let (wallet, mnemonic, usb) = create_wallet_with_backup(&dir, &chain).await;
        let address = wallet.new_address().await.unwrap();
        on_chain(&chain, move |c| c.fund(&address)).await.unwrap();
        wait_for_snapshot(&wallet, "the coinbase", |s| {
            s.balances.onchain_spendable_sat > 0
        })
        .await;
        let lab = std::sync::Arc::new(Lab::new(chain.clone(), tmp.path().join("lab")));
        let alice = lab.node(&lab.add_node().await.unwrap()).unwrap();
        let channel =
            open_ready_channel(&chain, &wallet, &alice.online().unwrap(), 500_000, 0).await;
        wallet.stop().await.unwrap();
        drop(wallet);

        let away = alice.clone();
        tokio::task::spawn_blocking(move || away.go_offline())
            .await
            .unwrap();
        let (_t2, _r2, fresh) = temp_root();
        let restored = restore(&fresh, mnemonic, &chain, usb.path()).await.unwrap();
        let o = restored.channels().await.unwrap();
        assert!(o.get(&channel.id).expect("the channel restored").unproven);
        assert_eq!(
            restored
                .close_channel(channel.id.clone(), true)
                .await
                .unwrap_err(),
            Error::Channel(ChannelError::Unproven)
        );

        // The peer comes back: the channel re-establishes with our state, which proves it.
        let back = (
            restored.public_key(),
            restored.listening_address().expect("the wallet listens"),
        );
        let returning = alice.clone();
        tokio::task::spawn_blocking(move || returning.come_back(Some(back)))
            .await
            .unwrap()
            .expect("the Lab node comes back");
        wait_for_channels(&restored, "the channel proven with its peer", |o| {
            o.get(&channel.id)
                .is_some_and(|c| c.status == ChannelStatus::Active && !c.unproven)
        })
        .await;
        restored
            .close_channel(channel.id.clone(), true)
            .await
            .expect("a proven channel force-closes");
        restored.stop().await.unwrap();
        drop(alice);
        tokio::task::spawn_blocking(move || drop(lab))
            .await
            .unwrap();
    })
}

//! Syncs that never stall each other, and a slow sync that is not called an unreachable
//! server. Real bitcoind + electrs, the wallet through `core`, the Lab with a node of its own.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::electrum_proxy::ElectrumProxy;
use common::*;
use shandian::core::keys::secrets::Keyring;
use shandian::core::wallet::{CreateRequest, Wallet};
use shandian::core::{Error, FeeError, NodeError};
use shandian::fl;
use shandian::lab::Lab;

/// How long the storm blows.
const STORM: Duration = Duration::from_secs(60);

/// What LDK Node logs when one of its syncs or fee updates runs out of time.
fn timeouts_in(log: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("timed out"))
        .map(str::to_string)
        .collect()
}

/// A block a second for a minute (the Lab's Mine), while Sync now is pressed again and again
/// and the Send screen's fee rates are read: every sync ends well, the server is never shown
/// as away, LDK Node logs no timed-out sync, and the wallet and the Lab's node end at the tip.
/// (With each caller syncing LDK Node on its own, as before the wallet's sync gate, this test
/// saw syncs hang for 20 s and end "cannot reach the Electrum server".)
#[test]
fn sync_storm() {
    run(async {
        let chain = start_chain().await;
        let (tmp, _root, dir) = temp_root();
        let (wallet, _) = create_wallet(&dir, &chain).await;
        let lab = Arc::new(Lab::new(chain.clone(), tmp.path().join("lab")));
        let alice = lab.add_node().await.expect("the Lab's first node starts");
        let url = chain.electrum_url();
        let end = Instant::now() + STORM;

        let mine = async {
            let mut mined = 0u32;
            while Instant::now() < end {
                lab.mine(1).await.expect("the Lab mines");
                mined += 1;
                // The storm's pace, not a wait for anything.
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            mined
        };
        let sync_now = async {
            let mut pressed = 0u32;
            while Instant::now() < end {
                let asked = Instant::now();
                if let Err(e) = wallet.sync().await {
                    panic!("Sync now failed after {:?}: {e}", asked.elapsed());
                }
                pressed += 1;
                let s = wallet.snapshot().await.unwrap();
                assert_eq!(
                    s.server.unreachable_since, None,
                    "the server was shown away"
                );
            }
            pressed
        };
        let fee_reads = async {
            let mut read = 0u32;
            while Instant::now() < end {
                let u = url.clone();
                let choices = tokio::task::spawn_blocking(move || {
                    shandian::core::chain::fees::fetch_fee_choices(&u)
                })
                .await
                .unwrap();
                // A fresh regtest chain has no estimates; a server that did not answer is
                // the failure.
                if let Err(e @ FeeError::Unreachable { .. }) = choices {
                    panic!("reading fee rates failed: {e}");
                }
                read += 1;
            }
            read
        };
        let (mined, pressed, read) = tokio::join!(mine, sync_now, fee_reads);
        eprintln!("storm: {mined} blocks, Sync now {pressed} times, fee rates read {read} times");
        assert!(mined >= 30, "the storm mined only {mined} blocks");
        assert!(pressed >= 10, "Sync now ran only {pressed} times");

        let tip = on_chain(&chain, |c| c.height()).await.unwrap();
        wait_for_snapshot(&wallet, "the wallet at the tip", |s| {
            u64::from(s.height) == tip
        })
        .await;
        let node = lab.node(&alice).unwrap().online().unwrap();
        wait_for_peer(&node, "the Lab's node at the tip", move |n| {
            u64::from(n.status().current_best_block.height) == tip
        })
        .await;
        let timeouts = timeouts_in(&dir.node_dir().join("ldk_node.log"));
        assert!(timeouts.is_empty(), "LDK Node timed out: {timeouts:#?}");
        wallet.stop().await.unwrap();
        drop(node);
        tokio::task::spawn_blocking(move || drop(lab))
            .await
            .unwrap();
    })
}

/// A server that answers a ping and fee estimates but drops the sync's questions (a busy public
/// server; a request lost on a connection gone half-dead): the sync ends "took too long", Home
/// does not show the server as away, and once the server answers again the wallet catches up
/// by itself at the next block. (LDK Node's Lightning sync waits for ever for the answer it
/// lost, and every later one times out behind it: the wallet restarts the node, see
/// `core::chain::stuck_sync`. Before that, the wallet never saw another block.)
#[test]
fn regtest_sync_slow_server_is_not_called_unreachable() {
    run(async {
        let chain = start_chain().await;
        let proxy = ElectrumProxy::start(&chain.electrum_url(), None);
        let (_tmp, _root, dir) = temp_root();
        let wallet = Wallet::create(CreateRequest {
            dir: dir.clone(),
            lock: dir.lock().expect("the folder is free"),
            mnemonic: shandian::core::keys::seed::generate(),
            electrum_url: proxy.url(),
            keyring: Keyring::Os,
            restore_from: None,
        })
        .await
        .expect("wallet created through the proxy");
        wallet
            .sync()
            .await
            .expect("a sync while the server answers");

        proxy.hold(true);
        let err = with_timeout("a sync the server does not answer", wallet.sync())
            .await
            .unwrap_err();
        match &err {
            Error::Node(NodeError::SyncTooSlow { url, .. }) => assert_eq!(*url, proxy.url()),
            other => panic!("a slow sync was reported as {other:?}"),
        }
        assert_eq!(
            shandian::ui::errors::describe(&err),
            fl!("err-sync-too-slow", url = proxy.url())
        );
        let s = wallet.snapshot().await.unwrap();
        assert_eq!(
            s.server.unreachable_since, None,
            "Home shows the server away"
        );

        proxy.hold(false);
        let tip = mine(&chain, 1).await;
        // No Sync now: the new block's own sync finds the Lightning sync stuck and restarts
        // the node; the wallet shows the new tip through the update stream.
        with_timeout("the wallet's own catch-up at the next block", async {
            let mut last = None;
            loop {
                let s = wallet.snapshot().await.unwrap();
                if u64::from(s.height) == tip {
                    return;
                }
                wallet.next_update(&mut last).await;
            }
        })
        .await;
        wallet
            .sync()
            .await
            .expect("a sync after the restart goes through");
        wallet.stop().await.unwrap();
    })
}

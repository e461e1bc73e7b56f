//! What the Electrum server does not give: fee estimates on a quiet chain, or any answer at all.
//! Each is said, never replaced by a made-up number.

mod common;

use common::*;
use shandian::core::chain::fees::{fetch_fee_choices, FeeChoices, FeeError};

#[test]
fn drill_fee_estimates_unavailable() {
    run(async {
        // A fresh regtest chain: electrs answers, bitcoind has no estimate yet.
        let chain = start_chain().await;
        let url = chain.electrum_url();
        let read = tokio::task::spawn_blocking(move || fetch_fee_choices(&url))
            .await
            .unwrap();
        assert_eq!(read, Err(FeeError::NoEstimate), "never a silent 1 sat/vB");

        // A server that does not answer at all.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let dead = format!("tcp://127.0.0.1:{}", listener.local_addr().unwrap().port());
        drop(listener);
        let url = dead.clone();
        let read: Result<FeeChoices, FeeError> =
            tokio::task::spawn_blocking(move || fetch_fee_choices(&url))
                .await
                .unwrap();
        assert!(
            matches!(&read, Err(FeeError::Unreachable { url, .. }) if *url == dead),
            "{read:?}"
        );
    })
}

/// Waits on the wallet's own update stream until `check` holds for its snapshot, at most
/// `within`; how long it took.
async fn until(
    wallet: &std::sync::Arc<shandian::core::wallet::Wallet>,
    what: &str,
    within: std::time::Duration,
    check: impl Fn(&shandian::core::wallet::Snapshot) -> bool,
) -> std::time::Duration {
    let start = std::time::Instant::now();
    let mut last = None;
    loop {
        let s = wallet.snapshot().await.expect("snapshot");
        if check(&s) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < within,
            "not within {within:?}: {what}; now {s:?}"
        );
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(1),
            wallet.next_update(&mut last),
        )
        .await;
    }
}

/// electrs is stopped while the wallet runs and started again: Home says since when the server
/// is away, a payment over an open channel still goes through, and once the server is back the
/// wallet says so and has synced within 10 s, by itself.
#[test]
fn drill_server_outage() {
    use std::time::Duration;
    run(async {
        let s = setup().await;
        let (chain, wallet, peer) = (s.chain.clone(), s.wallet.clone(), s.peer.clone());
        open_ready_channel(&chain, &wallet, &peer, 1_000_000, 0).await;

        let stopped_at = shandian::core::now();
        on_chain(&chain, |c| c.stop_electrs()).await;
        until(&wallet, "the server to be seen away", WAIT, |s| {
            s.server.unreachable_since.is_some()
        })
        .await;
        let since = wallet
            .snapshot()
            .await
            .unwrap()
            .server
            .unreachable_since
            .unwrap();
        assert!(since >= stopped_at, "away since it stopped, not before");

        // Lightning needs no chain server for a payment over an open channel.
        let paid = pay_peer(&wallet, &peer, 20_000_000).await;
        assert_eq!(paid.amount_msat, Some(20_000_000));

        on_chain(&chain, |c| c.restart_electrs()).await.unwrap();
        let back_at = shandian::core::now();
        let took = until(
            &wallet,
            "the server back and a sync done",
            Duration::from_secs(10),
            |s| s.server.unreachable_since.is_none() && s.last_sync.is_some_and(|t| t >= back_at),
        )
        .await;
        eprintln!("server back and wallet synced {took:?} after electrs restarted");

        // New blocks reach the wallet again.
        let height = mine(&chain, 1).await;
        wait_for_snapshot(&wallet, "the new block", |s| s.height as u64 >= height).await;
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

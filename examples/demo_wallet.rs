//! Prepares a funded regtest wallet with channels in different states, in a data folder,
//! through the same `core` calls the app uses, so the real window can be shown (and
//! screenshotted) on it:
//!
//! `cargo run --example demo_wallet -- <data-dir>` then `shandian --data-dir <data-dir>`.
//!
//! Channels with the playground peer: one active (with some given to the peer, so both sides
//! hold money), one force-closed by us (its money under the CSV delay), one opening (its
//! funding one block deep). Needs the regtest tools (scripts/regtest-tools.sh) and an unlocked
//! system keyring.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use shandian::core::backend::Backend;
use shandian::core::channels::{ChannelStatus, ChannelsOverview, ClaimKind, OpenRequest};
use shandian::core::dirs::DataRoot;
use shandian::core::node::Wallet;
use shandian::core::secrets::Keyring;
use shandian::core::{seed, Network};

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        bail!("usage: demo_wallet <data-dir>");
    };
    let root = DataRoot::at(path);
    let dir = root.network_dir(Network::Regtest)?;
    let backend = Backend::start(&dir, None).await?;
    let chain = backend.local_chain().context("a local chain")?.clone();
    let peer = backend.peer().context("the playground peer")?.clone();
    let wallet = Wallet::create(
        dir.clone(),
        seed::generate(),
        backend.electrum_url(),
        Keyring::Os,
    )
    .await?;
    for _ in 0..2 {
        let address = wallet.new_address().await?;
        let c = chain.clone();
        tokio::task::spawn_blocking(move || c.fund(&address)).await??;
    }
    wallet.sync().await?;

    let open = |capacity: &str, push: &str| {
        let (wallet, uri, capacity, push) = (
            wallet.clone(),
            peer.uri(),
            capacity.to_string(),
            push.to_string(),
        );
        async move {
            let spendable = wallet.snapshot().await?.balances.onchain_spendable_sat;
            let req = OpenRequest::check(&uri, &capacity, &push, false, spendable)?;
            anyhow::Ok(wallet.open_channel(req).await?)
        }
    };
    let active = open("2000000", "350000").await?;
    let closing = open("600000", "").await?;
    wait(&wallet, "both funding transactions", |o| {
        [&active, &closing]
            .iter()
            .all(|id| o.get(id).is_some_and(|c| c.funding_outpoint.is_some()))
    })
    .await?;
    mine(&backend, 6).await?;
    wait(&wallet, "both channels active", |o| {
        [&active, &closing]
            .iter()
            .all(|id| o.get(id).is_some_and(|c| c.status == ChannelStatus::Active))
    })
    .await?;

    // The third channel's funding goes out now and gets one confirmation below.
    let opening = open("500000", "").await?;
    wait(&wallet, "the third funding transaction", |o| {
        o.get(&opening)
            .is_some_and(|c| c.funding_outpoint.is_some())
    })
    .await?;

    // The peer goes away, so only our commitment can go on chain: the force-closed channel
    // then waits out the CSV delay (the app starts the peer again).
    let p = peer.clone();
    tokio::task::spawn_blocking(move || p.stop()).await?;
    wallet.close_channel(closing.clone(), true).await?;
    wait(&wallet, "the force close", |o| {
        o.get(&closing).is_some_and(|c| !c.claims.is_empty())
    })
    .await?;
    let chain2 = chain.clone();
    tokio::task::spawn_blocking(move || chain2.mine(1)).await??;
    wait(&wallet, "the commitment in a block", |o| {
        o.get(&closing).is_some_and(|c| {
            c.claims
                .iter()
                .any(|s| matches!(s.kind, ClaimKind::AwaitingConfirmations { .. }))
        })
    })
    .await?;

    let snapshot = wallet.snapshot().await?;
    let overview = wallet.channels().await?;
    println!(
        "demo wallet {} ready: {} sat on-chain, {} channels, at height {}",
        wallet.node_id(),
        snapshot.balances.onchain_total_sat,
        overview.channels.len(),
        snapshot.height
    );
    wallet.stop().await?;
    root.remember_network(Network::Regtest)?;
    drop(wallet);
    tokio::task::spawn_blocking(move || drop(backend)).await?;
    Ok(())
}

/// Mines on the playground chain and lets the peer see the blocks.
async fn mine(backend: &Backend, blocks: u32) -> anyhow::Result<()> {
    let chain = backend.local_chain().context("a local chain")?.clone();
    let peer = backend.peer().context("the playground peer")?.clone();
    tokio::task::spawn_blocking(move || {
        chain.mine(blocks)?;
        peer.sync()
    })
    .await??;
    Ok(())
}

/// Syncs and reads the channels until `check` holds, waiting on the wallet's own updates.
async fn wait(
    wallet: &Arc<Wallet>,
    what: &str,
    check: impl Fn(&ChannelsOverview) -> bool,
) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        wallet.sync().await?;
        if check(&wallet.channels().await?) {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            bail!("timed out waiting for {what}");
        }
        let mut last = wallet.snapshot().await?.last_sync;
        let _ = tokio::time::timeout(Duration::from_secs(2), wallet.next_update(&mut last)).await;
    }
}

//! Prepares a funded regtest wallet with channels in different states, in a data folder,
//! through the same `core` calls the app uses, so the real window can be shown (and
//! screenshotted) on it:
//!
//! `cargo run --example demo_wallet -- <data-dir>` then `shandian --data-dir <data-dir>`.
//!
//! Channels with the Lab's first node (Alice): one active (with some given to the peer, so both sides
//! hold money), one force-closed by us (its money under the CSV delay), one opening (its
//! funding one block deep). Needs the regtest tools (scripts/regtest-tools.sh) and an unlocked
//! system keyring.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use shandian::core::keys::secrets::Keyring;
use shandian::core::keys::seed;
use shandian::core::lightning::channels::{
    ChannelStatus, ChannelsOverview, ClaimKind, OpenChannelRequest,
};
use shandian::core::store::dirs::DataRoot;
use shandian::core::wallet::{CreateRequest, Wallet};
use shandian::core::Network;
use shandian::lab::{ChainSource, Fault, Lab};

fn main() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = rt.block_on(prepare());
    if result.is_err() {
        print_node_log_tail();
    }
    // A blocking call stuck on an Electrum server that never answers (it happens inside
    // ldk-node under load) must not keep the process alive: give blocking work ten seconds.
    rt.shutdown_timeout(Duration::from_secs(10));
    result
}

/// What LDK Node logged last, so a failure in CI says more than our one sentence.
fn print_node_log_tail() {
    let Some(path) = std::env::args().nth(1) else {
        return;
    };
    let Ok(dir) = DataRoot::at(path).network_dir(Network::Regtest) else {
        return;
    };
    let log = dir.node_dir().join("ldk_node.log");
    if let Ok(text) = std::fs::read_to_string(&log) {
        let lines: Vec<&str> = text.lines().collect();
        eprintln!("last lines of {}:", log.display());
        for line in &lines[lines.len().saturating_sub(40)..] {
            eprintln!("  {line}");
        }
    }
}

async fn prepare() -> anyhow::Result<()> {
    let Some(path) = std::env::args().nth(1) else {
        bail!("usage: demo_wallet <data-dir>");
    };
    let root = DataRoot::at(path);
    let dir = root.network_dir(Network::Regtest)?;
    let source = ChainSource::start(&dir, None).await?;
    let lab = source.lab().context("the Lab")?.clone();
    let chain = lab.chain.clone();
    let peer = lab.node(shandian::lab::node::NAMES[0])?.online()?;
    let wallet = Wallet::create(CreateRequest {
        dir: dir.clone(),
        lock: dir.lock()?,
        mnemonic: seed::generate(),
        electrum_url: source.electrum_url(),
        keyring: Keyring::Os,
        restore_from: None,
    })
    .await?;
    // A shop that reads euros beside sats, at a typed rate (no provider to reach from here).
    let mut settings = shandian::core::Settings::load(&dir.settings_path(), Network::Regtest)?;
    settings.fiat = Some(shandian::core::fiat::FiatSetting::check(
        "EUR",
        shandian::core::fiat::FiatSource::Typed {
            per_btc: "91234.50".into(),
        },
    )?);
    settings.save(&dir.settings_path())?;
    for _ in 0..2 {
        let address = wallet.new_address().await?;
        let c = chain.clone();
        tokio::task::spawn_blocking(move || c.fund(&address)).await??;
    }
    // Both coinbases in the wallet before a channel picks coins; a timed-out sync round on a
    // loaded machine is tried again, as a person would press Sync again.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(180);
    loop {
        match wallet.sync().await {
            Ok(()) if wallet.snapshot().await?.balances.onchain_spendable_sat > 0 => break,
            Ok(()) => {}
            Err(e) => eprintln!("sync round failed, trying again: {e}"),
        }
        if tokio::time::Instant::now() > deadline {
            bail!("the wallet never saw its coins");
        }
    }

    let open = |capacity: &str, push: &str| {
        let (wallet, uri, capacity, push) = (
            wallet.clone(),
            peer.uri(),
            capacity.to_string(),
            push.to_string(),
        );
        async move {
            let spendable = wallet.snapshot().await?.balances.onchain_spendable_sat;
            let req = OpenChannelRequest::check(&uri, &capacity, &push, false, spendable)?;
            anyhow::Ok(wallet.open_channel(req).await?)
        }
    };
    // One at a time: each funding transaction must be in bitcoind's mempool (and so in the
    // wallet) before the next channel picks its coins, and before blocks are mined.
    let active = open("2000000", "350000").await?;
    funding_in_mempool(&wallet, &chain, &active).await?;
    let closing = open("600000", "").await?;
    funding_in_mempool(&wallet, &chain, &closing).await?;
    mine(&lab, 6).await?;
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

    // The peer goes offline, so only our commitment can go on chain: the force-closed channel
    // then waits out the CSV delay (the app starts the lab node again).
    drop(peer);
    lab.fault(shandian::lab::node::NAMES[0], Fault::GoOffline, &wallet)
        .await?;
    wallet.close_channel(closing.clone(), true).await?;
    wait(&wallet, "the force close", |o| {
        o.get(&closing).is_some_and(|c| !c.claims.is_empty())
    })
    .await?;
    let funding = wallet
        .channels()
        .await?
        .get(&closing)
        .and_then(|c| c.funding_outpoint.clone())
        .context("a funding outpoint")?;
    wait_for_spend(&chain, &funding).await?;
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
    tokio::task::spawn_blocking(move || drop(source)).await?;
    Ok(())
}

/// Mines on the Lab's chain and lets the lab nodes see the blocks.
async fn mine(lab: &Arc<Lab>, blocks: u32) -> anyhow::Result<()> {
    lab.mine(blocks).await?;
    lab.sync_nodes().await;
    Ok(())
}

/// Waits for channel `id`'s funding outpoint, then for its transaction in bitcoind.
async fn funding_in_mempool(
    wallet: &Arc<Wallet>,
    chain: &Arc<shandian::lab::chain::LocalChain>,
    id: &str,
) -> anyhow::Result<()> {
    wait(wallet, "the funding transaction", |o| {
        o.get(id).is_some_and(|c| c.funding_outpoint.is_some())
    })
    .await?;
    let outpoint = wallet
        .channels()
        .await?
        .get(id)
        .and_then(|c| c.funding_outpoint.clone())
        .context("a funding outpoint")?;
    wait_for_mempool(chain, outpoint.split(':').next().unwrap_or_default()).await?;
    // Let the wallet see it too, so the next channel's coins do not overlap with it.
    if let Err(e) = wallet.sync().await {
        eprintln!("sync round failed: {e}");
    }
    Ok(())
}

/// Waits until bitcoind knows transaction `txid`.
async fn wait_for_mempool(
    chain: &Arc<shandian::lab::chain::LocalChain>,
    txid: &str,
) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let (c, id) = (chain.clone(), txid.to_string());
        let known = tokio::task::spawn_blocking(move || {
            c.rpc("getrawtransaction", &[serde_json::json!(id)]).is_ok()
        })
        .await?;
        if known {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            bail!("bitcoind never saw the funding transaction {txid}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until bitcoind's mempool holds a transaction spending `outpoint` (`txid:vout`).
async fn wait_for_spend(
    chain: &Arc<shandian::lab::chain::LocalChain>,
    outpoint: &str,
) -> anyhow::Result<()> {
    let (txid, vout) = outpoint.split_once(':').context("txid:vout")?;
    let prevout = serde_json::json!([{"txid": txid, "vout": vout.parse::<u64>()?}]);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let (c, p) = (chain.clone(), prevout.clone());
        let spent =
            tokio::task::spawn_blocking(move || c.rpc("gettxspendingprevout", &[p])).await??;
        if spent[0].get("spendingtxid").is_some() {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            bail!("the commitment transaction never reached bitcoind");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Syncs and reads the channels until `check` holds, waiting on the wallet's own updates.
async fn wait(
    wallet: &Arc<Wallet>,
    what: &str,
    check: impl Fn(&ChannelsOverview) -> bool,
) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(180);
    loop {
        if let Err(e) = wallet.sync().await {
            eprintln!("sync round failed, trying again: {e}");
        }
        let overview = wallet.channels().await?;
        if check(&overview) {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            let states: Vec<_> = overview.channels.iter().map(|c| c.status).collect();
            bail!("timed out waiting for {what}; channels: {states:?}");
        }
        let mut last = wallet.snapshot().await?.last_sync;
        let _ = tokio::time::timeout(Duration::from_secs(2), wallet.next_update(&mut last)).await;
    }
}

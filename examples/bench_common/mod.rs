//! What the benchmarks share: the local chain, a bare ldk-node as a reference, a wallet opened
//! through `core`, waiting, and figures.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use ldk_node::lightning::ln::msgs::SocketAddress;
use ldk_node::{Builder, Node};
use shandian::core::free_loopback_port;
use shandian::core::keys::secrets::Keyring;
use shandian::core::wallet::{CreateRequest, Wallet};
use shandian::core::Network;
use shandian::lab::chain::LocalChain;

/// Logs warnings (or what `RUST_LOG` asks for) with millisecond times.
pub fn init_log() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn"))
        .format_timestamp_millis()
        .init();
}

/// Starts the local regtest chain (bitcoind and electrs on loopback).
pub async fn start_chain() -> anyhow::Result<Arc<LocalChain>> {
    Ok(Arc::new(
        tokio::task::spawn_blocking(|| LocalChain::start(None))
            .await?
            .context("the regtest tools (scripts/regtest-tools.sh)")?,
    ))
}

/// A new wallet opened through `core`, as the app creates one; its seed sits in keyring-core's
/// in-memory store (the benchmarks measure the wallet, not the keyring).
pub async fn new_wallet(chain: &LocalChain, data: &std::path::Path) -> anyhow::Result<Arc<Wallet>> {
    let root = shandian::core::store::dirs::DataRoot::at(data.join("shandian"));
    let dir = root.network_dir(Network::Regtest)?;
    Ok(Wallet::create(CreateRequest {
        lock: dir.lock()?,
        dir,
        mnemonic: shandian::core::keys::seed::generate(),
        electrum_url: chain.electrum_url(),
        keyring: Keyring::memory()?,
        restore_from: None,
    })
    .await?)
}

/// An ldk-node as its README starts one: defaults, our chain, a loopback port.
pub fn bare_node(chain: &LocalChain, dir: &std::path::Path) -> anyhow::Result<Arc<Node>> {
    let mut b = Builder::new();
    b.set_network(ldk_node::bitcoin::Network::Regtest);
    b.set_storage_dir_path(dir.display().to_string());
    b.set_chain_source_electrum(chain.electrum_url(), None);
    b.set_listening_addresses(vec![SocketAddress::TcpIpV4 {
        addr: [127, 0, 0, 1],
        port: free_loopback_port().map_err(anyhow::Error::msg)?,
    }])?;
    let node = Arc::new(b.build()?);
    node.start()?;
    Ok(node)
}

/// Waits until the wallet can spend more than `sat` on chain (its coinbase matured), syncing.
pub async fn wait_spendable(wallet: &Arc<Wallet>, sat: u64) -> anyhow::Result<()> {
    let w = wallet.clone();
    wait_until("the wallet's coinbase to be spendable", move || {
        let w = w.clone();
        async move {
            let _ = w.sync().await;
            Ok(w.snapshot().await?.balances.onchain_spendable_sat > sat)
        }
    })
    .await
}

/// The `p`th percentile (nearest rank) of `v`.
pub fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    let i = ((p / 100.0) * (v.len() as f64 - 1.0)).round() as usize;
    v[i.min(v.len() - 1)]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs a blocking call on the chain.
pub async fn on_chain<T: Send + 'static>(
    chain: &Arc<LocalChain>,
    f: impl FnOnce(&LocalChain) -> Result<T, shandian::lab::LabError> + Send + 'static,
) -> anyhow::Result<T> {
    let c = chain.clone();
    Ok(tokio::task::spawn_blocking(move || f(&c)).await??)
}

/// Checks `done` until it holds, for up to three minutes.
pub async fn wait_until<F, Fut>(what: &str, done: F) -> anyhow::Result<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<bool>>,
{
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if done().await? {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// What the machine is, for the figures' heading.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores, {cpu}")
}

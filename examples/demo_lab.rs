//! Prepares a regtest wallet and its Lab in a data folder by running a scenario against them,
//! through the same Lab and wallet calls the app makes, so the real window can be shown (and
//! screenshotted) on the outcome:
//!
//! `cargo run --example demo_lab -- <data-dir> <scenario.toml>` then
//! `shandian --data-dir <data-dir> --show lab`.
//!
//! Unlike `shandian lab run`, the Lab and the wallet stay (the wallet's words in the system
//! keyring, as the app keeps them). Needs the regtest tools and an unlocked keyring.

use std::time::Duration;

use anyhow::{bail, Context};
use shandian::core::keys::secrets::Keyring;
use shandian::core::keys::seed;
use shandian::core::store::dirs::DataRoot;
use shandian::core::wallet::{CreateRequest, Wallet};
use shandian::core::Network;
use shandian::lab::scenario::{Runner, Scenario};
use shandian::lab::ChainSource;

fn main() -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = rt.block_on(prepare());
    rt.shutdown_timeout(Duration::from_secs(10));
    result
}

async fn prepare() -> anyhow::Result<()> {
    let (Some(path), Some(file)) = (std::env::args().nth(1), std::env::args().nth(2)) else {
        bail!("usage: demo_lab <data-dir> <scenario.toml>");
    };
    let scenario = Scenario::parse(&std::fs::read_to_string(&file)?)?;
    let root = DataRoot::at(path);
    let dir = root.network_dir(Network::Regtest)?;
    let source = ChainSource::start(&dir, None).await?;
    let lab = source.lab().context("the Lab")?.clone();
    let wallet = Wallet::create(CreateRequest {
        dir: dir.clone(),
        lock: dir.lock()?,
        mnemonic: seed::generate(),
        electrum_url: source.electrum_url(),
        keyring: Keyring::Os,
        restore_from: None,
    })
    .await?;
    let outcome = Runner::new(lab.clone(), wallet.clone())
        .run(&scenario, |p| println!("{p:?}"))
        .await;
    wallet.stop().await?;
    root.remember_network(Network::Regtest)?;
    drop(wallet);
    drop(lab);
    tokio::task::spawn_blocking(move || drop(source)).await?;
    outcome?;
    println!("demo Lab ready: {}", scenario.name);
    Ok(())
}

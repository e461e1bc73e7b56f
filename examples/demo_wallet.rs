//! Prepares a funded regtest wallet in a data folder, through the same `core` calls the app
//! uses, so the real window can be shown (and screenshotted) on its home screen:
//!
//! `cargo run --example demo_wallet -- <data-dir>` then `shandian --data-dir <data-dir>`.
//!
//! Needs the regtest tools (scripts/regtest-tools.sh) and an unlocked system keyring.

use anyhow::{bail, Context};
use shandian::core::backend::Backend;
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
    let snapshot = wallet.snapshot().await?;
    println!(
        "demo wallet {} ready: {} sat on-chain at height {}",
        wallet.node_id(),
        snapshot.balances.onchain_total_sat,
        snapshot.height
    );
    wallet.stop().await?;
    root.remember_network(Network::Regtest)?;
    drop(wallet);
    tokio::task::spawn_blocking(move || drop(backend)).await?;
    Ok(())
}

//! The Lab: on regtest, a local chain (bitcoind and electrs) that Shandian starts and stops
//! itself, and lab nodes to open channels with. Regtest only; the wallet's core never imports it:
//! what the wallet needs from it (an Electrum URL) reaches `core` as plain configuration.

use std::sync::Arc;

use crate::core::store::dirs::NetworkDir;
use crate::core::store::settings::Network;
use crate::core::wallet::Wallet;
use chain::LocalChain;
use peer::{PeerNode, PeerOptions};

pub mod chain;
pub mod peer;

pub use chain::LabError;

/// Where a wallet's chain news comes from: an Electrum server at a URL, or the Lab's local chain.
#[derive(Debug, Clone)]
pub enum ChainSource {
    Server(String),
    Lab(Arc<Lab>),
}

/// The Lab: bitcoind + electrs, and a peer LDK node funded on first start.
#[derive(Debug)]
pub struct Lab {
    pub chain: Arc<LocalChain>,
    /// `None` when the peer could not start (the wallet works without it).
    pub peer: Option<Arc<PeerNode>>,
}

impl Drop for Lab {
    /// The peer stops before the chain it watches. Blocks: drop it off the UI thread.
    fn drop(&mut self) {
        if let Some(peer) = &self.peer {
            peer.stop();
        }
    }
}

impl Lab {
    /// Mines `blocks` blocks; returns the new height once electrs has it.
    pub async fn mine(self: &Arc<Self>, blocks: u32) -> Result<u64, LabError> {
        let lab = self.clone();
        off_thread(move || lab.chain.mine(blocks)).await
    }

    /// Mines until the chain reaches `height` (a timelock's); returns the height reached.
    pub async fn mine_to(self: &Arc<Self>, height: u32) -> Result<u64, LabError> {
        let lab = self.clone();
        off_thread(move || {
            let now = lab.chain.height()?;
            match u32::try_from(u64::from(height).saturating_sub(now)) {
                Ok(0) => Ok(now),
                Ok(missing) => lab.chain.mine(missing),
                Err(_) => Err(LabError::Rpc(format!("height {height} is out of reach"))),
            }
        })
        .await
    }

    /// Sends a mature coinbase to `address` and confirms it; returns the new height.
    pub async fn fund(self: &Arc<Self>, address: String) -> Result<u64, LabError> {
        let lab = self.clone();
        off_thread(move || lab.chain.fund(&address)).await
    }

    /// The Lab's peer opens a channel of `PEER_CHANNEL_SAT` to the wallet, which gets inbound
    /// capacity (everything is on the peer's side).
    pub async fn peer_opens_to(self: &Arc<Self>, wallet: &Wallet) -> Result<(), LabError> {
        let (Some(peer), Some(address)) = (self.peer.clone(), wallet.listening_address()) else {
            return Err(LabError::NoPeer);
        };
        let us = wallet.public_key();
        off_thread(move || peer.open_channel_to(us, address, peer::PEER_CHANNEL_SAT, false)).await
    }

    /// Lets the peer see new blocks (a slow sync only delays its balances).
    pub async fn sync_peer(self: &Arc<Self>) {
        if let Some(peer) = self.peer.clone() {
            if let Err(e) = off_thread(move || peer.sync()).await {
                log::warn!("the Lab's peer did not sync: {e}");
            }
        }
    }
}

/// Runs a blocking Lab call (process start, RPC) off the async threads.
async fn off_thread<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, LabError> + Send + 'static,
) -> Result<T, LabError> {
    crate::core::off_thread(f, LabError::Rpc).await
}

impl ChainSource {
    pub fn electrum_url(&self) -> String {
        match self {
            ChainSource::Server(url) => url.clone(),
            ChainSource::Lab(p) => p.chain.electrum_url(),
        }
    }

    pub fn lab(&self) -> Option<&Arc<Lab>> {
        match self {
            ChainSource::Lab(lab) => Some(lab),
            ChainSource::Server(_) => None,
        }
    }

    pub fn peer(&self) -> Option<&Arc<PeerNode>> {
        match self {
            ChainSource::Lab(p) => p.peer.as_ref(),
            ChainSource::Server(_) => None,
        }
    }

    /// Starts what `electrum_url` (checked by the caller) asks for: `None` on regtest means the
    /// Lab, kept in the network folder so it survives restarts.
    pub async fn start(
        dir: &NetworkDir,
        electrum_url: Option<String>,
    ) -> Result<ChainSource, LabError> {
        match (electrum_url, dir.network()) {
            (Some(url), _) => Ok(ChainSource::Server(url)),
            (None, Network::Regtest) => {
                let chain_dir = dir.chain_dir();
                let peer_dir = dir.peer_dir();
                let runtime = tokio::runtime::Handle::current();
                let lab = tokio::task::spawn_blocking(move || {
                    let chain = Arc::new(LocalChain::start(Some(&chain_dir))?);
                    let peer = match start_peer(&peer_dir, &chain, runtime) {
                        Ok(p) => Some(Arc::new(p)),
                        Err(e) => {
                            log::warn!("the Lab's peer did not start: {e}");
                            None
                        }
                    };
                    Ok::<_, LabError>(Lab { chain, peer })
                })
                .await
                .map_err(|e| LabError::Start(e.to_string()))??;
                Ok(ChainSource::Lab(Arc::new(lab)))
            }
            (None, network) => Ok(ChainSource::Server(
                network
                    .default_electrum_url()
                    .unwrap_or_default()
                    .to_string(),
            )),
        }
    }
}

/// Starts the peer and, the first time, gives it a mature coinbase: it needs on-chain funds to
/// accept channels (anchor reserve) and to open one to the wallet.
fn start_peer(
    dir: &std::path::Path,
    chain: &LocalChain,
    runtime: tokio::runtime::Handle,
) -> Result<PeerNode, LabError> {
    let peer = PeerNode::start(
        Some(dir),
        &chain.electrum_url(),
        PeerOptions {
            alias: Some("lab-peer".into()),
            ..PeerOptions::default()
        },
        runtime,
    )?;
    sync_patiently(&peer)?;
    if peer.node().list_balances().total_onchain_balance_sats == 0 {
        chain.fund(&peer.new_address()?)?;
        sync_patiently(&peer)?;
    }
    Ok(peer)
}

/// Syncs the peer, giving a timed-out round (ldk-node's Electrum calls time out now and then on
/// a loaded machine, right after electrs started) two more tries before giving up on the peer.
fn sync_patiently(peer: &PeerNode) -> Result<(), LabError> {
    let mut last = None;
    for attempt in 1..=3 {
        match peer.sync() {
            Ok(()) => return Ok(()),
            Err(e) => {
                log::warn!("Lab peer sync, attempt {attempt} of 3: {e}");
                last = Some(e);
            }
        }
    }
    Err(last.unwrap_or_else(|| LabError::Rpc("no sync".into())))
}

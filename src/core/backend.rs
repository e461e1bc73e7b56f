//! Which Electrum server a wallet talks to: a given URL, or on regtest without one, the local
//! playground that Shandian starts (and stops) itself: a chain and a peer node to open channels
//! with.

use std::sync::Arc;

use super::config::Network;
use super::dirs::NetworkDir;
use super::peer::{PeerNode, PeerOptions};
use super::playground::LocalChain;
use super::Error;

#[derive(Debug, Clone)]
pub enum Backend {
    Remote(String),
    Local(Arc<Playground>),
}

/// The regtest playground: bitcoind + electrs, and a peer LDK node funded on first start.
#[derive(Debug)]
pub struct Playground {
    pub chain: Arc<LocalChain>,
    /// `None` when the peer could not start (the wallet works without it).
    pub peer: Option<Arc<PeerNode>>,
}

impl Drop for Playground {
    /// The peer stops before the chain it watches. Blocks: drop it off the UI thread.
    fn drop(&mut self) {
        if let Some(peer) = &self.peer {
            peer.stop();
        }
    }
}

impl Backend {
    pub fn electrum_url(&self) -> String {
        match self {
            Backend::Remote(url) => url.clone(),
            Backend::Local(p) => p.chain.electrum_url(),
        }
    }

    pub fn local_chain(&self) -> Option<&Arc<LocalChain>> {
        match self {
            Backend::Local(p) => Some(&p.chain),
            Backend::Remote(_) => None,
        }
    }

    pub fn peer(&self) -> Option<&Arc<PeerNode>> {
        match self {
            Backend::Local(p) => p.peer.as_ref(),
            Backend::Remote(_) => None,
        }
    }

    /// Starts what `electrum_url` asks for: `None` on regtest means the playground, kept in the
    /// network folder so it survives restarts.
    pub async fn start(dir: &NetworkDir, electrum_url: Option<String>) -> Result<Backend, Error> {
        match (electrum_url, dir.network()) {
            (Some(url), _) => Ok(Backend::Remote(super::config::validate_electrum_url(&url)?)),
            (None, Network::Regtest) => {
                let chain_dir = dir.chain_dir();
                let peer_dir = dir.peer_dir();
                let runtime = tokio::runtime::Handle::current();
                let playground = tokio::task::spawn_blocking(move || {
                    let chain = Arc::new(LocalChain::start(Some(&chain_dir))?);
                    let peer = match start_peer(&peer_dir, &chain, runtime) {
                        Ok(p) => Some(Arc::new(p)),
                        Err(e) => {
                            log::warn!("the playground peer did not start: {e}");
                            None
                        }
                    };
                    Ok::<_, Error>(Playground { chain, peer })
                })
                .await
                .map_err(|e| Error::Internal(e.to_string()))??;
                Ok(Backend::Local(Arc::new(playground)))
            }
            (None, network) => Ok(Backend::Remote(
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
) -> Result<PeerNode, Error> {
    let peer = PeerNode::start(
        Some(dir),
        &chain.electrum_url(),
        PeerOptions {
            alias: Some("playground-peer".into()),
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
fn sync_patiently(peer: &PeerNode) -> Result<(), Error> {
    let mut last = None;
    for attempt in 1..=3 {
        match peer.sync() {
            Ok(()) => return Ok(()),
            Err(e) => {
                log::warn!("playground peer sync, attempt {attempt} of 3: {e}");
                last = Some(e);
            }
        }
    }
    Err(last
        .map(Error::from)
        .unwrap_or_else(|| Error::Internal("no sync".into())))
}

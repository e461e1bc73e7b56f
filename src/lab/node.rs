//! A lab node: one named LDK node of the Lab's network (Alice, Bob, …) with its own folder under
//! the local chain's, which a tester can take offline and bring back, and make misbehave: force
//! close, hold a payment, or breach — broadcast a state its peer has already revoked.
//!
//! Everything here blocks (node start and stop, file copies): call it from `spawn_blocking`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ldk_node::bitcoin::secp256k1::PublicKey;
use ldk_node::lightning::ln::msgs::SocketAddress;
use serde::{Deserialize, Serialize};

use crate::lab::chain::{LabError, LocalChain};
use crate::lab::peer::{PeerNode, PeerOptions};

/// The names lab nodes get, in order.
pub const NAMES: [&str; 8] = [
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi",
];

/// What a lab node puts into a channel it opens to the wallet, and what the channel form
/// suggests for one to it.
pub const LAB_CHANNEL_SAT: u64 = 1_000_000;

/// The folder (under the node's) holding the copy of its store a breach broadcasts from.
const KEPT_DIR: &str = "kept-state";
const KEPT_FILE: &str = "kept.toml";

/// A state a lab node kept for a breach: when, and what it held then in each channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptState {
    /// Unix seconds.
    pub taken_at: u64,
    pub channels: Vec<KeptChannel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptChannel {
    pub channel_id: String,
    /// The lab node's own balance in the channel then (what its commitment pays it).
    pub node_sat: u64,
}

pub struct LabNode {
    name: String,
    dir: PathBuf,
    electrum_url: String,
    runtime: tokio::runtime::Handle,
    /// Its keys never change, online or not.
    node_id: PublicKey,
    /// `None` while offline.
    running: Mutex<Option<Arc<PeerNode>>>,
}

impl std::fmt::Debug for LabNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LabNode")
            .field("name", &self.name)
            .field("running", &self.running().map(|p| p.uri()))
            .finish()
    }
}

impl LabNode {
    /// Starts the node kept in `dir` (created the first time) and, while it has no on-chain
    /// money, gives it a mature coinbase: it needs some to accept anchor channels and to open
    /// its own.
    pub fn start(
        name: &str,
        dir: &Path,
        chain: &LocalChain,
        runtime: tokio::runtime::Handle,
    ) -> Result<Self, LabError> {
        let peer = Arc::new(PeerNode::start(
            Some(dir),
            &chain.electrum_url(),
            options(name, false),
            runtime.clone(),
        )?);
        let node = LabNode {
            name: name.to_string(),
            dir: dir.to_path_buf(),
            electrum_url: chain.electrum_url(),
            runtime,
            node_id: peer.node_id(),
            running: Mutex::new(Some(peer.clone())),
        };
        sync_patiently(&peer)?;
        if peer.node().list_balances().total_onchain_balance_sats == 0 {
            chain.fund(&peer.new_address()?)?;
            sync_patiently(&peer)?;
        }
        Ok(node)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn node_id(&self) -> PublicKey {
        self.node_id
    }

    /// Its folder: keys, store, LDK's log.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The running node, `None` while offline.
    pub fn running(&self) -> Option<Arc<PeerNode>> {
        self.running.lock().ok().and_then(|r| r.clone())
    }

    /// The running node, or why there is none.
    pub fn online(&self) -> Result<Arc<PeerNode>, LabError> {
        self.running()
            .ok_or_else(|| LabError::NodeOffline(self.name.clone()))
    }

    /// Stops the node; its store stays, and its peers see it disconnect.
    pub fn go_offline(&self) {
        let peer = self.running.lock().ok().and_then(|mut r| r.take());
        if let Some(peer) = peer {
            peer.stop();
        }
    }

    /// Starts the node again from its store and dials `reconnect` (the wallet, whose address
    /// it may not know: the wallet dialled it), so their channels come back without waiting for
    /// either side's next reconnection round.
    pub fn come_back(
        &self,
        reconnect: Option<(PublicKey, SocketAddress)>,
    ) -> Result<Arc<PeerNode>, LabError> {
        let peer = match self.running() {
            Some(p) => p,
            None => self.launch(false)?,
        };
        if let Some((node_id, address)) = reconnect {
            peer.connect(node_id, address)?;
        }
        Ok(peer)
    }

    /// Keeps a copy of the node's store as it is now, for a later breach against `victim`.
    /// The copy must not know `victim`'s address (or it would dial it and learn, before it
    /// could broadcast, that its state is stale), so the node forgets it first, is stopped for a
    /// consistent copy, and comes back connected again.
    pub fn keep_state(
        &self,
        victim: PublicKey,
        victim_address: Option<SocketAddress>,
    ) -> Result<KeptState, LabError> {
        let peer = self.online()?;
        let channels = peer
            .channels_with(victim)
            .iter()
            .map(|c| KeptChannel {
                channel_id: c.channel_id.to_string(),
                node_sat: own_balance_sat(peer.node(), &c.channel_id.to_string()),
            })
            .collect::<Vec<_>>();
        if channels.is_empty() {
            return Err(LabError::NoChannelWithWallet(self.name.clone()));
        }
        peer.forget(victim)?;
        drop(peer);
        self.go_offline();
        let kept = self.dir.join(KEPT_DIR);
        let copied = (|| {
            if kept.exists() {
                std::fs::remove_dir_all(&kept)?;
            }
            copy_dir(&self.dir.join("node"), &kept.join("node"))
        })();
        let state = KeptState {
            taken_at: crate::core::shared::now(),
            channels,
        };
        let written = copied.and_then(|()| {
            let text = toml::to_string(&state).map_err(std::io::Error::other)?;
            std::fs::write(kept.join(KEPT_FILE), text)
        });
        // Back online whatever happened to the copy.
        self.come_back(victim_address.map(|a| (victim, a)))?;
        written.map_err(|e| LabError::Files(e.to_string()))?;
        Ok(state)
    }

    /// The state kept for a breach, if any.
    pub fn kept_state(&self) -> Option<KeptState> {
        let text = std::fs::read_to_string(self.dir.join(KEPT_DIR).join(KEPT_FILE)).ok()?;
        toml::from_str(&text).ok()
    }

    /// The breach: the node goes back to its kept state (its later store is dropped: from now
    /// on it *is* the cheater), comes up on a port nobody knows, and force-closes its channels
    /// with `victim`, broadcasting commitment transactions `victim` has revoked since. Returns
    /// each channel's id and funding outpoint.
    pub fn breach(&self, victim: PublicKey) -> Result<Vec<(String, String)>, LabError> {
        let kept = self.dir.join(KEPT_DIR);
        if self.kept_state().is_none() {
            return Err(LabError::NoKeptState(self.name.clone()));
        }
        self.go_offline();
        let node_dir = self.dir.join("node");
        (|| {
            std::fs::remove_dir_all(&node_dir)?;
            std::fs::rename(kept.join("node"), &node_dir)?;
            std::fs::remove_dir_all(&kept)
        })()
        .map_err(|e| LabError::Files(e.to_string()))?;
        let peer = self.launch(true)?;
        let closed = peer.force_close_with(victim, "a breach staged in the Lab")?;
        if closed.is_empty() {
            return Err(LabError::NoChannelWithWallet(self.name.clone()));
        }
        Ok(closed)
    }

    /// Force-closes the node's channels with `node_id` with its latest state (an honest
    /// unilateral close). Returns each channel's id and funding outpoint.
    pub fn force_close(&self, node_id: PublicKey) -> Result<Vec<(String, String)>, LabError> {
        let closed = self
            .online()?
            .force_close_with(node_id, "force close from the Lab")?;
        if closed.is_empty() {
            return Err(LabError::NoChannelWithWallet(self.name.clone()));
        }
        Ok(closed)
    }

    /// Starts the LDK node from the folder; `unlisted`: on a port nobody knows.
    fn launch(&self, unlisted: bool) -> Result<Arc<PeerNode>, LabError> {
        let peer = Arc::new(PeerNode::start(
            Some(&self.dir),
            &self.electrum_url,
            options(&self.name, unlisted),
            self.runtime.clone(),
        )?);
        if let Ok(mut r) = self.running.lock() {
            *r = Some(peer.clone());
        }
        Ok(peer)
    }
}

// Dropping a running lab node drops its `PeerNode`, which stops on a thread of its own.

/// A lab node's LDK node: named by its alias (so it may take part in announced channels);
/// `unlisted`: on a port nobody knows.
///
/// Each runs as a Lightning Service Provider (LSPS2, not advertised), because LDK Node forwards
/// payments into unannounced channels, like the wallet's, only as one: without it nobody
/// behind a lab node could pay the wallet. It also lets the wallet try receiving through any
/// lab node as its LSP (a channel opened just in time, for a 1 % fee).
fn options(name: &str, unlisted: bool) -> PeerOptions {
    PeerOptions {
        alias: Some(name.to_string()),
        unlisted_port: unlisted,
        lsps2_service: Some(lsp_service(10_000)),
        ..PeerOptions::default()
    }
}

/// A Lightning Service Provider's terms (LSPS2, not advertised): a channel opened just in time
/// for `fee_ppm` of the payment, no minimum fee, no token.
pub fn lsp_service(fee_ppm: u32) -> ldk_node::liquidity::LSPS2ServiceConfig {
    ldk_node::liquidity::LSPS2ServiceConfig {
        require_token: None,
        advertise_service: false,
        channel_opening_fee_ppm: fee_ppm,
        channel_over_provisioning_ppm: 100_000,
        min_channel_opening_fee_msat: 0,
        min_channel_lifetime: 144,
        max_client_to_self_delay: 2016,
        min_payment_size_msat: 0,
        max_payment_size_msat: 10_000_000_000,
        client_trusts_lsp: false,
    }
}

/// What LDK says the node itself would get from the channel if it closed now.
pub fn own_balance_sat(node: &ldk_node::Node, channel_id: &str) -> u64 {
    node.list_balances()
        .lightning_balances
        .iter()
        .find_map(|b| match b {
            ldk_node::LightningBalance::ClaimableOnChannelClose {
                channel_id: id,
                amount_satoshis,
                ..
            } if id.to_string() == channel_id => Some(*amount_satoshis),
            _ => None,
        })
        .unwrap_or(0)
}

/// Syncs the node, giving a timed-out round (ldk-node's Electrum calls time out now and then on
/// a loaded machine, right after electrs started) two more tries before giving up.
fn sync_patiently(peer: &PeerNode) -> Result<(), LabError> {
    let mut last = None;
    for attempt in 1..=3 {
        match peer.sync() {
            Ok(()) => return Ok(()),
            Err(e) => {
                log::warn!("Lab node sync, attempt {attempt} of 3: {e}");
                last = Some(e);
            }
        }
    }
    Err(last.unwrap_or_else(|| LabError::Node("no sync".into())))
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

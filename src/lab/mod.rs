//! The Lab: on regtest, a local chain (bitcoind and electrs) that Shandian starts and stops
//! itself, and lab nodes to open channels with. Regtest only; the wallet's core never imports it:
//! what the wallet needs from it (an Electrum URL) reaches `core` as plain configuration.

use std::sync::{Arc, RwLock};

use ldk_node::bitcoin::secp256k1::PublicKey;
use ldk_node::lightning::ln::msgs::SocketAddress;

use crate::core::network::Network;
use crate::core::store::dirs::NetworkDir;
use crate::core::wallet::Wallet;
use chain::LocalChain;
use node::LabNode;

pub mod chain;
pub mod network;
pub mod node;
pub mod peer;
pub mod samples;
pub mod scenario;
pub mod swap;
pub mod vss;

pub use chain::LabError;

/// Where a wallet's chain news comes from: an Electrum server at a URL, or the Lab's local chain.
#[derive(Debug, Clone)]
pub enum ChainSource {
    Server(String),
    Lab(Arc<Lab>),
}

/// The Lab: bitcoind + electrs, and a network of lab nodes (Alice first, started with the
/// chain; more added by the tester), each funded on its first start.
#[derive(Debug)]
pub struct Lab {
    pub chain: Arc<LocalChain>,
    nodes: RwLock<Vec<Arc<LabNode>>>,
    /// Where the nodes' folders are.
    nodes_dir: std::path::PathBuf,
}

impl Drop for Lab {
    /// The nodes stop before the chain they watch. Blocks: drop it off the async threads.
    fn drop(&mut self) {
        if let Ok(nodes) = self.nodes.get_mut() {
            for node in nodes.iter() {
                node.go_offline();
            }
            nodes.clear();
        }
    }
}

/// The wallet as lab nodes see it: its node id, and where it listens (if it does).
fn wallet_peer(wallet: &Wallet) -> (PublicKey, Option<SocketAddress>) {
    (wallet.public_key(), wallet.listening_address())
}

impl Lab {
    /// A Lab on `chain` with no node yet; nodes added later keep their folders in `nodes_dir`.
    pub fn new(chain: Arc<LocalChain>, nodes_dir: std::path::PathBuf) -> Self {
        Lab {
            chain,
            nodes: RwLock::new(Vec::new()),
            nodes_dir,
        }
    }

    /// The lab nodes, in the order they were added.
    pub fn nodes(&self) -> Vec<Arc<LabNode>> {
        self.nodes.read().map(|n| n.clone()).unwrap_or_default()
    }

    /// The lab node called `name`.
    pub fn node(&self, name: &str) -> Result<Arc<LabNode>, LabError> {
        self.nodes()
            .into_iter()
            .find(|n| n.name() == name)
            .ok_or_else(|| LabError::NoNode(name.to_string()))
    }

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

    /// Adds the next lab node (Bob after Alice, …), started and funded; returns its name.
    pub async fn add_node(self: &Arc<Self>) -> Result<String, LabError> {
        let lab = self.clone();
        let runtime = tokio::runtime::Handle::current();
        off_thread(move || {
            let taken: Vec<String> = lab.nodes().iter().map(|n| n.name().to_string()).collect();
            let name = node::NAMES
                .iter()
                .find(|n| !taken.iter().any(|t| t == *n))
                .ok_or(LabError::NetworkFull(node::NAMES.len()))?;
            let dir = lab.nodes_dir.join(name.to_lowercase());
            let added = Arc::new(LabNode::start(name, &dir, &lab.chain, runtime)?);
            lab.nodes
                .write()
                .map_err(|_| LabError::Node("the Lab's node list is poisoned".into()))?
                .push(added);
            Ok(name.to_string())
        })
        .await
    }

    /// Removes lab node `name`: stops it and deletes its folder (keys and store). Only a node
    /// with no channel left, so no money of anyone's is stranded with it.
    pub async fn remove_node(self: &Arc<Self>, name: &str) -> Result<(), LabError> {
        let node = self.node(name)?;
        let running = node.online()?;
        if !running.node().list_channels().is_empty() {
            return Err(LabError::HasChannels(name.to_string()));
        }
        drop(running);
        let lab = self.clone();
        let name = name.to_string();
        off_thread(move || {
            node.go_offline();
            lab.nodes
                .write()
                .map_err(|_| LabError::Node("the Lab's node list is poisoned".into()))?
                .retain(|n| n.name() != name);
            std::fs::remove_dir_all(node.dir()).map_err(|e| LabError::Files(e.to_string()))
        })
        .await
    }

    /// Lab node `name` opens a channel of `capacity_sat` to the wallet, pushing `push_sat` to
    /// it: the wallet gets inbound capacity (and the push to spend).
    pub async fn opens_to_wallet(
        self: &Arc<Self>,
        name: &str,
        wallet: &Wallet,
        capacity_sat: u64,
        push_sat: u64,
    ) -> Result<(), LabError> {
        let (us, address) = wallet_peer(wallet);
        let address = address.ok_or_else(|| LabError::Node("the wallet does not listen".into()))?;
        self.opens(name, move |node| {
            node.open_channel_to(us, address, capacity_sat, push_sat, false)
        })
        .await
    }

    /// Lab node `name` splices its channel with the wallet: `amount_sat` in from its on-chain
    /// wallet (`into`), or out to its own address. Returns once LDK started the negotiation.
    pub async fn node_splices(
        self: &Arc<Self>,
        name: &str,
        wallet: &Wallet,
        into: bool,
        amount_sat: u64,
    ) -> Result<(), LabError> {
        let node = self.node(name)?.online()?;
        let (us, _) = wallet_peer(wallet);
        off_thread(move || node.splice_with(us, into, amount_sat)).await
    }

    /// A fault, or its repair, on lab node `name`; returns what the node did, in a sentence's
    /// worth of facts.
    pub async fn fault(
        self: &Arc<Self>,
        name: &str,
        fault: Fault,
        wallet: &Wallet,
    ) -> Result<FaultDone, LabError> {
        let node = self.node(name)?;
        let (us, address) = wallet_peer(wallet);
        let chain = self.chain.clone();
        let lab = self.clone();
        // A close is done once its commitment transaction is in bitcoind (LDK broadcasts from
        // a queue), so a block mined next confirms it.
        let broadcast = move |closed: Vec<(String, String)>| -> Result<Vec<String>, LabError> {
            let outpoints: Vec<String> = closed.iter().map(|(_, o)| o.clone()).collect();
            chain.wait_for_spends(&outpoints)?;
            Ok(closed.into_iter().map(|(id, _)| id).collect())
        };
        off_thread(move || match fault {
            Fault::GoOffline => {
                node.go_offline();
                Ok(FaultDone::Offline)
            }
            Fault::ComeBack => {
                node.come_back(address.map(|a| (us, a)))?;
                lab.connect_nodes();
                Ok(FaultDone::Online)
            }
            Fault::ForceClose => broadcast(node.force_close(us)?).map(FaultDone::ForceClosed),
            Fault::KeepState => {
                let kept = node.keep_state(us, address)?;
                // Back from its copy: its channels with other lab nodes too.
                lab.connect_nodes();
                Ok(FaultDone::Kept(kept))
            }
            Fault::Breach => broadcast(node.breach(us)?).map(FaultDone::Breached),
            Fault::Hold { amount_sat } => node
                .online()?
                .hold_invoice(amount_sat)
                .map(|(invoice, _)| FaultDone::Holding { invoice }),
        })
        .await
    }

    /// What each lab node has and does now, its channels' far ends named (the wallet, another lab
    /// node, or an outside node's id).
    pub async fn read_nodes(self: &Arc<Self>, wallet_id: PublicKey) -> Vec<NodeSummary> {
        let lab = self.clone();
        off_thread(move || Ok(lab.summaries(wallet_id)))
            .await
            .unwrap_or_default()
    }

    fn summaries(&self, wallet_id: PublicKey) -> Vec<NodeSummary> {
        let nodes = self.nodes();
        let running: Vec<(String, Option<Arc<peer::PeerNode>>)> = nodes
            .iter()
            .map(|n| (n.name().to_string(), n.running()))
            .collect();
        let name_of = |id: PublicKey| -> Counterparty {
            if id == wallet_id {
                return Counterparty::Wallet;
            }
            running
                .iter()
                .find(|(_, p)| p.as_ref().is_some_and(|p| p.node_id() == id))
                .map_or_else(
                    || Counterparty::Outside(id.to_string()),
                    |(name, _)| Counterparty::Node(name.clone()),
                )
        };
        nodes
            .iter()
            .zip(&running)
            .map(|(node, (name, peer))| {
                let online = peer.as_ref().map(|p| {
                    let balances = p.node().list_balances();
                    let channels = p
                        .node()
                        .list_channels()
                        .iter()
                        .map(|c| NodeChannel {
                            channel_id: c.channel_id.to_string(),
                            counterparty: name_of(c.counterparty_node_id),
                            capacity_sat: c.channel_value_sats,
                            node_sat: node::own_balance_sat(p.node(), &c.channel_id.to_string()),
                            usable: c.is_usable,
                            ready: c.is_channel_ready,
                        })
                        .collect();
                    OnlineNode {
                        uri: p.uri(),
                        onchain_sat: balances.total_onchain_balance_sats,
                        channels,
                    }
                });
                NodeSummary {
                    name: name.clone(),
                    node_id: node.node_id().to_string(),
                    online,
                    kept: node.kept_state(),
                }
            })
            .collect()
    }

    /// Lab nodes with channels to the wallet dial it (its port may have changed since they last
    /// talked), so those channels are usable without waiting for a reconnection round.
    pub async fn connect_wallet(self: &Arc<Self>, wallet: &Wallet) {
        let (us, Some(address)) = wallet_peer(wallet) else {
            return;
        };
        for node in self.nodes().into_iter().filter_map(|n| n.running()) {
            if node.channels_with(us).is_empty() {
                continue;
            }
            let address = address.clone();
            if let Err(e) = off_thread(move || node.connect(us, address)).await {
                log::warn!("a lab node could not reach the wallet: {e}");
            }
        }
    }

    /// Lab nodes with channels between them dial each other (on a restart each would otherwise
    /// wait up to a minute for LDK Node's next reconnection round).
    pub fn connect_nodes(&self) {
        let running: Vec<Arc<peer::PeerNode>> =
            self.nodes().iter().filter_map(|n| n.running()).collect();
        for node in &running {
            for far in &running {
                if far.node_id() == node.node_id() || node.channels_with(far.node_id()).is_empty() {
                    continue;
                }
                if let Err(e) = node.connect(far.node_id(), far.address().clone()) {
                    log::warn!("a lab node could not reach another: {e}");
                }
            }
        }
    }

    /// Lets the running lab nodes see new blocks (a slow sync only delays their balances).
    pub async fn sync_nodes(self: &Arc<Self>) {
        for node in self.nodes().into_iter().filter_map(|n| n.running()) {
            if let Err(e) = off_thread(move || node.sync()).await {
                log::warn!("a lab node did not sync: {e}");
            }
        }
    }
}

/// A lab node as the Lab panel (and its canvas) shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSummary {
    pub name: String,
    /// Hex; the same online or not.
    pub node_id: String,
    /// `None` while offline.
    pub online: Option<OnlineNode>,
    /// The state it keeps for a breach, if any.
    pub kept: Option<node::KeptState>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineNode {
    /// `pubkey@127.0.0.1:port`.
    pub uri: String,
    pub onchain_sat: u64,
    pub channels: Vec<NodeChannel>,
}

/// One channel of a lab node, seen from the node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeChannel {
    pub channel_id: String,
    pub counterparty: Counterparty,
    pub capacity_sat: u64,
    /// What the lab node would get if the channel closed now.
    pub node_sat: u64,
    /// Ready, and the far end connected.
    pub usable: bool,
    pub ready: bool,
}

/// The far end of a lab node's channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counterparty {
    /// The wallet of this app.
    Wallet,
    /// Another lab node, by name.
    Node(String),
    /// A node outside the Lab, by id.
    Outside(String),
}

/// A request for the wallet to be paid `amount_sat` by: its invoice, its offer, or (keysend)
/// its node id.
pub async fn wallet_request(
    wallet: &Arc<Wallet>,
    by: peer::PayBy,
    amount_sat: u64,
) -> Result<String, crate::core::Error> {
    let msat = Some(amount_sat * 1000);
    let made = match by {
        peer::PayBy::Invoice => {
            wallet
                .receive_invoice(msat, "from the Lab".into(), 3600, false)
                .await
        }
        peer::PayBy::Offer => wallet.receive_offer(msat, "from the Lab".into()).await,
        peer::PayBy::Keysend => return Ok(wallet.public_key().to_string()),
    };
    made.map(|r| r.text)
}

/// What a tester can make a lab node do wrong (or undo).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    GoOffline,
    ComeBack,
    /// Close its channels with the wallet alone, with its latest state.
    ForceClose,
    /// Keep a copy of its state now, to breach with after the next payment.
    KeepState,
    /// Broadcast the kept (since revoked) state of its channels with the wallet.
    Breach,
    /// An invoice it will hold when paid, neither claiming nor failing.
    Hold {
        amount_sat: u64,
    },
}

/// What a fault did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultDone {
    Offline,
    Online,
    ForceClosed(Vec<String>),
    Kept(node::KeptState),
    Breached(Vec<String>),
    Holding { invoice: String },
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

    /// Starts what `electrum_url` (checked by the caller) asks for: `None` on regtest means the
    /// Lab, kept in the network folder so it survives restarts.
    pub async fn start(
        dir: &NetworkDir,
        electrum_url: Option<String>,
    ) -> Result<ChainSource, LabError> {
        match (electrum_url, dir.network()) {
            (Some(url), _) => Ok(ChainSource::Server(url)),
            (None, Network::Regtest) => {
                let nodes_dir = dir.lab_nodes_dir();
                let runtime = tokio::runtime::Handle::current();
                let chain_dir = dir.chain_dir();
                migrate_peer_dir(&chain_dir, &nodes_dir);
                let lab = tokio::task::spawn_blocking(move || {
                    let chain = Arc::new(LocalChain::start(Some(&chain_dir))?);
                    let nodes = start_nodes(&nodes_dir, &chain, &runtime);
                    let lab = Lab {
                        chain,
                        nodes,
                        nodes_dir,
                    };
                    lab.connect_nodes();
                    Ok::<_, LabError>(lab)
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

/// Starts the lab nodes kept from earlier runs, Alice always (the first one a fresh Lab has).
/// A node that does not start is left out with a warning: the wallet works without it.
fn start_nodes(
    nodes_dir: &std::path::Path,
    chain: &LocalChain,
    runtime: &tokio::runtime::Handle,
) -> RwLock<Vec<Arc<LabNode>>> {
    let mut nodes = Vec::new();
    for (i, name) in node::NAMES.iter().enumerate() {
        let dir = nodes_dir.join(name.to_lowercase());
        if i > 0 && !dir.exists() {
            continue;
        }
        match LabNode::start(name, &dir, chain, runtime.clone()) {
            Ok(n) => nodes.push(Arc::new(n)),
            Err(e) => log::warn!("lab node {name} did not start: {e}"),
        }
    }
    RwLock::new(nodes)
}

/// Labs made before the network had one peer node in `peer/`: it becomes Alice.
fn migrate_peer_dir(chain_dir: &std::path::Path, nodes_dir: &std::path::Path) {
    let old = chain_dir.join("peer");
    let alice = nodes_dir.join(node::NAMES[0].to_lowercase());
    if old.is_dir() && !alice.exists() {
        let moved = std::fs::create_dir_all(nodes_dir).and_then(|()| std::fs::rename(&old, &alice));
        if let Err(e) = moved {
            log::warn!("the Lab's old peer folder was not moved to Alice's: {e}");
        }
    }
}

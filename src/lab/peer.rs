//! A running LDK node of the Lab (a lab node while online, or a test's peer): independent, on
//! loopback, with its own keys and store, so a person (or a test) has someone to open channels
//! with. It drains its own events and reports how many it has seen, so callers can wait for a
//! change instead of sleeping.
//!
//! Everything here blocks: call it from `spawn_blocking`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ldk_node::bitcoin::hashes::{sha256, Hash};
use ldk_node::bitcoin::secp256k1::PublicKey;
use ldk_node::lightning::ln::channelmanager::PaymentId;
use ldk_node::lightning::ln::msgs::SocketAddress;
use ldk_node::lightning_invoice::{Bolt11InvoiceDescription, Description};
use ldk_node::lightning_types::payment::PaymentHash;
use ldk_node::logger::LogLevel;
use ldk_node::{Builder, Event, Node};
use tokio::sync::watch;

use crate::core::chain::stuck_sync::StuckSync;
use crate::core::chain::sync_gate::SyncGate;
use crate::core::shared::free_loopback_port;
use crate::lab::chain::LabError;

/// What kind of peer to run.
#[derive(Debug, Clone, Default)]
pub struct PeerOptions {
    /// With an alias the peer may take part in public (announced) channels; without one it
    /// refuses them, as ldk-node does.
    pub alias: Option<String>,
    /// Opens channels of the kind before anchor outputs (`static_remote_key`), whose commitment
    /// transaction carries its whole fee at the opener's fee rate, as Electrum and older nodes
    /// do. LDK Node opens anchor channels by default.
    pub without_anchors: bool,
    /// Acts as a Lightning Service Provider: opens a channel just in time to a wallet that
    /// asks (LSPS2) when a payment for it arrives, keeping its fee.
    pub lsps2_service: Option<ldk_node::liquidity::LSPS2ServiceConfig>,
    /// Listens on a new port that is not remembered, so nobody who knew the node's address can
    /// reach it (a breach: the stale copy must not hear from its victim before it broadcasts).
    pub unlisted_port: bool,
}

/// How a payment is asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayBy {
    /// A BOLT11 invoice.
    #[default]
    Invoice,
    /// A BOLT12 offer.
    Offer,
    /// No request: the payer sends to the node id, with the preimage in the onion.
    Keysend,
}

pub struct PeerNode {
    node: Arc<Node>,
    /// Every sync of the node goes through it.
    sync_gate: Arc<SyncGate<LabError>>,
    /// Restarts the node when its Lightning sync is stuck.
    stuck_sync: Arc<StuckSync>,
    address: SocketAddress,
    events: watch::Receiver<u64>,
    /// The key of the node's side of swaps (see `lab::swap`): new at each start, in memory.
    pub(crate) swap_key: ldk_node::bitcoin::secp256k1::SecretKey,
    /// Dropping it ends the event pump (which holds a reference to the node).
    _pump_stop: tokio::sync::oneshot::Sender<()>,
    _tmp: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for PeerNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.uri())
    }
}

impl PeerNode {
    /// Starts a peer on `electrum_url`. With `dir` its keys and store persist there (the
    /// Lab keeps the same peer across restarts); without, a temporary folder (tests).
    /// Its background tasks and event pump run on `runtime`.
    pub fn start(
        dir: Option<&Path>,
        electrum_url: &str,
        options: PeerOptions,
        runtime: tokio::runtime::Handle,
    ) -> Result<Self, LabError> {
        let err = |e: String| LabError::Start(format!("peer node: {e}"));
        let (tmp, dir): (_, PathBuf) = match dir {
            Some(d) => (None, d.to_path_buf()),
            None => {
                let t = tempfile::tempdir().map_err(|e| err(e.to_string()))?;
                let d = t.path().to_path_buf();
                (Some(t), d)
            }
        };
        std::fs::create_dir_all(&dir).map_err(|e| err(e.to_string()))?;
        let port = if options.unlisted_port {
            free_loopback_port().map_err(err)?
        } else {
            stable_port(&dir).map_err(err)?
        };
        let address = SocketAddress::TcpIpV4 {
            addr: [127, 0, 0, 1],
            port,
        };
        let mut config = ldk_node::config::Config::default();
        if options.without_anchors {
            config.anchor_channels_config = None;
        }
        let mut builder = Builder::from_config(config);
        builder.set_network(ldk_node::bitcoin::Network::Regtest);
        builder.set_storage_dir_path(dir.join("node").display().to_string());
        builder.set_entropy_seed_path(dir.join("keys_seed").display().to_string());
        // One sync at a time, as the wallet's (see `core::chain::sync_gate`): the peer's own
        // round below and a caller's `sync` go through one gate, never LDK Node's background.
        builder.set_chain_source_electrum(
            electrum_url.to_string(),
            Some(ldk_node::config::ElectrumSyncConfig {
                background_sync_config: None,
            }),
        );
        builder
            .set_listening_addresses(vec![address.clone()])
            .map_err(|e| err(e.to_string()))?;
        if let Some(alias) = options.alias {
            builder
                .set_node_alias(alias)
                .map_err(|e| err(e.to_string()))?;
        }
        if let Some(service) = options.lsps2_service {
            builder.set_liquidity_provider_lsps2(service);
        }
        builder.set_filesystem_logger(
            Some(dir.join("ldk_node.log").display().to_string()),
            Some(LogLevel::Info),
        );
        builder.set_runtime(runtime.clone());
        let node = Arc::new(builder.build().map_err(|e| err(e.to_string()))?);
        node.start().map_err(|e| err(e.to_string()))?;

        let (tx, events) = watch::channel(0u64);
        let (pump_stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let pump = node.clone();
        runtime.spawn(async move {
            loop {
                let event = tokio::select! {
                    e = pump.next_event_async() => e,
                    _ = &mut stopped => return,
                };
                log::info!("Lab peer event: {}", describe(&event));
                let n = pump.clone();
                if tokio::task::spawn_blocking(move || n.event_handled())
                    .await
                    .is_err()
                {
                    return;
                }
                tx.send_modify(|c| *c += 1);
            }
        });
        let sync_gate = Arc::new(SyncGate::default());
        let stuck_sync = Arc::new(StuckSync::default());
        spawn_sync_rounds(&node, &sync_gate, &stuck_sync, &runtime);
        Ok(PeerNode {
            node,
            sync_gate,
            stuck_sync,
            address,
            events,
            swap_key: {
                // 32 random bytes are a valid key but for a chance of about 2^-128.
                let bytes: [u8; 32] = rand::random();
                ldk_node::bitcoin::secp256k1::SecretKey::from_slice(&bytes)
                    .map_err(|e| LabError::Node(format!("swap key: {e}")))?
            },
            _pump_stop: pump_stop,
            _tmp: tmp,
        })
    }

    /// The ldk-node of the peer, for what the Lab and tests ask of it directly.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// The same, shareable with blocking tasks.
    pub fn node_arc(&self) -> Arc<Node> {
        self.node.clone()
    }

    pub fn node_id(&self) -> PublicKey {
        self.node.node_id()
    }

    pub fn address(&self) -> &SocketAddress {
        &self.address
    }

    /// `pubkey@127.0.0.1:port`, as a person pastes it into "Open a channel".
    pub fn uri(&self) -> String {
        format!("{}@{}", self.node.node_id(), self.address)
    }

    /// A new address of the peer's on-chain wallet.
    pub fn new_address(&self) -> Result<String, LabError> {
        self.node
            .onchain_payment()
            .new_address()
            .map(|a| a.to_string())
            .map_err(|e| LabError::Node(format!("address: {e}")))
    }

    /// Opens a channel from the peer to `node_id` (giving that node inbound capacity, and
    /// `push_sat` of the peer's money at once). `announce`: a public channel, gossiped to the
    /// network once it has six confirmations, so others can route through it (both ends need
    /// an alias).
    pub fn open_channel_to(
        &self,
        node_id: PublicKey,
        address: SocketAddress,
        capacity_sat: u64,
        push_sat: u64,
        announce: bool,
    ) -> Result<(), LabError> {
        let push = (push_sat > 0).then_some(push_sat * 1000);
        let opened = if announce {
            self.node
                .open_announced_channel(node_id, address, capacity_sat, push, None)
        } else {
            self.node
                .open_channel(node_id, address, capacity_sat, push, None)
        };
        opened
            .map(|_| ())
            .map_err(|e| LabError::Node(format!("channel: {e}")))
    }

    /// Splices the node's channel with `node_id` (experimental in LDK): `amount_sat` into it
    /// from the node's on-chain wallet (`into`), or out of it to the node's own address. Returns
    /// once LDK started the negotiation.
    pub fn splice_with(
        &self,
        node_id: PublicKey,
        into: bool,
        amount_sat: u64,
    ) -> Result<(), LabError> {
        let c = self
            .channels_with(node_id)
            .into_iter()
            .find(|c| c.is_channel_ready)
            .ok_or_else(|| LabError::Node("no ready channel to splice".into()))?;
        let spliced = if into {
            self.node.splice_in(&c.user_channel_id, node_id, amount_sat)
        } else {
            let address = self
                .node
                .onchain_payment()
                .new_address()
                .map_err(|e| LabError::Node(format!("address: {e}")))?;
            self.node
                .splice_out(&c.user_channel_id, node_id, &address, amount_sat)
        };
        spliced.map_err(|e| LabError::Node(format!("splice: {e}")))
    }

    /// Connects to `node_id` and remembers it, so the node dials it again after a restart.
    pub fn connect(&self, node_id: PublicKey, address: SocketAddress) -> Result<(), LabError> {
        self.node
            .connect(node_id, address, true)
            .map_err(|e| LabError::Node(format!("connect: {e}")))
    }

    /// Disconnects from `node_id` and forgets it (no dialling it after a restart).
    pub fn forget(&self, node_id: PublicKey) -> Result<(), LabError> {
        self.node
            .disconnect(node_id)
            .map_err(|e| LabError::Node(format!("disconnect: {e}")))
    }

    /// The channels with `node_id`, as LDK lists them.
    pub fn channels_with(&self, node_id: PublicKey) -> Vec<ldk_node::ChannelDetails> {
        self.node
            .list_channels()
            .into_iter()
            .filter(|c| c.counterparty_node_id == node_id)
            .collect()
    }

    /// Force-closes every channel with `node_id`: LDK broadcasts the commitment transaction it
    /// holds. Returns each channel's id and funding outpoint (`txid:vout`), none when there is
    /// no channel.
    pub fn force_close_with(
        &self,
        node_id: PublicKey,
        reason: &str,
    ) -> Result<Vec<(String, String)>, LabError> {
        let mut closed = Vec::new();
        for c in self.channels_with(node_id) {
            self.node
                .force_close_channel(&c.user_channel_id, node_id, Some(reason.to_string()))
                .map_err(|e| LabError::Node(format!("force close: {e}")))?;
            let funding = c.funding_txo.map(|o| o.to_string()).unwrap_or_default();
            closed.push((c.channel_id.to_string(), funding));
        }
        Ok(closed)
    }

    /// An invoice for `amount_sat` that this node holds when paid: it neither claims nor
    /// fails the payment, so its HTLC stays in flight (until LDK fails it back shortly before
    /// it expires, when the node is online to see the blocks). Returns the invoice and the
    /// payment hash.
    pub fn hold_invoice(&self, amount_sat: u64) -> Result<(String, PaymentHash), LabError> {
        let preimage: [u8; 32] = rand::random();
        let hash = PaymentHash(sha256::Hash::hash(&preimage).to_byte_array());
        Ok((self.hold_invoice_for(hash, amount_sat)?, hash))
    }

    /// An invoice for `amount_sat` locked to `hash` (whose preimage someone else knows), held
    /// when paid: claimed with `claim_for_hash` once the preimage is known.
    pub fn hold_invoice_for(&self, hash: PaymentHash, amount_sat: u64) -> Result<String, LabError> {
        let description = Bolt11InvoiceDescription::Direct(
            Description::new("held in the Lab".into())
                .map_err(|e| LabError::Node(format!("invoice description: {e}")))?,
        );
        let invoice = self
            .node
            .bolt11_payment()
            .receive_for_hash(amount_sat * 1000, &description, 3600, hash)
            .map_err(|e| LabError::Node(format!("hold invoice: {e}")))?;
        Ok(invoice.to_string())
    }

    /// Whether the node holds an incoming HTLC of `sat` it has no preimage for.
    pub fn holds_htlc(&self, sat: u64) -> bool {
        self.node.list_balances().lightning_balances.iter().any(|b| {
            matches!(b, ldk_node::LightningBalance::MaybePreimageClaimableHTLC { amount_satoshis, .. }
                if *amount_satoshis == sat)
        })
    }

    /// A request to be paid `amount_sat`: a BOLT11 invoice, a BOLT12 offer, or (keysend) the
    /// node's id.
    pub fn request(&self, by: PayBy, amount_sat: u64) -> Result<String, LabError> {
        let err = |e: ldk_node::NodeError| LabError::Node(format!("payment request: {e}"));
        match by {
            PayBy::Invoice => {
                let description = Bolt11InvoiceDescription::Direct(
                    Description::new("from the Lab".into())
                        .map_err(|e| LabError::Node(format!("invoice description: {e}")))?,
                );
                self.node
                    .bolt11_payment()
                    .receive(amount_sat * 1000, &description, 3600)
                    .map(|i| i.to_string())
                    .map_err(err)
            }
            PayBy::Offer => self
                .node
                .bolt12_payment()
                .receive(amount_sat * 1000, "from the Lab", None, None)
                .map(|o| o.to_string())
                .map_err(err),
            PayBy::Keysend => Ok(self.node.node_id().to_string()),
        }
    }

    /// Waits on the node's events until payment `id` ends (whether it succeeded); `None` when
    /// it has not ended within `limit`.
    pub async fn payment_end(&self, id: &PaymentId, limit: std::time::Duration) -> Option<bool> {
        let mut events = self.events();
        tokio::time::timeout(limit, async {
            loop {
                events.mark_unchanged();
                if let Some(ok) = self.payment_outcome(id) {
                    return ok;
                }
                let _ = events.changed().await;
            }
        })
        .await
        .ok()
    }

    /// Starts paying `request` (an invoice, an offer, or a node id to keysend `amount_sat` to);
    /// returns the payment's id, to follow with [`PeerNode::payment_outcome`].
    pub fn pay(&self, request: &str, amount_sat: u64) -> Result<PaymentId, LabError> {
        let err = |e: ldk_node::NodeError| LabError::Node(format!("payment: {e}"));
        let request = request.trim();
        if let Ok(invoice) = request.parse::<ldk_node::lightning_invoice::Bolt11Invoice>() {
            return match invoice.amount_milli_satoshis() {
                Some(_) => self.node.bolt11_payment().send(&invoice, None),
                None => {
                    self.node
                        .bolt11_payment()
                        .send_using_amount(&invoice, amount_sat * 1000, None)
                }
            }
            .map_err(err);
        }
        if let Ok(offer) = request.parse::<ldk_node::lightning::offers::offer::Offer>() {
            return match offer.amount() {
                Some(_) => self.node.bolt12_payment().send(&offer, None, None, None),
                None => self.node.bolt12_payment().send_using_amount(
                    &offer,
                    amount_sat * 1000,
                    None,
                    None,
                    None,
                ),
            }
            .map_err(err);
        }
        let node_id = request
            .parse::<PublicKey>()
            .map_err(|_| LabError::Node(format!("not an invoice, offer or node id: {request}")))?;
        self.node
            .spontaneous_payment()
            .send(amount_sat * 1000, node_id, None)
            .map_err(err)
    }

    /// How payment `id` ended: `None` while it is on its way.
    pub fn payment_outcome(&self, id: &PaymentId) -> Option<bool> {
        match self.node.payment(id)?.status {
            ldk_node::payment::PaymentStatus::Pending => None,
            ldk_node::payment::PaymentStatus::Succeeded => Some(true),
            ldk_node::payment::PaymentStatus::Failed => Some(false),
        }
    }

    /// Syncs the peer's wallets with the chain now: returns once a sync that started after
    /// this call has ended.
    pub fn sync(&self) -> Result<(), LabError> {
        self.sync_gate
            .run(|| sync_node(&self.node, &self.stuck_sync))
    }

    /// A counter that moves whenever the peer handled an event; await `changed()` on a clone.
    pub fn events(&self) -> watch::Receiver<u64> {
        self.events.clone()
    }

    /// Stops the node (peers told, state persisted). Blocks.
    pub fn stop(&self) {
        self.sync_gate.while_idle(|| match self.node.stop() {
            Ok(()) | Err(ldk_node::NodeError::NotRunning) => {}
            Err(e) => log::warn!("a lab node did not stop cleanly: {e}"),
        })
    }
}

/// How often a lab node syncs by itself when nobody asked it to (a block it must react to, a
/// sweep after a timelock). A local chain answers in milliseconds.
const SYNC_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// Syncs once; a sync that timed out inside LDK Node (a loaded machine: three regtest tests at
/// once on two cores) is made again, twice at most, before it counts as failed. A lab node is a
/// tester's stand-in peer: what matters is that it ends up synced, and a sync that
/// errs for any other reason fails at once. A node whose Lightning sync is stuck is restarted
/// (see `core::chain::stuck_sync`).
fn sync_node(node: &Node, stuck: &StuckSync) -> Result<(), LabError> {
    let mut timeouts = 0;
    loop {
        match stuck.sync_wallets(node) {
            Err(
                e @ (ldk_node::NodeError::WalletOperationTimeout
                | ldk_node::NodeError::TxSyncTimeout),
            ) if timeouts < 2 => {
                timeouts += 1;
                log::warn!("a lab node's sync timed out ({e}); syncing again");
            }
            other => return other.map_err(|e| LabError::Node(format!("sync: {e}"))),
        }
    }
}

/// The node's own sync rounds, for as long as it runs.
fn spawn_sync_rounds(
    node: &Arc<Node>,
    gate: &Arc<SyncGate<LabError>>,
    stuck: &Arc<StuckSync>,
    runtime: &tokio::runtime::Handle,
) {
    let (node, gate, stuck) = (Arc::downgrade(node), gate.clone(), stuck.clone());
    runtime.spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            if gate.idle_for().is_none_or(|idle| idle < SYNC_INTERVAL) {
                continue;
            }
            let Some(n) = node.upgrade() else { return };
            if !stuck.keeps_running(&n) {
                return;
            }
            let (g, stuck) = (gate.clone(), stuck.clone());
            // The node is let go on the blocking thread, never on an async worker.
            let done = tokio::task::spawn_blocking(move || {
                if let Err(e) = g.run(|| sync_node(&n, &stuck)) {
                    log::info!("a lab node's sync round failed: {e}");
                }
            })
            .await;
            if done.is_err() {
                return;
            }
        }
    });
}

impl Drop for PeerNode {
    /// Stops the node on a plain thread: stopping blocks until its tasks end, which must not
    /// happen on an async worker of the runtime those tasks run on.
    fn drop(&mut self) {
        // A temporary store is removed only after the node stopped writing to it.
        let tmp = self._tmp.take();
        if self.node.status().is_running {
            let node = self.node.clone();
            let _ = std::thread::Builder::new()
                .name("shandian-peer-stop".into())
                .spawn(move || {
                    // If ldk-node panics while stopping (its background task already gone), do
                    // not let its own Drop stop it again mid-panic: that aborts the process.
                    let stopped =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| node.stop()));
                    if stopped.is_err() {
                        std::mem::forget(node);
                    }
                    drop(tmp);
                });
        }
    }
}

/// Reuses the port the peer listened on last time (so wallets that remember its address find
/// it again), or picks a free one.
fn stable_port(dir: &Path) -> Result<u16, String> {
    let file = dir.join("port");
    if let Some(port) = std::fs::read_to_string(&file)
        .ok()
        .and_then(|s| s.trim().parse::<u16>().ok())
    {
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    let port = free_loopback_port()?;
    std::fs::write(&file, port.to_string()).map_err(|e| e.to_string())?;
    Ok(port)
}

fn describe(event: &Event) -> String {
    match event {
        Event::ChannelPending { .. } => "channel pending".into(),
        Event::ChannelReady { .. } => "channel ready".into(),
        Event::ChannelClosed { reason, .. } => format!(
            "channel closed ({})",
            reason.as_ref().map(|r| r.to_string()).unwrap_or_default()
        ),
        Event::PaymentReceived { amount_msat, .. } => {
            format!("payment received {amount_msat} msat")
        }
        Event::PaymentSuccessful { .. } => "payment sent".into(),
        Event::PaymentFailed { .. } => "payment failed".into(),
        _ => "other".into(),
    }
}

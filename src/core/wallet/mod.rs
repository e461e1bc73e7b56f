//! The wallet service over `ldk_node::Node`: opens it from the keyring's mnemonic, and offers
//! async calls for everything the screens need. ldk-node's API blocks, so each call runs in
//! `spawn_blocking` on the app's one tokio runtime.

use std::sync::Arc;
use std::time::Duration;

use ldk_node::bip39::Mnemonic;
use ldk_node::lightning::ln::msgs::SocketAddress;
use ldk_node::{Builder, Node};

use crate::core::chain::stuck_sync::StuckSync;
use crate::core::chain::sync_gate::SyncGate;
use crate::core::keys::secrets::Keyring;
use crate::core::lightning::channels::{ChannelBook, Channels};
use crate::core::lightning::events::NodeEvent;
use crate::core::lightning::ldk_log::LdkLog;
use crate::core::lightning::payments::notes::PaymentNotes;
use crate::core::lightning::payments::Payments;
use crate::core::network::Network;
use crate::core::store::backup::{BackupKeys, BackupTarget};
use crate::core::store::dirs::{NetworkDir, WalletMeta};
use crate::core::store::files::SetAside;
use crate::core::store::lock::InstanceLock;
use crate::core::store::mirror::MirrorStore;
use crate::core::{blocking, Error, NodeError};

mod backup;
mod lightning;
mod recover;
mod restore_check;
mod send;
mod snapshot;
pub mod stale;
mod swap;
mod swap_tend;
mod swap_to_chain;
mod update;
mod watch;

#[cfg(any(test, feature = "testing"))]
pub use backup::RESTORE_STEP_HOOK;

use backup::{attach_backup, read_backup, set_aside_unfinished, write_restored};

pub use send::{BroadcastOutcome, SendOutcome};
pub use snapshot::{Balances, Snapshot};
pub use swap::{SwapOffer, MIN_SWAP_SAT};
pub use swap_to_chain::{ChainOffer, SwapRequest, MIN_CLAIM_BLOCKS};
pub use update::{Changed, PaymentsChanged, WalletUpdate};

/// How often a backup folder that could not be reached is looked for again.
const BACKUP_RETRY_INTERVAL: Duration = Duration::from_secs(15);

/// How often the update stream looks at the node's last sync time. ldk-node has no event for
/// "the on-chain wallet synced", so this is the one place that looks.
const SYNC_WATCH_INTERVAL: Duration = Duration::from_secs(2);

/// Everything needed to open a wallet.
#[derive(Debug, Clone)]
pub struct OpenRequest {
    pub dir: NetworkDir,
    /// The folder's one-running-wallet lock, taken before anything else touched it.
    pub lock: InstanceLock,
    pub meta: WalletMeta,
    pub electrum_url: String,
    pub keyring: Keyring,
}

/// Everything needed to create a wallet from words (new, or restored).
#[derive(Debug, Clone)]
pub struct CreateRequest {
    pub dir: NetworkDir,
    pub lock: InstanceLock,
    pub mnemonic: Mnemonic,
    pub electrum_url: String,
    pub keyring: Keyring,
    /// Restore the channels from this backup (the folder or server a person chose before).
    /// Every entry must open with the words, or nothing is created.
    pub restore_from: Option<crate::core::store::backup::BackupPlace>,
}

/// A running wallet.
pub struct Wallet {
    node: Arc<Node>,
    /// The channel manager (with what we remember of channels beyond what ldk-node lists).
    channels: Channels,
    /// Paying and receiving (with the notes ldk-node does not keep).
    payments: Payments,
    node_id: String,
    network: Network,
    electrum_url: String,
    /// The graph comes from a Rapid Gossip Sync server rather than from peers' gossip.
    rapid_gossip: bool,
    /// LDK Node's store with the channel backup.
    store: Arc<MirrorStore>,
    /// Keys of the backup, from the seed.
    backup_keys: Arc<BackupKeys>,
    /// Swaps between chain and Lightning, with their keys from the seed.
    swaps: Arc<crate::core::swap::Swaps>,
    /// Where the backup goes, as recorded in the data folder.
    backup_target: std::sync::Mutex<Option<BackupTarget>>,
    /// When the wallet last looked for an unreachable backup folder.
    backup_retried: std::sync::Mutex<std::time::Instant>,
    /// Our own files found damaged and set aside at open.
    set_aside: Vec<SetAside>,
    dir: NetworkDir,
    /// Whether the Electrum server answers (LDK Node does not say).
    server: crate::core::chain::server::ServerWatch,
    /// Woken when the server stops or starts answering.
    server_changed: tokio::sync::Notify,
    /// LDK's graph and scores as the route preview last built them.
    route_graph: Arc<crate::core::lightning::route::GraphCache>,
    /// Woken when a sync at a block the server announced is done.
    chain_synced: Arc<tokio::sync::Notify>,
    /// Every sync of the node goes through it (see `chain::sync_gate`).
    sync_gate: Arc<SyncGate<Error>>,
    /// Restarts the node when its Lightning sync is stuck (see `chain::stuck_sync`).
    stuck_sync: Arc<StuckSync>,
    /// Turns true when the wallet stops; the new-block sync holds it while it syncs, so the
    /// node never stops under a sync (LDK Node does not allow that).
    feed_gate: Arc<tokio::sync::Mutex<bool>>,
    /// Turns true when LDK stops the node because its channel state is older than the peer's.
    stale: Arc<std::sync::atomic::AtomicBool>,
    /// Held from open until `stop` is done (or the wallet is dropped): a background task that
    /// still holds the wallet a moment after the stop must not keep the folder taken.
    lock: std::sync::Mutex<Option<InstanceLock>>,
}

impl std::fmt::Debug for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wallet")
            .field("network", &self.network)
            .field("node_id", &self.node_id)
            .finish()
    }
}

impl Wallet {
    /// Reads the mnemonic from the keyring and opens the wallet.
    pub async fn open(req: OpenRequest) -> Result<Arc<Wallet>, Error> {
        let runtime = tokio::runtime::Handle::current();
        let handle = runtime.clone();
        let wallet = blocking(move || {
            let mnemonic = req.keyring.load_mnemonic(&req.meta)?;
            Self::open_blocking(&req, mnemonic, runtime)
        })
        .await?;
        wallet.start_watch(&handle);
        Ok(wallet)
    }

    /// Gets the channel balances of a wallet found behind its peers back (see `recover`): waits,
    /// up to `patience`, for the peers to close with their latest state, then opens the wallet,
    /// whose channel monitors sweep our part of those closes to the wallet.
    pub async fn recover_stale(req: OpenRequest, patience: Duration) -> Result<Arc<Wallet>, Error> {
        let runtime = tokio::runtime::Handle::current();
        let r = req.clone();
        let channels = blocking(move || recover::recover_stale(&r, runtime, patience)).await?;
        log::info!("recovery: {channels} channels closed by their peers; opening the wallet");
        Self::open(req).await
    }

    /// Creates a wallet from a mnemonic (new or restored): the backup to restore from is read
    /// whole first, then the node's data from the backup, then the keyring entry, then the data
    /// folder's record (last: with it the wallet exists), then the node. Nothing is written if
    /// the backup refuses.
    pub async fn create(req: CreateRequest) -> Result<Arc<Wallet>, Error> {
        let runtime = tokio::runtime::Handle::current();
        let handle = runtime.clone();
        let wallet = blocking(move || {
            let CreateRequest {
                dir,
                lock,
                mnemonic,
                electrum_url,
                keyring,
                restore_from,
            } = req;
            if dir.load_wallet()?.is_some() {
                return Err(crate::core::store::dirs::DirsError::WalletExists {
                    folder: dir.path().display().to_string(),
                }
                .into());
            }
            set_aside_unfinished(&dir)?;
            let restore = match &restore_from {
                Some(chosen) => Some(read_backup(&dir, chosen, &mnemonic)?),
                None => None,
            };
            // The node's data first and the wallet's record last: cut short anywhere, this
            // leaves no wallet (and node data the next attempt sets aside), never a record
            // whose next start would open an empty node in place of the restored one.
            if let Some((backup, entries)) = restore {
                let check = restore_check::Check {
                    network: dir.network(),
                    mnemonic: &mnemonic,
                    electrum_url: &electrum_url,
                    place: backup.place().to_string(),
                };
                write_restored(&dir, backup, entries, &check)?;
            }
            let meta = WalletMeta::new(dir.network());
            backup::restore_step("keyring");
            keyring.store_mnemonic(&meta, &mnemonic)?;
            backup::restore_step("wallet-record");
            dir.create_wallet(&meta)?;
            let req = OpenRequest {
                dir,
                lock,
                meta,
                electrum_url,
                keyring,
            };
            Self::open_blocking(&req, mnemonic, runtime)
        })
        .await?;
        wallet.start_watch(&handle);
        Ok(wallet)
    }

    fn open_blocking(
        req: &OpenRequest,
        mnemonic: Mnemonic,
        runtime: tokio::runtime::Handle,
    ) -> Result<Arc<Wallet>, Error> {
        let network = req.dir.network();
        // A wallet that ran here before has node data; starting an empty node in its place
        // would look like a wallet with no channels, and a backup written from it would
        // replace the real one.
        if req.meta.node_id.is_some() && !MirrorStore::database_path(&req.dir.node_dir()).exists() {
            return Err(NodeError::NodeDataMissing {
                folder: req.dir.node_dir().display().to_string(),
            }
            .into());
        }
        // LDK found this folder's channel state behind its peer's before: starting it again
        // would only stop again at the peer's first message.
        if stale::marked(req.dir.path()) {
            return Err(NodeError::StaleChannelState {
                folder: req.dir.path().display().to_string(),
            }
            .into());
        }
        let seed = zeroize::Zeroizing::new(mnemonic.to_seed(""));
        let backup_keys = Arc::new(BackupKeys::from_seed(&seed));
        let swap_keys = crate::core::swap::SwapKeys::from_seed(&seed, network.to_bitcoin());
        let store = MirrorStore::open(&req.dir.node_dir()).map_err(|e| NodeError::Storage {
            folder: req.dir.node_dir().display().to_string(),
            reason: e.to_string(),
        })?;
        let mut set_aside = Vec::new();
        let (target, aside) = BackupTarget::load(&req.dir.channel_backup_path());
        set_aside.extend(aside);
        // The app has already set a damaged settings file aside and said so.
        let settings =
            crate::core::store::settings::Settings::load(&req.dir.settings_path(), network).ok();
        let rapid_gossip_url = settings.as_ref().and_then(|s| s.rapid_gossip_url.clone());
        let lsp = match settings.and_then(|s| s.lsp) {
            Some(l) => Some((
                crate::core::lightning::channels::PeerUri::parse(&l.node).map_err(|e| {
                    NodeError::LspSetting {
                        node: l.node.clone(),
                        reason: e.to_string(),
                    }
                })?,
                l.token,
            )),
            None => None,
        };
        let mut config = ldk_node::config::Config {
            network: network.to_bitcoin(),
            storage_dir_path: req.dir.node_dir().display().to_string(),
            ..Default::default()
        };
        // The LSP's channel arrives with the first payment, when a new shop's wallet may hold no
        // coins for the on-chain reserve LDK Node keeps per anchor channel (to bump a close's
        // fee): a close of that channel relies on the LSP getting it confirmed, as the
        // zero-confirmation channel already relies on the LSP.
        if let (Some((uri, _)), Some(anchors)) = (&lsp, config.anchor_channels_config.as_mut()) {
            anchors.trusted_peers_no_reserve.push(uri.node_id);
        }
        let mut builder = Builder::from_config(config);
        if network == Network::Regtest {
            // On the Lab's chain other local nodes (the peer) may open channels to us.
            let port = crate::core::shared::free_loopback_port().map_err(Error::Internal)?;
            builder
                .set_listening_addresses(vec![SocketAddress::TcpIpV4 {
                    addr: [127, 0, 0, 1],
                    port,
                }])
                .map_err(NodeError::Build)?;
            // An alias lets a Lab wallet open public channels to try routing.
            builder
                .set_node_alias("shandian".to_string())
                .map_err(NodeError::Build)?;
        }
        builder.set_runtime(runtime);
        builder.set_entropy_bip39_mnemonic(mnemonic, None);
        // No background sync of LDK Node's own: the wallet syncs at each new block and every
        // `watch::SYNC_INTERVAL`, one sync at a time (see `chain::sync_gate`).
        builder.set_chain_source_electrum(
            req.electrum_url.clone(),
            Some(ldk_node::config::ElectrumSyncConfig {
                background_sync_config: None,
            }),
        );
        if let Some((uri, token)) = &lsp {
            builder.set_liquidity_source_lsps2(uri.node_id, uri.address.clone(), token.clone());
        }
        match &rapid_gossip_url {
            Some(url) => builder.set_gossip_source_rgs(url.clone()),
            None => builder.set_gossip_source_p2p(),
        };
        // The store has made the node folder by now.
        let node_dir = req.dir.node_dir();
        let ldk_log = Arc::new(LdkLog::open(&node_dir.join("ldk_node.log")).map_err(|e| {
            NodeError::Storage {
                folder: node_dir.display().to_string(),
                reason: e.to_string(),
            }
        })?);
        builder.set_custom_logger(ldk_log.clone());
        let node = builder
            .build_with_store(store.clone())
            .map_err(NodeError::Build)?;

        let node_id = node.node_id().to_string();
        match &req.meta.node_id {
            Some(expected) if *expected != node_id => {
                return Err(NodeError::NodeIdMismatch {
                    expected: expected.clone(),
                    found: node_id,
                }
                .into())
            }
            Some(_) => {}
            None => {
                let mut meta = req.meta.clone();
                meta.node_id = Some(node_id);
                req.dir.save_wallet(&meta)?;
            }
        }

        // The backup is attached before the node starts, so every write of this run reaches it.
        let target = target
            .map(|t| attach_backup(&req.dir, &store, &backup_keys, t))
            .transpose()?;

        node.start()
            .map_err(|e| NodeError::from_ldk(e, &req.electrum_url))?;
        // Channels from before the policy, or whose peer's open was reported in a run that
        // crashed before setting it.
        crate::core::lightning::channels::dust::keep_policy(&node);
        let (mut book, aside) = ChannelBook::load(req.dir.channels_path());
        set_aside.extend(aside);
        let (swap_book, aside) = crate::core::swap::book::SwapBook::load(req.dir.swaps_path());
        set_aside.extend(aside);
        if let Err(e) = book.interrupt_negotiations() {
            log::warn!("could not write the channel book: {e}");
        }
        let (notes, aside) = PaymentNotes::load(req.dir.payment_notes_path());
        set_aside.extend(aside);
        let (unproven, aside) = crate::core::lightning::channels::unproven::Unproven::load(
            req.dir.unproven_channels_path(),
        );
        set_aside.extend(aside);
        let node = Arc::new(node);
        Ok(Arc::new(Wallet {
            channels: Channels::new(node.clone(), book, unproven, ldk_log.clone()),
            payments: Payments::new(
                node.clone(),
                notes,
                ldk_log,
                lsp.map(|(uri, _)| uri.to_string()),
            ),
            node_id: node.node_id().to_string(),
            node,
            network,
            electrum_url: req.electrum_url.clone(),
            rapid_gossip: rapid_gossip_url.is_some(),
            store,
            backup_keys,
            swaps: Arc::new(crate::core::swap::Swaps {
                keys: swap_keys,
                book: std::sync::Mutex::new(swap_book),
                acting: tokio::sync::Mutex::new(()),
            }),
            backup_target: std::sync::Mutex::new(target),
            backup_retried: std::sync::Mutex::new(std::time::Instant::now()),
            set_aside,
            dir: req.dir.clone(),
            server: crate::core::chain::server::ServerWatch::new(&req.electrum_url),
            server_changed: tokio::sync::Notify::new(),
            chain_synced: Arc::new(tokio::sync::Notify::new()),
            sync_gate: Arc::new(SyncGate::default()),
            stuck_sync: Arc::new(StuckSync::default()),
            feed_gate: Arc::new(tokio::sync::Mutex::new(false)),
            route_graph: Arc::new(crate::core::lightning::route::GraphCache::new(
                network.to_bitcoin(),
            )),
            stale: stale::watch(req.dir.path()),
            lock: std::sync::Mutex::new(Some(req.lock.clone())),
        }))
    }

    /// `Err` once LDK has stopped the node because its channel state is older than its peer's:
    /// the node must not be asked anything more (its locks are poisoned).
    fn check_not_stale(&self) -> Result<(), Error> {
        if self.stale.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(NodeError::StaleChannelState {
                folder: self.dir.path().display().to_string(),
            }
            .into());
        }
        Ok(())
    }

    /// Lets the crash drills see (and stop the process at) every write of LDK Node's store.
    pub fn set_write_hook(&self, hook: crate::core::store::mirror::WriteHook) {
        self.store.set_write_hook(hook);
    }

    /// Our own files that were damaged and set aside when the wallet opened.
    pub fn set_aside_files(&self) -> &[SetAside] {
        &self.set_aside
    }

    pub fn network(&self) -> Network {
        self.network
    }

    /// The LSP that opens a channel as a payment arrives (`pubkey@host:port`), if one is set.
    pub fn lsp(&self) -> Option<&str> {
        self.payments.lsp()
    }

    pub fn electrum_url(&self) -> &str {
        &self.electrum_url
    }

    /// Where other local nodes reach us (regtest only).
    pub fn listening_address(&self) -> Option<SocketAddress> {
        self.node
            .listening_addresses()
            .and_then(|a| a.into_iter().next())
    }

    /// Our node id as hex.
    pub fn node_id(&self) -> &str {
        &self.node_id
    }

    /// Our node id as a key, for another node to open a channel to us.
    pub fn public_key(&self) -> ldk_node::bitcoin::secp256k1::PublicKey {
        self.node.node_id()
    }

    /// Asks the Electrum server for new blocks and transactions now: returns once a sync that
    /// started after this call has ended (see `chain::sync_gate`).
    pub async fn sync(self: &Arc<Self>) -> Result<(), Error> {
        let node = self.node.clone();
        let url = self.electrum_url.clone();
        let (gate, stuck) = (self.sync_gate.clone(), self.stuck_sync.clone());
        blocking(move || gate.run(|| watch::sync_node(&node, &url, &stuck))).await
    }

    /// A fresh receive address.
    pub async fn new_address(self: &Arc<Self>) -> Result<String, Error> {
        self.own_address().await.map(|a| a.to_string())
    }

    /// A fresh address of the on-chain wallet.
    async fn own_address(self: &Arc<Self>) -> Result<ldk_node::bitcoin::Address, Error> {
        let node = self.node.clone();
        blocking(move || {
            node.onchain_payment()
                .new_address()
                .map_err(|e| NodeError::Ldk(e).into())
        })
        .await
    }

    /// Waits for the next thing worth redrawing for: a node event (booked and acknowledged
    /// here) or a finished background sync.
    pub async fn next_update(self: &Arc<Self>, last_sync: &mut Option<u64>) -> WalletUpdate {
        if self.check_not_stale().is_err() {
            // LDK stopped the node (see `stale`); the screens have been told. Nothing more
            // will come.
            return std::future::pending().await;
        }
        loop {
            tokio::select! {
                event = self.node.next_event_async() => {
                    let wallet = self.clone();
                    // Book first, then acknowledge; if acknowledging fails ldk-node re-delivers
                    // the event and booking it again changes nothing.
                    let booked = tokio::task::spawn_blocking(move || {
                        let mapped =
                            crate::core::lightning::events::book(&event, &wallet.channels, &wallet.node);
                        if let Err(e) = wallet.node.event_handled() {
                            log::warn!("could not acknowledge a node event: {e}");
                        }
                        mapped
                    })
                    .await;
                    let mapped = booked.unwrap_or(NodeEvent::Other);
                    log::info!("node event: {mapped:?}");
                    return WalletUpdate::Event(mapped);
                }
                _ = self.server_changed.notified() => return WalletUpdate::Server,
                _ = self.chain_synced.notified() => {
                    *last_sync = self.node.status().latest_onchain_wallet_sync_timestamp;
                    return WalletUpdate::Synced;
                }
                _ = tokio::time::sleep(SYNC_WATCH_INTERVAL) => {
                    let now = self.node.status().latest_onchain_wallet_sync_timestamp;
                    if now != *last_sync {
                        *last_sync = now;
                        return WalletUpdate::Synced;
                    }
                }
            }
        }
    }

    /// Stops the node cleanly (peers told, state persisted), then notes whether the backup got
    /// every write, so the next start copies it whole only when it may have missed some.
    pub async fn stop(self: &Arc<Self>) -> Result<(), Error> {
        // A node LDK stopped itself (see `stale`) cannot be stopped cleanly: its locks are
        // poisoned. The folder is marked; the process ending is what stops it.
        self.check_not_stale()?;
        // No new-block sync runs from here on (see `watch::start_tip_feed`).
        *self.feed_gate.lock().await = true;
        let wallet = self.clone();
        blocking(move || {
            wallet.channels.flush_book();
            // Not under a sync (a Sync now, a Lab round): LDK Node does not allow that.
            match wallet.sync_gate.while_idle(|| wallet.node.stop()) {
                Ok(()) | Err(ldk_node::NodeError::NotRunning) => {}
                Err(e) => return Err(NodeError::Ldk(e).into()),
            }
            let mut target = wallet
                .backup_target
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if let Some(t) = target.as_mut() {
                if wallet.store.in_sync() {
                    t.in_sync = true;
                    t.save(&wallet.dir.channel_backup_path())?;
                }
            }
            drop(target);
            // Stopped and written: the folder is free for the next wallet.
            wallet.lock.lock().unwrap_or_else(|p| p.into_inner()).take();
            Ok(())
        })
        .await
    }
}

impl Drop for Wallet {
    /// ldk-node stops a node when it is dropped, blocking until its tasks end. A wallet dropped
    /// without `stop()` (an error path, a failed test) must not do that on an async worker, where
    /// it can wait on the very runtime it blocks: let a plain thread do it.
    fn drop(&mut self) {
        if self.node.status().is_running {
            let node = self.node.clone();
            let _ = std::thread::Builder::new()
                .name("shandian-node-stop".into())
                .spawn(move || {
                    // The wallet's parts (channels, payments) hold the node too and are dropped
                    // after this: the stop must come with the last of them, here, not on the
                    // async worker that drops them. (After LDK stopped on a stale state, its
                    // locks are poisoned and the stop panics: on this thread, harmlessly.)
                    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
                    while Arc::strong_count(&node) > 1 && std::time::Instant::now() < deadline {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                    drop(node);
                });
        }
    }
}

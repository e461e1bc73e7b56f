//! The wallet service over `ldk_node::Node`: opens it from the keyring's mnemonic, and offers
//! async calls for everything the screens need. ldk-node's API blocks, so each call runs in
//! `spawn_blocking` on the app's one tokio runtime.

use std::sync::Arc;
use std::time::Duration;

use ldk_node::bip39::Mnemonic;
use ldk_node::bitcoin::{FeeRate, Txid};
use ldk_node::lightning::ln::channelmanager::PaymentId;
use ldk_node::lightning::ln::msgs::SocketAddress;
use ldk_node::lightning::util::persist::KVStoreSync;
use ldk_node::logger::LogLevel;
use ldk_node::payment::{ConfirmationStatus, PaymentDirection, PaymentKind};
use ldk_node::{Builder, Node};

use super::channels::ChannelBook;
use super::config::Network;
use super::dirs::{NetworkDir, WalletMeta};
use super::events::{NodeEvent, WalletUpdate};
use super::input::{OnchainSendPlan, SendAmount};
use super::secrets::Keyring;
use super::store::backup::{BackupFolder, BackupKeys, BackupStatus, BackupTarget};
use super::store::files::SetAside;
use super::store::lock::InstanceLock;
use super::store::mirror::MirrorStore;
use super::store::BackupError;
use super::Error;

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
    /// Restore the channels from this backup folder (the one a person chose before). Every
    /// entry must open with the words, or nothing is created.
    pub restore_from: Option<std::path::PathBuf>,
}

/// A running wallet.
pub struct Wallet {
    pub(crate) node: Arc<Node>,
    /// What we remember of channels beyond what ldk-node lists.
    pub(crate) book: std::sync::Mutex<ChannelBook>,
    /// Payment descriptions ldk-node does not keep.
    pub(crate) notes: std::sync::Mutex<super::payments::notes::PaymentNotes>,
    node_id: String,
    network: Network,
    electrum_url: String,
    /// The graph comes from a Rapid Gossip Sync server rather than from peers' gossip.
    pub(crate) rapid_gossip: bool,
    /// LDK Node's store with the channel backup.
    store: Arc<MirrorStore>,
    /// Keys of the backup, from the seed.
    backup_keys: Arc<BackupKeys>,
    /// Where the backup goes, as recorded in the data folder.
    backup_target: std::sync::Mutex<Option<BackupTarget>>,
    /// Unix seconds of the last look for an unreachable backup folder.
    backup_retried: std::sync::Mutex<std::time::Instant>,
    /// Our own files found damaged and set aside at open.
    set_aside: Vec<SetAside>,
    dir: NetworkDir,
    /// Whether the Electrum server answers (LDK Node does not say).
    server: super::server::ServerWatch,
    /// Woken when the server stops or starts answering.
    server_changed: tokio::sync::Notify,
    _lock: InstanceLock,
}

impl std::fmt::Debug for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wallet")
            .field("network", &self.network)
            .field("node_id", &self.node_id)
            .finish()
    }
}

/// On-chain and Lightning balances, in satoshis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Balances {
    /// All on-chain funds the wallet knows of, confirmed or not.
    pub onchain_total_sat: u64,
    /// Incoming on-chain payments not yet in a block.
    pub onchain_incoming_sat: u64,
    /// What can be sent now (confirmed, less the anchor-channel reserve).
    pub onchain_spendable_sat: u64,
    /// Kept back to fee-bump channel closes (anchor channels).
    pub anchor_reserve_sat: u64,
    /// What our channels would pay us if closed now.
    pub lightning_sat: u64,
}

impl Balances {
    /// On-chain funds already in a block.
    pub fn onchain_confirmed_sat(&self) -> u64 {
        self.onchain_total_sat
            .saturating_sub(self.onchain_incoming_sat)
    }
}

/// One on-chain transaction of the wallet, for the activity list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnchainActivity {
    pub txid: String,
    pub incoming: bool,
    /// What moved in or out, fee excluded.
    pub amount_sat: u64,
    pub fee_sat: Option<u64>,
    /// 0 while unconfirmed.
    pub confirmations: u32,
    /// Unix seconds: block time when confirmed, else when the wallet last saw it.
    pub time: u64,
}

/// The state the screens draw from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub balances: Balances,
    pub height: u32,
    /// Unix seconds of the last finished on-chain sync.
    pub last_sync: Option<u64>,
    /// Newest first.
    pub activity: Vec<OnchainActivity>,
    /// Where the channel backup stands.
    pub backup: BackupStatus,
    /// Whether the Electrum server answers.
    pub server: super::server::ServerStatus,
}

/// What a send returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendOutcome {
    pub txid: String,
    pub sent_sat: u64,
    /// Known when the wallet already booked the transaction.
    pub fee_sat: Option<u64>,
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

    /// Creates a wallet from a mnemonic (new or restored): the backup to restore from is read
    /// whole first, then the keyring entry, then the data folder's record, then the node's data
    /// from the backup, then the node. Nothing is written if the backup or the keyring refuses.
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
                return Err(super::dirs::DirsError::WalletExists {
                    folder: dir.path().display().to_string(),
                }
                .into());
            }
            let restore = match &restore_from {
                Some(chosen) => Some(read_backup(&dir, chosen, &mnemonic)?),
                None => None,
            };
            let meta = WalletMeta::new(dir.network());
            keyring.store_mnemonic(&meta, &mnemonic)?;
            dir.create_wallet(&meta)?;
            if let Some((folder, entries)) = restore {
                write_restored(&dir, &folder, entries)?;
            }
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
        let seed = zeroize::Zeroizing::new(mnemonic.to_seed(""));
        let backup_keys = Arc::new(BackupKeys::from_seed(&seed));
        let store = MirrorStore::open(&req.dir.node_dir()).map_err(|e| NodeError::Storage {
            folder: req.dir.node_dir().display().to_string(),
            reason: e.to_string(),
        })?;
        let mut set_aside = Vec::new();
        let (target, aside) = BackupTarget::load(&req.dir.channel_backup_path());
        set_aside.extend(aside);
        let config = ldk_node::config::Config {
            network: network.to_bitcoin(),
            storage_dir_path: req.dir.node_dir().display().to_string(),
            ..Default::default()
        };
        let mut builder = Builder::from_config(config);
        if network == Network::Regtest {
            // On the playground chain other local nodes (the peer) may open channels to us.
            let port = super::playground::free_port().map_err(Error::Internal)?;
            builder
                .set_listening_addresses(vec![SocketAddress::TcpIpV4 {
                    addr: [127, 0, 0, 1],
                    port,
                }])
                .map_err(NodeError::Build)?;
            // An alias lets the playground wallet open public channels to try routing.
            builder
                .set_node_alias("shandian".to_string())
                .map_err(NodeError::Build)?;
        }
        builder.set_runtime(runtime);
        builder.set_entropy_bip39_mnemonic(mnemonic, None);
        builder.set_chain_source_electrum(req.electrum_url.clone(), None);
        // The app has already set a damaged settings file aside and said so.
        let rapid_gossip_url = super::config::Settings::load(&req.dir.settings_path(), network)
            .ok()
            .and_then(|s| s.rapid_gossip_url);
        match &rapid_gossip_url {
            Some(url) => builder.set_gossip_source_rgs(url.clone()),
            None => builder.set_gossip_source_p2p(),
        };
        builder.set_filesystem_logger(
            Some(
                req.dir
                    .node_dir()
                    .join("ldk_node.log")
                    .display()
                    .to_string(),
            ),
            Some(LogLevel::Info),
        );
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
        let target = target.map(|t| attach_backup(&req.dir, &store, &backup_keys, t));

        node.start()
            .map_err(|e| NodeError::from_ldk(e, &req.electrum_url))?;
        let (book, aside) = ChannelBook::load(req.dir.channels_path());
        set_aside.extend(aside);
        let (notes, aside) =
            super::payments::notes::PaymentNotes::load(req.dir.payment_notes_path());
        set_aside.extend(aside);
        Ok(Arc::new(Wallet {
            book: std::sync::Mutex::new(book),
            notes: std::sync::Mutex::new(notes),
            node_id: node.node_id().to_string(),
            node: Arc::new(node),
            network,
            electrum_url: req.electrum_url.clone(),
            rapid_gossip: rapid_gossip_url.is_some(),
            store,
            backup_keys,
            backup_target: std::sync::Mutex::new(target),
            backup_retried: std::sync::Mutex::new(std::time::Instant::now()),
            set_aside,
            dir: req.dir.clone(),
            server: super::server::ServerWatch::new(&req.electrum_url),
            server_changed: tokio::sync::Notify::new(),
            _lock: req.lock.clone(),
        }))
    }

    /// Lets the crash drills see (and stop the process at) every write of LDK Node's store.
    pub fn set_write_hook(&self, hook: super::store::mirror::WriteHook) {
        self.store.set_write_hook(hook);
    }

    /// What the wallet would have back if every channel closed now and every close were swept:
    /// on-chain funds, channel balances and sweeps still under way, in satoshis. A crash must
    /// not change it by more than the fees actually paid.
    pub async fn total_sat(self: &Arc<Self>) -> Result<u64, Error> {
        let node = self.node.clone();
        blocking(move || {
            let b = node.list_balances();
            use ldk_node::PendingSweepBalance as S;
            let sweeping: u64 = b
                .pending_balances_from_channel_closures
                .iter()
                .map(|s| match s {
                    S::PendingBroadcast {
                        amount_satoshis, ..
                    }
                    | S::BroadcastAwaitingConfirmation {
                        amount_satoshis, ..
                    }
                    | S::AwaitingThresholdConfirmations {
                        amount_satoshis, ..
                    } => *amount_satoshis,
                })
                .sum();
            Ok(b.total_onchain_balance_sats + b.total_lightning_balance_sats + sweeping)
        })
        .await
    }

    /// Our own files that were damaged and set aside when the wallet opened.
    pub fn set_aside_files(&self) -> &[SetAside] {
        &self.set_aside
    }

    /// Where the channel backup stands now.
    pub fn backup_status(&self) -> BackupStatus {
        self.store.status()
    }

    /// Starts backing up to `folder` (a person's choice): the whole store is copied before this
    /// returns, then every write goes there too. A folder that holds another copy's backup of
    /// this wallet is refused.
    pub async fn choose_backup_folder(
        self: &Arc<Self>,
        folder: std::path::PathBuf,
    ) -> Result<BackupStatus, Error> {
        let wallet = self.clone();
        blocking(move || {
            let mut current = wallet
                .backup_target
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            let target = match current.as_ref() {
                // Another folder for the same data folder: same writer id.
                Some(t) => BackupTarget {
                    folder: folder.clone(),
                    writer_id: t.writer_id.clone(),
                    in_sync: false,
                },
                None => BackupTarget::new(folder.clone()),
            };
            let prepared = match BackupFolder::prepare(
                &folder,
                wallet.network,
                wallet.backup_keys.clone(),
                &target.writer_id,
            ) {
                // Another data folder wrote it (or this one, before its record was lost). It
                // may be taken over only if it holds no channel this wallet does not know: an
                // empty node must never replace a backup of real channels.
                Err(BackupError::OtherWriter { folder: theirs }) => {
                    let mut existing =
                        BackupFolder::find(&folder, wallet.network, wallet.backup_keys.clone())?;
                    let ours: std::collections::BTreeSet<String> =
                        KVStoreSync::list(&*wallet.store, "monitors", "")
                            .map_err(|e| BackupError::Unreadable {
                                folder: wallet.dir.node_dir().display().to_string(),
                                reason: e.to_string(),
                            })?
                            .into_iter()
                            .collect();
                    if !existing.monitor_keys()?.is_subset(&ours) {
                        return Err(BackupError::OtherWriter { folder: theirs }.into());
                    }
                    existing.take_over(&target.writer_id)?;
                    existing
                }
                other => other?,
            };
            target.save(&wallet.dir.channel_backup_path())?;
            *current = Some(target);
            drop(current);
            wallet.store.attach(prepared);
            wallet
                .store
                .copy_all()
                .map_err(|reason| BackupError::Unwritable {
                    folder: folder.display().to_string(),
                    reason,
                })?;
            Ok(wallet.store.status())
        })
        .await
    }

    /// Looks again for a chosen backup folder that could not be reached, at most every
    /// [`BACKUP_RETRY_INTERVAL`], and copies everything to it once it is back.
    fn retry_backup(&self) {
        let Some(chosen) = self.store.pending_folder() else {
            return;
        };
        {
            let mut last = self
                .backup_retried
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if last.elapsed() < BACKUP_RETRY_INTERVAL {
                return;
            }
            *last = std::time::Instant::now();
        }
        let Some(writer_id) = self
            .backup_target
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|t| t.writer_id.clone())
        else {
            return;
        };
        if let Ok(folder) =
            BackupFolder::prepare(&chosen, self.network, self.backup_keys.clone(), &writer_id)
        {
            log::info!("channel backup folder {} is back", chosen.display());
            self.store.attach(folder);
            self.store.mark_behind();
            self.store.copy_in_background();
        }
    }

    pub fn network(&self) -> Network {
        self.network
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

    /// Reads balances, height and activity (local state only, no network round trip).
    pub async fn snapshot(self: &Arc<Self>) -> Result<Snapshot, Error> {
        let node = self.node.clone();
        let backup = self.store.status();
        let server = self.server.status();
        blocking(move || {
            Ok(Snapshot {
                backup,
                server,
                ..read_snapshot(&node)
            })
        })
        .await
    }

    /// Asks the Electrum server for new blocks and transactions now.
    ///
    /// When a background sync is already running, ldk-node's `sync_wallets` waits for it instead
    /// of starting another, and that one may have started before what we want to see (a block
    /// just mined). A second call then starts a round that surely began after this request.
    pub async fn sync(self: &Arc<Self>) -> Result<(), Error> {
        let node = self.node.clone();
        let url = self.electrum_url.clone();
        blocking(move || {
            for _ in 0..2 {
                node.sync_wallets()
                    .map_err(|e| NodeError::from_ldk(e, &url))?;
            }
            Ok(())
        })
        .await
    }

    /// A fresh receive address.
    pub async fn new_address(self: &Arc<Self>) -> Result<String, Error> {
        let node = self.node.clone();
        blocking(move || {
            node.onchain_payment()
                .new_address()
                .map(|a| a.to_string())
                .map_err(|e| NodeError::Ldk(e).into())
        })
        .await
    }

    /// Broadcasts a checked on-chain payment.
    pub async fn send_onchain(
        self: &Arc<Self>,
        plan: OnchainSendPlan,
    ) -> Result<SendOutcome, Error> {
        let node = self.node.clone();
        let network = self.network;
        blocking(move || {
            let address = super::input::parse_address(&plan.address, network)?;
            let fee_rate = FeeRate::from_sat_per_vb(plan.fee_rate_sat_vb);
            let onchain = node.onchain_payment();
            let txid = match plan.amount {
                SendAmount::Exact { amount_sat } => {
                    onchain.send_to_address(&address, amount_sat, fee_rate)
                }
                SendAmount::All => onchain.send_all_to_address(&address, true, fee_rate),
            }
            .map_err(NodeError::Ldk)?;
            let booked = node.payment(&PaymentId(txid_bytes(&txid)));
            let fee_sat = booked
                .as_ref()
                .and_then(|p| p.fee_paid_msat)
                .map(|m| m / 1000);
            let sent_sat = booked
                .and_then(|p| p.amount_msat)
                .map(|m| m / 1000)
                .unwrap_or(plan.send_sat);
            Ok(SendOutcome {
                txid: txid.to_string(),
                sent_sat,
                fee_sat,
            })
        })
        .await
    }

    /// Waits for the next thing worth redrawing for: a node event (booked and acknowledged
    /// here) or a finished background sync.
    pub async fn next_update(self: &Arc<Self>, last_sync: &mut Option<u64>) -> WalletUpdate {
        loop {
            tokio::select! {
                event = self.node.next_event_async() => {
                    let wallet = self.clone();
                    // Book first, then acknowledge; if acknowledging fails ldk-node re-delivers
                    // the event and booking it again changes nothing.
                    let booked = tokio::task::spawn_blocking(move || {
                        let mapped = wallet.book_event(&event);
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

    /// Starts the wallet's own watch, on the app's runtime, for as long as the wallet lives:
    /// every few seconds it asks the Electrum server whether it is there (a change wakes the
    /// update stream; when the server comes back the wallet syncs at once rather than at LDK
    /// Node's next background round) and looks again for a backup folder that was away.
    fn start_watch(self: &Arc<Self>, runtime: &tokio::runtime::Handle) {
        let weak = Arc::downgrade(self);
        runtime.spawn(async move {
            loop {
                tokio::time::sleep(super::server::CHECK_INTERVAL).await;
                let Some(wallet) = weak.upgrade() else { return };
                if !wallet.node.status().is_running {
                    return;
                }
                let w = wallet.clone();
                let change = tokio::task::spawn_blocking(move || {
                    w.retry_backup();
                    w.server.check()
                })
                .await
                .ok()
                .flatten();
                if let Some(change) = change {
                    wallet.server_changed.notify_one();
                    if change == super::server::Change::CameBack {
                        if let Err(e) = wallet.sync().await {
                            log::warn!("sync after the server came back: {e}");
                        }
                        wallet.server_changed.notify_one();
                    }
                }
            }
        });
    }

    /// Stops the node cleanly (peers told, state persisted), then notes whether the backup got
    /// every write, so the next start copies it whole only when it may have missed some.
    pub async fn stop(self: &Arc<Self>) -> Result<(), Error> {
        let wallet = self.clone();
        blocking(move || {
            match wallet.node.stop() {
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
                .spawn(move || drop(node));
        }
    }
}

/// Takes up the recorded backup before the node starts. A folder that cannot be reached (the
/// stick not plugged in) does not keep the wallet closed: the backup shows as failing and is
/// looked for again while the wallet runs. One that may have missed writes is copied whole.
fn attach_backup(
    dir: &NetworkDir,
    store: &Arc<MirrorStore>,
    keys: &Arc<BackupKeys>,
    mut target: BackupTarget,
) -> BackupTarget {
    let complete = target.in_sync;
    match BackupFolder::prepare(
        &target.folder,
        dir.network(),
        keys.clone(),
        &target.writer_id,
    ) {
        Ok(folder) => {
            store.attach(folder);
            if !complete {
                store.mark_behind();
                store.copy_in_background();
            }
        }
        Err(e) => store.attach_later(target.folder.clone(), e.to_string()),
    }
    // Until a clean stop says otherwise, a crash may leave the backup behind.
    target.in_sync = false;
    if let Err(e) = target.save(&dir.channel_backup_path()) {
        store.mark_failing(e.to_string());
    }
    target
}

/// Reads a backup to restore from, whole, before anything is written: the node's data folder
/// must be empty, the backup must be this wallet's, and every entry must open.
fn read_backup(
    dir: &NetworkDir,
    chosen: &std::path::Path,
    mnemonic: &Mnemonic,
) -> Result<(BackupFolder, super::store::backup::Entries), Error> {
    if MirrorStore::database_path(&dir.node_dir()).exists() {
        return Err(BackupError::NotEmpty {
            folder: dir.node_dir().display().to_string(),
        }
        .into());
    }
    let seed = zeroize::Zeroizing::new(mnemonic.to_seed(""));
    let keys = Arc::new(BackupKeys::from_seed(&seed));
    let folder = BackupFolder::find(chosen, dir.network(), keys)?;
    let entries = folder.read_all()?;
    Ok((folder, entries))
}

/// Writes a backup's entries as the node's data, in a fresh folder renamed into place at the
/// end (a cut-off restore leaves no half a node), and records the backup as this wallet's.
fn write_restored(
    dir: &NetworkDir,
    folder: &BackupFolder,
    entries: super::store::backup::Entries,
) -> Result<(), Error> {
    let storage = |e: ldk_node::lightning::io::Error| NodeError::Storage {
        folder: dir.node_dir().display().to_string(),
        reason: e.to_string(),
    };
    let staging = dir.path().join("node.restoring");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| storage(e.into()))?;
    }
    {
        let store = MirrorStore::open(&staging).map_err(storage)?;
        for (name, value) in entries {
            KVStoreSync::write(&*store, &name.primary, &name.secondary, &name.key, value)
                .map_err(storage)?;
        }
    }
    std::fs::rename(&staging, dir.node_dir()).map_err(|e| storage(e.into()))?;
    super::store::files::sync_folder(dir.path()).map_err(|e| storage(e.into()))?;
    BackupTarget {
        folder: folder.chosen().to_path_buf(),
        writer_id: folder.writer_id().to_string(),
        in_sync: true,
    }
    .save(&dir.channel_backup_path())?;
    Ok(())
}

fn txid_bytes(txid: &Txid) -> [u8; 32] {
    use ldk_node::bitcoin::hashes::Hash;
    txid.to_byte_array()
}

fn read_snapshot(node: &Node) -> Snapshot {
    let balances = node.list_balances();
    let status = node.status();
    let height = status.current_best_block.height;
    let mut incoming = 0;
    let mut activity: Vec<OnchainActivity> = node
        .list_payments_with_filter(|p| matches!(p.kind, PaymentKind::Onchain { .. }))
        .into_iter()
        .filter_map(|p| {
            let PaymentKind::Onchain { txid, status } = p.kind else {
                return None;
            };
            let inbound = p.direction == PaymentDirection::Inbound;
            let amount_sat = p.amount_msat.unwrap_or(0) / 1000;
            let (confirmations, time) = match status {
                ConfirmationStatus::Confirmed {
                    height: h,
                    timestamp,
                    ..
                } => (height.saturating_sub(h) + 1, timestamp),
                ConfirmationStatus::Unconfirmed => {
                    if inbound {
                        incoming += amount_sat;
                    }
                    (0, p.latest_update_timestamp)
                }
            };
            Some(OnchainActivity {
                txid: txid.to_string(),
                incoming: inbound,
                amount_sat,
                fee_sat: p.fee_paid_msat.map(|m| m / 1000),
                confirmations,
                time,
            })
        })
        .collect();
    activity.sort_by(|a, b| {
        // Unconfirmed first, then by time, newest first.
        (a.confirmations != 0, std::cmp::Reverse(a.time))
            .cmp(&(b.confirmations != 0, std::cmp::Reverse(b.time)))
    });
    Snapshot {
        balances: Balances {
            onchain_total_sat: balances.total_onchain_balance_sats,
            onchain_incoming_sat: incoming.min(balances.total_onchain_balance_sats),
            onchain_spendable_sat: balances.spendable_onchain_balance_sats,
            anchor_reserve_sat: balances.total_anchor_channels_reserve_sats,
            lightning_sat: balances.total_lightning_balance_sats,
        },
        height,
        last_sync: status.latest_onchain_wallet_sync_timestamp,
        activity,
        backup: BackupStatus::default(),
        server: Default::default(),
    }
}

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NodeError {
    #[error("the node could not be set up: {0}")]
    Build(ldk_node::BuildError),
    #[error("{0}")]
    Ldk(ldk_node::NodeError),
    #[error("the keyring entry belongs to node {found}, but this data folder to {expected}")]
    NodeIdMismatch { expected: String, found: String },
    /// The Electrum server did not answer (down, wrong address, no network).
    #[error("cannot reach the Electrum server {url}")]
    ServerUnreachable { url: String },
    /// The wallet ran from this folder before, but its node data is gone.
    #[error("the node data in {folder} is missing")]
    NodeDataMissing { folder: String },
    #[error("cannot use the node data in {folder}: {reason}")]
    Storage { folder: String, reason: String },
}

impl NodeError {
    /// Names the server when ldk-node's error means "the chain source did not answer".
    fn from_ldk(e: ldk_node::NodeError, electrum_url: &str) -> Self {
        use ldk_node::NodeError as E;
        match e {
            E::ConnectionFailed
            | E::FeerateEstimationUpdateFailed
            | E::FeerateEstimationUpdateTimeout
            | E::WalletOperationTimeout
            | E::TxSyncFailed
            | E::TxSyncTimeout => NodeError::ServerUnreachable {
                url: electrum_url.to_string(),
            },
            other => NodeError::Ldk(other),
        }
    }
}

//! Regtest harness: a real bitcoind + electrs on loopback (temporary folders), the real system
//! keyring (Secret Service; scripts/test.sh runs an unlocked GNOME Keyring in a private D-Bus
//! session), and wallets opened through Shandian's `core`, exactly as the app does.

#![allow(dead_code)]

pub mod backup;
pub mod child;
pub mod drill;
pub mod electrum_proxy;
pub mod lab;
pub mod old_peer;
pub mod transactions;

pub use transactions::*;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use shandian::core::keys::secrets::Keyring;
use shandian::core::store::dirs::{DataRoot, NetworkDir};
use shandian::core::wallet::{CreateRequest, OpenRequest, Snapshot, Wallet};
use shandian::core::Network;
use shandian::lab::chain::LocalChain;
use shandian::lab::peer::{PeerNode, PeerOptions};

pub const WAIT: Duration = Duration::from_secs(90);

/// One local chain per test.
pub async fn start_chain() -> Arc<LocalChain> {
    let chain = tokio::task::spawn_blocking(|| LocalChain::start(None))
        .await
        .unwrap()
        .expect("bitcoind and electrs start (scripts/regtest-tools.sh builds them)");
    Arc::new(chain)
}

/// A fresh data root in a temporary folder.
pub fn temp_root() -> (tempfile::TempDir, DataRoot, NetworkDir) {
    let tmp = tempfile::tempdir().unwrap();
    let root = DataRoot::at(tmp.path().join("shandian"));
    let dir = root.network_dir(Network::Regtest).unwrap();
    (tmp, root, dir)
}

/// Creates a wallet with a new mnemonic, stored in the real keyring.
pub async fn create_wallet(
    dir: &NetworkDir,
    chain: &LocalChain,
) -> (Arc<Wallet>, ldk_node::bip39::Mnemonic) {
    let mnemonic = shandian::core::keys::seed::generate();
    let wallet = Wallet::create(CreateRequest {
        dir: dir.clone(),
        lock: dir.lock().expect("the folder is free"),
        mnemonic: mnemonic.clone(),
        electrum_url: chain.electrum_url(),
        keyring: Keyring::Os,
        restore_from: None,
    })
    .await
    .expect("wallet created");
    (wallet, mnemonic)
}

/// Creates a wallet whose channel backup goes to a new temporary folder (the "USB stick").
pub async fn create_wallet_with_backup(
    dir: &NetworkDir,
    chain: &LocalChain,
) -> (Arc<Wallet>, ldk_node::bip39::Mnemonic, tempfile::TempDir) {
    let (wallet, mnemonic) = create_wallet(dir, chain).await;
    let usb = tempfile::tempdir().unwrap();
    let status = wallet
        .choose_backup(shandian::core::store::backup::BackupPlace::Folder {
            folder: usb.path().to_path_buf(),
        })
        .await
        .expect("the backup folder is taken");
    assert!(status.is_working(), "{status:?}");
    (wallet, mnemonic, usb)
}

/// Opens the wallet recorded in `dir`, reading the mnemonic from the real keyring.
pub async fn open_wallet(dir: &NetworkDir, chain: &LocalChain) -> Arc<Wallet> {
    let meta = dir.load_wallet().unwrap().expect("a wallet is recorded");
    Wallet::open(OpenRequest {
        dir: dir.clone(),
        lock: dir.lock().expect("the folder is free"),
        meta,
        electrum_url: chain.electrum_url(),
        keyring: Keyring::Os,
    })
    .await
    .expect("wallet opens")
}

/// How a wait looks between reads: syncs first or not, and how long it waits at most for the
/// wallet's next update (an event or a finished sync) before reading again.
#[derive(Clone, Copy)]
pub struct Pace {
    pub sync: bool,
    pub at_most: Duration,
}

/// Reads with `read` until `check` holds, or fails after `WAIT` saying `what` and what the last
/// read found. Between reads it waits for the wallet's next update (never a fixed sleep), at most
/// `pace.at_most`, syncing first when `pace.sync`.
pub async fn wait_until<T, F>(
    wallet: &Arc<Wallet>,
    what: &str,
    pace: Pace,
    read: impl Fn() -> F,
    check: impl Fn(&T) -> bool,
) -> T
where
    T: std::fmt::Debug,
    F: Future<Output = T>,
{
    let result = tokio::time::timeout(WAIT, async {
        loop {
            if pace.sync {
                sync_tolerantly(wallet).await;
            }
            let found = read().await;
            if check(&found) {
                return found;
            }
            let mut last = wallet.snapshot().await.ok().and_then(|s| s.last_sync);
            let _ = tokio::time::timeout(pace.at_most, wallet.next_update(&mut last)).await;
        }
    })
    .await;
    match result {
        Ok(found) => found,
        Err(_) => {
            let now = read().await;
            panic!("timed out waiting for: {what}; now: {now:#?}")
        }
    }
}

/// Syncs and reads until `check` holds, or fails after `WAIT`.
pub async fn wait_for_snapshot(
    wallet: &Arc<Wallet>,
    what: &str,
    check: impl Fn(&Snapshot) -> bool,
) -> Snapshot {
    let pace = Pace {
        sync: true,
        at_most: Duration::from_secs(3),
    };
    let read = || async { wallet.snapshot().await.expect("snapshot") };
    wait_until(wallet, what, pace, read, check).await
}

/// Runs blocking chain calls off the async workers.
pub async fn on_chain<T: Send + 'static>(
    chain: &Arc<LocalChain>,
    f: impl FnOnce(&LocalChain) -> T + Send + 'static,
) -> T {
    let chain = chain.clone();
    tokio::task::spawn_blocking(move || f(&chain))
        .await
        .unwrap()
}

pub async fn with_timeout<T>(what: &str, fut: impl Future<Output = T>) -> T {
    with_timeout_of(WAIT, what, fut).await
}

/// [`with_timeout`] with a limit of its own.
pub async fn with_timeout_of<T>(limit: Duration, what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(limit, fut)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

/// A second, independent LDK node on loopback (its own keys in a temporary folder), as the
/// Lab runs it, funded with a mature coinbase (it needs on-chain funds to accept anchor
/// channels).
pub async fn start_peer(chain: &Arc<LocalChain>) -> Arc<shandian::lab::peer::PeerNode> {
    start_peer_with(chain, true, Some("test-peer")).await
}

/// `funded`: give it a coinbase first; `alias`: without one it refuses public channels.
pub async fn start_peer_with(
    chain: &Arc<LocalChain>,
    funded: bool,
    alias: Option<&'static str>,
) -> Arc<shandian::lab::peer::PeerNode> {
    let options = PeerOptions {
        alias: alias.map(str::to_string),
        ..PeerOptions::default()
    };
    start_peer_on(chain, &chain.electrum_url(), options, funded).await
}

/// A peer of any kind, talking to the chain through `electrum_url` (the test's electrs, or a
/// proxy in front of it).
pub async fn start_peer_on(
    chain: &Arc<LocalChain>,
    electrum_url: &str,
    options: PeerOptions,
    funded: bool,
) -> Arc<shandian::lab::peer::PeerNode> {
    let url = electrum_url.to_string();
    let runtime = tokio::runtime::Handle::current();
    let peer = tokio::task::spawn_blocking(move || {
        shandian::lab::peer::PeerNode::start(None, &url, options, runtime)
    })
    .await
    .unwrap()
    .expect("peer node starts");
    let peer = Arc::new(peer);
    if funded {
        let p = peer.clone();
        let address = tokio::task::spawn_blocking(move || p.new_address())
            .await
            .unwrap()
            .unwrap();
        on_chain(chain, move |c| c.fund(&address)).await.unwrap();
        wait_for_peer(&peer, "the peer's coinbase to be spendable", |n| {
            n.list_balances().spendable_onchain_balance_sats > 0
        })
        .await;
    }
    peer
}

/// Syncs the peer and checks its state until `check` holds; between rounds waits for the
/// peer's next event (or a few seconds, for chain changes that raise none).
pub async fn wait_for_peer(
    peer: &Arc<shandian::lab::peer::PeerNode>,
    what: &str,
    check: impl Fn(&ldk_node::Node) -> bool + Send + Sync + 'static,
) {
    let check = Arc::new(check);
    let result = tokio::time::timeout(WAIT, async {
        let mut events = peer.events();
        loop {
            events.mark_unchanged();
            let (p, c) = (peer.clone(), check.clone());
            let done = tokio::task::spawn_blocking(move || {
                if let Err(e) = p.sync() {
                    eprintln!("peer sync round failed, trying again: {e}");
                }
                c(p.node())
            })
            .await
            .unwrap();
            if done {
                return;
            }
            let _ = tokio::time::timeout(Duration::from_secs(3), events.changed()).await;
        }
    })
    .await;
    if result.is_err() {
        panic!("timed out waiting for the peer: {what}");
    }
}

/// Syncs and reads the channel overview until `check` holds, or fails after `WAIT`.
pub async fn wait_for_channels(
    wallet: &Arc<Wallet>,
    what: &str,
    check: impl Fn(&shandian::core::lightning::channels::ChannelsOverview) -> bool,
) -> shandian::core::lightning::channels::ChannelsOverview {
    let pace = Pace {
        sync: true,
        at_most: Duration::from_secs(3),
    };
    let read = || async { wallet.channels().await.expect("channels") };
    wait_until(wallet, what, pace, read, check).await
}

/// Mines `blocks` and waits until electrs has them.
pub async fn mine(chain: &Arc<LocalChain>, blocks: u32) -> u64 {
    on_chain(chain, move |c| c.mine(blocks)).await.unwrap()
}

/// What the wallet can spend on chain now.
pub async fn spendable(wallet: &Arc<Wallet>) -> u64 {
    wallet
        .snapshot()
        .await
        .unwrap()
        .balances
        .onchain_spendable_sat
}

/// A new wallet funded with one mature coinbase.
pub async fn funded_wallet(chain: &Arc<LocalChain>, dir: &NetworkDir) -> Arc<Wallet> {
    let (wallet, _) = create_wallet(dir, chain).await;
    let address = wallet.new_address().await.unwrap();
    on_chain(chain, move |c| c.fund(&address)).await.unwrap();
    wait_for_snapshot(&wallet, "the coinbase to be spendable", |s| {
        s.balances.onchain_spendable_sat > 0
    })
    .await;
    wallet
}

/// A test's own chain, a funded wallet in a temporary folder, and a funded peer.
pub struct Setup {
    pub chain: Arc<LocalChain>,
    pub wallet: Arc<Wallet>,
    pub peer: Arc<shandian::lab::peer::PeerNode>,
    /// The wallet's folder lives as long as the setup.
    _folder: (tempfile::TempDir, DataRoot),
}

pub async fn setup() -> Setup {
    let chain = start_chain().await;
    let (tmp, root, dir) = temp_root();
    let wallet = funded_wallet(&chain, &dir).await;
    let peer = start_peer(&chain).await;
    Setup {
        chain,
        wallet,
        peer,
        _folder: (tmp, root),
    }
}

/// Stops the peer before its temporary folder goes away.
pub async fn stop_peer(peer: &Arc<shandian::lab::peer::PeerNode>) {
    let p = peer.clone();
    tokio::task::spawn_blocking(move || p.stop()).await.unwrap();
}

/// Opens a channel from `wallet` to `peer` and mines until both sides call it ready.
pub async fn open_ready_channel(
    chain: &Arc<LocalChain>,
    wallet: &Arc<Wallet>,
    peer: &Arc<shandian::lab::peer::PeerNode>,
    capacity_sat: u64,
    push_sat: u64,
) -> shandian::core::lightning::channels::Channel {
    let ready = open_ready_channel_to(chain, wallet, &peer.uri(), capacity_sat, push_sat).await;
    wait_for_peer(peer, "the peer to see the channel usable", |n| {
        n.list_channels().iter().any(|c| c.is_usable)
    })
    .await;
    ready
}

/// Opens a channel from the wallet to the node at `uri` (`pubkey@host:port`), mines it in and
/// waits until the wallet has it active.
pub async fn open_ready_channel_to(
    chain: &Arc<LocalChain>,
    wallet: &Arc<Wallet>,
    uri: &str,
    capacity_sat: u64,
    push_sat: u64,
) -> shandian::core::lightning::channels::Channel {
    let spendable = spendable(wallet).await;
    let req = shandian::core::lightning::channels::OpenChannelRequest::check(
        uri,
        &capacity_sat.to_string(),
        &push_sat.to_string(),
        false,
        spendable,
    )
    .unwrap();
    let id = wallet
        .open_channel(req)
        .await
        .expect("channel opening starts");
    let opening = wait_for_channels(wallet, "the funding transaction", |o| {
        o.get(&id).is_some_and(|c| c.funding_outpoint.is_some())
    })
    .await;
    assert!(
        matches!(
            opening.get(&id).unwrap().status,
            shandian::core::lightning::channels::ChannelStatus::Opening { .. }
        ),
        "{opening:#?}"
    );
    let funding_txid = opening.get(&id).unwrap().funding_outpoint.clone().unwrap();
    let funding_txid = funding_txid.split(':').next().unwrap().to_string();
    wait_for_tx(chain, &funding_txid).await;
    mine(chain, 6).await;
    let ready = wait_for_channels(wallet, "the channel to be active", |o| {
        o.get(&id)
            .is_some_and(|c| c.status == shandian::core::lightning::channels::ChannelStatus::Active)
    })
    .await;
    ready.get(&id).unwrap().clone()
}

/// An invoice of the peer.
pub async fn peer_invoice(
    peer: &Arc<shandian::lab::peer::PeerNode>,
    amount_msat: u64,
    expiry_secs: u32,
) -> String {
    use ldk_node::lightning_invoice::{Bolt11InvoiceDescription, Description};
    let p = peer.clone();
    tokio::task::spawn_blocking(move || {
        let d = Bolt11InvoiceDescription::Direct(Description::new("from the peer".into()).unwrap());
        p.node()
            .bolt11_payment()
            .receive(amount_msat, &d, expiry_secs)
            .unwrap()
            .to_string()
    })
    .await
    .unwrap()
}

/// The time since the Unix epoch, as the paste parser takes it.
pub fn now() -> Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
}

/// Reads `request` as the Send field does and starts paying it; the payment's id, or the
/// wallet's refusal.
pub async fn start_paying(
    wallet: &Arc<Wallet>,
    request: &str,
) -> Result<String, shandian::core::Error> {
    let target =
        shandian::core::input::paste::parse_payment(request, Network::Regtest, now()).unwrap();
    wallet.pay(target, None, None).await
}

/// Pays the peer `amount_msat` over our channel and waits for the success event.
pub async fn pay_peer(
    wallet: &Arc<Wallet>,
    peer: &Arc<shandian::lab::peer::PeerNode>,
    amount_msat: u64,
) -> shandian::core::lightning::payments::PaymentRecord {
    let invoice = peer_invoice(peer, amount_msat, 3600).await;
    let id = start_paying(wallet, &invoice)
        .await
        .expect("payment starts");
    wait_for_payment(
        wallet,
        &id,
        shandian::core::lightning::payments::PaymentState::Succeeded,
    )
    .await
}

/// Waits until our payment `id` reaches `state`, on the wallet's own events.
pub async fn wait_for_payment(
    wallet: &Arc<Wallet>,
    id: &str,
    state: shandian::core::lightning::payments::PaymentState,
) -> shandian::core::lightning::payments::PaymentRecord {
    let pace = Pace {
        sync: false,
        at_most: Duration::from_secs(3),
    };
    let read = || async { wallet.payment(id.to_string()).await.expect("payment") };
    let what = format!("payment {id} to be {state:?}");
    wait_until(wallet, &what, pace, read, |p| {
        p.as_ref().is_some_and(|p| p.status == state)
    })
    .await
    .expect("checked above")
}

/// Reads the wallet's view of the channel graph until `check` holds. Gossip raises no event:
/// between reads it waits for the wallet's next update or a second, whichever comes first.
pub async fn wait_for_network(
    wallet: &Arc<Wallet>,
    what: &str,
    check: impl Fn(&shandian::core::lightning::graph::GraphView) -> bool,
) -> shandian::core::lightning::graph::GraphView {
    let pace = Pace {
        sync: false,
        at_most: Duration::from_secs(1),
    };
    let read = || async { wallet.graph().await.expect("network view") };
    wait_until(wallet, what, pace, read, check).await
}

/// Runs a test body on its own multi-threaded runtime. At the end, blocking tasks that cannot
/// finish (an ldk-node sync waiting on an Electrum server the test already stopped) are
/// abandoned after a few seconds instead of holding the test forever, as dropping a runtime
/// would; a panic in the body still fails the test.
pub fn run<F: Future>(body: F) -> F::Output {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rt.block_on(body)));
    rt.shutdown_timeout(Duration::from_secs(10));
    match outcome {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Syncs, tolerating a timed-out round: on a loaded two-core machine ldk-node's Electrum calls
/// sometimes time out; the waits above give up only at their own deadline.
pub async fn sync_tolerantly(wallet: &Arc<Wallet>) {
    if let Err(e) = wallet.sync().await {
        eprintln!("sync round failed, trying again: {e}");
    }
}

/// The peer pays `invoice` and we wait for the peer's own verdict, so a refusal on our side
/// fails the test with the peer's words rather than a timeout.
pub async fn peer_pays(peer: &Arc<PeerNode>, invoice: &str) -> Result<(), String> {
    let invoice: ldk_node::lightning_invoice::Bolt11Invoice = invoice.parse().unwrap();
    // A payment that just succeeded stays in flight until both sides have signed its removal;
    // a person paying again a moment later meets the same wait.
    let amount_msat = invoice.amount_milli_satoshis().unwrap_or(0);
    wait_for_peer(
        peer,
        "room in the peer's channel for the payment",
        move |n| {
            n.list_channels()
                .iter()
                .any(|c| c.is_usable && c.next_outbound_htlc_limit_msat >= amount_msat)
        },
    )
    .await;
    let p = peer.clone();
    let id = tokio::task::spawn_blocking(move || p.node().bolt11_payment().send(&invoice, None))
        .await
        .unwrap()
        .map_err(|e| format!("the peer could not start the payment: {e}"))?;
    wait_for_peer(peer, "the peer's payment to end", move |n| {
        n.payment(&id)
            .is_some_and(|p| p.status != ldk_node::payment::PaymentStatus::Pending)
    })
    .await;
    match peer.node().payment(&id).map(|p| p.status) {
        Some(ldk_node::payment::PaymentStatus::Succeeded) => Ok(()),
        other => Err(format!("the peer's payment ended {other:?}")),
    }
}

/// A channel `peer` opened to our wallet and funded alone, once active on both sides.
pub async fn channel_from(
    chain: &Arc<LocalChain>,
    wallet: &Arc<Wallet>,
    peer: &Arc<PeerNode>,
    capacity_sat: u64,
) -> shandian::core::lightning::channels::Channel {
    let us = wallet.public_key();
    let address = wallet.listening_address().expect("the wallet listens");
    let p = peer.clone();
    tokio::task::spawn_blocking(move || p.open_channel_to(us, address, capacity_sat, 0, false))
        .await
        .unwrap()
        .expect("the peer opens a channel to us");
    let peer_id = peer.node().node_id().to_string();
    let from_peer = |o: &shandian::core::lightning::channels::ChannelsOverview| {
        o.channels
            .iter()
            .find(|c| c.peer == peer_id && c.funding_outpoint.is_some())
            .cloned()
    };
    let pending = wait_for_channels(wallet, "the peer's channel to be funded", |o| {
        from_peer(o).is_some()
    })
    .await;
    let funding = from_peer(&pending).unwrap().funding_outpoint.unwrap();
    wait_for_tx(chain, funding.split(':').next().unwrap()).await;
    mine(chain, 6).await;
    let ready = wait_for_channels(wallet, "the peer's channel to be active", |o| {
        from_peer(o)
            .is_some_and(|c| c.status == shandian::core::lightning::channels::ChannelStatus::Active)
    })
    .await;
    wait_for_peer(peer, "the peer to see the channel usable", |n| {
        n.list_channels().iter().any(|c| c.is_usable)
    })
    .await;
    from_peer(&ready).unwrap()
}

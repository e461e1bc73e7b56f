//! Benchmark, not a test: how fast single-hop Lightning payments go through Shandian's `core`
//! compared with bare ldk-node, in one run on a local regtest chain (loopback).
//!
//! `cargo run --release --example bench_payments` (needs the regtest tools:
//! scripts/regtest-tools.sh, found through `SHANDIAN_TOOLS_DIR` or the default cache).
//!
//! (a) Shandian: a wallet opened through `core` (`Wallet::pay` on what `parse_payment` read,
//!     outcomes from `Wallet::next_update`, as the app does) pays the Lab's peer node.
//! (b) Bare: an ldk-node with default settings pays another (`bolt11_payment().send`, outcomes
//!     from `next_event_async`).
//!
//! Each side has one 2,000,000 sat channel. Figures: latency of 200 sequential 1,000 sat
//! payments (from the pay call to the success event; p50 and p99), then payments per second
//! with 100 payments started at once over the one channel (a payment the channel has no HTLC
//! slot for yet is started again as soon as another finishes, on both sides alike).
//!
//! The wallet's seed sits in keyring-core's in-memory store here: the benchmark measures
//! payments, not the keyring.
//!
//! With `--backup`, side (a) has a channel backup folder (on the same disk), as a person's
//! wallet would: every write of LDK Node's store then also goes, sealed and fsynced, to the
//! backup before LDK goes on. Comparing the two runs' ratios to bare ldk-node shows what the
//! backup costs per payment.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use ldk_node::bitcoin::hex::DisplayHex;
use ldk_node::lightning::ln::msgs::SocketAddress;
use ldk_node::lightning_invoice::{Bolt11Invoice, Bolt11InvoiceDescription, Description};
use ldk_node::{Builder, Event, Node};
use shandian::core::free_loopback_port;
use shandian::core::input::paste::parse_payment;
use shandian::core::keys::secrets::Keyring;
use shandian::core::lightning::channels::ChannelStatus;
use shandian::core::lightning::events::NodeEvent;
use shandian::core::lightning::payments::PaymentError;
use shandian::core::wallet::WalletUpdate;
use shandian::core::wallet::{CreateRequest, Wallet};
use shandian::core::{Error, Network};
use shandian::lab::chain::LocalChain;
use shandian::lab::peer::PeerNode;
use tokio::sync::oneshot;

const CAPACITY_SAT: u64 = 2_000_000;
const AMOUNT_MSAT: u64 = 1_000_000;
const SEQUENTIAL: usize = 200;
const CONCURRENT: usize = 100;

/// Waiters for payment outcomes, by payment hash (hex): ldk-node names an outgoing BOLT11
/// payment by its hash, so a waiter is in place before the payment starts.
type Waiters = Arc<Outcomes>;

#[derive(Default)]
struct Outcomes {
    waiting: Mutex<HashMap<String, oneshot::Sender<Result<(), String>>>>,
    /// Woken whenever a payment ends (a waiting payment may find a free HTLC slot then).
    settled: tokio::sync::Notify,
}

fn finish(waiters: &Waiters, id: &str, outcome: Result<(), String>) {
    if let Some(tx) = waiters.waiting.lock().unwrap().remove(id) {
        let _ = tx.send(outcome);
    }
    waiters.settled.notify_waiters();
}

/// What the two sides have in common: make the payee's invoices, start a payment.
trait Payer: Send + Sync + 'static {
    /// Starts paying; `Ok(false)` when the channel has no free HTLC slot right now.
    fn start(
        self: &Arc<Self>,
        invoice: String,
    ) -> impl std::future::Future<Output = anyhow::Result<bool>> + Send;
}

struct Shandian(Arc<Wallet>);

impl Payer for Shandian {
    async fn start(self: &Arc<Self>, invoice: String) -> anyhow::Result<bool> {
        let now = Duration::from_secs(shandian::core::now());
        let target = parse_payment(&invoice, Network::Regtest, now)?;
        match self.0.pay(target, None, None).await {
            Ok(_) => Ok(true),
            // All HTLC slots taken: nothing can be sent until one settles.
            Err(Error::Payment(PaymentError::NoRoute | PaymentError::AboveOutbound { .. })) => {
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }
}

struct Bare(Arc<Node>);

impl Payer for Bare {
    async fn start(self: &Arc<Self>, invoice: String) -> anyhow::Result<bool> {
        let node = self.0.clone();
        let invoice: Bolt11Invoice = invoice.parse()?;
        let sent =
            tokio::task::spawn_blocking(move || node.bolt11_payment().send(&invoice, None)).await?;
        match sent {
            Ok(_) => Ok(true),
            Err(ldk_node::NodeError::PaymentSendingFailed) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let chain = Arc::new(
        tokio::task::spawn_blocking(|| LocalChain::start(None))
            .await?
            .context("the regtest tools (scripts/regtest-tools.sh)")?,
    );
    let data = tempfile::tempdir()?;

    // (a) Shandian's core → the Lab's peer.
    let root = shandian::core::store::dirs::DataRoot::at(data.path().join("shandian"));
    let dir = root.network_dir(Network::Regtest)?;
    let store = keyring_core::mock::Store::new()?;
    let wallet = Wallet::create(CreateRequest {
        lock: dir.lock()?,
        dir,
        mnemonic: shandian::core::keys::seed::generate(),
        electrum_url: chain.electrum_url(),
        keyring: Keyring::Fixed(store),
        restore_from: None,
    })
    .await?;
    let with_backup = std::env::args().any(|a| a == "--backup");
    if with_backup {
        let usb = data.path().join("backup");
        std::fs::create_dir_all(&usb)?;
        let status = wallet.choose_backup_folder(usb).await?;
        anyhow::ensure!(status.is_working(), "the backup folder works: {status:?}");
    }
    let (url, rt) = (chain.electrum_url(), tokio::runtime::Handle::current());
    let payee_a = Arc::new(
        tokio::task::spawn_blocking(move || {
            let options = shandian::lab::peer::PeerOptions {
                alias: Some("payee".into()),
                ..Default::default()
            };
            PeerNode::start(None, &url, options, rt)
        })
        .await??,
    );
    let address = wallet.new_address().await?;
    on_chain(&chain, move |c| c.fund(&address)).await?;
    let w = wallet.clone();
    wait_until("the wallet's coinbase to be spendable", move || {
        let w = w.clone();
        async move {
            let _ = w.sync().await;
            Ok(w.snapshot().await?.balances.onchain_spendable_sat > 2 * CAPACITY_SAT)
        }
    })
    .await?;

    // (b) Bare ldk-node → bare ldk-node, default settings.
    let payer_b = bare_node(&chain, &data.path().join("bare-payer"))?;
    let payee_b = bare_node(&chain, &data.path().join("bare-payee"))?;
    // Every LDK node gets a coinbase: accepting an anchor channel needs an on-chain reserve.
    for (node, what) in [
        (payer_b.clone(), "the bare payer's coinbase"),
        (payee_b.clone(), "the bare payee's coinbase"),
        (payee_a.node_arc(), "the payee's coinbase"),
    ] {
        let address = node.onchain_payment().new_address()?.to_string();
        on_chain(&chain, move |c| c.fund(&address)).await?;
        wait_until(what, move || {
            let n = node.clone();
            async move {
                Ok(tokio::task::spawn_blocking(move || {
                    let _ = n.sync_wallets();
                    n.list_balances().spendable_onchain_balance_sats > 2 * CAPACITY_SAT
                })
                .await?)
            }
        })
        .await?;
    }
    let spendable = wallet.snapshot().await?.balances.onchain_spendable_sat;
    let req = shandian::core::lightning::channels::OpenRequest::check(
        &payee_a.uri(),
        &CAPACITY_SAT.to_string(),
        "0",
        false,
        spendable,
    )?;
    wallet.open_channel(req).await?;
    {
        let (p, payee) = (payer_b.clone(), payee_b.clone());
        tokio::task::spawn_blocking(move || {
            let address = payee.listening_addresses().and_then(|a| a.first().cloned());
            p.open_channel(
                payee.node_id(),
                address.context("the payee listens")?,
                CAPACITY_SAT,
                None,
                None,
            )?;
            anyhow::Ok(())
        })
        .await??;
    }

    // Both funding transactions out, then confirmed.
    wait_until("both funding transactions in the mempool", || {
        let c = chain.clone();
        async move {
            let pool = on_chain(&c, |c| c.rpc("getrawmempool", &[])).await?;
            Ok(pool.as_array().map_or(0, Vec::len) >= 2)
        }
    })
    .await?;
    on_chain(&chain, |c| c.mine(6)).await?;
    let (w, a, pb, b) = (
        wallet.clone(),
        payee_a.clone(),
        payer_b.clone(),
        payee_b.clone(),
    );
    wait_until("all four sides to call their channel usable", move || {
        let (w, a, pb, b) = (w.clone(), a.clone(), pb.clone(), b.clone());
        async move {
            let _ = w.sync().await;
            let ours = w
                .channels()
                .await?
                .channels
                .iter()
                .any(|c| c.status == ChannelStatus::Active);
            let others = tokio::task::spawn_blocking(move || {
                let _ = a.sync();
                let _ = pb.sync_wallets();
                let _ = b.sync_wallets();
                let usable = |n: &Node| n.list_channels().iter().any(|c| c.is_usable);
                usable(a.node()) && usable(&pb) && usable(&b)
            })
            .await?;
            Ok(ours && others)
        }
    })
    .await?;

    // Outcome pumps.
    let waiters_a: Waiters = Arc::default();
    {
        let (w, waiters) = (wallet.clone(), waiters_a.clone());
        tokio::spawn(async move {
            let mut last = None;
            loop {
                match w.next_update(&mut last).await {
                    WalletUpdate::Event(NodeEvent::PaymentSent { id: Some(id), .. }) => {
                        finish(&waiters, &id, Ok(()))
                    }
                    WalletUpdate::Event(NodeEvent::PaymentFailed {
                        id: Some(id),
                        reason,
                    }) => finish(&waiters, &id, Err(format!("{reason:?}"))),
                    _ => {}
                }
            }
        });
    }
    let waiters_b: Waiters = Arc::default();
    {
        // The bare payee handles its events too (as the Lab's peer does), or its event
        // queue grows and is written out whole with each new event.
        let n = payee_b.clone();
        std::thread::spawn(move || loop {
            let _ = n.wait_next_event();
            if n.event_handled().is_err() {
                return;
            }
        });
    }
    {
        // ldk-node's own synchronous event loop, on a thread of its own.
        let (n, waiters) = (payer_b.clone(), waiters_b.clone());
        std::thread::spawn(move || loop {
            let event = n.wait_next_event();
            if n.event_handled().is_err() {
                return;
            }
            match event {
                Event::PaymentSuccessful {
                    payment_id: Some(id),
                    ..
                } => finish(&waiters, &id.0.to_lower_hex_string(), Ok(())),
                Event::PaymentFailed {
                    payment_id: Some(id),
                    reason,
                    ..
                } => finish(
                    &waiters,
                    &id.0.to_lower_hex_string(),
                    Err(format!("{reason:?}")),
                ),
                _ => {}
            }
        });
    }
    let shandian = Arc::new(Shandian(wallet.clone()));
    let bare = Arc::new(Bare(payer_b.clone()));
    // Warm both paths up (first route, first commitment update) before measuring.
    for _ in 0..5 {
        pay_one(&shandian, payee_a.node(), &waiters_a).await?;
        pay_one(&bare, &payee_b, &waiters_b).await?;
    }
    eprintln!("warmed up; {SEQUENTIAL} sequential payments on each side");
    // Interleaved, so both see the same machine load.
    let (mut lat_a, mut lat_b) = (Vec::new(), Vec::new());
    for _ in 0..SEQUENTIAL {
        lat_a.push(pay_one(&shandian, payee_a.node(), &waiters_a).await?);
        lat_b.push(pay_one(&bare, &payee_b, &waiters_b).await?);
    }
    eprintln!("{CONCURRENT} payments at once on each side");
    let (tput_a, waited_a) = burst(&shandian, payee_a.node(), &waiters_a).await?;
    let (tput_b, waited_b) = burst(&bare, &payee_b, &waiters_b).await?;

    let (p50_a, p99_a) = (percentile(&mut lat_a, 50.0), percentile(&mut lat_a, 99.0));
    let (p50_b, p99_b) = (percentile(&mut lat_b, 50.0), percentile(&mut lat_b, 99.0));
    println!(
        "single-hop payments on regtest loopback, {SEQUENTIAL} sequential, {CONCURRENT} at once{}",
        if with_backup {
            ", Shandian with a channel backup folder"
        } else {
            ", Shandian without a backup folder"
        }
    );
    println!(
        "{:<28}{:>14}{:>14}{:>10}",
        "", "Shandian core", "bare ldk-node", "ratio"
    );
    println!(
        "{:<28}{:>11.1} ms{:>11.1} ms{:>10.3}",
        "latency p50",
        ms(p50_a),
        ms(p50_b),
        ms(p50_a) / ms(p50_b)
    );
    println!(
        "{:<28}{:>11.1} ms{:>11.1} ms{:>10.3}",
        "latency p99",
        ms(p99_a),
        ms(p99_b),
        ms(p99_a) / ms(p99_b)
    );
    println!(
        "{:<28}{:>12.1}/s{:>12.1}/s{:>10.3}",
        "throughput (100 at once)",
        tput_a,
        tput_b,
        tput_a / tput_b
    );
    println!(
        "payments started more than once (no free HTLC slot yet, or LDK gave up on a full \
         channel): Shandian {waited_a}, bare {waited_b}"
    );

    wallet.stop().await?;
    let (a, pb, b) = (payee_a.clone(), payer_b.clone(), payee_b.clone());
    tokio::task::spawn_blocking(move || {
        a.stop();
        let _ = pb.stop();
        let _ = b.stop();
    })
    .await?;
    Ok(())
}

/// An ldk-node as its README starts one: defaults, our chain, a loopback port.
fn bare_node(chain: &LocalChain, dir: &std::path::Path) -> anyhow::Result<Arc<Node>> {
    let mut b = Builder::new();
    b.set_network(ldk_node::bitcoin::Network::Regtest);
    b.set_storage_dir_path(dir.display().to_string());
    b.set_chain_source_electrum(chain.electrum_url(), None);
    b.set_listening_addresses(vec![SocketAddress::TcpIpV4 {
        addr: [127, 0, 0, 1],
        port: free_loopback_port().map_err(anyhow::Error::msg)?,
    }])?;
    let node = Arc::new(b.build()?);
    node.start()?;
    Ok(node)
}

async fn invoice(payee: &Node) -> anyhow::Result<String> {
    let d = Bolt11InvoiceDescription::Direct(Description::new("bench".into())?);
    Ok(payee
        .bolt11_payment()
        .receive(AMOUNT_MSAT, &d, 3600)?
        .to_string())
}

fn hash_of(invoice: &str) -> anyhow::Result<String> {
    let i: Bolt11Invoice = invoice.parse()?;
    Ok(i.payment_hash().to_string())
}

/// One payment, timed from the pay call to its success event.
async fn pay_one<P: Payer>(
    payer: &Arc<P>,
    payee: &Node,
    waiters: &Waiters,
) -> anyhow::Result<Duration> {
    let invoice = invoice(payee).await?;
    let (tx, rx) = oneshot::channel();
    waiters
        .waiting
        .lock()
        .unwrap()
        .insert(hash_of(&invoice)?, tx);
    let start = Instant::now();
    if !payer.start(invoice).await? {
        bail!("no route over an idle channel");
    }
    if let Err(reason) = tokio::time::timeout(Duration::from_secs(60), rx).await?? {
        bail!("a payment failed: {reason}");
    }
    Ok(start.elapsed())
}

/// `CONCURRENT` payments started together; returns payments per second and how many had to
/// wait for an HTLC slot.
async fn burst<P: Payer>(
    payer: &Arc<P>,
    payee: &Node,
    waiters: &Waiters,
) -> anyhow::Result<(f64, usize)> {
    let mut invoices = Vec::new();
    for _ in 0..CONCURRENT {
        invoices.push(invoice(payee).await?);
    }
    let waited = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for inv in invoices {
        let (payer, waiters, waited) = (payer.clone(), waiters.clone(), waited.clone());
        tasks.push(tokio::spawn(async move {
            let mut counted = false;
            loop {
                let (tx, rx) = oneshot::channel();
                waiters.waiting.lock().unwrap().insert(hash_of(&inv)?, tx);
                if payer.start(inv.clone()).await? {
                    // An error: LDK gave up after the channel filled up under it (its retry
                    // found no free slot); the same invoice may be paid again.
                    if tokio::time::timeout(Duration::from_secs(120), rx)
                        .await??
                        .is_ok()
                    {
                        return anyhow::Ok(());
                    }
                } else {
                    waiters.waiting.lock().unwrap().remove(&hash_of(&inv)?);
                }
                if !counted {
                    waited.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    counted = true;
                }
                // The channel is full: try again once a payment ends (or after a moment, in
                // case that happened just before we started listening).
                let _ = tokio::time::timeout(Duration::from_millis(50), waiters.settled.notified())
                    .await;
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    let secs = start.elapsed().as_secs_f64();
    Ok((
        CONCURRENT as f64 / secs,
        waited.load(std::sync::atomic::Ordering::Relaxed),
    ))
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    let i = ((p / 100.0) * (v.len() as f64 - 1.0)).round() as usize;
    v[i.min(v.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn on_chain<T: Send + 'static>(
    chain: &Arc<LocalChain>,
    f: impl FnOnce(&LocalChain) -> Result<T, shandian::lab::LabError> + Send + 'static,
) -> anyhow::Result<T> {
    let c = chain.clone();
    Ok(tokio::task::spawn_blocking(move || f(&c)).await??)
}

/// Checks `done` until it holds, for up to three minutes.
async fn wait_until<F, Fut>(what: &str, done: F) -> anyhow::Result<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<bool>>,
{
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if done().await? {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

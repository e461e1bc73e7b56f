//! Benchmark, not a test: how fast single-hop Lightning payments go through Shandian, compared
//! with bare ldk-node, in one run on a local regtest chain (loopback).
//!
//! `cargo run --release --example bench_payments` (needs the regtest tools:
//! scripts/regtest-tools.sh, found through `SHANDIAN_TOOLS_DIR` or the default cache).
//!
//! Three sides, each paying 1,000 sat invoices over one 5,000,000 sat channel:
//! (a) core: a wallet opened through `core` (`Wallet::pay` on what `parse_payment` read) pays
//!     the Lab's peer node; a payment ends at its event on `Wallet::next_update`.
//! (b) bare: an ldk-node with default settings pays another (`bolt11_payment().send`, outcomes
//!     from its own event loop).
//! (c) app: the same wallet as (a), its updates going through the app's own path: the wallet
//!     screen (`ui::shell::WalletScreen`) takes each update as the app's subscription hands it
//!     and runs the reads it asks for, their messages fed back one at a time as iced's runtime
//!     does (without drawing). A payment ends when the screen has read it back as succeeded.
//!
//! Figures per run: latency of sequential payments (from the pay call to the end; p50 and p99),
//! interleaved a, b, c so all see the same load; then payments per second with 100 payments
//! started at once (a payment the channel has no HTLC slot for yet is started again, with a new
//! invoice, as soon as another finishes, on every side alike). Five runs; the summary shows the median and the
//! spread (lowest to highest) of each ratio over the runs.
//!
//! The wallet's seed sits in keyring-core's in-memory store here: the benchmark measures
//! payments, not the keyring.
//!
//! With `--backup folder`, the wallet has a channel backup folder (on the same disk), as a
//! person's wallet would: every write of LDK Node's store then also goes, sealed and fsynced, to
//! the backup before LDK goes on. With `--backup vss`, the backup goes to a VSS server on
//! loopback (LDK's vss-server on PostgreSQL, `lab::vss`): one HTTP round trip and a database
//! transaction per write. Comparing the runs' ratios to bare ldk-node shows what each backup
//! costs per payment.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use ldk_node::bitcoin::hex::DisplayHex;
use ldk_node::lightning_invoice::{Bolt11Invoice, Bolt11InvoiceDescription, Description};
use ldk_node::{Event, Node};
use shandian::core::input::paste::parse_payment;
use shandian::core::lightning::channels::ChannelStatus;
use shandian::core::lightning::events::NodeEvent;
use shandian::core::lightning::payments::{PaymentError, PaymentState};
use shandian::core::store::backup::BackupPlace;
use shandian::core::wallet::Wallet;
use shandian::core::wallet::WalletUpdate;
use shandian::core::{Error, Network};
use shandian::lab::chain::LocalChain;
use shandian::lab::peer::PeerNode;
use shandian::lab::ChainSource;
use shandian::ui::shell::{Message, WalletScreen};
use tokio::sync::oneshot;

mod bench_common;
use bench_common::{
    bare_node, ms, new_wallet, on_chain, percentile, start_chain, wait_spendable, wait_until,
};

/// Enough for every payment of every run to go one way (about 2,000 of 1,000 sat on the
/// wallet's channel).
const CAPACITY_SAT: u64 = 5_000_000;
const AMOUNT_MSAT: u64 = 1_000_000;
const SEQUENTIAL: usize = 100;
const RUNS: usize = 5;
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
            Err(Error::Payment(
                PaymentError::NoRoute
                | PaymentError::AboveOutbound { .. }
                | PaymentError::StillSettling,
            )) => Ok(false),
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
    bench_common::init_log();
    let chain = start_chain().await?;
    let data = tempfile::tempdir()?;

    // (a) Shandian's core → the Lab's peer.
    let wallet = new_wallet(&chain, data.path()).await?;
    let args: Vec<String> = std::env::args().collect();
    let backup = args
        .iter()
        .position(|a| a == "--backup")
        .map(|i| args.get(i + 1).map(String::as_str).unwrap_or("folder"));
    // Kept for the whole run: dropping it stops the server.
    let mut _vss = None;
    let place = match backup {
        None => None,
        Some("folder") => {
            let usb = data.path().join("backup");
            std::fs::create_dir_all(&usb)?;
            Some(BackupPlace::Folder { folder: usb })
        }
        Some("vss") => {
            let vss = tokio::task::spawn_blocking(shandian::lab::vss::LocalVss::start).await??;
            let server = vss.url();
            _vss = Some(vss);
            Some(BackupPlace::Server { server })
        }
        Some(other) => bail!("--backup takes folder or vss, not {other}"),
    };
    let backup_words = match &place {
        None => "without a channel backup",
        Some(BackupPlace::Folder { .. }) => "with a channel backup folder",
        Some(BackupPlace::Server { .. }) => "with its channel backup on a VSS server (loopback)",
    };
    if let Some(place) = place {
        let status = wallet.choose_backup(place).await?;
        anyhow::ensure!(status.is_working(), "the backup works: {status:?}");
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
    wait_spendable(&wallet, 2 * CAPACITY_SAT).await?;

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
    let req = shandian::core::lightning::channels::OpenChannelRequest::check(
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

    // Outcome pumps. The wallet's update stream is read once: while a payment of side (a) is
    // measured its events end the wait at once; while one of side (c) is, they go to the app's
    // wallet screen, and the wait ends when the screen has read the payment back.
    let waiters_a: Waiters = Arc::default();
    let app_mode = Arc::new(AtomicBool::new(false));
    let screen_tx = start_screen(&wallet, data.path(), &chain, waiters_a.clone())?;
    {
        let (w, waiters, app_mode) = (wallet.clone(), waiters_a.clone(), app_mode.clone());
        tokio::spawn(async move {
            let mut last = None;
            loop {
                let update = w.next_update(&mut last).await;
                if app_mode.load(Ordering::SeqCst) {
                    let _ = screen_tx.send(Message::Update(update));
                    continue;
                }
                match update {
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
    let mode = |app: bool| app_mode.store(app, Ordering::SeqCst);
    // Warm every path up (first route, first commitment update, first reads) before measuring.
    for _ in 0..5 {
        mode(false);
        pay_one(&shandian, payee_a.node(), &waiters_a).await?;
        pay_one(&bare, &payee_b, &waiters_b).await?;
        mode(true);
        pay_one(&shandian, payee_a.node(), &waiters_a).await?;
    }
    let mut runs = Vec::new();
    for run in 1..=RUNS {
        log::info!("run {run}");
        eprintln!("run {run} of {RUNS}: {SEQUENTIAL} sequential payments on each side, then {CONCURRENT} at once");
        // Interleaved, so every side sees the same machine load, and in turns (a b c, b c a,
        // c a b), so none always follows the same one.
        let mut lat = [Vec::new(), Vec::new(), Vec::new()];
        for k in 0..SEQUENTIAL {
            for side in (0..3).map(|j| (k + j) % 3) {
                mode(side == 2);
                let took = if side == 1 {
                    pay_one(&bare, &payee_b, &waiters_b).await?
                } else {
                    pay_one(&shandian, payee_a.node(), &waiters_a).await?
                };
                lat[side].push(took);
            }
        }
        mode(false);
        log::info!("burst: core");
        let core = burst(&shandian, payee_a.node_arc(), &waiters_a).await?;
        log::info!("burst: bare");
        let bare_burst = burst(&bare, payee_b.clone(), &waiters_b).await?;
        mode(true);
        log::info!("burst: app");
        let app = burst(&shandian, payee_a.node_arc(), &waiters_a).await?;
        log::info!("bursts done");
        let [mut a, mut b, mut c] = lat;
        runs.push(Run {
            p50: [
                percentile(&mut a, 50.0),
                percentile(&mut b, 50.0),
                percentile(&mut c, 50.0),
            ],
            p99: [
                percentile(&mut a, 99.0),
                percentile(&mut b, 99.0),
                percentile(&mut c, 99.0),
            ],
            per_sec: [core.0, bare_burst.0, app.0],
            waited: [core.1, bare_burst.1, app.1],
        });
    }
    report(&runs, backup_words);

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
    payee: Arc<Node>,
    waiters: &Waiters,
) -> anyhow::Result<(f64, usize)> {
    let mut invoices = Vec::new();
    for _ in 0..CONCURRENT {
        invoices.push(invoice(&payee).await?);
    }
    let waited = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for first in invoices {
        let (payer, waiters, waited) = (payer.clone(), waiters.clone(), waited.clone());
        let payee = payee.clone();
        tasks.push(tokio::spawn(async move {
            let mut counted = false;
            let mut inv = first;
            loop {
                let (tx, rx) = oneshot::channel();
                waiters.waiting.lock().unwrap().insert(hash_of(&inv)?, tx);
                if payer.start(inv.clone()).await? {
                    // An error: LDK gave up after the channel filled up under it (its retry
                    // found no free slot).
                    if tokio::time::timeout(Duration::from_secs(120), rx)
                        .await
                        .with_context(|| {
                            format!("no outcome in 120 s for the started payment {}", &inv[..30])
                        })??
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
                if start.elapsed() > Duration::from_secs(300) {
                    bail!("no payment slot for five minutes: has the channel run dry?");
                }
                // The channel is full: try again once a payment ends (or after a moment, in
                // case that happened just before we started listening), with a new invoice,
                // so an event of the attempt that did not go through is never taken for the
                // next one's.
                let _ = tokio::time::timeout(Duration::from_millis(50), waiters.settled.notified())
                    .await;
                inv = invoice(&payee).await?;
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

/// One run's figures, by side: core, bare, app.
struct Run {
    p50: [Duration; 3],
    p99: [Duration; 3],
    per_sec: [f64; 3],
    waited: [usize; 3],
}

const SIDES: [&str; 3] = ["core", "bare ldk-node", "app"];

fn report(runs: &[Run], backup_words: &str) {
    println!(
        "single-hop payments on regtest loopback, {RUNS} runs of {SEQUENTIAL} sequential and \
         {CONCURRENT} at once per side, Shandian {backup_words}; {}",
        bench_common::machine()
    );
    println!(
        "{:<6}{:>30}{:>30}{:>30}",
        "run",
        "p50 ms (core / bare / app)",
        "p99 ms (core / bare / app)",
        "per s (core / bare / app)"
    );
    for (i, r) in runs.iter().enumerate() {
        let ms3 =
            |d: &[Duration; 3]| format!("{:.1} / {:.1} / {:.1}", ms(d[0]), ms(d[1]), ms(d[2]));
        println!(
            "{:<6}{:>30}{:>30}{:>30}",
            i + 1,
            ms3(&r.p50),
            ms3(&r.p99),
            format!(
                "{:.1} / {:.1} / {:.1}",
                r.per_sec[0], r.per_sec[1], r.per_sec[2]
            )
        );
    }
    // Ratios per run, then their median and spread.
    let spread = |what: &str, f: &dyn Fn(&Run) -> f64| {
        let mut v: Vec<f64> = runs.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        println!(
            "{what:<52}{:>8.3}  ({:.3} to {:.3})",
            v[v.len() / 2],
            v[0],
            v[v.len() - 1]
        );
    };
    println!("ratios, median over the runs (lowest to highest):");
    spread("latency p50, app / core", &|r| ms(r.p50[2]) / ms(r.p50[0]));
    spread("latency p50, core / bare", &|r| ms(r.p50[0]) / ms(r.p50[1]));
    spread("latency p50, app / bare", &|r| ms(r.p50[2]) / ms(r.p50[1]));
    spread("payments per second, app / core", &|r| {
        r.per_sec[2] / r.per_sec[0]
    });
    spread("payments per second, core / bare", &|r| {
        r.per_sec[0] / r.per_sec[1]
    });
    spread("payments per second, app / bare", &|r| {
        r.per_sec[2] / r.per_sec[1]
    });
    let waited: Vec<String> = (0..3)
        .map(|i| {
            format!(
                "{} {}",
                SIDES[i],
                runs.iter().map(|r| r.waited[i]).sum::<usize>()
            )
        })
        .collect();
    println!(
        "payments started more than once (no free HTLC slot yet, or LDK gave up on a full \
         channel), all runs: {}",
        waited.join(", ")
    );
}

/// The app's wallet screen without a window (side c): it takes what the pump sends
/// (`Message::Update`, as the app's subscription hands it), runs the tasks its `update` returns
/// concurrently and feeds their messages back one at a time, as iced's runtime does. A
/// payment's wait ends when the screen has read it back as succeeded or failed.
fn start_screen(
    wallet: &Arc<Wallet>,
    data: &std::path::Path,
    chain: &LocalChain,
    waiters: Waiters,
) -> anyhow::Result<tokio::sync::mpsc::UnboundedSender<Message>> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let dir = shandian::core::store::dirs::DataRoot::at(data.join("shandian"))
        .network_dir(Network::Regtest)?;
    let settings = shandian::core::Settings::defaults_for(Network::Regtest);
    let (mut screen, first) = WalletScreen::open(
        wallet.clone(),
        ChainSource::Server(chain.electrum_url()),
        dir,
        None,
        &settings,
    );
    run_task(first, &tx);
    let feed = tx.clone();
    tokio::spawn(async move {
        while let Some(m) = rx.recv().await {
            let read = match &m {
                Message::PaymentRead(id, Ok(Some(p))) => Some((id.clone(), p.status)),
                _ => None,
            };
            let (task, _) = screen.update(m, Network::Regtest);
            run_task(task, &feed);
            match read {
                Some((id, PaymentState::Succeeded)) => finish(&waiters, &id, Ok(())),
                Some((id, PaymentState::Failed)) => {
                    finish(&waiters, &id, Err("failed, as the screen read it".into()))
                }
                _ => {}
            }
        }
    });
    Ok(tx)
}

/// Runs an iced task on the runtime, sending its messages to the screen.
fn run_task(task: iced::Task<Message>, to: &tokio::sync::mpsc::UnboundedSender<Message>) {
    use iced::futures::StreamExt;
    use iced_test::runtime::{task::into_stream, Action};
    if let Some(mut stream) = into_stream(task) {
        let to = to.clone();
        tokio::spawn(async move {
            while let Some(action) = stream.next().await {
                if let Action::Output(m) = action {
                    let _ = to.send(m);
                }
            }
        });
    }
}

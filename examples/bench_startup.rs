//! Benchmark, not a test: how long the app takes to show its window and to have its node
//! running, on an existing wallet with three channels, and how much memory it holds after a
//! minute idle on Home; beside it, in the same run, the same wallet opened by the headless
//! `shandian-drill` (the app's `core` without a window).
//!
//! Run it inside a session with a Secret Service and a display (the app reads the seed from the
//! system keyring and opens a window), after building the binaries it starts:
//!
//! ```text
//! cargo build --release --features testing --bins --example bench_startup
//! dbus-run-session -- scripts/in-session.sh target/release/examples/bench_startup
//! ```
//!
//! The wallet, its three peers, bitcoind and electrs run in this process or their own: the app
//! is started with the Electrum server's address (as with an external server), so only the
//! app's own process is measured. Times are from spawning the process (exec) to the line the
//! app logs: "first frame drawn" (the window's first redraw) and "wallet open: the node is
//! running"; for the drill, to its `ready` line. Five starts each, alternating; then one idle
//! minute each for the resident memory (VmRSS).

mod bench_common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use shandian::core::keys::secrets::Keyring;
use shandian::core::lightning::channels::{ChannelStatus, OpenChannelRequest};
use shandian::core::wallet::{CreateRequest, Wallet};
use shandian::core::Network;
use shandian::lab::peer::{PeerNode, PeerOptions};

use bench_common::{machine, ms, on_chain, percentile, start_chain, wait_spendable, wait_until};

const RUNS: usize = 5;
const IDLE: Duration = Duration::from_secs(60);
const CHANNELS: usize = 3;
const CAPACITY_SAT: u64 = 1_000_000;
/// How long one start may take before the benchmark gives up.
const START_WAIT: Duration = Duration::from_secs(60);

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    bench_common::init_log();
    let bin = std::env::current_exe()?
        .parent()
        .and_then(Path::parent)
        .context("the examples folder")?
        .to_path_buf();
    let (app_bin, drill_bin) = (bin.join("shandian"), bin.join("shandian-drill"));
    for b in [&app_bin, &drill_bin] {
        anyhow::ensure!(
            b.exists(),
            "{} is missing: cargo build --release --features testing --bins",
            b.display()
        );
    }
    anyhow::ensure!(
        std::env::var_os("DISPLAY").is_some(),
        "no display: run inside scripts/in-session.sh"
    );

    let chain = start_chain().await?;
    let data = tempfile::tempdir()?;
    let url = chain.electrum_url();
    let peers = prepare_wallet(&chain, data.path()).await?;

    let folder = data.path().to_path_buf();
    // The starts block (on the children's output and the idle minute): off the runtime, which
    // the peers run on.
    let (app_frame, app_node, drill_ready, app_rss, drill_rss) =
        tokio::task::spawn_blocking(move || {
            let (mut frame, mut node, mut ready) = (Vec::new(), Vec::new(), Vec::new());
            for run in 1..=RUNS {
                eprintln!("start {run} of {RUNS}");
                let (f, n) = start_app(&app_bin, &folder, &url, None)?;
                frame.push(f);
                node.push(n);
                ready.push(start_drill(&drill_bin, &folder, &url, None)?);
            }
            eprintln!("one idle minute each for the memory");
            let mut app_rss = 0;
            start_app(&app_bin, &folder, &url, Some(&mut app_rss))?;
            let mut drill_rss = 0;
            start_drill(&drill_bin, &folder, &url, Some(&mut drill_rss))?;
            anyhow::Ok((frame, node, ready, app_rss, drill_rss))
        })
        .await??;
    let (mut app_frame, mut app_node, mut drill_ready) = (app_frame, app_node, drill_ready);

    println!(
        "start-up on an existing wallet with {CHANNELS} channels (regtest, loopback Electrum), {RUNS} starts each; {}",
        machine()
    );
    let cell = |v: &mut Vec<Duration>| {
        let (p50, max) = (percentile(v, 50.0), *v.iter().max().expect("runs"));
        let min = *v.iter().min().expect("runs");
        format!("{:.0} ({:.0} to {:.0})", ms(p50), ms(min), ms(max))
    };
    println!("in ms, median (lowest to highest)");
    println!("{:<36}{:>24}{:>24}", "", "app", "headless (drill)");
    println!(
        "{:<36}{:>24}{:>24}",
        "exec to first frame drawn",
        cell(&mut app_frame),
        "no window"
    );
    println!(
        "{:<36}{:>24}{:>24}",
        "exec to node running",
        cell(&mut app_node),
        cell(&mut drill_ready)
    );
    println!(
        "{:<36}{:>21} MB{:>21} MB",
        format!("resident memory after {} s idle", IDLE.as_secs()),
        app_rss / 1024,
        drill_rss / 1024
    );
    drop(peers);
    Ok(())
}

/// Creates the wallet (its seed in the system keyring, as the app's own), funds it and opens
/// `CHANNELS` channels to peers that stay up for the whole run; stops the wallet.
async fn prepare_wallet(
    chain: &Arc<shandian::lab::chain::LocalChain>,
    data: &Path,
) -> anyhow::Result<Vec<Arc<PeerNode>>> {
    let dir = shandian::core::store::dirs::DataRoot::at(data).network_dir(Network::Regtest)?;
    let wallet = Wallet::create(CreateRequest {
        lock: dir.lock()?,
        dir,
        mnemonic: shandian::core::keys::seed::generate(),
        electrum_url: chain.electrum_url(),
        keyring: Keyring::Os,
        restore_from: None,
    })
    .await?;
    let mut peers = Vec::new();
    let mut addresses = vec![wallet.new_address().await?];
    for i in 0..CHANNELS {
        let (url, rt) = (chain.electrum_url(), tokio::runtime::Handle::current());
        let peer = Arc::new(
            tokio::task::spawn_blocking(move || {
                let options = PeerOptions {
                    alias: Some(format!("peer{i}")),
                    ..Default::default()
                };
                PeerNode::start(None, &url, options, rt)
            })
            .await??,
        );
        // Accepting an anchor channel needs an on-chain reserve.
        addresses.push(peer.node().onchain_payment().new_address()?.to_string());
        peers.push(peer);
    }
    on_chain(chain, move |c| c.fund_all(&addresses)).await?;
    wait_spendable(&wallet, 4 * CAPACITY_SAT).await?;
    for p in &peers {
        let p = p.clone();
        tokio::task::spawn_blocking(move || p.sync()).await??;
    }
    for p in &peers {
        let spendable = wallet.snapshot().await?.balances.onchain_spendable_sat;
        let req =
            OpenChannelRequest::check(&p.uri(), &CAPACITY_SAT.to_string(), "0", false, spendable)?;
        wallet.open_channel(req).await?;
        // LDK Node marks the coins it spent only at its next sync.
        let w = wallet.clone();
        wait_until("the funding transaction in the wallet", move || {
            let w = w.clone();
            async move {
                // A sync may time out while electrs indexes a hundred new blocks.
                let _ = w.sync().await;
                Ok(w.snapshot()
                    .await?
                    .activity
                    .iter()
                    .any(|a| a.confirmations == 0))
            }
        })
        .await?;
        on_chain(chain, |c| c.mine(1)).await?;
    }
    on_chain(chain, |c| c.mine(6)).await?;
    let w = wallet.clone();
    wait_until("three active channels", move || {
        let w = w.clone();
        async move {
            let _ = w.sync().await;
            let active = w
                .channels()
                .await?
                .channels
                .iter()
                .filter(|c| c.status == ChannelStatus::Active)
                .count();
            Ok(active == CHANNELS)
        }
    })
    .await?;
    wallet.stop().await?;
    drop(wallet);
    Ok(peers)
}

/// Lines a child writes, each with when it arrived.
fn lines_of(out: impl std::io::Read + Send + 'static) -> mpsc::Receiver<(Instant, String)> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send((Instant::now(), line)).is_err() {
                return;
            }
        }
    });
    rx
}

/// Waits for a line containing `what`; when it arrived.
fn wait_for_line(
    rx: &mpsc::Receiver<(Instant, String)>,
    what: &str,
    deadline: Instant,
) -> anyhow::Result<Instant> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((at, line)) if line.contains(what) => return Ok(at),
            Ok(_) => {}
            Err(_) => bail!("no {what:?} in time"),
        }
    }
}

/// Starts the app on the wallet; (exec to first frame, exec to node running). With `rss`, it
/// stays idle on Home for `IDLE` first and its resident memory (kB) is read.
fn start_app(
    bin: &Path,
    data: &Path,
    url: &str,
    rss: Option<&mut u64>,
) -> anyhow::Result<(Duration, Duration)> {
    let start = Instant::now();
    let mut child = Command::new(bin)
        .args(["--network", "regtest", "--electrum", url, "--data-dir"])
        .arg(data)
        .env("RUST_LOG", "shandian=info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let rx = lines_of(child.stderr.take().context("stderr")?);
    let deadline = start + START_WAIT;
    let frame = wait_for_line(&rx, "first frame drawn", deadline);
    let node = wait_for_line(&rx, "wallet open: the node is running", deadline);
    let result = match (frame, node) {
        (Ok(f), Ok(n)) => Ok((f - start, n - start)),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    if let (Some(rss), Ok(_)) = (rss, &result) {
        std::thread::sleep(IDLE);
        *rss = resident_kb(child.id())?;
    }
    // A polite kill: the app stops its node cleanly, as when its window closes.
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    if let Err(e) = wait_exit(&mut child) {
        for (_, line) in rx.try_iter() {
            log::warn!("app: {line}");
        }
        return Err(e);
    }
    result
}

/// Starts the headless wallet on the same folder; exec to its `ready` line.
fn start_drill(
    bin: &Path,
    data: &Path,
    url: &str,
    rss: Option<&mut u64>,
) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let mut child = Command::new(bin)
        .args(["--electrum", url, "--data-dir"])
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let rx = lines_of(child.stdout.take().context("stdout")?);
    let ready = wait_for_line(&rx, "ready", start + START_WAIT).map(|at| at - start);
    if let (Some(rss), Ok(_)) = (rss, &ready) {
        std::thread::sleep(IDLE);
        *rss = resident_kb(child.id())?;
    }
    if let Some(mut stdin) = child.stdin.take() {
        let _ = writeln!(stdin, "stop");
    }
    wait_exit(&mut child)?;
    ready
}

fn wait_exit(child: &mut Child) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait()?.is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            bail!("the process did not stop in time");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// VmRSS of a process, in kB.
fn resident_kb(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(PathBuf::from(format!("/proc/{pid}/status")))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("VmRSS")
}

//! Benchmark, not a test: how soon a block mined on the local chain reaches what the screens
//! draw, in Shandian and in bare ldk-node with its default settings, side by side on the same
//! blocks.
//!
//! `cargo run --release --example bench_chain_events` (needs the regtest tools:
//! scripts/regtest-tools.sh, found through `SHANDIAN_TOOLS_DIR` or the default cache).
//!
//! Each round the wallet (opened through `core`, as the app opens it) sends a payment on chain
//! to the bare node, then one block is mined. From the moment `generatetoaddress` returns:
//! - height: until the wallet's update stream has woken and the snapshot the screens re-read
//!   (Home's height) shows the new block; for the bare node, until its status shows it;
//! - confirmation: until that payment is confirmed in the snapshot Activity draws from; for
//!   the bare node, until its payment list has it confirmed.
//!
//! The bare node is watched every 10 ms (its own state, read directly, so its figures are what
//! a screen polling it that often would show at best).

mod bench_common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use ldk_node::payment::{ConfirmationStatus, PaymentKind};
use ldk_node::Node;
use shandian::core::input::{OnchainSendPlan, SendAmount};
use shandian::core::wallet::{BroadcastOutcome, Wallet};
use shandian::lab::chain::throwaway_address;

use bench_common::{
    bare_node, machine, ms, new_wallet, on_chain, percentile, start_chain, wait_spendable,
};

const ROUNDS: usize = 20;
const SEND_SAT: u64 = 10_000;
/// How long one round waits for the wallet to show its block before calling it missed.
const ROUND_WAIT: Duration = Duration::from_secs(30);
/// How long the bare node gets, after the last block, to show every block (its background
/// on-chain sync runs every 80 s by default).
const BARE_WAIT: Duration = Duration::from_secs(200);

/// When each height and each confirmed transaction was first seen.
#[derive(Default)]
struct Seen {
    heights: HashMap<u32, Instant>,
    confirmed: HashMap<String, Instant>,
}

impl Seen {
    fn note(&mut self, height: u32, confirmed: impl IntoIterator<Item = String>) {
        let now = Instant::now();
        // A jump of several blocks shows each of them.
        for h in 0..=height {
            self.heights.entry(h).or_insert(now);
        }
        for txid in confirmed {
            self.confirmed.entry(txid).or_insert(now);
        }
    }
}

struct Round {
    height: u32,
    txid: String,
    mined: Instant,
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    bench_common::init_log();
    let chain = start_chain().await?;
    let data = tempfile::tempdir()?;
    let wallet = new_wallet(&chain, data.path()).await?;
    let bare = bare_node(&chain, &data.path().join("bare"))?;

    let address = wallet.new_address().await?;
    on_chain(&chain, move |c| c.fund(&address)).await?;
    wait_spendable(&wallet, 100 * SEND_SAT).await?;
    // The bare node starts level with the chain; from here on it runs on its defaults.
    let b = bare.clone();
    tokio::task::spawn_blocking(move || b.sync_wallets()).await??;

    let app_seen = Arc::new(Mutex::new(Seen::default()));
    watch_app(wallet.clone(), app_seen.clone());
    let bare_seen = Arc::new(Mutex::new(Seen::default()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    watch_bare(bare.clone(), bare_seen.clone(), stop.clone());

    eprintln!("{ROUNDS} rounds: a payment to the bare node, then one block");
    let mut rounds = Vec::new();
    for i in 0..ROUNDS {
        let to = bare.onchain_payment().new_address()?.to_string();
        let sent = wallet
            .send_onchain(OnchainSendPlan {
                address: to,
                amount: SendAmount::Exact {
                    amount_sat: SEND_SAT,
                },
                fee_rate_sat_vb: 2,
                estimated_fee_sat: 0,
                send_sat: SEND_SAT,
            })
            .await?;
        let outcome = wallet.await_broadcast(&sent).await;
        anyhow::ensure!(
            matches!(outcome, BroadcastOutcome::Accepted { .. }),
            "round {i}: the server did not take the payment: {outcome:?}"
        );
        let burn = throwaway_address().to_string();
        let height = on_chain(&chain, move |c| {
            c.rpc(
                "generatetoaddress",
                &[serde_json::json!(1), serde_json::json!(burn)],
            )?;
            c.height()
        })
        .await?;
        log::debug!("mined block {height}");
        let round = Round {
            height: u32::try_from(height)?,
            txid: sent.txid,
            mined: Instant::now(),
        };
        // The next round's payment spends this one's change: wait for the wallet to see it.
        let deadline = round.mined + ROUND_WAIT;
        while !app_seen.lock().unwrap().confirmed.contains_key(&round.txid)
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        rounds.push(round);
    }
    eprintln!("waiting for the bare node's background sync to show every block");
    let last = rounds.last().context("rounds")?;
    let deadline = last.mined + BARE_WAIT;
    let all_seen = || {
        let seen = bare_seen.lock().unwrap();
        rounds.iter().all(|r| seen.confirmed.contains_key(&r.txid))
    };
    while !all_seen() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);

    let figures = |seen: &Seen| {
        let mut height = Vec::new();
        let mut confirmed = Vec::new();
        let mut missed = 0;
        for r in &rounds {
            match (seen.heights.get(&r.height), seen.confirmed.get(&r.txid)) {
                (Some(h), Some(c)) => {
                    height.push(h.saturating_duration_since(r.mined));
                    confirmed.push(c.saturating_duration_since(r.mined));
                }
                _ => missed += 1,
            }
        }
        (height, confirmed, missed)
    };
    let (mut app_h, mut app_c, app_missed) = figures(&app_seen.lock().unwrap());
    let (mut bare_h, mut bare_c, bare_missed) = figures(&bare_seen.lock().unwrap());

    println!(
        "{ROUNDS} blocks mined on regtest loopback, each with one payment of ours; {}",
        machine()
    );
    println!(
        "time from generatetoaddress returning to the new block on screen, in ms (p50 / p99 / max)"
    );
    println!(
        "{:<34}{:>26}{:>26}",
        "", "Shandian", "bare ldk-node (defaults)"
    );
    let row = |what: &str, a: &mut Vec<Duration>, b: &mut Vec<Duration>| {
        let cell = |v: &mut Vec<Duration>| {
            if v.is_empty() {
                return "none seen".to_string();
            }
            let (p50, p99) = (percentile(v, 50.0), percentile(v, 99.0));
            let max = *v.iter().max().expect("not empty");
            format!("{:.0} / {:.0} / {:.0}", ms(p50), ms(p99), ms(max))
        };
        println!("{what:<34}{:>26}{:>26}", cell(a), cell(b));
    };
    row("new height (Home)", &mut app_h, &mut bare_h);
    row("payment confirmed (Activity)", &mut app_c, &mut bare_c);
    if !app_h.is_empty() && !bare_h.is_empty() {
        println!(
            "ratio of p50s (bare / Shandian): height {:.0}x, confirmation {:.0}x",
            ms(percentile(&mut bare_h, 50.0)) / ms(percentile(&mut app_h, 50.0)),
            ms(percentile(&mut bare_c, 50.0)) / ms(percentile(&mut app_c, 50.0)),
        );
    }
    println!(
        "blocks not seen in time: Shandian {app_missed} (of {ROUNDS}, {} s each), bare {bare_missed} (within {} s of the last block)",
        ROUND_WAIT.as_secs(),
        BARE_WAIT.as_secs()
    );

    wallet.stop().await?;
    tokio::task::spawn_blocking(move || bare.stop()).await??;
    Ok(())
}

/// Follows the wallet's update stream as the app does, and re-reads the snapshot the screens
/// draw from after every update.
fn watch_app(wallet: Arc<Wallet>, seen: Arc<Mutex<Seen>>) {
    tokio::spawn(async move {
        let mut last_sync = None;
        loop {
            wallet.next_update(&mut last_sync).await;
            let Ok(s) = wallet.snapshot().await else {
                continue;
            };
            let confirmed = s
                .activity
                .iter()
                .filter(|a| a.confirmations > 0)
                .map(|a| a.txid.clone());
            seen.lock().unwrap().note(s.height, confirmed);
        }
    });
}

/// Reads the bare node's height and confirmed payments every 10 ms.
fn watch_bare(node: Arc<Node>, seen: Arc<Mutex<Seen>>, stop: Arc<std::sync::atomic::AtomicBool>) {
    std::thread::spawn(move || {
        while !stop.load(std::sync::atomic::Ordering::SeqCst) {
            let height = node.status().current_best_block.height;
            let confirmed = node
                .list_payments_with_filter(|p| {
                    matches!(
                        p.kind,
                        PaymentKind::Onchain {
                            status: ConfirmationStatus::Confirmed { .. },
                            ..
                        }
                    )
                })
                .into_iter()
                .filter_map(|p| match p.kind {
                    PaymentKind::Onchain { txid, .. } => Some(txid.to_string()),
                    _ => None,
                });
            seen.lock().unwrap().note(height, confirmed);
            std::thread::sleep(Duration::from_millis(10));
        }
    });
}

//! A wallet without a window for the drills (`tests/drill_*.rs`): the process they start, kill
//! with SIGKILL and start again on the same folder and keyring. It opens the wallet through
//! `core` exactly as the app does, says `ready <node id>` on stdout, then answers one command
//! per stdin line with one line. Built only with the `testing` feature; never shipped.
//!
//! Commands (answers in brackets):
//! - `state` (`state {json}`: totals, channels, payments), `address` (`address A`),
//!   `sync` (`synced`), `connect URI` (`connected`)
//! - `open URI CAPACITY PUSH` (`opened ID`), `pay INVOICE` (`paying ID`),
//!   `invoice MSAT` (`invoice TEXT`), `close ID` / `force-close ID` (`closing ID`),
//!   `splice-in ID SAT` / `splice-out ID SAT` (to the wallet's own address; `splicing ID`),
//!   `swap-to-lightning KEY SAT BLOCKS RATE` (`swap {json}`: the offer's invoice and HTLC terms)
//! - `kill-at PRIMARY SECONDARY KEY N` (`armed`): at the N-th write or removal of LDK Node's
//!   store whose name matches (`-` matches anything; KEY matches as a prefix), before it
//!   happens, print `killpoint P/S/K` and stop there for good: the drill then sends SIGKILL.
//! - `stop` (`stopped`, then exit 0). End of input stops too.
//!
//! A command that fails answers `error <sentence>`.
//!
//! `--restore-from DIR` restores the wallet of the words in `SHANDIAN_DRILL_WORDS` from the
//! backup in DIR instead of opening one; with `--kill-at-restore STEP`, the restore prints
//! `killpoint STEP` before that step's write and stops there for good (the drill sends SIGKILL).

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use shandian::core::input::paste::parse_payment;
use shandian::core::keys::secrets::Keyring;
use shandian::core::keys::seed;
use shandian::core::lightning::channels::{ChannelStatus, OpenChannelRequest, PeerUri};
use shandian::core::store::backup::EntryName;
use shandian::core::store::dirs::DataRoot;
use shandian::core::wallet::{CreateRequest, OpenRequest, Wallet};
use shandian::core::Network;

/// Exit code when the data folder is held by another process.
const EXIT_REFUSED: i32 = 3;

struct Args {
    data_dir: PathBuf,
    electrum: String,
    create: bool,
    restore_from: Option<PathBuf>,
    kill_at_restore: Option<String>,
}

fn args() -> anyhow::Result<Args> {
    let mut data_dir = None;
    let mut electrum = None;
    let mut create = false;
    let (mut restore_from, mut kill_at_restore) = (None, None);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--data-dir" => data_dir = it.next().map(PathBuf::from),
            "--electrum" => electrum = it.next(),
            "--create" => create = true,
            "--restore-from" => restore_from = it.next().map(PathBuf::from),
            "--kill-at-restore" => kill_at_restore = it.next(),
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    Ok(Args {
        data_dir: data_dir.context("--data-dir DIR")?,
        electrum: electrum.context("--electrum URL")?,
        create,
        restore_from,
        kill_at_restore,
    })
}

fn say(line: impl std::fmt::Display) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

async fn command(wallet: &Arc<Wallet>, words: &[&str]) -> anyhow::Result<String> {
    let arg = |i: usize| {
        words
            .get(i)
            .copied()
            .with_context(|| format!("{} needs more arguments", words[0]))
    };
    Ok(match words.first().copied().unwrap_or("") {
        "state" => format!("state {}", state(wallet).await?),
        "address" => format!("address {}", wallet.new_address().await?),
        "sync" => {
            wallet.sync().await?;
            "synced".into()
        }
        "connect" => {
            wallet.connect(PeerUri::parse(arg(1)?)?).await?;
            "connected".into()
        }
        "open" => {
            let spendable = wallet.snapshot().await?.balances.onchain_spendable_sat;
            let req = OpenChannelRequest::check(arg(1)?, arg(2)?, arg(3)?, false, spendable)?;
            format!("opened {}", wallet.open_channel(req).await?)
        }
        "pay" => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
            let target = parse_payment(arg(1)?, Network::Regtest, now)?;
            format!("paying {}", wallet.pay(target, None, None).await?)
        }
        "invoice" => {
            let msat: u64 = arg(1)?.parse()?;
            let request = wallet
                .receive_invoice(Some(msat), "drill".into(), 3600, false)
                .await?;
            format!("invoice {}", request.text)
        }
        "close" | "force-close" => {
            let id = arg(1)?.to_string();
            wallet
                .close_channel(id.clone(), words[0] == "force-close")
                .await?;
            format!("closing {id}")
        }
        "splice-in" | "splice-out" => {
            let id = arg(1)?.to_string();
            let amount: u64 = arg(2)?.parse()?;
            if words[0] == "splice-in" {
                wallet.splice_in(id.clone(), amount).await?;
            } else {
                wallet.splice_out(id.clone(), None, amount).await?;
            }
            format!("splicing {id}")
        }
        "swap-to-lightning" => {
            let key = arg(1)?.parse()?;
            let (sat, blocks, rate) = (arg(2)?.parse()?, arg(3)?.parse()?, arg(4)?.parse()?);
            let offer = wallet.swap_to_lightning(key, sat, blocks, rate).await?;
            use ldk_node::bitcoin::hex::DisplayHex;
            let json = serde_json::json!({
                "invoice": offer.invoice,
                "payment_hash": offer.terms.payment_hash.to_lower_hex_string(),
                "refund_key": offer.terms.refund_key.to_string(),
                "refund_height": offer.terms.refund_height,
                "funding_txid": offer.funding_txid,
            });
            format!("swap {json}")
        }
        "kill-at" => {
            let pattern = KillPoint {
                primary: arg(1)?.to_string(),
                secondary: arg(2)?.to_string(),
                key: arg(3)?.to_string(),
            };
            let n: u64 = arg(4)?.parse()?;
            let seen = std::sync::atomic::AtomicU64::new(0);
            wallet.set_write_hook(Box::new(move |name| {
                if pattern.matches(name)
                    && seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == n
                {
                    say(format_args!(
                        "killpoint {}/{}/{}",
                        name.primary, name.secondary, name.key
                    ));
                    // Wait here, before the write, for the drill's SIGKILL.
                    loop {
                        std::thread::park();
                    }
                }
            }));
            "armed".into()
        }
        other => anyhow::bail!("unknown command {other:?}"),
    })
}

/// Which writes a `kill-at` counts.
struct KillPoint {
    primary: String,
    secondary: String,
    key: String,
}

impl KillPoint {
    fn matches(&self, name: &EntryName) -> bool {
        let any = |p: &str| p == "-";
        (any(&self.primary) || self.primary == name.primary)
            && (any(&self.secondary) || self.secondary == name.secondary)
            && (any(&self.key) || name.key.starts_with(&self.key))
    }
}

/// What the drills compare before and after a crash.
async fn state(wallet: &Arc<Wallet>) -> anyhow::Result<serde_json::Value> {
    let snapshot = wallet.snapshot().await?;
    let channels = wallet.channels().await?;
    let payments = wallet.payments().await?;
    // What is ours in open channels, the commitment fee we set aside as opener included: that
    // reserve follows LDK's fee estimate (update_fee) and is not money paid.
    let in_channels_sat: u64 = channels
        .channels
        .iter()
        .filter(|c| c.status == ChannelStatus::Active)
        .map(|c| c.parts.total() - c.parts.theirs_sat)
        .sum();
    Ok(serde_json::json!({
        "holdings_sat": snapshot.balances.onchain_total_sat + in_channels_sat,
        "height": snapshot.height,
        "onchain_total_sat": snapshot.balances.onchain_total_sat,
        "onchain_spendable_sat": snapshot.balances.onchain_spendable_sat,
        "lightning_sat": snapshot.balances.lightning_sat,
        "total_sat": wallet.total_sat().await?,
        "channels": channels.channels.iter().map(|c| serde_json::json!({
            "id": c.id,
            "status": format!("{:?}", c.status),
            "close_reason": c.history.close_reason.as_ref().map(|r| format!("{r:?}")),
            "peer_side_sat": c.parts.theirs_sat,
            "htlc_sat": c.parts.htlc_in_sat + c.parts.htlc_out_sat,
            "funding": c.funding_outpoint,
            "capacity_sat": c.capacity_sat,
            "splices": c.history.splices.iter().map(|s| serde_json::json!({
                "direction": format!("{:?}", s.direction),
                "state": format!("{:?}", s.state),
                "funding": s.funding_outpoint,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "swaps": snapshot.swaps.iter().map(|r| serde_json::json!({
            "hash": r.payment_hash,
            "direction": format!("{:?}", r.direction),
            "state": match &r.state {
                shandian::core::swap::book::SwapState::Refunded { .. } => "Refunded".to_string(),
                shandian::core::swap::book::SwapState::Claimed { .. } => "Claimed".to_string(),
                other => format!("{other:?}"),
            },
            "spent_by": match &r.state {
                shandian::core::swap::book::SwapState::Refunded { txid }
                | shandian::core::swap::book::SwapState::Claimed { txid } => Some(txid.clone()),
                _ => None,
            },
            "funding": r.funding_txid,
            "refund_height": r.refund_height,
        })).collect::<Vec<_>>(),
        "payments": payments.iter().map(|p| serde_json::json!({
            "id": p.id,
            "incoming": p.incoming,
            "status": format!("{:?}", p.status),
            "amount_msat": p.amount_msat,
            "fee_msat": p.fee_msat,
        })).collect::<Vec<_>>(),
    }))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let args = args()?;
    let dir = DataRoot::at(&args.data_dir).network_dir(Network::Regtest)?;
    let lock = match dir.lock() {
        Ok(l) => l,
        Err(e) => {
            say(format_args!("refused {e}"));
            std::process::exit(EXIT_REFUSED);
        }
    };
    if let Some(stop_at) = args.kill_at_restore.clone() {
        let _ = shandian::core::wallet::RESTORE_STEP_HOOK.set(Box::new(move |step| {
            if step == stop_at {
                say(format_args!("killpoint {step}"));
                loop {
                    std::thread::park();
                }
            }
        }));
    }
    let wallet = if let Some(backup) = &args.restore_from {
        let words = std::env::var("SHANDIAN_DRILL_WORDS").context("SHANDIAN_DRILL_WORDS")?;
        Wallet::create(CreateRequest {
            dir: dir.clone(),
            lock,
            mnemonic: seed::parse_phrase(&words)?,
            electrum_url: args.electrum.clone(),
            keyring: Keyring::Os,
            restore_from: Some(shandian::core::store::backup::BackupPlace::Folder {
                folder: backup.clone(),
            }),
        })
        .await?
    } else if args.create {
        Wallet::create(CreateRequest {
            dir: dir.clone(),
            lock,
            mnemonic: seed::generate(),
            electrum_url: args.electrum.clone(),
            keyring: Keyring::Os,
            restore_from: None,
        })
        .await?
    } else {
        let meta = dir.load_wallet()?.context("no wallet in the folder")?;
        Wallet::open(OpenRequest {
            dir: dir.clone(),
            lock,
            meta,
            electrum_url: args.electrum.clone(),
            keyring: Keyring::Os,
        })
        .await?
    };
    say(format_args!("ready {}", wallet.node_id()));

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Events are booked and acknowledged as the app does, so payments and closes move on.
    let pump = wallet.clone();
    tokio::spawn(async move {
        let mut last = None;
        loop {
            pump.next_update(&mut last).await;
        }
    });
    while let Some(line) = rx.recv().await {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.first() == Some(&"stop") {
            break;
        }
        match command(&wallet, &words).await {
            Ok(answer) => say(answer),
            Err(e) => say(format_args!("error {e}")),
        }
    }
    wallet.stop().await?;
    say("stopped");
    // Exit here rather than by dropping the runtime: the event pump's task still holds the
    // wallet, and dropping LDK Node's last handle on a runtime worker during shutdown can wait
    // on that very runtime (seen once in a soak round: the process never exited).
    std::process::exit(0);
}

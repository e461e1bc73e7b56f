//! Getting the channel balances of a wallet found behind its peers (see `stale`) back, LDK's
//! way, with what LDK Node 0.7.1 offers:
//!
//! 1. A node with the same keys and no channel state meets the peers: a copy of the store
//!    without the channel manager and the channel monitors, so LDK Node dials the peers it
//!    remembers, and LDK, not knowing their channels, asks each peer to force-close. The peer
//!    broadcasts its latest state, in which our balance is paid to our keys.
//! 2. Once every such close has confirmed, the real store loses its channel manager (kept
//!    aside in a file, never deleted) and the marker; the wallet then opens as usual, its
//!    channel monitors see the peers' closing transactions and sweep our outputs to the wallet.
//!
//! Nothing here can broadcast our old state: phase 1 has no monitor at all, and by phase 2 the
//! channels' funding outputs are already spent.

use std::path::{Path, PathBuf};
use std::time::Duration;

use electrum_client::{Client, ConfigBuilder, ElectrumApi};
use ldk_node::bitcoin::{OutPoint, Txid};
use ldk_node::lightning::util::persist::KVStoreSync;
use ldk_node::logger::LogLevel;

use crate::core::store::mirror::MirrorStore;
use crate::core::wallet::OpenRequest;
use crate::core::Error;
use crate::core::NodeError;

/// LDK's namespaces for the channel manager and the channel monitors.
const MANAGER_KEY: &str = "manager";
const MONITORS: &str = "monitors";
const MONITOR_UPDATES: &str = "monitor_updates";

/// How often the closes are looked for on chain.
const LOOK_INTERVAL: Duration = Duration::from_secs(5);

/// The folder of phase 1's node, beside the wallet's own.
fn meeting_dir(req: &OpenRequest) -> PathBuf {
    req.dir.path().join("recovery-node")
}

/// Runs both phases' preparation: returns once every channel's funding output is spent by a
/// confirmed transaction (the peers' closes) and the real store is ready to be opened, or
/// fails after `patience` with the channels still open. Blocking: call from a blocking task.
pub fn recover_stale(
    req: &OpenRequest,
    runtime: tokio::runtime::Handle,
    patience: Duration,
) -> Result<usize, Error> {
    let folder = req.dir.node_dir().display().to_string();
    let storage = |e: &dyn std::fmt::Display| NodeError::Storage {
        folder: folder.clone(),
        reason: e.to_string(),
    };
    let mnemonic = req.keyring.load_mnemonic(&req.meta)?;
    let real = req.dir.node_dir();

    // Phase 1: a copy of the store without the channel state.
    let meeting = meeting_dir(req);
    if meeting.exists() {
        std::fs::remove_dir_all(&meeting).map_err(|e| storage(&e))?;
    }
    std::fs::create_dir_all(&meeting).map_err(|e| storage(&e))?;
    copy_database(&real, &meeting).map_err(|e| storage(&e))?;
    let store = MirrorStore::open(&meeting).map_err(|e| storage(&e))?;
    let fundings = funding_outpoints(&store).map_err(|e| storage(&e))?;
    forget_channel_state(&store).map_err(|e| storage(&e))?;

    let config = ldk_node::config::Config {
        network: req.dir.network().to_bitcoin(),
        storage_dir_path: meeting.display().to_string(),
        ..Default::default()
    };
    let mut builder = ldk_node::Builder::from_config(config);
    builder.set_runtime(runtime);
    builder.set_entropy_bip39_mnemonic(mnemonic, None);
    builder.set_chain_source_electrum(req.electrum_url.clone(), None);
    builder.set_filesystem_logger(
        Some(meeting.join("ldk_node.log").display().to_string()),
        Some(LogLevel::Info),
    );
    let node = builder.build_with_store(store).map_err(NodeError::Build)?;
    node.start()
        .map_err(|e| NodeError::from_ldk(e, &req.electrum_url))?;
    log::info!(
        "recovery: meeting the peers of {} channels without their state",
        fundings.len()
    );
    let closed = wait_for_closes(&req.electrum_url, &fundings, patience);
    if let Err(e) = node.stop() {
        log::warn!("recovery: stopping the meeting node: {e}");
    }
    drop(node);
    closed?;
    std::fs::remove_dir_all(&meeting).map_err(|e| storage(&e))?;

    // Phase 2: the real store without its channel manager, which is kept aside.
    let store = MirrorStore::open(&real).map_err(|e| storage(&e))?;
    if let Ok(manager) = KVStoreSync::read(&*store, "", "", MANAGER_KEY) {
        let aside = real.join(format!("manager.stale-{}", crate::core::shared::now()));
        crate::core::store::files::write_durably(&aside, &manager).map_err(|e| storage(&e))?;
        KVStoreSync::remove(&*store, "", "", MANAGER_KEY, false).map_err(|e| storage(&e))?;
    }
    drop(store);
    std::fs::remove_file(crate::core::wallet::stale::marker_path(req.dir.path()))
        .map_err(|e| storage(&e))?;
    Ok(fundings.len())
}

/// Copies LDK Node's database (and its journal files, if any) into `to`.
fn copy_database(from: &Path, to: &Path) -> std::io::Result<()> {
    let db = MirrorStore::database_path(from);
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let file = from.join(format!("{name}{suffix}"));
        if file.exists() {
            std::fs::copy(&file, to.join(format!("{name}{suffix}")))?;
        }
    }
    Ok(())
}

/// The funding outpoints of the channels the store has monitors for (the monitors' names are
/// `<txid>_<vout>`).
fn funding_outpoints(store: &MirrorStore) -> ldk_node::lightning::io::Result<Vec<OutPoint>> {
    let keys = KVStoreSync::list(store, MONITORS, "")?;
    Ok(keys
        .iter()
        .filter_map(|k| {
            let (txid, vout) = k.split_once('_')?;
            Some(OutPoint {
                txid: txid.parse::<Txid>().ok()?,
                vout: vout.parse().ok()?,
            })
        })
        .collect())
}

/// Removes the channel manager and every channel monitor (and its updates) from `store`.
fn forget_channel_state(store: &MirrorStore) -> ldk_node::lightning::io::Result<()> {
    let _ = KVStoreSync::remove(store, "", "", MANAGER_KEY, false);
    for key in KVStoreSync::list(store, MONITORS, "")? {
        for update in KVStoreSync::list(store, MONITOR_UPDATES, &key)? {
            KVStoreSync::remove(store, MONITOR_UPDATES, &key, &update, false)?;
        }
        KVStoreSync::remove(store, MONITORS, "", &key, false)?;
    }
    Ok(())
}

/// Waits until every outpoint is spent by a confirmed transaction.
fn wait_for_closes(url: &str, fundings: &[OutPoint], patience: Duration) -> Result<(), Error> {
    let deadline = std::time::Instant::now() + patience;
    loop {
        // One connection per round for all the channels.
        let client = Client::from_config(url, ConfigBuilder::new().timeout(Some(10)).build()).ok();
        let open: Vec<&OutPoint> = fundings
            .iter()
            .filter(|o| {
                !client
                    .as_ref()
                    .is_some_and(|c| spent_and_confirmed(c, o).unwrap_or(false))
            })
            .collect();
        if open.is_empty() {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            return Err(NodeError::PeersDidNotClose {
                channels: open.len(),
            }
            .into());
        }
        std::thread::sleep(LOOK_INTERVAL);
    }
}

/// Whether a confirmed transaction spends `outpoint`, by the history of its output's script.
fn spent_and_confirmed(
    client: &Client,
    outpoint: &OutPoint,
) -> Result<bool, electrum_client::Error> {
    let funding = client.transaction_get(&outpoint.txid)?;
    let Some(output) = funding.output.get(outpoint.vout as usize) else {
        return Ok(false);
    };
    for entry in client.script_get_history(&output.script_pubkey)? {
        if entry.tx_hash == outpoint.txid || entry.height <= 0 {
            continue;
        }
        let tx = client.transaction_get(&entry.tx_hash)?;
        if tx.input.iter().any(|i| i.previous_output == *outpoint) {
            return Ok(true);
        }
    }
    Ok(false)
}

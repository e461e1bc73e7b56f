//! The local regtest chain: a real bitcoind and electrs on 127.0.0.1, built once per machine by
//! `scripts/regtest-tools.sh`. bitcoind is started through the `bitcoind` harness crate
//! (downloads off); electrs 0.10 by the small [`Electrs`] below, which names each option it
//! uses (the `electrsd` harness passes options of its own choosing). The Lab keeps their data
//! under the regtest folder; tests give them temporary folders.
//!
//! Everything here blocks (process start, RPC): call it from `spawn_blocking`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bitcoind::BitcoinD;
use electrum_client::ElectrumApi;
use ldk_node::bitcoin::key::{CompressedPublicKey, Secp256k1};
use ldk_node::bitcoin::secp256k1::SecretKey;
use ldk_node::bitcoin::{Address, Network as BtcNetwork};
use serde_json::{json, Value};

use crate::core::shared::free_loopback_port;

/// Must match `TOOLS_VERSION` in `scripts/regtest-tools.sh`.
pub const TOOLS_VERSION: &str = "core-kernel-0.4.1_electrs-0.10.10";

/// The Lab's electrs index folder under its regtest folder. Named by version: another electrs
/// may not read an index an earlier one wrote (electrs 0.12's on RocksDB 9 among them), and the
/// index is rebuilt from bitcoind in moments.
const ELECTRS_INDEX_FOLDER: &str = "electrs-0.10";

/// How long electrs may take to index a new block, or to open its port at start.
const INDEX_TIMEOUT: Duration = Duration::from_secs(60);

/// Where the `shandian-lab` Debian package installs the tools.
pub const INSTALLED_TOOLS: &str = "/usr/lib/shandian/lab";

/// The folder holding `bitcoind`, `bitcoin-cli` and `electrs`: `$SHANDIAN_TOOLS_DIR` when set
/// (only there), else the cache the tools script fills, else the `shandian-lab` package's.
pub fn tools_dir() -> Result<PathBuf, LabError> {
    let complete = |dir: &Path| {
        ["bitcoind", "electrs"]
            .iter()
            .all(|e| dir.join(e).is_file())
    };
    if let Some(d) = std::env::var_os("SHANDIAN_TOOLS_DIR") {
        let dir = PathBuf::from(d);
        return if complete(&dir) {
            Ok(dir)
        } else {
            Err(LabError::ToolsMissing(dir))
        };
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|c| {
            c.join("shandian")
                .join("regtest-tools")
                .join(TOOLS_VERSION)
                .join("bin")
        });
    let installed = PathBuf::from(INSTALLED_TOOLS);
    for dir in cache.iter().chain([&installed]) {
        if complete(dir) {
            return Ok(dir.clone());
        }
    }
    Err(LabError::ToolsMissing(cache.unwrap_or(installed)))
}

/// A running regtest chain. Dropping it stops both processes.
pub struct LocalChain {
    // Field order matters: electrs must stop before bitcoind.
    electrs: std::sync::Mutex<Electrs>,
    /// `127.0.0.1:<port>` of electrs's Electrum server (the same after an outage).
    electrum_address: String,
    bitcoind: BitcoinD,
    /// Where freshly mined coinbase goes when it is not for a wallet.
    burn_address: Address,
}

/// In electrs's index folder: the running electrs's process id, for bitcoind's block
/// notification.
const ELECTRS_PID_FILE: &str = "electrs.pid";

impl std::fmt::Debug for LocalChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalChain")
            .field("electrum", &self.electrum_url())
            .finish()
    }
}

impl LocalChain {
    /// Starts bitcoind and electrs. With `data_dir` their state persists there (the Lab);
    /// without, they use temporary folders (tests).
    pub fn start(data_dir: Option<&Path>) -> Result<Self, LabError> {
        Self::start_with(data_dir, None)
    }

    /// A chain (in temporary folders) whose node relays only transactions paying at least
    /// `sat_vb`, as a busy mempool does: for drills of a transaction the server refuses.
    pub fn start_relaying_from(sat_vb: u64) -> Result<Self, LabError> {
        Self::start_with(None, Some(sat_vb))
    }

    fn start_with(
        data_dir: Option<&Path>,
        min_relay_sat_vb: Option<u64>,
    ) -> Result<Self, LabError> {
        let tools = tools_dir()?;
        // electrs's index folder is chosen first: bitcoind tells electrs of each new block
        // through it (below).
        let (electrs_tmp, electrs_dir) = match data_dir {
            Some(d) => (None, d.join(ELECTRS_INDEX_FOLDER)),
            None => {
                let t = tempfile::tempdir().map_err(|e| LabError::Start(e.to_string()))?;
                let d = t.path().to_path_buf();
                (Some(t), d)
            }
        };
        std::fs::create_dir_all(&electrs_dir).map_err(|e| LabError::Start(e.to_string()))?;
        let pid_file = electrs_dir.join(ELECTRS_PID_FILE);
        // A pid from a run that ended abruptly must never receive the signal below.
        let _ = std::fs::remove_file(&pid_file);
        // electrs looks at bitcoind only every ten seconds, or when a client asks it something;
        // SIGUSR1 makes it look at once. bitcoind runs this through the shell at every new
        // block, so a block reaches electrs's subscribers within a moment, as it does on a
        // public server fed by its node's block notifications.
        let notify = format!(
            "-blocknotify=kill -USR1 $(cat '{}' 2>/dev/null) 2>/dev/null",
            pid_file.display()
        );
        let mut conf = bitcoind::Conf::default();
        // sat/vB -> BTC per 1000 vB.
        let relay = min_relay_sat_vb.map(|r| format!("-minrelaytxfee={:.8}", r as f64 / 100_000.0));
        // electrs 0.10 reads each mempool entry with its `bip125-replaceable` field, which
        // Bitcoin Core 31 gives only when asked for (without it electrs sees an empty mempool).
        conf.args = vec!["-regtest", "-rest=1", "-txindex=1", "-deprecatedrpc=bip125"];
        if !pid_file.display().to_string().contains('\'') {
            conf.args.push(&notify);
        }
        conf.args.extend(relay.as_deref());
        conf.wallet = None;
        // electrs 0.10 fetches blocks over bitcoind's P2P port (on loopback only).
        conf.p2p = bitcoind::P2P::Yes;
        conf.staticdir = data_dir.map(|d| d.join("bitcoind"));
        if let Some(d) = &conf.staticdir {
            std::fs::create_dir_all(d).map_err(|e| LabError::Start(e.to_string()))?;
        }
        let bitcoind = BitcoinD::with_conf(tools.join("bitcoind"), &conf)
            .map_err(|e| LabError::Start(format!("bitcoind: {e:#}")))?;

        let burn_address = throwaway_address();
        // electrs idles while bitcoind thinks it is in initial block download (a new chain, or
        // a Lab chain whose tip is over a day old): one fresh block ends that.
        let info = bitcoind
            .client
            .call::<Value>("getblockchaininfo", &[])
            .map_err(|e| LabError::Rpc(e.to_string()))?;
        if info["initialblockdownload"].as_bool().unwrap_or(true) {
            generate(&bitcoind, 1, &burn_address)?;
        }

        let mut electrs = start_electrs(&tools.join("electrs"), &bitcoind, &electrs_dir)?;
        electrs._tmp = electrs_tmp;
        let chain = LocalChain {
            electrum_address: electrs.address.clone(),
            electrs: std::sync::Mutex::new(electrs),
            bitcoind,
            burn_address,
        };
        chain.wait_for_index(block_count(&chain.bitcoind)?)?;
        Ok(chain)
    }

    /// `tcp://127.0.0.1:<port>`, as ldk-node's Electrum chain source expects it.
    pub fn electrum_url(&self) -> String {
        format!("tcp://{}", self.electrum_address)
    }

    /// Stops the Electrum server (an outage, for the drills); its index stays.
    pub fn stop_electrs(&self) {
        let mut e = self.electrs.lock().unwrap_or_else(|p| p.into_inner());
        e.stop();
    }

    /// Starts the Electrum server again on the same address and index, after `stop_electrs`.
    pub fn restart_electrs(&self) -> Result<(), LabError> {
        let mut e = self.electrs.lock().unwrap_or_else(|p| p.into_inner());
        let tmp = e._tmp.take();
        let mut restarted = Electrs::start(
            &tools_dir()?.join("electrs"),
            &self.bitcoind,
            Some(e.db_dir.clone()),
            Some(self.electrum_address.clone()),
        )?;
        restarted._tmp = tmp;
        *e = restarted;
        drop(e);
        self.wait_for_index(block_count(&self.bitcoind)?)
    }

    pub fn height(&self) -> Result<u64, LabError> {
        block_count(&self.bitcoind)
    }

    /// Mines `blocks` to a throwaway address and waits until electrs has indexed them.
    /// Returns the new height.
    pub fn mine(&self, blocks: u32) -> Result<u64, LabError> {
        generate(&self.bitcoind, blocks, &self.burn_address)?;
        let height = self.height()?;
        self.wait_for_index(height)?;
        Ok(height)
    }

    /// Mines one block whose reward goes to `address`, then 100 more so that reward is mature
    /// (spendable). Returns the new height.
    pub fn fund(&self, address: &str) -> Result<u64, LabError> {
        self.fund_all(&[address.to_string()])
    }

    /// Sends a mature coinbase to each address (one block each, then the 100 that make them
    /// spendable); returns the new height.
    pub fn fund_all(&self, addresses: &[String]) -> Result<u64, LabError> {
        for address in addresses {
            let address: Address = address
                .parse::<Address<_>>()
                .map_err(|e| LabError::Rpc(e.to_string()))?
                .require_network(BtcNetwork::Regtest)
                .map_err(|e| LabError::Rpc(e.to_string()))?;
            generate(&self.bitcoind, 1, &address)?;
        }
        self.mine(100)
    }

    /// Waits until bitcoind has each of `txids` (in its mempool or a block): a node broadcasts
    /// from a queue, a moment after it says it sent.
    pub fn wait_for_mempool(&self, txids: &[String]) -> Result<(), LabError> {
        let deadline = Instant::now() + INDEX_TIMEOUT;
        for txid in txids {
            while self
                .rpc("getrawtransaction", &[json!(txid), json!(false)])
                .is_err()
            {
                if Instant::now() > deadline {
                    return Err(LabError::Rpc(format!(
                        "transaction {txid} never reached bitcoind"
                    )));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Ok(())
    }

    /// Waits until bitcoind has a transaction spending each of `outpoints` (`txid:vout`).
    pub fn wait_for_spends(&self, outpoints: &[String]) -> Result<(), LabError> {
        let deadline = Instant::now() + INDEX_TIMEOUT;
        for outpoint in outpoints {
            let (txid, vout) = outpoint
                .split_once(':')
                .ok_or_else(|| LabError::Rpc(format!("not an outpoint: {outpoint}")))?;
            let vout: u64 = vout
                .parse()
                .map_err(|_| LabError::Rpc(format!("not an outpoint: {outpoint}")))?;
            let prevout = json!([{ "txid": txid, "vout": vout }]);
            loop {
                let spent = self.rpc("gettxspendingprevout", std::slice::from_ref(&prevout))?;
                if spent[0].get("spendingtxid").is_some() {
                    break;
                }
                // Spent in a block already: no longer an unspent output.
                if self.rpc("gettxout", &[json!(txid), json!(vout)])?.is_null() {
                    break;
                }
                if Instant::now() > deadline {
                    return Err(LabError::Rpc(format!(
                        "no transaction spending {outpoint} reached bitcoind"
                    )));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Ok(())
    }

    /// Calls any bitcoind RPC; for tests that look at the chain directly.
    pub fn rpc(&self, method: &str, params: &[Value]) -> Result<Value, LabError> {
        self.bitcoind
            .client
            .call::<Value>(method, params)
            .map_err(|e| LabError::Rpc(e.to_string()))
    }

    fn wait_for_index(&self, height: u64) -> Result<(), LabError> {
        let deadline = Instant::now() + INDEX_TIMEOUT;
        loop {
            // A new subscription each round returns the current tip.
            let tip = self
                .electrs
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .client
                .block_headers_subscribe_raw()
                .map(|h| h.height as u64)
                .unwrap_or(0);
            if tip >= height {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(LabError::IndexTimeout { height });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// An electrs 0.10 process indexing `bitcoind` over its RPC and P2P ports.
struct Electrs {
    process: Child,
    /// `127.0.0.1:<port>` of its Electrum server.
    address: String,
    client: electrum_client::Client,
    db_dir: PathBuf,
    /// Kept so a temporary index folder lives as long as the process.
    _tmp: Option<tempfile::TempDir>,
}

impl Electrs {
    /// `address`: where to listen (`None`: a free loopback port).
    fn start(
        exe: &Path,
        bitcoind: &BitcoinD,
        db_dir: Option<PathBuf>,
        address: Option<String>,
    ) -> Result<Self, LabError> {
        let start_err = |e: String| LabError::Start(format!("electrs: {e}"));
        let (tmp, db_dir) = match db_dir {
            Some(d) => (None, d),
            None => {
                let t = tempfile::tempdir().map_err(|e| start_err(e.to_string()))?;
                let d = t.path().to_path_buf();
                (Some(t), d)
            }
        };
        std::fs::create_dir_all(&db_dir).map_err(|e| start_err(e.to_string()))?;
        let address = match address {
            Some(a) => a,
            None => format!("127.0.0.1:{}", free_loopback_port().map_err(start_err)?),
        };
        let monitoring = format!("127.0.0.1:{}", free_loopback_port().map_err(start_err)?);
        let p2p = bitcoind
            .params
            .p2p_socket
            .ok_or_else(|| start_err("bitcoind has no P2P port to read blocks from".into()))?;
        let log_path = db_dir.join("electrs.log");
        let log = std::fs::File::create(&log_path).map_err(|e| start_err(e.to_string()))?;
        let mut process = Command::new(exe)
            .arg("--skip-default-conf-files")
            .args(["--network", "regtest"])
            .arg("--db-dir")
            .arg(&db_dir)
            .arg("--cookie-file")
            .arg(&bitcoind.params.cookie_file)
            .args(["--daemon-rpc-addr", &bitcoind.params.rpc_socket.to_string()])
            .arg("--daemon-p2p-addr")
            .arg(p2p.to_string())
            .args(["--electrum-rpc-addr", &address])
            .args(["--monitoring-addr", &monitoring])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| start_err(format!("{}: {e}", exe.display())))?;

        let deadline = Instant::now() + INDEX_TIMEOUT;
        let client = loop {
            if let Ok(Some(status)) = process.try_wait() {
                // Its last words, without the backtrace's frames.
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                let said: Vec<&str> = log
                    .lines()
                    .filter(|l| !l.starts_with(' '))
                    .rev()
                    .take(5)
                    .collect();
                return Err(start_err(format!(
                    "{EXITED_AT_START} ({status}): {}",
                    said.into_iter().rev().collect::<Vec<_>>().join(" / ")
                )));
            }
            let config = electrum_client::ConfigBuilder::new()
                .timeout(Some(5))
                .build();
            if let Ok(c) = electrum_client::Client::from_config(&format!("tcp://{address}"), config)
            {
                if c.ping().is_ok() {
                    break c;
                }
            }
            if Instant::now() > deadline {
                let _ = process.kill();
                let _ = process.wait();
                return Err(start_err("its Electrum port did not open in time".into()));
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        // bitcoind's block notification signals the process named here (see `start_with`).
        std::fs::write(db_dir.join(ELECTRS_PID_FILE), process.id().to_string())
            .map_err(|e| start_err(e.to_string()))?;
        Ok(Electrs {
            process,
            address,
            client,
            db_dir,
            _tmp: tmp,
        })
    }
}

impl Electrs {
    /// Stops electrs; bitcoind's block notifications then go nowhere.
    fn stop(&mut self) {
        // Only our own pid: an electrs started again in the same folder wrote its own.
        let pid_file = self.db_dir.join(ELECTRS_PID_FILE);
        if std::fs::read_to_string(&pid_file).ok() == Some(self.process.id().to_string()) {
            let _ = std::fs::remove_file(&pid_file);
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Drop for Electrs {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts electrs on loopback ports of its own. A port is picked free and then bound by
/// electrs, so another process (a test running beside this one) can take it in between: electrs
/// then exits at once, and is started again on fresh ports, twice at most.
fn start_electrs(exe: &Path, bitcoind: &BitcoinD, db_dir: &Path) -> Result<Electrs, LabError> {
    let mut tries = 0;
    loop {
        match Electrs::start(exe, bitcoind, Some(db_dir.to_path_buf()), None) {
            Err(LabError::Start(why)) if tries < 2 && why.contains(EXITED_AT_START) => {
                log::warn!("electrs did not start ({why}); again on other ports");
                tries += 1;
            }
            other => return other,
        }
    }
}

/// What [`Electrs::start`] says of an electrs that exited before its port opened.
const EXITED_AT_START: &str = "exited at start";

/// A loopback port nobody listens on right now.
fn block_count(bitcoind: &BitcoinD) -> Result<u64, LabError> {
    bitcoind
        .client
        .call::<Value>("getblockcount", &[])
        .map_err(|e| LabError::Rpc(e.to_string()))?
        .as_u64()
        .ok_or_else(|| LabError::Rpc("getblockcount returned no number".into()))
}

fn generate(bitcoind: &BitcoinD, blocks: u32, to: &Address) -> Result<(), LabError> {
    bitcoind
        .client
        .call::<Value>("generatetoaddress", &[json!(blocks), json!(to.to_string())])
        .map(|_| ())
        .map_err(|e| LabError::Rpc(e.to_string()))
}

/// A regtest address nobody keeps the key of.
pub fn throwaway_address() -> Address {
    let secp = Secp256k1::new();
    let mut bytes = [1u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    // A random 32-byte string is a valid key with overwhelming probability; fall back to a
    // fixed one otherwise.
    let sk = SecretKey::from_slice(&bytes)
        .unwrap_or_else(|_| SecretKey::from_slice(&[1; 32]).expect("1 is a valid key"));
    let pk = CompressedPublicKey(sk.public_key(&secp));
    Address::p2wpkh(&pk, BtcNetwork::Regtest)
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LabError {
    #[error("regtest tools not found in {0}")]
    ToolsMissing(PathBuf),
    #[error("the local chain did not start: {0}")]
    Start(String),
    #[error("bitcoind call failed: {0}")]
    Rpc(String),
    #[error("electrs did not reach height {height} in time")]
    IndexTimeout { height: u64 },
    #[error("a lab node refused: {0}")]
    Node(String),
    #[error("the Lab has no node named {0}")]
    NoNode(String),
    #[error("{0} is offline: bring it back first")]
    NodeOffline(String),
    #[error("{0} still has channels: close them first")]
    HasChannels(String),
    #[error("{0} has no channel with this wallet")]
    NoChannelWithWallet(String),
    #[error("{0} kept no earlier state to breach with: keep one first, then make a payment")]
    NoKeptState(String),
    #[error("the Lab's network is full ({0} nodes)")]
    NetworkFull(usize),
    #[error("a file of the Lab could not be written: {0}")]
    Files(String),
    #[error("{0}'s payment failed")]
    PaymentFailed(String),
    #[error("timed out waiting for {0}")]
    NodesTimeout(String),
    /// The wallet's own side of a lab action (a swap) refused.
    #[error(transparent)]
    Wallet(#[from] crate::core::Error),
}

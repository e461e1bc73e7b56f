//! The local regtest chain: a real bitcoind and electrs on 127.0.0.1, built once per machine by
//! `scripts/regtest-tools.sh` and started here through the `electrsd`/`bitcoind` harness crates
//! (downloads off). The app's playground keeps their data under the regtest folder; tests give
//! them temporary folders.
//!
//! Everything here blocks (process start, RPC): call it from `spawn_blocking`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use electrsd::bitcoind::{self, BitcoinD};
use electrsd::electrum_client::ElectrumApi;
use electrsd::ElectrsD;
use ldk_node::bitcoin::key::{CompressedPublicKey, Secp256k1};
use ldk_node::bitcoin::secp256k1::SecretKey;
use ldk_node::bitcoin::{Address, Network as BtcNetwork};
use serde_json::{json, Value};

/// Must match `TOOLS_VERSION` in `scripts/regtest-tools.sh`.
pub const TOOLS_VERSION: &str = "core-kernel-0.4.1_electrs-0.12.0";

/// Blocks until a newly mined block is seen by electrs.
const INDEX_TIMEOUT: Duration = Duration::from_secs(60);

/// The folder holding `bitcoind`, `bitcoin-cli` and `electrs`: `$SHANDIAN_TOOLS_DIR`, or the
/// cache the tools script fills.
pub fn tools_dir() -> Result<PathBuf, ChainError> {
    let dir = match std::env::var_os("SHANDIAN_TOOLS_DIR") {
        Some(d) => PathBuf::from(d),
        None => {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .ok_or(ChainError::ToolsMissing(PathBuf::from("~/.cache")))?;
            cache
                .join("shandian")
                .join("regtest-tools")
                .join(TOOLS_VERSION)
                .join("bin")
        }
    };
    for exe in ["bitcoind", "electrs"] {
        if !dir.join(exe).is_file() {
            return Err(ChainError::ToolsMissing(dir));
        }
    }
    Ok(dir)
}

/// A running regtest chain. Dropping it stops both processes.
pub struct LocalChain {
    // Field order matters: electrs must stop before bitcoind.
    electrsd: ElectrsD,
    bitcoind: BitcoinD,
    /// Where freshly mined coinbase goes when it is not for a wallet.
    burn_address: Address,
}

impl std::fmt::Debug for LocalChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalChain")
            .field("electrum", &self.electrum_url())
            .finish()
    }
}

impl LocalChain {
    /// Starts bitcoind and electrs. With `data_dir` their state persists there (the playground);
    /// without, they use temporary folders (tests).
    pub fn start(data_dir: Option<&Path>) -> Result<Self, ChainError> {
        let tools = tools_dir()?;
        let mut conf = bitcoind::Conf::default();
        conf.args = vec!["-regtest", "-rest=1", "-txindex=1"];
        conf.wallet = None;
        conf.p2p = bitcoind::P2P::Yes;
        conf.staticdir = data_dir.map(|d| d.join("bitcoind"));
        if let Some(d) = &conf.staticdir {
            std::fs::create_dir_all(d).map_err(|e| ChainError::Start(e.to_string()))?;
        }
        let bitcoind = BitcoinD::with_conf(tools.join("bitcoind"), &conf)
            .map_err(|e| ChainError::Start(format!("bitcoind: {e:#}")))?;

        let burn_address = throwaway_address();
        // electrs idles while bitcoind is in initial block download (height 0): leave it.
        let height = block_count(&bitcoind)?;
        if height == 0 {
            generate(&bitcoind, 1, &burn_address)?;
        }

        let mut econf = electrsd::Conf::default();
        econf.staticdir = data_dir.map(|d| d.join("electrs"));
        if let Some(d) = &econf.staticdir {
            std::fs::create_dir_all(d).map_err(|e| ChainError::Start(e.to_string()))?;
        }
        let electrsd = ElectrsD::with_conf(tools.join("electrs"), &bitcoind, &econf)
            .map_err(|e| ChainError::Start(format!("electrs: {e:#}")))?;
        let chain = LocalChain {
            electrsd,
            bitcoind,
            burn_address,
        };
        chain.wait_for_index(block_count(&chain.bitcoind)?)?;
        Ok(chain)
    }

    /// `tcp://127.0.0.1:<port>`, as ldk-node's Electrum chain source expects it.
    pub fn electrum_url(&self) -> String {
        format!("tcp://{}", self.electrsd.electrum_url)
    }

    pub fn height(&self) -> Result<u64, ChainError> {
        block_count(&self.bitcoind)
    }

    /// Mines `blocks` to a throwaway address and waits until electrs has indexed them.
    /// Returns the new height.
    pub fn mine(&self, blocks: u32) -> Result<u64, ChainError> {
        generate(&self.bitcoind, blocks, &self.burn_address)?;
        let height = self.height()?;
        self.wait_for_index(height)?;
        Ok(height)
    }

    /// Mines one block whose reward goes to `address`, then 100 more so that reward is mature
    /// (spendable). Returns the new height.
    pub fn fund(&self, address: &str) -> Result<u64, ChainError> {
        let address: Address = address
            .parse::<Address<_>>()
            .map_err(|e| ChainError::Rpc(e.to_string()))?
            .require_network(BtcNetwork::Regtest)
            .map_err(|e| ChainError::Rpc(e.to_string()))?;
        generate(&self.bitcoind, 1, &address)?;
        self.mine(100)
    }

    /// Calls any bitcoind RPC; for tests that look at the chain directly.
    pub fn rpc(&self, method: &str, params: &[Value]) -> Result<Value, ChainError> {
        self.bitcoind
            .client
            .call::<Value>(method, params)
            .map_err(|e| ChainError::Rpc(e.to_string()))
    }

    fn wait_for_index(&self, height: u64) -> Result<(), ChainError> {
        let deadline = Instant::now() + INDEX_TIMEOUT;
        loop {
            // A new subscription each round returns the current tip.
            let tip = self
                .electrsd
                .client
                .block_headers_subscribe_raw()
                .map(|h| h.height as u64)
                .unwrap_or(0);
            if tip >= height {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(ChainError::IndexTimeout { height });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn block_count(bitcoind: &BitcoinD) -> Result<u64, ChainError> {
    bitcoind
        .client
        .call::<Value>("getblockcount", &[])
        .map_err(|e| ChainError::Rpc(e.to_string()))?
        .as_u64()
        .ok_or_else(|| ChainError::Rpc("getblockcount returned no number".into()))
}

fn generate(bitcoind: &BitcoinD, blocks: u32, to: &Address) -> Result<(), ChainError> {
    bitcoind
        .client
        .call::<Value>("generatetoaddress", &[json!(blocks), json!(to.to_string())])
        .map(|_| ())
        .map_err(|e| ChainError::Rpc(e.to_string()))
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

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("regtest tools not found in {0}")]
    ToolsMissing(PathBuf),
    #[error("the local chain did not start: {0}")]
    Start(String),
    #[error("bitcoind call failed: {0}")]
    Rpc(String),
    #[error("electrs did not reach height {height} in time")]
    IndexTimeout { height: u64 },
}

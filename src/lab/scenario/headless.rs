//! `shandian lab run FILE`: a scenario on a Lab of its own, with no window. Everything lives in
//! a temporary folder removed afterwards: a local chain, the lab nodes, and a throwaway regtest
//! wallet whose words are kept in this process's memory only (never in the system keyring, so a
//! tester's CI needs none).

use std::path::Path;
use std::sync::Arc;

use crate::core::keys::secrets::Keyring;
use crate::core::keys::seed;
use crate::core::network::Network;
use crate::core::store::dirs::DataRoot;
use crate::core::wallet::{CreateRequest, Wallet};
use crate::lab::chain::LocalChain;
use crate::lab::scenario::{Progress, Runner, Scenario, ScenarioError};
use crate::lab::Lab;

/// Reads and runs the scenario in `path`, telling `progress` of each step. With `keep`, the
/// Lab's folder (the chain, each node's store and log, the wallet) is that new folder and stays
/// for a look afterwards.
pub async fn run_file(
    path: &Path,
    keep: Option<&Path>,
    progress: impl FnMut(&Scenario, Progress),
) -> Result<(), ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError::Read(e.to_string()))?;
    let scenario = Scenario::parse(&text)?;
    let setup = |e: String| ScenarioError::Setup(e);
    let tmp = match keep {
        Some(dir) => {
            if dir.exists() {
                return Err(setup(format!("{} exists already", dir.display())));
            }
            std::fs::create_dir_all(dir).map_err(|e| setup(e.to_string()))?;
            Kept::Folder(dir.to_path_buf())
        }
        None => Kept::Temporary(tempfile::tempdir().map_err(|e| setup(e.to_string()))?),
    };
    let chain_dir = tmp.path().join("chain");
    let chain = tokio::task::spawn_blocking(move || LocalChain::start(Some(&chain_dir)))
        .await
        .map_err(|e| setup(e.to_string()))?
        .map_err(|e| setup(e.to_string()))?;
    let chain = Arc::new(chain);
    let lab = Arc::new(Lab::new(chain.clone(), tmp.path().join("lab-nodes")));
    let dir = DataRoot::at(tmp.path().join("wallet"))
        .network_dir(Network::Regtest)
        .map_err(|e| setup(e.to_string()))?;
    let keyring = Keyring::memory().map_err(|e| setup(e.to_string()))?;
    let wallet = Wallet::create(CreateRequest {
        dir: dir.clone(),
        lock: dir.lock().map_err(|e| setup(e.to_string()))?,
        mnemonic: seed::generate(),
        electrum_url: chain.electrum_url(),
        keyring,
        restore_from: None,
    })
    .await
    .map_err(|e| setup(e.to_string()))?;
    let mut progress = progress;
    let outcome = Runner::new(lab.clone(), wallet.clone())
        .run(&scenario, |p| progress(&scenario, p))
        .await;
    if let Err(e) = wallet.stop().await {
        log::warn!("the scenario's wallet did not stop cleanly: {e}");
    }
    drop(wallet);
    // The lab nodes stop before the chain, and both before their folders go.
    tokio::task::spawn_blocking(move || {
        drop(lab);
        drop(chain);
        drop(tmp);
    })
    .await
    .map_err(|e| setup(e.to_string()))?;
    outcome
}

/// The scenario's folder: removed afterwards, or kept where the tester asked.
enum Kept {
    Temporary(tempfile::TempDir),
    Folder(std::path::PathBuf),
}

impl Kept {
    fn path(&self) -> &Path {
        match self {
            Kept::Temporary(t) => t.path(),
            Kept::Folder(p) => p,
        }
    }
}

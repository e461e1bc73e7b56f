//! Where Shandian keeps its state: the OS data directory, one private (0700) folder per network,
//! and a small `wallet.toml` that ties the folder to its keyring entry and node id.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::network::Network;
use crate::core::store::files::write_atomically;
use crate::core::store::lock::{InstanceLock, LockError};

const WALLET_FILE: &str = "wallet.toml";
const SETTINGS_FILE: &str = "settings.toml";
const LAST_NETWORK_FILE: &str = "last-network";

/// The root folder: the OS data directory unless `--data-dir` overrides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRoot(PathBuf);

impl DataRoot {
    /// The OS data directory (`~/.local/share/shandian` on Linux).
    pub fn os_default() -> Result<Self, DirsError> {
        directories::ProjectDirs::from("org", "Shandian", "shandian")
            .map(|p| DataRoot(p.data_dir().to_path_buf()))
            .ok_or(DirsError::NoHome)
    }

    pub fn at(path: impl Into<PathBuf>) -> Self {
        DataRoot(path.into())
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The network's folder; created 0700 on first use.
    pub fn network_dir(&self, network: Network) -> Result<NetworkDir, DirsError> {
        let path = self.0.join(network.as_str());
        create_private_dir(&path)?;
        Ok(NetworkDir { path, network })
    }

    /// The network used last time, so a plain start opens the wallet a person used before.
    pub fn last_network(&self) -> Option<Network> {
        std::fs::read_to_string(self.0.join(LAST_NETWORK_FILE))
            .ok()
            .and_then(|s| s.parse().ok())
    }

    pub fn remember_network(&self, network: Network) -> Result<(), DirsError> {
        create_private_dir(&self.0)?;
        write_atomically(&self.0.join(LAST_NETWORK_FILE), network.as_str().as_bytes())
            .map_err(|e| DirsError::Io(e.to_string()))
    }
}

/// One network's private folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkDir {
    path: PathBuf,
    network: Network,
}

impl NetworkDir {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn network(&self) -> Network {
        self.network
    }

    /// ldk-node's own store (its SQLite database, BDK wallet and logs).
    pub fn node_dir(&self) -> PathBuf {
        self.path.join("node")
    }

    /// Persistent data of the Lab's chain (bitcoind and electrs).
    pub fn chain_dir(&self) -> PathBuf {
        self.path.join("chain")
    }

    pub fn settings_path(&self) -> PathBuf {
        self.path.join(SETTINGS_FILE)
    }

    /// What this wallet remembers of its channels (ldk-node forgets closed ones).
    pub fn channels_path(&self) -> PathBuf {
        self.path.join("channels.json")
    }

    /// The swaps between chain and Lightning, each until it is finished or refunded.
    pub fn swaps_path(&self) -> PathBuf {
        self.path.join("swaps.json")
    }

    /// What we note about payments beyond what ldk-node keeps (their descriptions).
    pub fn payment_notes_path(&self) -> PathBuf {
        self.path.join("payments.json")
    }

    /// Channels restored from a backup that have not met their peer since (see
    /// `lightning::channels::unproven`).
    pub fn unproven_channels_path(&self) -> PathBuf {
        self.path.join("unproven-channels.json")
    }

    /// Where this wallet's channel backup goes (see `store::backup::target`).
    pub fn channel_backup_path(&self) -> PathBuf {
        self.path.join("channel-backup.toml")
    }

    /// Takes the folder's one-running-wallet lock (see `store::lock`).
    pub fn lock(&self) -> Result<InstanceLock, LockError> {
        InstanceLock::take(&self.path)
    }

    /// The Lab's nodes, a folder each (their own keys and store).
    pub fn lab_nodes_dir(&self) -> PathBuf {
        self.chain_dir().join("nodes")
    }

    /// The wallet that lives here, if one was created or restored.
    pub fn load_wallet(&self) -> Result<Option<WalletMeta>, DirsError> {
        let path = self.path.join(WALLET_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(DirsError::Io(e.to_string())),
        };
        let meta: WalletMeta = toml::from_str(&text).map_err(|_| DirsError::CorruptWalletFile {
            path: path.display().to_string(),
        })?;
        if meta.network != self.network {
            return Err(DirsError::NetworkMismatch {
                folder: self.path.display().to_string(),
                found: meta.network,
                expected: self.network,
            });
        }
        Ok(Some(meta))
    }

    /// Records a new wallet; refuses to replace one that is already here.
    pub fn create_wallet(&self, meta: &WalletMeta) -> Result<(), DirsError> {
        if self.load_wallet()?.is_some() {
            return Err(DirsError::WalletExists {
                folder: self.path.display().to_string(),
            });
        }
        self.save_wallet(meta)
    }

    /// Updates the record (e.g. with the node id learned at first start).
    pub fn save_wallet(&self, meta: &WalletMeta) -> Result<(), DirsError> {
        let text = toml::to_string_pretty(meta).map_err(|e| DirsError::Io(e.to_string()))?;
        write_atomically(&self.path.join(WALLET_FILE), text.as_bytes())
            .map_err(|e| DirsError::Io(e.to_string()))
    }
}

/// What ties a data folder to its keyring entry. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletMeta {
    pub network: Network,
    /// Random id naming the keyring entry, so two wallets never share (or overwrite) one.
    pub wallet_id: String,
    /// Hex node id seen when the wallet was first opened; a different one later means the
    /// keyring entry and the folder do not belong together.
    pub node_id: Option<String>,
    /// Unix seconds.
    pub created_at: u64,
}

impl WalletMeta {
    pub fn new(network: Network) -> Self {
        WalletMeta {
            network,
            wallet_id: crate::core::shared::random_id(8),
            node_id: None,
            created_at: crate::core::shared::now(),
        }
    }
}

/// Creates `path` and any missing parents, each folder it creates readable by the owner only.
/// A folder that already exists keeps its permissions: `--data-dir ~` must not lock the home
/// folder, nor strip a shared folder's sticky bit.
pub fn create_private_dir(path: &Path) -> Result<(), DirsError> {
    let cannot = |p: &Path, e: std::io::Error| DirsError::CannotCreate {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    let missing: Vec<&Path> = path.ancestors().take_while(|p| !p.exists()).collect();
    for dir in missing.into_iter().rev() {
        match std::fs::create_dir(dir) {
            Ok(()) => {}
            // Made meanwhile by someone else: theirs, left as it is.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(cannot(dir, e)),
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| cannot(dir, e))?;
        }
    }
    if !path.is_dir() {
        return Err(cannot(path, std::io::Error::other("not a folder")));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirsError {
    #[error("no home directory to keep data in")]
    NoHome,
    #[error("cannot create {path}: {reason}")]
    CannotCreate { path: String, reason: String },
    #[error("{path} is damaged")]
    CorruptWalletFile { path: String },
    #[error("{folder} holds a {found} wallet, not {expected}")]
    NetworkMismatch {
        folder: String,
        found: Network,
        expected: Network,
    },
    #[error("{folder} already holds a wallet")]
    WalletExists { folder: String },
    #[error("data folder error: {0}")]
    Io(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_dirs_are_private_and_separate() {
        let tmp = tempfile::tempdir().unwrap();
        let root = DataRoot::at(tmp.path().join("root"));
        let reg = root.network_dir(Network::Regtest).unwrap();
        let sig = root.network_dir(Network::Signet).unwrap();
        assert_ne!(reg.path(), sig.path());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(reg.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_that_exists_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let shared = tmp.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
        let root = DataRoot::at(&shared);
        let reg = root.network_dir(Network::Regtest).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(
            mode(&shared),
            0o1777,
            "the existing folder is left as it was"
        );
        assert_eq!(mode(reg.path()), 0o700, "what the wallet made is private");
    }

    #[test]
    fn wallet_file_round_trip_and_no_overwrite() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataRoot::at(tmp.path())
            .network_dir(Network::Regtest)
            .unwrap();
        assert_eq!(dir.load_wallet().unwrap(), None);
        let meta = WalletMeta::new(Network::Regtest);
        assert_eq!(meta.wallet_id.len(), 16);
        dir.create_wallet(&meta).unwrap();
        assert_eq!(dir.load_wallet().unwrap(), Some(meta.clone()));
        let other = WalletMeta::new(Network::Regtest);
        assert_ne!(other.wallet_id, meta.wallet_id);
        assert!(matches!(
            dir.create_wallet(&other),
            Err(DirsError::WalletExists { .. })
        ));
        assert_eq!(dir.load_wallet().unwrap(), Some(meta));
    }

    #[test]
    fn a_folder_of_another_network_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = DataRoot::at(tmp.path());
        let reg = root.network_dir(Network::Regtest).unwrap();
        reg.create_wallet(&WalletMeta::new(Network::Regtest))
            .unwrap();
        // Someone copies the regtest folder over the mainnet one.
        let main = root.network_dir(Network::Mainnet).unwrap();
        std::fs::copy(reg.path().join(WALLET_FILE), main.path().join(WALLET_FILE)).unwrap();
        assert!(matches!(
            main.load_wallet(),
            Err(DirsError::NetworkMismatch {
                found: Network::Regtest,
                expected: Network::Mainnet,
                ..
            })
        ));
    }

    #[test]
    fn last_network_is_remembered() {
        let tmp = tempfile::tempdir().unwrap();
        let root = DataRoot::at(tmp.path().join("new"));
        assert_eq!(root.last_network(), None);
        root.remember_network(Network::Signet).unwrap();
        assert_eq!(root.last_network(), Some(Network::Signet));
    }
}

//! Everything that is not drawing. Never imports iced: tests and tools drive all of it.

pub mod chain;
pub mod fiat;
pub mod history;
pub mod input;
pub mod keys;
pub mod lightning;
pub mod store;
pub mod wallet;

pub use chain::fees::FeeError;
pub use history::HistoryError;
pub use input::paste::PasteError;
pub use input::qr_image::QrError;
pub use input::InputError;
pub use keys::secrets::SecretError;
pub use keys::seed::SeedError;
pub use lightning::channels::ChannelError;
pub use lightning::payments::PaymentError;
pub use store::dirs::DirsError;
pub use store::settings::{AmountUnit, ConfigError, Language, Network, Settings, ThemeChoice};
pub use store::{BackupError, LockError};

/// Every error `core` can return, cheap to clone so it travels in UI messages.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Dirs(#[from] DirsError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Node(#[from] NodeError),
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Seed(#[from] SeedError),
    #[error(transparent)]
    Channel(#[from] ChannelError),
    #[error(transparent)]
    Paste(#[from] PasteError),
    #[error(transparent)]
    Name(#[from] input::names::NameError),
    #[error(transparent)]
    Fiat(#[from] fiat::FiatError),
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Qr(#[from] QrError),
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Fee(#[from] FeeError),
    #[error("internal error: {0}")]
    Internal(String),
}

/// A random id of `bytes` bytes as hex, from the OS random source: names a keyring entry, a data
/// folder that writes a backup.
pub fn random_id(bytes: usize) -> String {
    use ldk_node::bitcoin::hex::DisplayHex;
    use rand::RngCore;
    let mut id = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut id);
    id.to_lower_hex_string()
}

/// Unix seconds now (0 if the clock is before 1970).
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A TCP port on loopback that nobody listens on right now (the OS picks it).
pub fn free_loopback_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// `https://`, or `http://` to this computer itself (a server of one's own, the tests'): what
/// Shandian reads from or writes to a server over HTTP must not cross a network in the clear.
pub fn https_or_loopback(url: &str) -> bool {
    if url.starts_with("https://") {
        return true;
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => authority,
    };
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// Runs a blocking call (LDK Node's API, the keyring, file I/O) off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    off_thread(f, Error::Internal).await
}

/// [`blocking`] for another error type: `failed` says that the call panicked or was cancelled.
pub async fn off_thread<T: Send + 'static, E: Send + 'static>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
    failed: impl FnOnce(String) -> E,
) -> Result<T, E> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| failed(e.to_string()))?
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NodeError {
    #[error("the node could not be set up: {0}")]
    Build(ldk_node::BuildError),
    #[error("{0}")]
    Ldk(ldk_node::NodeError),
    #[error("the keyring entry belongs to node {found}, but this data folder to {expected}")]
    NodeIdMismatch { expected: String, found: String },
    /// The Electrum server did not answer (down, wrong address, no network).
    /// `what` is LDK Node's own word for it (a timed-out sync, a refused connection, …).
    #[error("cannot reach the Electrum server {url} ({what})")]
    ServerUnreachable {
        url: String,
        what: ldk_node::NodeError,
    },
    /// A sync timed out inside LDK Node while the server answered a connection of our own:
    /// the server is there, the sync was slow (a large wallet, a busy server or machine).
    #[error("the sync with the Electrum server {url} took too long ({what})")]
    SyncTooSlow {
        url: String,
        what: ldk_node::NodeError,
    },
    /// The LSP in settings.toml is not a node address.
    #[error("the LSP {node} in the settings is not a node address: {reason}")]
    LspSetting { node: String, reason: String },
    /// The Electrum server did not answer a question of our own (not LDK Node's).
    #[error("the Electrum server {url} did not answer ({reason})")]
    ServerDidNotAnswer { url: String, reason: String },
    /// The wallet ran from this folder before, but its node data is gone.
    #[error("the node data in {folder} is missing")]
    NodeDataMissing { folder: String },
    #[error("cannot use the node data in {folder}: {reason}")]
    Storage { folder: String, reason: String },
    /// LDK found this wallet's channel state older than its peer's (a stale backup) and
    /// stopped rather than broadcast it; see `wallet::stale`.
    #[error("the channel state in {folder} is older than the peer's")]
    StaleChannelState { folder: String },
    /// Recovering from a stale state: the peers of these channels did not close them in time.
    #[error("{channels} channels were not closed by their peers in time")]
    PeersDidNotClose { channels: usize },
}

impl NodeError {
    /// Names the server when ldk-node's error means "the chain source did not answer".
    pub(crate) fn from_ldk(e: ldk_node::NodeError, electrum_url: &str) -> Self {
        use ldk_node::NodeError as E;
        match e {
            e @ (E::ConnectionFailed
            | E::FeerateEstimationUpdateFailed
            | E::FeerateEstimationUpdateTimeout
            | E::WalletOperationTimeout
            | E::TxSyncFailed
            | E::TxSyncTimeout) => NodeError::ServerUnreachable {
                url: electrum_url.to_string(),
                what: e,
            },
            other => NodeError::Ldk(other),
        }
    }
}

//! Everything that is not drawing. Never imports iced: tests and tools drive all of it.

pub mod chain;
pub mod fiat;
pub mod history;
pub mod input;
pub mod keys;
pub mod lightning;
pub mod network;
pub mod shared;
pub mod store;
pub mod swap;
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
pub use network::Network;
pub use shared::{free_loopback_port, now, off_thread, random_id};
pub use store::dirs::DirsError;
pub use store::settings::{AmountUnit, ConfigError, Language, Settings, ThemeChoice};
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
    #[error(transparent)]
    Swap(#[from] swap::SwapError),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Runs a blocking call (LDK Node's API, the keyring, file I/O) off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    shared::off_thread(f, Error::Internal).await
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

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
pub use store::settings::{ConfigError, Language, Network, Settings, ThemeChoice};
pub use store::{BackupError, LockError};
pub use wallet::NodeError;

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

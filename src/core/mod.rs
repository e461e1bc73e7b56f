//! Everything that is not drawing. Never imports iced: tests and tools drive all of it.

pub mod backend;
pub mod channels;
pub mod config;
pub mod dirs;
pub mod events;
pub mod fees;
pub mod fiat;
pub mod history;
pub mod input;
pub mod network;
pub mod node;
pub mod payments;
pub mod peer;
pub mod playground;
pub mod route;
pub mod secrets;
pub mod seed;
pub mod server;
pub mod store;

pub use channels::ChannelError;
pub use config::{ConfigError, Language, Network, Settings, ThemeChoice};
pub use dirs::DirsError;
pub use fees::FeeError;
pub use history::HistoryError;
pub use input::paste::PasteError;
pub use input::qr_image::QrError;
pub use input::InputError;
pub use node::NodeError;
pub use payments::PaymentError;
pub use playground::ChainError;
pub use secrets::SecretError;
pub use seed::SeedError;
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
    Chain(#[from] ChainError),
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

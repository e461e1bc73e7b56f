//! What Shandian keeps on disk besides LDK Node's own data: the data folders, the settings,
//! small files written atomically, the one-wallet-per-folder lock, the store handed to LDK Node
//! and the channel backup it feeds.

pub mod backup;
pub mod dirs;
pub mod files;
pub mod lock;
pub mod mirror;
pub mod settings;
pub mod window;

pub use backup::BackupError;
pub use lock::LockError;

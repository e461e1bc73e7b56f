//! What Shandian keeps on disk besides LDK Node's own data: small files written atomically, the
//! one-wallet-per-folder lock, the store handed to LDK Node and the channel backup it feeds.

pub mod backup;
pub mod files;
pub mod lock;
pub mod mirror;

pub use backup::BackupError;
pub use lock::LockError;

//! The BIP39 mnemonic lives only in the OS keyring (Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows): one entry per wallet, named by the wallet's random id.
//!
//! Every call opens the store afresh, so a person who unlocks their keyring after a failure can
//! press "try again" without restarting the app. Calls block (D-Bus round trips, unlock prompts):
//! run them in `spawn_blocking`.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};
use ldk_node::bip39::Mnemonic;
use zeroize::Zeroizing;

use crate::core::store::dirs::WalletMeta;

const SERVICE: &str = "shandian";

/// Where mnemonics are kept. `Os` is the real system keyring; `Fixed` is an explicit store,
/// used by unit tests and by the Lab's terminal scenario runs with keyring-core's in-memory
/// mock (never for a wallet a person keeps).
#[derive(Clone)]
pub enum Keyring {
    Os,
    Fixed(Arc<CredentialStore>),
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Keyring::Os => f.write_str("Keyring::Os"),
            Keyring::Fixed(_) => f.write_str("Keyring::Fixed"),
        }
    }
}

impl Keyring {
    /// A store in this process's memory (keyring-core's mock): for throwaway regtest wallets
    /// only (a Lab scenario run from the terminal), whose words are lost with the process.
    pub fn memory() -> Result<Keyring, SecretError> {
        keyring_core::mock::Store::new()
            .map(|s| Keyring::Fixed(s as Arc<CredentialStore>))
            .map_err(|e| SecretError::Unavailable(e.to_string()))
    }

    fn store(&self) -> Result<Arc<CredentialStore>, SecretError> {
        match self {
            Keyring::Fixed(store) => Ok(store.clone()),
            Keyring::Os => os_store(),
        }
    }

    fn entry(&self, meta: &WalletMeta) -> Result<Entry, SecretError> {
        let user = entry_user(meta);
        self.store()?
            .build(SERVICE, &user, None)
            .map_err(SecretError::from_keyring)
    }

    /// Checks that the keyring can be reached at all, to say so before a person writes down
    /// twelve words for nothing.
    pub fn check_available(&self) -> Result<(), SecretError> {
        self.store().map(|_| ())
    }

    /// Saves a new wallet's mnemonic. Refuses to replace an existing entry: a secret is never
    /// overwritten.
    pub fn store_mnemonic(
        &self,
        meta: &WalletMeta,
        mnemonic: &Mnemonic,
    ) -> Result<(), SecretError> {
        let entry = self.entry(meta)?;
        match entry.get_secret() {
            Ok(_) => return Err(SecretError::AlreadyExists),
            Err(keyring_core::Error::NoEntry) => {}
            Err(e) => return Err(SecretError::from_keyring(e)),
        }
        let phrase = Zeroizing::new(mnemonic.to_string());
        entry
            .set_secret(phrase.as_bytes())
            .map_err(SecretError::from_keyring)
    }

    pub fn load_mnemonic(&self, meta: &WalletMeta) -> Result<Mnemonic, SecretError> {
        let bytes = Zeroizing::new(
            self.entry(meta)?
                .get_secret()
                .map_err(SecretError::from_keyring)?,
        );
        let phrase = std::str::from_utf8(&bytes).map_err(|_| SecretError::Damaged)?;
        Mnemonic::parse(phrase).map_err(|_| SecretError::Damaged)
    }
}

fn entry_user(meta: &WalletMeta) -> String {
    format!("wallet-{}-{}", meta.network.as_str(), meta.wallet_id)
}

#[cfg(target_os = "linux")]
fn os_store() -> Result<Arc<CredentialStore>, SecretError> {
    zbus_secret_service_keyring_store::Store::new()
        .map(|s| s as Arc<CredentialStore>)
        .map_err(|e| SecretError::Unavailable(e.to_string()))
}

#[cfg(target_os = "macos")]
fn os_store() -> Result<Arc<CredentialStore>, SecretError> {
    apple_native_keyring_store::keychain::Store::new()
        .map(|s| s as Arc<CredentialStore>)
        .map_err(|e| SecretError::Unavailable(e.to_string()))
}

#[cfg(target_os = "windows")]
fn os_store() -> Result<Arc<CredentialStore>, SecretError> {
    windows_native_keyring_store::Store::new()
        .map(|s| s as Arc<CredentialStore>)
        .map_err(|e| SecretError::Unavailable(e.to_string()))
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn os_store() -> Result<Arc<CredentialStore>, SecretError> {
    Err(SecretError::Unavailable(
        "no supported keyring on this system".to_string(),
    ))
}

/// What can go wrong with the keyring, each with a sentence in the UI that says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// No keyring service answers (on Linux: no Secret Service on the session bus).
    #[error("the system keyring is not available: {0}")]
    Unavailable(String),
    /// The keyring is there but locked, or access was refused.
    #[error("the system keyring is locked: {0}")]
    Locked(String),
    /// The wallet's entry is not in the keyring (deleted, or another keyring/user).
    #[error("the wallet's entry is missing from the keyring")]
    Missing,
    #[error("a keyring entry for this wallet already exists")]
    AlreadyExists,
    #[error("the keyring entry does not hold a valid recovery phrase")]
    Damaged,
    #[error("the keyring failed: {0}")]
    Failed(String),
}

impl SecretError {
    fn from_keyring(e: keyring_core::Error) -> Self {
        match e {
            keyring_core::Error::NoEntry => SecretError::Missing,
            keyring_core::Error::NoStorageAccess(inner) => SecretError::Locked(inner.to_string()),
            keyring_core::Error::NoDefaultStore => SecretError::Unavailable(e.to_string()),
            keyring_core::Error::BadEncoding(_) | keyring_core::Error::BadDataFormat(..) => {
                SecretError::Damaged
            }
            other => SecretError::Failed(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::network::Network;

    // keyring-core's in-memory mock stands in for the OS keyring here; the regtest tests use the
    // real Secret Service.
    fn mock() -> Keyring {
        Keyring::Fixed(keyring_core::mock::Store::new().unwrap())
    }

    fn phrase() -> Mnemonic {
        Mnemonic::parse(
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon \
             abandon about",
        )
        .unwrap()
    }

    #[test]
    fn store_then_load_gives_the_same_words() {
        let k = mock();
        let meta = WalletMeta::new(Network::Regtest);
        k.store_mnemonic(&meta, &phrase()).unwrap();
        assert_eq!(k.load_mnemonic(&meta).unwrap(), phrase());
    }

    #[test]
    fn an_entry_is_never_overwritten() {
        let k = mock();
        let meta = WalletMeta::new(Network::Regtest);
        k.store_mnemonic(&meta, &phrase()).unwrap();
        let other = ldk_node::generate_entropy_mnemonic(None);
        assert_eq!(
            k.store_mnemonic(&meta, &other),
            Err(SecretError::AlreadyExists)
        );
        assert_eq!(k.load_mnemonic(&meta).unwrap(), phrase());
    }

    #[test]
    fn missing_entry_is_reported() {
        let k = mock();
        let meta = WalletMeta::new(Network::Signet);
        assert_eq!(k.load_mnemonic(&meta), Err(SecretError::Missing));
    }

    #[test]
    fn entries_are_per_wallet() {
        let a = WalletMeta::new(Network::Regtest);
        let b = WalletMeta::new(Network::Regtest);
        assert_ne!(entry_user(&a), entry_user(&b));
        assert!(entry_user(&a).starts_with("wallet-regtest-"));
    }
}

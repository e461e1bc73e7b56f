//! Atomic swaps between the chain and Lightning: one preimage, two ledgers. A Lightning payment
//! and an on-chain HTLC output ([`htlc`]) are locked to the same payment hash, so revealing the
//! preimage to take one side hands the other side to the counterparty, and a timelock gives
//! each funder its money back if the other never moves.
//!
//! The swap keys come from the wallet's seed on a branch of their own and are derived when
//! needed, never written anywhere.

pub mod book;
pub mod htlc;

use ldk_node::bitcoin::bip32::{ChildNumber, Xpriv};
use ldk_node::bitcoin::secp256k1::{Secp256k1, SecretKey};
use ldk_node::bitcoin::Network;

/// Why a swap could not go on, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SwapError {
    #[error("a swap must move at least {minimum_sat} sat")]
    TooSmall { minimum_sat: u64 },
    #[error("the fee rate of the swap's claim or refund must be 1 to {max} sat/vB")]
    FeeRate { max: u64 },
    #[error("no swap with payment hash {0}")]
    Unknown(String),
    #[error("the swap's HTLC is not on chain (yet)")]
    NotFunded,
    #[error("the refund is possible from block {refund_height}; the chain is at {height}")]
    TooEarly { refund_height: u32, height: u32 },
    #[error("the swap was paid: there is nothing to refund")]
    AlreadyPaid,
    #[error("the counterparty's offer does not match what was asked")]
    OfferMismatch,
    #[error("the server did not take the transaction: {0}")]
    NotTaken(String),
    #[error("the server could not be asked")]
    ServerAway,
    #[error("{0}")]
    Htlc(#[from] htlc::HtlcError),
    #[error("the swap could not be written to {path}: {reason}")]
    Store { path: String, reason: String },
}

/// The BIP 32 purpose of the swap keys: `m/7721'/coin'/index'`, a branch of the seed apart
/// from the on-chain wallet's (BIP 84) and from LDK's own keys.
pub const SWAP_KEY_PURPOSE: u32 = 7_721;

/// The wallet's swaps: what it remembers of them, and the keys to finish them.
#[derive(Debug)]
pub struct Swaps {
    pub(crate) keys: SwapKeys,
    pub(crate) book: std::sync::Mutex<book::SwapBook>,
    /// Held while a claim or a refund is made, so the wallet's own rounds and a person's
    /// request never spend one HTLC twice.
    pub(crate) acting: tokio::sync::Mutex<()>,
}

/// The swap keys of one wallet: its seed's master key, kept in memory only.
pub struct SwapKeys {
    master: Xpriv,
    network: Network,
}

impl std::fmt::Debug for SwapKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SwapKeys(..)")
    }
}

impl SwapKeys {
    /// From the 64-byte BIP 39 seed.
    pub fn from_seed(seed: &[u8; 64], network: Network) -> Self {
        SwapKeys {
            master: Xpriv::new_master(network, seed).expect("a 64-byte seed makes a master key"),
            network,
        }
    }

    /// The key of swap `index`.
    pub fn key(&self, index: u32) -> SecretKey {
        let secp = Secp256k1::signing_only();
        let coin = if self.network == Network::Bitcoin {
            0
        } else {
            1
        };
        let path = [SWAP_KEY_PURPOSE, coin, index]
            .map(|i| ChildNumber::from_hardened_idx(i & 0x7fff_ffff).expect("below 2^31"));
        self.master
            .derive_priv(&secp, &path)
            .expect("hardened paths always derive")
            .private_key
    }
}

/// The key of swap `index`, from the 64-byte BIP 39 seed.
pub fn swap_key(seed: &[u8; 64], network: Network, index: u32) -> SecretKey {
    SwapKeys::from_seed(seed, network).key(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_swap_has_its_own_key_and_the_same_seed_gives_it_again() {
        let seed = [9u8; 64];
        let a = swap_key(&seed, Network::Regtest, 0);
        assert_eq!(a, swap_key(&seed, Network::Regtest, 0));
        assert_ne!(a, swap_key(&seed, Network::Regtest, 1));
        assert_ne!(a, swap_key(&seed, Network::Bitcoin, 0));
        assert_ne!(a, swap_key(&[8u8; 64], Network::Regtest, 0));
    }
}

//! Atomic swaps between the chain and Lightning: one preimage, two ledgers. A Lightning payment
//! and an on-chain HTLC output ([`htlc`]) are locked to the same payment hash, so revealing the
//! preimage to take one side hands the other side to the counterparty, and a timelock gives
//! each funder its money back if the other never moves.
//!
//! The swap keys come from the wallet's seed on a branch of their own and are derived when
//! needed, never written anywhere.

pub mod htlc;

use ldk_node::bitcoin::bip32::{ChildNumber, Xpriv};
use ldk_node::bitcoin::secp256k1::{Secp256k1, SecretKey};
use ldk_node::bitcoin::Network;

/// The BIP 32 purpose of the swap keys: `m/7721'/coin'/index'`, a branch of the seed apart
/// from the on-chain wallet's (BIP 84) and from LDK's own keys.
pub const SWAP_KEY_PURPOSE: u32 = 7_721;

/// The key of swap `index`, from the 64-byte BIP 39 seed.
pub fn swap_key(seed: &[u8; 64], network: Network, index: u32) -> SecretKey {
    let secp = Secp256k1::signing_only();
    let coin = if network == Network::Bitcoin { 0 } else { 1 };
    let path = [SWAP_KEY_PURPOSE, coin, index]
        .map(|i| ChildNumber::from_hardened_idx(i & 0x7fff_ffff).expect("below 2^31"));
    Xpriv::new_master(network, seed)
        .and_then(|m| m.derive_priv(&secp, &path))
        .expect("a 64-byte seed derives every hardened path")
        .private_key
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

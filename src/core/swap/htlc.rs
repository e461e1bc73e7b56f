//! The on-chain half of a swap: an HTLC output, P2WSH, that the claimer spends with the
//! preimage of the swap's payment hash (the same hash that locks the Lightning half) and the
//! funder takes back after an absolute timelock (CLTV) if the claimer never does:
//!
//! ```text
//! OP_SHA256 <payment hash> OP_EQUAL
//! OP_IF
//!     <claim key>
//! OP_ELSE
//!     <refund height> OP_CHECKLOCKTIMEVERIFY OP_DROP <refund key>
//! OP_ENDIF
//! OP_CHECKSIG
//! ```
//!
//! A claim's witness is `<signature> <preimage> <script>`; a refund's `<signature> <> <script>`
//! (an empty preimage takes the second branch), in a transaction whose lock time is at least the
//! refund height. Built with `bitcoin` and signed with `secp256k1`: no script of our own
//! making runs anywhere but in the nodes that check it.

use ldk_node::bitcoin::absolute::LockTime;
use ldk_node::bitcoin::blockdata::opcodes::all::{
    OP_CHECKSIG, OP_CLTV, OP_DROP, OP_ELSE, OP_ENDIF, OP_EQUAL, OP_IF, OP_SHA256,
};
use ldk_node::bitcoin::hashes::{sha256, Hash};
use ldk_node::bitcoin::script::Builder;
use ldk_node::bitcoin::secp256k1::{Message, PublicKey, Secp256k1, SecretKey};
use ldk_node::bitcoin::sighash::{EcdsaSighashType, SighashCache};
use ldk_node::bitcoin::transaction::Version;
use ldk_node::bitcoin::{
    Address, Amount, Network, OutPoint, ScriptBuf, Sequence, Transaction, TxIn, TxOut, Witness,
};

/// The terms of one HTLC output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HtlcTerms {
    /// SHA-256 of the preimage: the Lightning payment's hash.
    pub payment_hash: [u8; 32],
    /// Who may spend it with the preimage.
    pub claim_key: PublicKey,
    /// Who may spend it once the chain reaches `refund_height`.
    pub refund_key: PublicKey,
    pub refund_height: u32,
}

/// How an HTLC output is spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spend<'a> {
    Claim { preimage: &'a [u8; 32] },
    Refund,
}

/// Why a spend could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HtlcError {
    #[error("the preimage does not match the payment hash")]
    WrongPreimage,
    #[error("the key does not match the HTLC's {0} key")]
    WrongKey(&'static str),
    #[error("the HTLC's {value_sat} sat cannot pay a fee of {fee_sat} sat and leave an output")]
    TooSmall { value_sat: u64, fee_sat: u64 },
}

impl HtlcTerms {
    /// The witness script.
    pub fn script(&self) -> ScriptBuf {
        Builder::new()
            .push_opcode(OP_SHA256)
            .push_slice(self.payment_hash)
            .push_opcode(OP_EQUAL)
            .push_opcode(OP_IF)
            .push_slice(self.claim_key.serialize())
            .push_opcode(OP_ELSE)
            .push_int(i64::from(self.refund_height))
            .push_opcode(OP_CLTV)
            .push_opcode(OP_DROP)
            .push_slice(self.refund_key.serialize())
            .push_opcode(OP_ENDIF)
            .push_opcode(OP_CHECKSIG)
            .into_script()
    }

    /// The P2WSH address the funder pays.
    pub fn address(&self, network: Network) -> Address {
        Address::p2wsh(&self.script(), network)
    }

    /// A transaction spending the HTLC output `outpoint` of `value` to `to`, paying
    /// `fee_rate_sat_vb` for its exact size, signed with `key` (the claim key for a claim, the
    /// refund key for a refund).
    pub fn spend(
        &self,
        outpoint: OutPoint,
        value: Amount,
        to: ScriptBuf,
        fee_rate_sat_vb: u64,
        spend: Spend<'_>,
        key: &SecretKey,
    ) -> Result<Transaction, HtlcError> {
        let secp = Secp256k1::signing_only();
        let ours = PublicKey::from_secret_key(&secp, key);
        match spend {
            Spend::Claim { preimage } => {
                if sha256::Hash::hash(preimage).to_byte_array() != self.payment_hash {
                    return Err(HtlcError::WrongPreimage);
                }
                if ours != self.claim_key {
                    return Err(HtlcError::WrongKey("claim"));
                }
            }
            Spend::Refund if ours != self.refund_key => return Err(HtlcError::WrongKey("refund")),
            Spend::Refund => {}
        }
        // Signed once without a fee to learn its exact size, then again with the fee.
        let sized = self.signed(outpoint, value, to.clone(), value, spend, key);
        let fee_sat = sized.weight().to_vbytes_ceil() * fee_rate_sat_vb;
        let out = value
            .to_sat()
            .checked_sub(fee_sat)
            .filter(|rest| *rest >= to.minimal_non_dust().to_sat())
            .ok_or(HtlcError::TooSmall {
                value_sat: value.to_sat(),
                fee_sat,
            })?;
        Ok(self.signed(outpoint, value, to, Amount::from_sat(out), spend, key))
    }

    fn signed(
        &self,
        outpoint: OutPoint,
        value: Amount,
        to: ScriptBuf,
        out: Amount,
        spend: Spend<'_>,
        key: &SecretKey,
    ) -> Transaction {
        let lock_time = match spend {
            Spend::Claim { .. } => LockTime::ZERO,
            Spend::Refund => LockTime::from_height(self.refund_height).unwrap_or(LockTime::ZERO),
        };
        let mut tx = Transaction {
            version: Version::TWO,
            lock_time,
            input: vec![TxIn {
                previous_output: outpoint,
                script_sig: ScriptBuf::new(),
                // Not final, so the lock time counts (and replaceable).
                sequence: Sequence::ENABLE_RBF_NO_LOCKTIME,
                witness: Witness::new(),
            }],
            output: vec![TxOut {
                value: out,
                script_pubkey: to,
            }],
        };
        let script = self.script();
        let sighash = SighashCache::new(&tx)
            .p2wsh_signature_hash(0, &script, value, EcdsaSighashType::All)
            .expect("input 0 exists");
        let secp = Secp256k1::signing_only();
        let signature = ldk_node::bitcoin::ecdsa::Signature::sighash_all(
            secp.sign_ecdsa(&Message::from_digest(sighash.to_byte_array()), key),
        );
        let branch: &[u8] = match spend {
            Spend::Claim { preimage } => preimage,
            Spend::Refund => &[],
        };
        tx.input[0].witness =
            Witness::from_slice(&[&signature.to_vec()[..], branch, script.as_bytes()]);
        tx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SecretKey {
        SecretKey::from_slice(&[byte; 32]).unwrap()
    }

    fn terms(preimage: &[u8; 32]) -> HtlcTerms {
        let secp = Secp256k1::signing_only();
        HtlcTerms {
            payment_hash: sha256::Hash::hash(preimage).to_byte_array(),
            claim_key: PublicKey::from_secret_key(&secp, &key(1)),
            refund_key: PublicKey::from_secret_key(&secp, &key(2)),
            refund_height: 500,
        }
    }

    #[test]
    fn a_spend_checks_its_preimage_and_key_and_pays_its_size() {
        let preimage = [7u8; 32];
        let t = terms(&preimage);
        let outpoint = OutPoint::null();
        let to = t.address(Network::Regtest).script_pubkey();
        let value = Amount::from_sat(100_000);
        let claim = Spend::Claim {
            preimage: &preimage,
        };
        assert_eq!(
            t.spend(
                outpoint,
                value,
                to.clone(),
                2,
                Spend::Claim { preimage: &[8; 32] },
                &key(1)
            ),
            Err(HtlcError::WrongPreimage)
        );
        assert_eq!(
            t.spend(outpoint, value, to.clone(), 2, claim, &key(2)),
            Err(HtlcError::WrongKey("claim"))
        );
        let tx = t
            .spend(outpoint, value, to.clone(), 2, claim, &key(1))
            .unwrap();
        let fee = 100_000 - tx.output[0].value.to_sat();
        assert_eq!(
            fee,
            tx.weight().to_vbytes_ceil() * 2,
            "exactly its size at the rate"
        );
        assert_eq!(tx.input[0].witness.nth(1), Some(&preimage[..]));
        assert_eq!(tx.lock_time, LockTime::ZERO);
        let refund = t
            .spend(outpoint, value, to.clone(), 2, Spend::Refund, &key(2))
            .unwrap();
        assert_eq!(refund.lock_time, LockTime::from_height(500).unwrap());
        assert_eq!(refund.input[0].witness.nth(1), Some(&[][..]));
        assert!(matches!(
            t.spend(
                outpoint,
                Amount::from_sat(300),
                to,
                2,
                Spend::Refund,
                &key(2)
            ),
            Err(HtlcError::TooSmall { .. })
        ));
    }
}

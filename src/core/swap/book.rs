//! What the wallet remembers of each swap, in `swaps.json` of the network folder, so a
//! restarted wallet can finish or refund every swap: the terms of its on-chain HTLC (all but
//! our key, which is derived again from the seed), the HTLC's funding output and where the swap
//! stands. Written atomically; a damaged file is set aside, never overwritten.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::core::store::files::{load_json_or_set_aside, save_json, SetAside};

/// Which way a swap moves money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SwapDirection {
    /// On-chain coins for Lightning: we fund the HTLC, the counterparty pays our invoice and
    /// claims the HTLC with the preimage that payment reveals.
    ToLightning,
    /// Lightning for on-chain coins: we make the preimage and pay the counterparty's hold
    /// invoice for its hash; the counterparty funds an HTLC to our key, we claim it with the
    /// preimage, and the counterparty settles our payment with the preimage our claim shows.
    ToChain,
}

/// Where a swap stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SwapState {
    /// Booked, and the on-chain wallet asked to fund the HTLC (booked first, so a crash in
    /// between cannot lose track of the coins).
    Funding,
    /// Our HTLC is funded; the counterparty has not paid our invoice yet.
    Funded,
    /// Our invoice was paid: the swap is done on our side (the counterparty claims the HTLC).
    Paid,
    /// The counterparty never paid: our refund took the HTLC back.
    Refunded { txid: String },
    /// To chain: asked, nothing paid yet.
    Requested,
    /// To chain: we paid the counterparty's hold invoice; its HTLC comes next.
    Paying,
    /// To chain: our claim took the HTLC (and showed the preimage that settles our payment).
    Claimed { txid: String },
    /// Nothing moved: to chain, our payment failed back before the counterparty funded its
    /// HTLC; to Lightning, the wallet stopped before its HTLC was funded and the refund height
    /// came.
    Abandoned,
}

impl SwapState {
    /// Nothing is left to do on our side.
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            SwapState::Paid
                | SwapState::Refunded { .. }
                | SwapState::Claimed { .. }
                | SwapState::Abandoned
        )
    }
}

/// One swap, as booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwapRecord {
    /// The payment hash, hex: the one lock both sides share.
    pub payment_hash: String,
    pub direction: SwapDirection,
    pub amount_sat: u64,
    /// Our swap key's index (the key itself is derived from the seed when needed).
    pub key_index: u32,
    /// The counterparty's key in the HTLC, hex (once known).
    pub counterparty_key: String,
    pub refund_height: u32,
    /// The preimage we made, hex (it is no key: the HTLC also needs our signature): to chain,
    /// it claims the counterparty's HTLC; to Lightning, it takes the held payment of our
    /// invoice (`None` in a book written before: LDK then knew it and took the payment itself).
    #[serde(default)]
    pub preimage: Option<String>,
    /// The HTLC's address and the transaction that funded it (once known).
    pub htlc_address: String,
    pub funding_txid: Option<String>,
    pub state: SwapState,
    /// Unix seconds.
    pub created_at: u64,
    /// The fee rate of our own spend of the HTLC (the claim, or the refund), chosen when the
    /// swap started, so the wallet can finish the swap by itself. `None` in a book written
    /// before: such a swap is finished only when asked, with a rate given then.
    #[serde(default)]
    pub spend_fee_rate_sat_vb: Option<u64>,
}

#[derive(Debug)]
pub struct SwapBook {
    path: PathBuf,
    records: Vec<SwapRecord>,
}

#[derive(Serialize, Deserialize, Default)]
struct File {
    swaps: Vec<SwapRecord>,
}

impl SwapBook {
    /// Reads the book; a missing file is an empty book, a damaged one is renamed aside (and
    /// reported in the second value) and the book starts empty.
    pub fn load(path: PathBuf) -> (Self, Option<SetAside>) {
        let (file, aside): (File, _) = load_json_or_set_aside(&path);
        (
            SwapBook {
                path,
                records: file.swaps,
            },
            aside,
        )
    }

    pub fn records(&self) -> &[SwapRecord] {
        &self.records
    }

    pub fn get(&self, payment_hash: &str) -> Option<&SwapRecord> {
        self.records.iter().find(|r| r.payment_hash == payment_hash)
    }

    /// The index of the next swap's key: one past every index used.
    pub fn next_key_index(&self) -> u32 {
        self.records
            .iter()
            .map(|r| r.key_index + 1)
            .max()
            .unwrap_or(0)
    }

    /// Adds a swap and writes the book.
    pub fn add(&mut self, record: SwapRecord) -> std::io::Result<()> {
        self.records.push(record);
        self.save()
    }

    /// Changes swap `payment_hash` (if known) and writes the book.
    pub fn update(
        &mut self,
        payment_hash: &str,
        change: impl FnOnce(&mut SwapRecord),
    ) -> std::io::Result<()> {
        if let Some(r) = self
            .records
            .iter_mut()
            .find(|r| r.payment_hash == payment_hash)
        {
            change(r);
        }
        self.save()
    }

    fn save(&self) -> std::io::Result<()> {
        save_json(
            &self.path,
            &File {
                swaps: self.records.clone(),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swap_survives_a_restart_and_each_gets_its_own_key() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("swaps.json");
        let (mut book, _) = SwapBook::load(path.clone());
        assert_eq!(book.next_key_index(), 0);
        let record = SwapRecord {
            payment_hash: "ab".repeat(32),
            direction: SwapDirection::ToLightning,
            amount_sat: 100_000,
            key_index: book.next_key_index(),
            counterparty_key: "02".repeat(33),
            refund_height: 300,
            preimage: None,
            htlc_address: "bcrt1q".into(),
            funding_txid: Some("cd".repeat(32)),
            state: SwapState::Funded,
            created_at: 1,
            spend_fee_rate_sat_vb: Some(2),
        };
        book.add(record).unwrap();
        assert_eq!(book.next_key_index(), 1);
        book.update(&"ab".repeat(32), |r| r.state = SwapState::Paid)
            .unwrap();
        let (again, aside) = SwapBook::load(path);
        assert_eq!(aside, None);
        assert_eq!(again.get(&"ab".repeat(32)).unwrap().state, SwapState::Paid);
    }
}

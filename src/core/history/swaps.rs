//! Swaps in the history. A swap moves money between our own balances through an on-chain HTLC
//! and a Lightning payment locked to one hash: to Lightning, our coins fund the HTLC and our
//! invoice is paid; to chain, we pay over Lightning and claim the counterparty's HTLC. Its
//! transactions and its payment are one entry, a move whose fee is what the swap cost us (the
//! funding's fee, a refund's, a claim's, the payment's routing fee), and take the place of
//! those transactions and that payment in the list.

use crate::core::history::Entry;
use crate::core::lightning::payments::{PaymentKindView, PaymentState};
use crate::core::swap::book::{SwapDirection, SwapRecord, SwapState};

/// What an entry that is a swap says beyond its amount and fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwapEntry {
    pub direction: SwapDirection,
    /// The counterparty never paid: the HTLC came back, only the fees left the wallet.
    pub refunded: bool,
    /// The part of the entry's fee paid over Lightning (routing), the rest on chain.
    pub lightning_fee_msat: u64,
}

/// `entries` with each swap that moved money as one entry in place of its transactions and
/// its payment.
pub fn fold(mut entries: Vec<Entry>, swaps: &[SwapRecord]) -> Vec<Entry> {
    for swap in swaps {
        let covered = |e: &Entry| covers(swap, e);
        let parts: Vec<Entry> = entries.iter().filter(|e| covered(e)).cloned().collect();
        if let Some(entry) = entry(swap, &parts) {
            entries.retain(|e| !covered(e));
            entries.push(entry);
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.time));
    entries
}

/// Whether `e` is one of the swap's transactions or its payment.
fn covers(swap: &SwapRecord, e: &Entry) -> bool {
    let spent = match &swap.state {
        SwapState::Refunded { txid } | SwapState::Claimed { txid } => Some(txid),
        _ => None,
    };
    match (&e.txid, &e.payment_hash) {
        (Some(txid), _) => swap.funding_txid.as_ref() == Some(txid) || spent == Some(txid),
        (None, Some(hash)) => *hash == swap.payment_hash && e.kind != PaymentKindView::Onchain,
        (None, None) => false,
    }
}

/// The swap's entry, from its parts in the list; `None` while nothing moved (asked for, being
/// funded, abandoned) or before the wallet lists its transaction.
fn entry(swap: &SwapRecord, parts: &[Entry]) -> Option<Entry> {
    let by_txid = |txid: &str| parts.iter().find(|e| e.txid.as_deref() == Some(txid));
    let payment = parts.iter().find(|e| e.txid.is_none());
    let amount_msat = swap.amount_sat * 1000;
    let (time, txid, status, chain_fee_msat, lightning_fee_msat, refunded) =
        match (swap.direction, &swap.state) {
            (SwapDirection::ToLightning, SwapState::Funded | SwapState::Paid) => {
                let funding = by_txid(swap.funding_txid.as_deref()?)?;
                let status = if swap.state == SwapState::Paid {
                    PaymentState::Succeeded
                } else {
                    PaymentState::Pending
                };
                let fee = funding.fee_msat.unwrap_or(0);
                (funding.time, funding.txid.clone(), status, fee, 0, false)
            }
            (SwapDirection::ToLightning, SwapState::Refunded { txid }) => {
                let funding = by_txid(swap.funding_txid.as_deref()?)?;
                let refund = by_txid(txid)?;
                // What came back is the amount less the refund's fee.
                let refund_fee = amount_msat.saturating_sub(refund.amount_msat.unwrap_or(0));
                let fee = funding.fee_msat.unwrap_or(0) + refund_fee;
                let status = settled(refund);
                (funding.time, Some(txid.clone()), status, fee, 0, true)
            }
            (SwapDirection::ToChain, SwapState::Paying) => {
                let paid = payment?;
                let fee = paid.fee_msat.unwrap_or(0);
                (paid.time, None, PaymentState::Pending, 0, fee, false)
            }
            (SwapDirection::ToChain, SwapState::Claimed { txid }) => {
                let claim = by_txid(txid)?;
                // What arrived is the amount less the claim's fee.
                let claim_fee = amount_msat.saturating_sub(claim.amount_msat.unwrap_or(0));
                let routing = payment.and_then(|p| p.fee_msat).unwrap_or(0);
                let time = payment.map_or(claim.time, |p| p.time);
                (
                    time,
                    Some(txid.clone()),
                    settled(claim),
                    claim_fee,
                    routing,
                    false,
                )
            }
            _ => return None,
        };
    Some(Entry {
        time,
        incoming: false,
        kind: PaymentKindView::Onchain,
        status,
        amount_msat: Some(amount_msat),
        fee_msat: Some(chain_fee_msat + lightning_fee_msat),
        description: None,
        payment_hash: Some(swap.payment_hash.clone()),
        preimage: None,
        txid,
        confirmations: None,
        overpaid_msat: None,
        fiat: None,
        splice: None,
        swap: Some(SwapEntry {
            direction: swap.direction,
            refunded,
            lightning_fee_msat,
        }),
    })
}

/// An on-chain spend of the HTLC: done once in a block.
fn settled(spend: &Entry) -> PaymentState {
    if spend.confirmations.unwrap_or(0) > 0 {
        PaymentState::Succeeded
    } else {
        PaymentState::Pending
    }
}

/// A swap to Lightning of 100,000 sat, paid: its record, its funding transaction (300 sat of
/// fee) and our invoice's payment, for screen tests.
#[cfg(any(test, feature = "testing"))]
pub mod samples {
    use super::*;
    use crate::core::history::OnchainActivity;
    use crate::core::lightning::payments::PaymentRecord;

    pub fn paid_to_lightning() -> (SwapRecord, OnchainActivity, PaymentRecord) {
        let (hash, funding) = ("5f".repeat(32), "9b".repeat(32));
        let record = SwapRecord {
            payment_hash: hash.clone(),
            direction: SwapDirection::ToLightning,
            amount_sat: 100_000,
            key_index: 0,
            counterparty_key: "02".repeat(33),
            refund_height: 300,
            preimage: None,
            htlc_address: "bcrt1qhtlc".into(),
            funding_txid: Some(funding.clone()),
            state: SwapState::Paid,
            created_at: 1_795_000_200,
            spend_fee_rate_sat_vb: Some(2),
        };
        let tx = OnchainActivity {
            txid: funding,
            incoming: false,
            amount_sat: 100_000,
            fee_sat: Some(300),
            confirmations: 1,
            time: 1_795_000_200,
        };
        let paid = PaymentRecord {
            id: hash.clone(),
            incoming: true,
            kind: PaymentKindView::Bolt11,
            status: PaymentState::Succeeded,
            amount_msat: Some(100_000_000),
            fee_msat: None,
            payment_hash: Some(hash),
            preimage: None,
            time: 1_795_000_260,
            expires_at: None,
            overpaid_msat: None,
            fiat: None,
            description: Some("swap to Lightning".into()),
        };
        (record, tx, paid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::history::{merge, to_csv, Direction, Filter, OnchainActivity, Period};
    use crate::core::lightning::payments::PaymentRecord;

    fn swap(direction: SwapDirection, state: SwapState) -> SwapRecord {
        let (sample, _, _) = super::samples::paid_to_lightning();
        SwapRecord {
            payment_hash: "ab".repeat(32),
            direction,
            funding_txid: Some("f0".repeat(32)),
            state,
            ..sample
        }
    }

    fn tx(txid: &str, incoming: bool, sat: u64, fee: Option<u64>, time: u64) -> OnchainActivity {
        OnchainActivity {
            txid: txid.into(),
            incoming,
            amount_sat: sat,
            fee_sat: fee,
            confirmations: 1,
            time,
        }
    }

    fn payment(incoming: bool, fee_msat: Option<u64>) -> PaymentRecord {
        PaymentRecord {
            id: "ab".repeat(32),
            time: 20,
            incoming,
            kind: PaymentKindView::Bolt11,
            status: PaymentState::Succeeded,
            amount_msat: Some(100_000_000),
            fee_msat,
            payment_hash: Some("ab".repeat(32)),
            preimage: None,
            expires_at: None,
            overpaid_msat: None,
            fiat: None,
            description: None,
        }
    }

    #[test]
    fn a_swap_to_lightning_is_one_move_that_cost_the_funding_fee() {
        let (s, tx, paid) = super::samples::paid_to_lightning();
        let (onchain, paid) = ([tx], [paid]);
        let all = merge(&paid, &onchain, &[], &[s]);
        assert_eq!(all.len(), 1, "{all:#?}");
        let e = &all[0];
        assert!(e.is_move());
        assert_eq!(
            (e.amount_msat, e.fee_msat, e.status),
            (Some(100_000_000), Some(300_000), PaymentState::Succeeded)
        );
        let f = |direction| Filter {
            direction,
            ..Filter::default()
        };
        assert!(!f(Direction::Incoming).matches(e) && !f(Direction::Outgoing).matches(e));
        // Its days around the entries' time, in any time zone.
        let period = Period::parse("2026-11-16", "2026-11-20").unwrap();
        let csv = to_csv(&all, &period);
        assert!(
            csv.contains(",move,onchain,swap_to_lightning,succeeded,100000.000,300.000,"),
            "{csv}"
        );
    }

    #[test]
    fn a_refunded_swap_cost_both_fees_and_a_claimed_one_the_claim_and_the_routing() {
        let refund = "e0".repeat(32);
        let onchain = [
            tx(&"f0".repeat(32), false, 100_000, Some(300), 10),
            tx(&refund, true, 99_800, None, 30),
        ];
        let s = swap(
            SwapDirection::ToLightning,
            SwapState::Refunded {
                txid: refund.clone(),
            },
        );
        let all = merge(&[], &onchain, &[], &[s]);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0].fee_msat, Some(500_000));
        assert!(all[0].swap.as_ref().unwrap().refunded);

        let claim = "c0".repeat(32);
        let onchain = [tx(&claim, true, 99_700, None, 30)];
        let mut s = swap(
            SwapDirection::ToChain,
            SwapState::Claimed {
                txid: claim.clone(),
            },
        );
        s.funding_txid = Some("d0".repeat(32));
        let all = merge(&[payment(false, Some(1_000))], &onchain, &[], &[s]);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0].fee_msat, Some(301_000));
        assert_eq!(all[0].swap.as_ref().unwrap().lightning_fee_msat, 1_000);
    }

    #[test]
    fn a_swap_that_moved_nothing_leaves_the_list_as_it_was() {
        let paid = [payment(false, None)];
        let mut s = swap(SwapDirection::ToChain, SwapState::Abandoned);
        s.funding_txid = None;
        let all = merge(&paid, &[], &[], &[s]);
        assert_eq!(all.len(), 1);
        assert!(all[0].swap.is_none());
    }
}

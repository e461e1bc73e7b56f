//! Splices in the history. A splice's transaction is not a payment of the on-chain wallet:
//! a splice in spends our coins into a channel, a splice out to our own address brings part of
//! a channel back on chain (both move money between our own balances), and a splice out to a
//! payee pays someone from a channel without touching the on-chain wallet at all. Each splice
//! we asked for becomes one entry of its own, with the amount that moved and the fee it cost,
//! and takes the place of its transaction in the on-chain list.

use crate::core::history::{Entry, OnchainActivity};
use crate::core::lightning::channels::{Channel, SpliceDirection, SpliceRecord, SpliceState};
use crate::core::lightning::payments::{PaymentKindView, PaymentState};

/// What an entry that is a splice says beyond its transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpliceEntry {
    /// In (chain to channel) or out (channel to an address).
    pub direction: SpliceDirection,
    /// The channel (our id) and its peer's node id.
    pub channel: String,
    pub peer: String,
    /// A splice out to someone else's address: that address (the entry is a payment).
    pub payee: Option<String>,
}

impl SpliceEntry {
    /// Money moved between the wallet's own balances (on chain and a channel), not paid to
    /// anyone: only its fee left the wallet.
    pub fn is_move(&self) -> bool {
        self.payee.is_none()
    }
}

/// The entries of the splices we made whose transaction is out, each matched with that
/// transaction in the on-chain list when the wallet has it (its time and confirmations, and
/// for a splice in the fee our coins paid).
pub fn entries(channels: &[Channel], onchain: &[OnchainActivity]) -> Vec<Entry> {
    channels
        .iter()
        .flat_map(|c| c.history.splices.iter().map(move |s| (c, s)))
        .filter_map(|(c, s)| entry(c, s, onchain))
        .collect()
}

fn entry(c: &Channel, s: &SpliceRecord, onchain: &[OnchainActivity]) -> Option<Entry> {
    if s.direction == SpliceDirection::ByPeer
        || !matches!(s.state, SpliceState::Pending | SpliceState::Locked)
    {
        return None;
    }
    let amount_sat = s.amount_sat?;
    let txid = s
        .funding_outpoint
        .as_deref()?
        .split(':')
        .next()?
        .to_string();
    let tx = onchain.iter().find(|t| t.txid == txid);
    let fee_sat = match s.direction {
        // Our coins paid the amount and the fee: what left the wallet (LDK Node splits it into
        // an amount and a fee when it knows the channel's old funding output, and counts it all
        // as the amount when not).
        SpliceDirection::In => tx
            .filter(|t| !t.incoming)
            .and_then(|t| (t.amount_sat + t.fee_sat.unwrap_or(0)).checked_sub(amount_sat)),
        // The channel paid it: known once the splice locks (see `SpliceRecord::fee_sat`).
        _ => s.fee_sat,
    };
    let status = match (tx.map(|t| t.confirmations), s.state) {
        (Some(0), _) => PaymentState::Pending,
        (Some(_), _) | (None, SpliceState::Locked) => PaymentState::Succeeded,
        (None, _) => PaymentState::Pending,
    };
    Some(Entry {
        time: tx.map_or(s.asked_at, |t| t.time),
        incoming: false,
        kind: PaymentKindView::Onchain,
        status,
        amount_msat: Some(amount_sat * 1000),
        fee_msat: fee_sat.map(|f| f * 1000),
        description: None,
        payment_hash: None,
        preimage: None,
        txid: Some(txid),
        confirmations: tx.map(|t| t.confirmations),
        overpaid_msat: None,
        fiat: None,
        splice: Some(SpliceEntry {
            direction: s.direction,
            channel: c.id.clone(),
            peer: c.peer.clone(),
            payee: s.address.clone().filter(|_| s.to_payee),
        }),
        swap: None,
    })
}

/// A channel with a splice in (its transaction in the wallet, unconfirmed: 200,000 sat and 252
/// of fee) and a splice out paying 150,000 sat to someone's address, for screen tests.
#[cfg(any(test, feature = "testing"))]
pub mod samples {
    use super::*;

    pub fn spliced() -> (Channel, Vec<OnchainActivity>) {
        let mut c = crate::core::lightning::channels::samples::active();
        let record = |direction, txid: &str, amount| SpliceRecord {
            direction,
            amount_sat: Some(amount),
            address: None,
            to_payee: false,
            capacity_before_sat: Some(c.capacity_sat),
            fee_sat: None,
            funding_outpoint: Some(format!("{txid}:0")),
            state: SpliceState::Pending,
            asked_at: 1_795_000_700,
        };
        let mut paid = record(SpliceDirection::Out, &"34".repeat(32), 150_000);
        paid.to_payee = true;
        paid.address = Some("bcrt1q9zpa6a7mwcrt3yn0tgr4u4fzxjey4zn5qm8xkx".into());
        c.history.splices = vec![record(SpliceDirection::In, &"56".repeat(32), 200_000), paid];
        let tx = OnchainActivity {
            txid: "56".repeat(32),
            incoming: false,
            amount_sat: 200_252,
            fee_sat: Some(0),
            confirmations: 0,
            time: 1_795_000_800,
        };
        (c, vec![tx])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lightning::channels::samples;

    fn splice(direction: SpliceDirection, state: SpliceState, txid: &str) -> SpliceRecord {
        SpliceRecord {
            direction,
            amount_sat: Some(200_000),
            address: None,
            to_payee: false,
            capacity_before_sat: Some(1_000_000),
            fee_sat: None,
            funding_outpoint: Some(format!("{txid}:0")),
            state,
            asked_at: 50,
        }
    }

    fn tx(txid: &str, incoming: bool, amount_sat: u64, confirmations: u32) -> OnchainActivity {
        OnchainActivity {
            txid: txid.into(),
            incoming,
            amount_sat,
            fee_sat: Some(0),
            confirmations,
            time: 60,
        }
    }

    #[test]
    fn each_splice_says_what_moved_and_its_fee() {
        let mut c = samples::active();
        let (a, b, p) = ("aa".repeat(32), "bb".repeat(32), "cc".repeat(32));
        let mut out = splice(SpliceDirection::Out, SpliceState::Locked, &b);
        out.amount_sat = Some(150_000);
        out.fee_sat = Some(183);
        let mut paid = splice(SpliceDirection::Out, SpliceState::Pending, &p);
        paid.to_payee = true;
        paid.address = Some("bcrt1qpayee".into());
        let mut negotiating = splice(SpliceDirection::In, SpliceState::Negotiating, "");
        negotiating.funding_outpoint = None;
        c.history.splices = vec![
            splice(SpliceDirection::In, SpliceState::Pending, &a),
            out,
            paid,
            negotiating,
            splice(SpliceDirection::In, SpliceState::Failed, &"dd".repeat(32)),
            splice(
                SpliceDirection::ByPeer,
                SpliceState::Locked,
                &"ee".repeat(32),
            ),
        ];
        // Our coins paid 200,000 and 252 of fee; 150,000 arrived on chain, two blocks deep.
        let mut split = tx(&a, false, 200_000, 0);
        split.fee_sat = Some(252);
        let onchain = [split, tx(&b, true, 150_000, 2)];
        let all = entries(std::slice::from_ref(&c), &onchain);
        // Without the old funding output, LDK Node counts the fee in the amount.
        let whole = [tx(&a, false, 200_252, 0)];
        assert_eq!(entries(&[c], &whole)[0].fee_msat, Some(252_000));
        let seen: Vec<_> = all
            .iter()
            .map(|e| {
                let s = e.splice.as_ref().unwrap();
                (
                    s.direction,
                    s.is_move(),
                    e.amount_msat,
                    e.fee_msat,
                    e.status,
                    e.confirmations,
                )
            })
            .collect();
        use PaymentState::*;
        use SpliceDirection::*;
        assert_eq!(
            seen,
            vec![
                (In, true, Some(200_000_000), Some(252_000), Pending, Some(0)),
                (
                    Out,
                    true,
                    Some(150_000_000),
                    Some(183_000),
                    Succeeded,
                    Some(2)
                ),
                // Paid to someone: not in our wallet; its fee is known once it locks.
                (Out, false, Some(200_000_000), None, Pending, None),
            ]
        );
        assert_eq!(all[2].time, 50, "asked at, when the wallet never sees it");
        assert_eq!(all[0].time, 60);
        assert_eq!(
            all[2].splice.as_ref().unwrap().payee.as_deref(),
            Some("bcrt1qpayee")
        );
    }

    #[test]
    fn the_books_list_a_splice_once_and_say_it_moved_our_own_money() {
        use crate::core::history::{merge, to_csv, Direction, Filter, Period};
        let (c, onchain) = super::samples::spliced();
        let all = merge(&[], &onchain, &[c], &[]);
        assert_eq!(all.len(), 2, "the splice in's transaction is the splice");
        let filtered = |direction| {
            let f = Filter {
                direction,
                ..Filter::default()
            };
            all.iter().filter(|e| f.matches(e)).count()
        };
        assert_eq!(filtered(Direction::Both), 2);
        assert_eq!(filtered(Direction::Incoming), 0, "a move is not money in");
        assert_eq!(
            filtered(Direction::Outgoing),
            1,
            "only the payment to a payee"
        );
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 18).unwrap();
        let period = Period {
            start: 0,
            end: u64::MAX,
            first_day: day,
            last_day: day,
        };
        let text = to_csv(&all, &period);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        let row = |i: usize| (0..7).map(|c| rows[i][c].to_string()).collect::<Vec<_>>();
        assert_eq!(
            row(0)[1..],
            ["out", "onchain", "splice_out", "pending", "150000.000", ""]
        );
        assert_eq!(
            row(1)[1..],
            [
                "move",
                "onchain",
                "splice_in",
                "pending",
                "200000.000",
                "252.000"
            ]
        );
        assert_eq!(
            &rows[1][14],
            crate::core::lightning::channels::samples::PEER_A
        );
    }
}

//! The wallet's balance over time, on chain and in Lightning, for Home's chart.
//!
//! Worked out backwards from today's balances: each movement the history and the channel book
//! know of is undone, newest first, so the line always ends at what Home shows now. The
//! movements:
//! - an on-chain transaction, at its time: what came in, or what went out with its fee;
//! - a Lightning payment that succeeded, at its time: what came in, or what went out with its
//!   fee (a failed or pending one moved nothing);
//! - a channel's opening, when it was asked for: its opening balance enters Lightning as its
//!   funding transaction takes the funding amount off the chain (the transaction is moved to
//!   that instant);
//! - a finished close, at the close: the channel's last balance leaves Lightning (it comes
//!   back on chain with the closing or sweeping transaction). A close still settling moves
//!   nothing yet: LDK still counts its money in the Lightning balance;
//! - a splice, at its time: a splice in takes the amount and its fee off the chain and puts
//!   the amount into Lightning; a splice out takes the amount and its fee (once known) out of
//!   Lightning and puts the amount on chain, unless it paid someone else.
//!
//! A channel booked ready by an older version has no opening balance; its funding amount (ours
//! when we opened it, none when the peer did) stands in, and a balance this would make negative
//! is drawn as zero.

use crate::core::history::Entry;
use crate::core::lightning::channels::{Channel, ChannelStatus, SpliceDirection};
use crate::core::lightning::payments::{PaymentKindView, PaymentState};
use crate::core::swap::book::SwapDirection;

/// The balances from `time` until the next point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BalancePoint {
    /// Unix seconds.
    pub time: u64,
    pub onchain_sat: u64,
    pub lightning_sat: u64,
}

impl BalancePoint {
    pub const fn at(time: u64, onchain_sat: u64, lightning_sat: u64) -> Self {
        BalancePoint {
            time,
            onchain_sat,
            lightning_sat,
        }
    }

    pub fn total_sat(&self) -> u64 {
        self.onchain_sat + self.lightning_sat
    }
}

/// A change of the two balances at one instant, in millisatoshis (Lightning moves them).
#[derive(Debug, Clone, Copy)]
struct Movement {
    time: u64,
    onchain_msat: i128,
    lightning_msat: i128,
}

/// The balances at every instant something moved, oldest first, and a last point at `now`
/// holding `present` (Home's on-chain and Lightning balances). Empty when nothing ever moved.
pub fn over_time(
    present: (u64, u64),
    now: u64,
    history: &[Entry],
    channels: &[Channel],
) -> Vec<BalancePoint> {
    let mut moves = movements(history, channels);
    if moves.is_empty() {
        return Vec::new();
    }
    moves.sort_by_key(|m| m.time);
    let mut onchain = present.0 as i128 * 1000;
    let mut lightning = present.1 as i128 * 1000;
    let point = |time, onchain: i128, lightning: i128| {
        let sat = |msat: i128| (msat.max(0) / 1000) as u64;
        BalancePoint::at(time, sat(onchain), sat(lightning))
    };
    let mut points = vec![point(
        now.max(moves[moves.len() - 1].time),
        onchain,
        lightning,
    )];
    for m in moves.iter().rev() {
        // Several movements at one instant make one point, holding what they left together.
        if points.last().is_some_and(|p| p.time != m.time) {
            points.push(point(m.time, onchain, lightning));
        }
        onchain -= m.onchain_msat;
        lightning -= m.lightning_msat;
    }
    points.reverse();
    points
}

fn movements(history: &[Entry], channels: &[Channel]) -> Vec<Movement> {
    // Funding transactions by txid, with the time their channel was asked for.
    let fundings: Vec<(&str, &Channel)> = channels
        .iter()
        .filter_map(|c| {
            let outpoint = c.history.opening_outpoint.as_deref()?;
            Some((outpoint.split(':').next().unwrap_or_default(), c))
        })
        .collect();
    let signed = |e: &Entry| {
        let amount = e.amount_msat.unwrap_or(0) as i128;
        if e.incoming {
            amount
        } else {
            -amount - e.fee_msat.unwrap_or(0) as i128
        }
    };
    let mut moves: Vec<Movement> = history
        .iter()
        .filter_map(|e| match (e.kind, e.status) {
            _ if e.splice.is_some() => Some(spliced(e)),
            _ if e.swap.is_some() => Some(swapped(e)),
            // On chain, unconfirmed transactions count too: Home's on-chain balance has them.
            (PaymentKindView::Onchain, _) => Some(Movement {
                time: opened_at(&fundings, e.txid.as_deref()).unwrap_or(e.time),
                onchain_msat: signed(e),
                lightning_msat: 0,
            }),
            (_, PaymentState::Succeeded) => Some(Movement {
                time: e.time,
                onchain_msat: 0,
                lightning_msat: signed(e),
            }),
            _ => None,
        })
        .collect();
    for (txid, c) in &fundings {
        let opening_sat = c.history.opening_balance_sat.unwrap_or(if c.opened_by_us {
            c.capacity_sat
        } else {
            0
        });
        let funded_at = opened_at(&fundings, Some(txid)).or_else(|| {
            history
                .iter()
                .find(|e| e.txid.as_deref() == Some(txid))
                .map(|e| e.time)
        });
        if let Some(time) = funded_at {
            moves.push(Movement {
                time,
                onchain_msat: 0,
                lightning_msat: opening_sat as i128 * 1000,
            });
        }
        if let (ChannelStatus::Closed, Some(time), Some(balance)) = (
            c.status,
            c.history.closed_at,
            c.history.balance_at_close_sat,
        ) {
            moves.push(Movement {
                time,
                onchain_msat: 0,
                lightning_msat: -(balance as i128) * 1000,
            });
        }
    }
    moves
}

/// What a splice moved: between the chain and Lightning, or out of Lightning to a payee.
fn spliced(e: &Entry) -> Movement {
    let amount = e.amount_msat.unwrap_or(0) as i128;
    let fee = e.fee_msat.unwrap_or(0) as i128;
    let (onchain_msat, lightning_msat) = match e.splice.as_ref() {
        Some(s) if s.direction == SpliceDirection::In => (-amount - fee, amount),
        Some(s) if s.is_move() => (amount, -amount - fee),
        _ => (0, -amount - fee),
    };
    Movement {
        time: e.time,
        onchain_msat,
        lightning_msat,
    }
}

/// What a swap moved between the chain and Lightning, each side less the fees it paid; a
/// refunded swap only its fees, a swap under way what already left its side.
fn swapped(e: &Entry) -> Movement {
    let amount = e.amount_msat.unwrap_or(0) as i128;
    let fee = e.fee_msat.unwrap_or(0) as i128;
    let (direction, refunded, lightning_fee) = match e.swap.as_ref() {
        Some(s) => (s.direction, s.refunded, s.lightning_fee_msat as i128),
        None => {
            return Movement {
                time: e.time,
                onchain_msat: 0,
                lightning_msat: 0,
            }
        }
    };
    let done = e.status == PaymentState::Succeeded;
    let chain_fee = fee - lightning_fee;
    let (onchain_msat, lightning_msat) = match direction {
        _ if refunded => (-fee, 0),
        SwapDirection::ToLightning => (-amount - chain_fee, if done { amount } else { 0 }),
        // Claimed (its transaction named): on chain at once, as Home's balance counts it.
        SwapDirection::ToChain => (
            if e.txid.is_some() {
                amount - chain_fee
            } else {
                0
            },
            -amount - lightning_fee,
        ),
    };
    Movement {
        time: e.time,
        onchain_msat,
        lightning_msat,
    }
}

/// When the channel funded by `txid` was asked for. A funding transaction and its channel's
/// opening are one movement at that instant: the wallet's clock, as for Lightning payments
/// (a block's time can run ahead of it, far ahead on a local test chain), and when the
/// on-chain balance lost the funding amount (an unconfirmed spend counts at once).
fn opened_at(fundings: &[(&str, &Channel)], txid: Option<&str>) -> Option<u64> {
    let txid = txid?;
    fundings
        .iter()
        .find(|(t, _)| *t == txid)
        .and_then(|(_, c)| c.history.opened_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lightning::channels::samples;

    fn entry(time: u64, incoming: bool, kind: PaymentKindView, sat: u64, fee: u64) -> Entry {
        Entry {
            time,
            incoming,
            kind,
            status: PaymentState::Succeeded,
            amount_msat: Some(sat * 1000),
            fee_msat: (fee > 0).then_some(fee * 1000),
            description: None,
            payment_hash: None,
            preimage: None,
            txid: None,
            confirmations: (kind == PaymentKindView::Onchain).then_some(6),
            overpaid_msat: None,
            fiat: None,
            splice: None,
            swap: None,
        }
    }

    fn onchain(time: u64, incoming: bool, sat: u64, fee: u64, txid: &str) -> Entry {
        Entry {
            txid: Some(txid.into()),
            ..entry(time, incoming, PaymentKindView::Onchain, sat, fee)
        }
    }

    fn lightning(time: u64, incoming: bool, sat: u64, fee: u64) -> Entry {
        entry(time, incoming, PaymentKindView::Bolt11, sat, fee)
    }

    /// A channel of 50,000 sat asked for at 190 and funded by transaction `ff…` (in a block
    /// at 200), opening with 49,000 (the commitment fee and anchors are the rest).
    fn channel(status: ChannelStatus, closed: Option<(u64, u64)>) -> Channel {
        let mut c = samples::active();
        c.status = status;
        c.capacity_sat = 50_000;
        c.opened_by_us = true;
        c.funding_outpoint = Some(format!("{}:1", "ff".repeat(32)));
        c.history.opening_outpoint = c.funding_outpoint.clone();
        c.history.opened_at = Some(190);
        c.history.opening_balance_sat = Some(49_000);
        c.history.closed_at = closed.map(|(t, _)| t);
        c.history.balance_at_close_sat = closed.map(|(_, b)| b);
        c
    }

    #[test]
    fn a_channels_life_from_deposit_to_close() {
        let mut failed = lightning(350, false, 5_000, 0);
        failed.status = PaymentState::Failed;
        let history = vec![
            onchain(600, true, 58_800, 0, &"cc".repeat(32)),
            failed,
            lightning(300, true, 10_000, 0),
            onchain(200, false, 50_000, 200, &"ff".repeat(32)),
            onchain(100, true, 100_000, 0, &"aa".repeat(32)),
        ];
        let closed = channel(ChannelStatus::Closed, Some((500, 59_000)));
        // Today: 100,000 − 50,200 + 58,800 on chain; nothing left in Lightning.
        let points = over_time((108_600, 0), 700, &history, &[closed]);
        assert_eq!(
            points,
            vec![
                BalancePoint::at(100, 100_000, 0),
                BalancePoint::at(190, 49_800, 49_000),
                BalancePoint::at(300, 49_800, 59_000),
                BalancePoint::at(500, 49_800, 0),
                BalancePoint::at(600, 108_600, 0),
                BalancePoint::at(700, 108_600, 0),
            ]
        );
    }

    #[test]
    fn a_close_still_settling_stays_in_lightning() {
        let history = vec![
            onchain(200, false, 50_000, 200, &"ff".repeat(32)),
            onchain(100, true, 100_000, 0, &"aa".repeat(32)),
        ];
        let closing = channel(ChannelStatus::ForceClosing { blocks_left: 100 }, None);
        let points = over_time((49_800, 49_000), 300, &history, &[closing]);
        assert_eq!(
            points,
            vec![
                BalancePoint::at(100, 100_000, 0),
                BalancePoint::at(190, 49_800, 49_000),
                BalancePoint::at(300, 49_800, 49_000)
            ]
        );
    }

    #[test]
    fn a_channel_booked_by_an_older_version_is_counted_at_its_capacity() {
        let history = vec![
            lightning(300, false, 1_000, 1),
            onchain(200, false, 50_000, 200, &"ff".repeat(32)),
            onchain(100, true, 100_000, 0, &"aa".repeat(32)),
        ];
        let mut old = channel(ChannelStatus::Active, None);
        old.history.opening_balance_sat = None;
        let points = over_time((49_800, 47_999), 400, &history, &[old]);
        // The commitment fee this guess leaves out would make Lightning negative before the
        // opening: drawn as zero, and the present is exact.
        assert_eq!(points[0], BalancePoint::at(100, 100_000, 0));
        assert_eq!(points[1], BalancePoint::at(190, 49_800, 49_000));
        assert_eq!(points[3], BalancePoint::at(400, 49_800, 47_999));
    }

    #[test]
    fn splices_move_money_between_chain_and_lightning() {
        use crate::core::history::{merge, OnchainActivity};
        use crate::core::lightning::channels::{SpliceRecord, SpliceState};
        let tx = |txid: String, time, incoming, amount_sat| OnchainActivity {
            txid,
            incoming,
            amount_sat,
            fee_sat: Some(0),
            confirmations: 6,
            time,
        };
        let splice = |direction, txid: &str, amount, fee| SpliceRecord {
            direction,
            amount_sat: Some(amount),
            address: None,
            to_payee: false,
            capacity_before_sat: None,
            fee_sat: fee,
            funding_outpoint: Some(format!("{txid}:0")),
            state: SpliceState::Locked,
            asked_at: 0,
        };
        let (into, out) = ("ab".repeat(32), "cd".repeat(32));
        let mut c = channel(ChannelStatus::Active, None);
        c.funding_outpoint = Some(format!("{out}:0"));
        c.history.splices = vec![
            splice(SpliceDirection::In, &into, 20_000, None),
            splice(SpliceDirection::Out, &out, 10_000, Some(100)),
        ];
        let onchain = [
            tx(out.clone(), 400, true, 10_000),
            // Our coins paid the 20,000 and the splice's fee of 150.
            tx(into.clone(), 310, false, 20_150),
            tx("ff".repeat(32), 200, false, 50_000),
            tx("aa".repeat(32), 100, true, 100_000),
        ];
        let history = merge(&[], &onchain, std::slice::from_ref(&c), &[]);
        assert_eq!(history.len(), 4);
        // Today: 100,000 − 50,000 − 20,150 + 10,000 on chain; 49,000 + 20,000 − 10,100 in
        // Lightning.
        let points = over_time((39_850, 58_900), 500, &history, &[c]);
        assert_eq!(
            points,
            vec![
                BalancePoint::at(100, 100_000, 0),
                BalancePoint::at(190, 50_000, 49_000),
                BalancePoint::at(310, 29_850, 69_000),
                BalancePoint::at(400, 39_850, 58_900),
                BalancePoint::at(500, 39_850, 58_900),
            ]
        );
    }

    #[test]
    fn nothing_moved_draws_nothing_and_one_instant_is_one_point() {
        assert!(over_time((0, 0), 10, &[], &[]).is_empty());
        let history = vec![
            onchain(100, true, 1_000, 0, "a"),
            onchain(100, true, 2_000, 0, "b"),
        ];
        assert_eq!(
            over_time((3_000, 0), 100, &history, &[]),
            vec![BalancePoint::at(100, 3_000, 0)]
        );
    }
}

//! Splicing: money moved into a channel from the on-chain wallet (splice in) or out of it to an
//! on-chain address (splice out) without closing it. LDK negotiates a new funding transaction
//! with the peer that spends the old funding output; the channel keeps carrying payments while
//! it confirms, and follows the new funding output once it is locked (LDK Node raises
//! `ChannelReady` again). Experimental in LDK 0.2 and LDK Node 0.7.1: the feature's signalling
//! may still change, and a peer may not offer it.
//!
//! The book keeps each splice we asked for (its direction and amount: LDK's events carry
//! neither) and the ones the peer made, with the new funding transaction and how it ended
//! ([`SpliceRecord`]).

use ldk_node::bitcoin::{Address, OutPoint};

use crate::core::lightning::channels::book::{
    lock_splices, SpliceDirection, SpliceRecord, SpliceState,
};
use crate::core::lightning::channels::ops::{connected_peers, live_channel, written};
use crate::core::lightning::channels::{ChannelError, ChannelStatus, Channels, ChannelsOverview};
use crate::core::{blocking, Error};

/// Virtual size of a splice in with one input of ours: the old funding output spent (a 2-of-2
/// P2WSH input, ~97 vB), our P2WPKH input (68 vB), the new funding output (43 vB), change
/// (31 vB) and the transaction's own bytes; what LDK Node's own test measures (252 sat at
/// 1 sat/vB). Each further input of ours adds about 68 vB.
pub const SPLICE_IN_VBYTES: u64 = 252;
/// Virtual size of a splice out: the old funding output spent, the new funding output and the
/// payment to the address (183 sat at 1 sat/vB in LDK Node's test).
pub const SPLICE_OUT_VBYTES: u64 = 183;

/// What a splice is estimated to cost at `fee_rate_sat_vb`: its usual size (with one input of
/// ours for a splice in) at that rate. LDK picks its own rate for the funding transaction, so
/// the fee paid can differ.
pub fn estimated_fee_sat(direction: SpliceDirection, fee_rate_sat_vb: u64) -> u64 {
    let vbytes = match direction {
        SpliceDirection::In => SPLICE_IN_VBYTES,
        _ => SPLICE_OUT_VBYTES,
    };
    vbytes * fee_rate_sat_vb
}

/// Paying an on-chain address out of a channel (a splice out to the payee), as planned before
/// anything is signed: which channel, what it costs and what stays in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelPayout {
    /// The channel (our id) and its peer's node id.
    pub channel: String,
    pub peer: String,
    pub address: String,
    pub amount_sat: u64,
    pub fee_rate_sat_vb: u64,
    /// Paid from the channel, beside the amount.
    pub estimated_fee_sat: u64,
    /// Our side of the channel after the payment and its fee.
    pub left_in_channel_sat: u64,
}

impl ChannelsOverview {
    /// The channel that can pay `amount_sat` to `address` by a splice out, fee included: an
    /// active one (its peer online), the one with the most we can send. `None` when none can.
    pub fn payout(
        &self,
        address: &str,
        amount_sat: u64,
        fee_rate_sat_vb: u64,
    ) -> Option<ChannelPayout> {
        let fee = estimated_fee_sat(SpliceDirection::Out, fee_rate_sat_vb);
        let busy = |c: &&crate::core::lightning::channels::Channel| {
            c.history
                .splices
                .iter()
                .any(|s| matches!(s.state, SpliceState::Negotiating | SpliceState::Pending))
        };
        self.channels
            .iter()
            .filter(|c| c.status == ChannelStatus::Active && !busy(c))
            .filter(|c| c.parts.our_spendable_sat >= amount_sat.saturating_add(fee))
            .max_by_key(|c| c.parts.our_spendable_sat)
            .map(|c| ChannelPayout {
                channel: c.id.clone(),
                peer: c.peer.clone(),
                address: address.to_string(),
                amount_sat,
                fee_rate_sat_vb,
                estimated_fee_sat: fee,
                left_in_channel_sat: c.parts.ours_sat.saturating_sub(amount_sat + fee),
            })
    }
}

impl Channels {
    /// Moves `amount_sat` from the on-chain wallet into channel `id` (our `user_channel_id`).
    /// Returns when LDK has started the negotiation; `SplicePending` follows once the peer
    /// agreed and the transaction is out, `SpliceFailed` if not.
    pub async fn splice_in(&self, id: String, amount_sat: u64) -> Result<(), Error> {
        let channels = self.clone();
        blocking(move || {
            let c = channels.spliceable(&id, amount_sat)?;
            let spendable = channels.node.list_balances().spendable_onchain_balance_sats;
            if amount_sat > spendable {
                return Err(ChannelError::SpliceAboveOnchain {
                    spendable_sat: spendable,
                }
                .into());
            }
            let mark = channels.ldk_log.mark();
            channels
                .node
                .splice_in(&c.user_channel_id, c.counterparty_node_id, amount_sat)
                .map_err(|e| match e {
                    ldk_node::NodeError::InsufficientFunds => ChannelError::MissingAnchorReserve {
                        reserve_sat: super::ops::ANCHOR_RESERVE_SAT,
                        spendable_sat: spendable,
                    },
                    other => splice_refusal(&channels.ldk_log.errors_since(mark), other),
                })?;
            channels.book_asked(&c, SpliceDirection::In, amount_sat, None);
            Ok(())
        })
        .await
    }

    /// Moves `amount_sat` from our side of channel `id` to `to` (the wallet's own address, or a
    /// payee's). The splice's fee comes out of the channel too.
    pub async fn splice_out(
        &self,
        id: String,
        to: SpliceOutTo,
        amount_sat: u64,
    ) -> Result<(), Error> {
        let channels = self.clone();
        blocking(move || {
            let c = channels.spliceable(&id, amount_sat)?;
            let can_send_sat = c.outbound_capacity_msat / 1000;
            if amount_sat > can_send_sat {
                return Err(ChannelError::SpliceAboveChannel { can_send_sat }.into());
            }
            let (address, to_payee) = match &to {
                SpliceOutTo::OwnWallet(a) => (a, false),
                SpliceOutTo::Payee(a) => (a, true),
            };
            let mark = channels.ldk_log.mark();
            channels
                .node
                .splice_out(
                    &c.user_channel_id,
                    c.counterparty_node_id,
                    address,
                    amount_sat,
                )
                .map_err(|e| splice_refusal(&channels.ldk_log.errors_since(mark), e))?;
            channels.book_asked(
                &c,
                SpliceDirection::Out,
                amount_sat,
                Some((address.to_string(), to_payee)),
            );
            Ok(())
        })
        .await
    }

    /// The checks both directions share: an amount, a channel that is open and ready, its
    /// peer online, no splice of it on its way. Returns what LDK lists of the channel.
    fn spliceable(&self, id: &str, amount_sat: u64) -> Result<ldk_node::ChannelDetails, Error> {
        if amount_sat == 0 {
            return Err(ChannelError::SpliceZero.into());
        }
        let c = live_channel(&self.node, id).ok_or(ChannelError::UnknownChannel)?;
        if !c.is_channel_ready {
            return Err(ChannelError::SpliceNotReady.into());
        }
        if !connected_peers(&self.node).contains(&c.counterparty_node_id) {
            return Err(ChannelError::SplicePeerAway.into());
        }
        // A splice is under way until the channel stands on its new funding output (the book
        // may not have heard LDK's `ChannelReady` yet).
        let funding = c.funding_txo.map(|o| o.to_string());
        let under_way = |s: &SpliceRecord| {
            s.state == SpliceState::Pending
                && s.funding_outpoint.is_some()
                && s.funding_outpoint != funding
        };
        if self
            .book()
            .get(id)
            .is_some_and(|r| r.splices.iter().any(under_way))
        {
            return Err(ChannelError::SpliceUnderWay.into());
        }
        Ok(c)
    }

    /// Books a splice of channel `c` we asked for; `to`: a splice out's address, and whether it
    /// is a payee's.
    fn book_asked(
        &self,
        c: &ldk_node::ChannelDetails,
        direction: SpliceDirection,
        amount: u64,
        to: Option<(String, bool)>,
    ) {
        let id = c.user_channel_id.0.to_string();
        written(self.book().update(&id, |r| {
            r.splices.push(SpliceRecord {
                direction,
                amount_sat: Some(amount),
                to_payee: to.as_ref().is_some_and(|(_, payee)| *payee),
                address: to.map(|(a, _)| a),
                capacity_before_sat: Some(c.channel_value_sats),
                fee_sat: None,
                funding_outpoint: None,
                state: SpliceState::Negotiating,
                asked_at: crate::core::shared::now(),
            })
        }));
    }

    /// Books a splice whose transaction is out: the one we asked for, or one the peer made.
    pub(crate) fn book_splice_pending(&self, id: &str, funding_txo: OutPoint) {
        let outpoint = funding_txo.to_string();
        written(self.book().update(id, |r| {
            let known = r
                .splices
                .iter()
                .any(|s| s.funding_outpoint.as_deref() == Some(&outpoint));
            // Ours: the one under negotiation, else one a restart cut short after all.
            let newest = |state| r.splices.iter().rposition(|s| s.state == state);
            let ours = newest(SpliceState::Negotiating)
                .or_else(|| newest(SpliceState::Interrupted).filter(|_| !known));
            let ours = ours.map(|i| &mut r.splices[i]);
            match ours {
                Some(s) => {
                    s.state = SpliceState::Pending;
                    s.funding_outpoint = Some(outpoint.clone());
                }
                None if !known => r.splices.push(SpliceRecord {
                    direction: SpliceDirection::ByPeer,
                    amount_sat: None,
                    address: None,
                    to_payee: false,
                    capacity_before_sat: None,
                    fee_sat: None,
                    funding_outpoint: Some(outpoint.clone()),
                    state: SpliceState::Pending,
                    asked_at: crate::core::shared::now(),
                }),
                None => {}
            }
        }));
    }

    /// Books a splice that failed: the one under negotiation, or the one whose transaction
    /// was abandoned.
    pub(crate) fn book_splice_failed(&self, id: &str, abandoned: Option<OutPoint>) {
        let abandoned = abandoned.map(|o| o.to_string());
        written(self.book().update(id, |r| {
            if let Some(s) = r.splices.iter_mut().rev().find(|s| {
                matches!(s.state, SpliceState::Negotiating | SpliceState::Interrupted)
                    || (abandoned.is_some() && s.funding_outpoint == abandoned)
            }) {
                s.state = SpliceState::Failed;
            }
        }));
    }

    /// Books that channel `id` is ready again on a new funding output: the pending splice is
    /// locked, and a splice out's fee (paid from the channel) is what the capacity lost beyond
    /// the amount.
    pub(crate) fn book_splice_locked(&self, id: &str, funding_txo: Option<OutPoint>) {
        let Some(outpoint) = funding_txo.map(|o| o.to_string()) else {
            return;
        };
        let capacity_now = live_channel(&self.node, id).map(|c| c.channel_value_sats);
        written(self.book().update(id, |r| {
            lock_splices(&mut r.splices, &outpoint, capacity_now);
            r.funding_outpoint = Some(outpoint.clone());
        }));
    }
}

/// Where a splice out pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpliceOutTo {
    /// The wallet's own on-chain address: a move between our own balances.
    OwnWallet(Address),
    /// Someone else's address: a payment out of the channel.
    Payee(Address),
}

/// Why LDK did not start a splice, from what it logged ("Failed to splice channel: …"), in
/// words a person can act on where we know them, LDK's own words otherwise.
fn splice_refusal(logged: &[String], error: ldk_node::NodeError) -> ChannelError {
    let said = logged
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix("Failed to splice channel: "));
    let Some(said) = said else {
        return ChannelError::CannotSplice(error.to_string());
    };
    if said.contains("does not support splicing") || said.contains("does not support quiescence") {
        return ChannelError::PeerCannotSplice;
    }
    if said.contains("insufficient confirmed UTXOs") {
        return ChannelError::SpliceNeedsConfirmedCoins;
    }
    if said.contains("already a splice pending") {
        return ChannelError::SpliceUnderWay;
    }
    let words = match said.split_once("err: \"") {
        Some((_, rest)) => rest.trim_end_matches(" }").trim_end_matches('"'),
        None => said,
    };
    ChannelError::CannotSplice(words.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payout_comes_from_an_active_channel_that_can_send_it_and_its_fee() {
        use crate::core::lightning::channels::samples;
        let mut offline = samples::active();
        offline.id = "9".into();
        offline.status = ChannelStatus::PeerOffline;
        offline.parts.our_spendable_sat = 900_000;
        let overview = ChannelsOverview {
            channels: vec![offline, samples::active(), samples::force_closing()],
            height: samples::HEIGHT,
        };
        // The active sample can send 639,340 sat; 183 vB at 2 sat/vB is 366.
        let p = overview.payout("bcrt1qpayee", 600_000, 2).unwrap();
        assert_eq!(p.channel, "1");
        assert_eq!(p.estimated_fee_sat, 366);
        assert_eq!(p.left_in_channel_sat, 649_013 - 600_000 - 366);
        assert_eq!(
            overview.payout("bcrt1qpayee", 639_000, 2),
            None,
            "not with its fee"
        );
        let mut busy = overview.clone();
        busy.channels[1]
            .history
            .splices
            .push(SpliceRecord::sample(SpliceState::Pending));
        assert_eq!(
            busy.payout("bcrt1qpayee", 1_000, 2),
            None,
            "one splice at a time"
        );
    }

    #[test]
    fn ldks_splice_refusals_in_words() {
        let failed = ldk_node::NodeError::ChannelSplicingFailed;
        let line = |s: &str| vec![format!("Failed to splice channel: {s}")];
        assert_eq!(
            splice_refusal(
                &line("ChannelUnavailable { err: \"Peer does not support splicing\" }"),
                failed
            ),
            ChannelError::PeerCannotSplice
        );
        assert_eq!(
            splice_refusal(&line("insufficient confirmed UTXOs"), failed),
            ChannelError::SpliceNeedsConfirmedCoins
        );
        assert_eq!(
            splice_refusal(
                &line("APIMisuseError { err: \"Channel 00ab cannot be spliced as it is either pending open/close\" }"),
                failed
            ),
            ChannelError::CannotSplice(
                "Channel 00ab cannot be spliced as it is either pending open/close".into()
            )
        );
        assert_eq!(
            splice_refusal(&[], failed),
            ChannelError::CannotSplice(failed.to_string())
        );
    }
}

//! Fills the channel view model from what ldk-node reports: `list_channels()` for open
//! channels, `list_balances()` for what each channel would pay us and, after a close, what is
//! still on its way back, and the [`ChannelBook`] for channels ldk-node no longer lists.

use std::collections::HashSet;

use ldk_node::bitcoin::secp256k1::PublicKey;
use ldk_node::lightning::chain::channelmonitor::BalanceSource;
use ldk_node::lightning::ln::types::ChannelId;
use ldk_node::{BalanceDetails, ChannelDetails, LightningBalance, PendingSweepBalance};

use crate::core::lightning::channels::book::{ChannelBook, ChannelRecord, CloseReason};
use crate::core::lightning::channels::dust::configured_limit_sat;
use crate::core::lightning::channels::{
    format_scid, BalanceParts, Channel, ChannelHistory, ChannelStatus, ChannelsOverview,
    ClaimCause, ClaimKind, ClaimStep, FeePolicy, HtlcLimits, PendingHtlc, PEER_TO_SELF_DELAY,
    SWEEP_SAFE_CONFIRMATIONS,
};
use crate::core::lightning::ldk_log::IncomingRefusal;

/// Everything read from the node at one moment.
pub struct NodeFacts<'a> {
    pub live: &'a [ChannelDetails],
    pub balances: &'a BalanceDetails,
    pub connected: &'a HashSet<PublicKey>,
    pub height: u32,
    /// Incoming payments LDK refused over its dust limit in this run, oldest first.
    pub refusals: &'a [IncomingRefusal],
}

/// The overview the screens draw: open channels, then closing and closed ones from the book.
pub fn overview(facts: &NodeFacts<'_>, book: &ChannelBook) -> ChannelsOverview {
    let mut channels: Vec<Channel> = facts
        .live
        .iter()
        .map(|c| open_channel(c, facts, book.get(&c.user_channel_id.0.to_string())))
        .collect();
    let live: HashSet<String> = channels.iter().map(|c| c.id.clone()).collect();
    let mut gone: Vec<Channel> = book
        .records()
        .iter()
        .filter(|r| !live.contains(&r.user_channel_id))
        .map(|r| closed_channel(r, facts))
        .collect();
    gone.sort_by_key(|c| std::cmp::Reverse(c.history.closed_at.unwrap_or(u64::MAX)));
    // Still settling before finished.
    gone.sort_by_key(|c| c.status == ChannelStatus::Closed);
    channels.extend(gone);
    ChannelsOverview {
        channels,
        height: facts.height,
    }
}

/// The book's record of an open channel, keeping what was booked before (first sighting,
/// readiness).
pub fn record_of(
    c: &ChannelDetails,
    facts: &NodeFacts<'_>,
    old: Option<&ChannelRecord>,
) -> ChannelRecord {
    let now = crate::core::now();
    let our_balance = on_close(c.channel_id, facts.balances).map_or(0, |b| b.amount_sat);
    ChannelRecord {
        user_channel_id: c.user_channel_id.0.to_string(),
        channel_id: c.channel_id.to_string(),
        peer: c.counterparty_node_id.to_string(),
        peer_address: old.and_then(|o| o.peer_address.clone()),
        capacity_sat: c.channel_value_sats,
        opened_by_us: c.is_outbound,
        public: c.is_announced,
        funding_outpoint: c.funding_txo.map(|o| o.to_string()),
        short_channel_id: c.short_channel_id,
        our_delay_blocks: c.force_close_spend_delay,
        last_balance_sat: our_balance,
        opened_at: old.map_or(now, |o| o.opened_at),
        ready_at: old
            .and_then(|o| o.ready_at)
            .or(c.is_channel_ready.then_some(now)),
        closed_at: old.and_then(|o| o.closed_at),
        close_reason: old.and_then(|o| o.close_reason.clone()),
        close_asked_at: old.and_then(|o| o.close_asked_at),
    }
}

/// What `ClaimableOnChannelClose` says of a channel that is still open.
struct OnClose {
    amount_sat: u64,
    fee_sat: u64,
    htlc_out_sat: u64,
    htlc_in_sat: u64,
}

fn on_close(channel_id: ChannelId, balances: &BalanceDetails) -> Option<OnClose> {
    balances.lightning_balances.iter().find_map(|b| match b {
        LightningBalance::ClaimableOnChannelClose {
            channel_id: id,
            amount_satoshis,
            transaction_fee_satoshis,
            outbound_payment_htlc_rounded_msat,
            outbound_forwarded_htlc_rounded_msat,
            inbound_claiming_htlc_rounded_msat,
            inbound_htlc_rounded_msat,
            ..
        } if *id == channel_id => Some(OnClose {
            amount_sat: *amount_satoshis,
            fee_sat: *transaction_fee_satoshis,
            htlc_out_sat: (outbound_payment_htlc_rounded_msat
                + outbound_forwarded_htlc_rounded_msat)
                / 1000,
            htlc_in_sat: (inbound_claiming_htlc_rounded_msat + inbound_htlc_rounded_msat) / 1000,
        }),
        _ => None,
    })
}

fn open_channel(c: &ChannelDetails, facts: &NodeFacts<'_>, old: Option<&ChannelRecord>) -> Channel {
    let on_close = on_close(c.channel_id, facts.balances);
    let parts = split(c, on_close.as_ref());
    let status = if !c.is_channel_ready {
        let confirmations = c.confirmations.unwrap_or(0);
        match c.confirmations_required {
            Some(required) if c.funding_txo.is_some() && confirmations >= required => {
                ChannelStatus::Closing
            }
            required => ChannelStatus::Opening {
                confirmations,
                required,
            },
        }
    } else if c.is_usable {
        ChannelStatus::Active
    } else if !facts.connected.contains(&c.counterparty_node_id) {
        ChannelStatus::PeerOffline
    } else {
        ChannelStatus::Closing
    };
    let mut htlcs = Vec::new();
    if let Some(b) = &on_close {
        for (outgoing, amount_sat) in [(true, b.htlc_out_sat), (false, b.htlc_in_sat)] {
            if amount_sat > 0 {
                htlcs.push(PendingHtlc {
                    outgoing,
                    amount_sat,
                    payment_hash: None,
                    expiry_height: None,
                });
            }
        }
    }
    let record = record_of(c, facts, old);
    let dust_limit = configured_limit_sat(&c.config);
    Channel {
        id: record.user_channel_id.clone(),
        channel_id: record.channel_id.clone(),
        peer: record.peer.clone(),
        status,
        capacity_sat: c.channel_value_sats,
        opened_by_us: c.is_outbound,
        public: c.is_announced,
        parts,
        our_reserve_required_sat: c.unspendable_punishment_reserve.unwrap_or(0),
        peer_reserve_required_sat: c.counterparty_unspendable_punishment_reserve,
        our_balance_sat: on_close.as_ref().map_or(0, |b| b.amount_sat),
        funding_outpoint: record.funding_outpoint.clone(),
        short_channel_id: c.short_channel_id.map(format_scid),
        our_delay_blocks: c.force_close_spend_delay,
        peer_delay_blocks: PEER_TO_SELF_DELAY,
        limits: HtlcLimits {
            send_min_msat: c.next_outbound_htlc_minimum_msat,
            send_max_msat: c.next_outbound_htlc_limit_msat,
            receive_min_msat: c.inbound_htlc_minimum_msat,
            receive_max_msat: c.inbound_htlc_maximum_msat,
            peer_accepts_max_msat: c.counterparty_outbound_htlc_maximum_msat,
        },
        commitment_feerate_sat_per_kw: c.feerate_sat_per_1000_weight,
        dust_exposure_limit_sat: dust_limit,
        // LDK's line names no channel: the refusal is this channel's when its limit is the one
        // the line names.
        refused_incoming: dust_limit.and_then(|limit| {
            facts
                .refusals
                .iter()
                .rev()
                .find(|r| r.limit_sat == limit)
                .copied()
        }),
        fees: Some(FeePolicy {
            base_msat: c.config.forwarding_fee_base_msat,
            ppm: c.config.forwarding_fee_proportional_millionths,
            cltv_delta: c.config.cltv_expiry_delta,
        }),
        htlcs,
        claims: Vec::new(),
        history: ChannelHistory {
            opened_at: Some(record.opened_at),
            ready_at: record.ready_at,
            closed_at: None,
            close_reason: None,
        },
    }
}

/// Splits the capacity into its parts. LDK's capacities leave out reserves and HTLCs; the
/// reserve only binds once a side's balance has grown past it, so each reserve is capped by
/// what that side actually holds. The opener's commitment fee (and anchors) comes out of the
/// opener's balance at close, so on our side it is the part of the reserve we would not get
/// back; whatever is left over is shown with it.
fn split(c: &ChannelDetails, on_close: Option<&OnClose>) -> BalanceParts {
    let capacity = c.channel_value_sats;
    let our_spendable = c.outbound_capacity_msat / 1000;
    let peer_spendable = c.inbound_capacity_msat / 1000;
    let (htlc_out, htlc_in) = on_close.map_or((0, 0), |b| (b.htlc_out_sat, b.htlc_in_sat));
    let our_reserve = c.unspendable_punishment_reserve.unwrap_or(0);
    let our_reserve = match on_close {
        Some(b) => our_reserve.min(b.amount_sat.saturating_sub(our_spendable)),
        None => our_reserve,
    };
    let fee = on_close.filter(|_| c.is_outbound).map_or(0, |b| b.fee_sat);
    let ours = our_spendable + our_reserve + htlc_out + htlc_in;
    let rest = capacity.saturating_sub(ours).saturating_sub(fee);
    let anchors = if c.is_outbound {
        opener_anchors(
            rest,
            peer_spendable,
            c.counterparty_unspendable_punishment_reserve,
        )
    } else {
        0
    };
    let peer_total = rest - anchors;
    let peer_reserve = c
        .counterparty_unspendable_punishment_reserve
        .min(peer_total.saturating_sub(peer_spendable));
    let mut parts = BalanceParts {
        our_spendable_sat: our_spendable,
        our_reserve_sat: our_reserve,
        htlc_out_sat: htlc_out,
        htlc_in_sat: htlc_in,
        peer_reserve_sat: peer_reserve,
        peer_spendable_sat: peer_spendable,
        commitment_fee_sat: 0,
    };
    parts.commitment_fee_sat = capacity.saturating_sub(parts.total());
    parts
}

/// The value of an anchor output (BOLT 3): one per side that has an output, paid by the opener.
const ANCHOR_SAT: u64 = 330;

/// Of what is left for the peer once our side and the commitment fee LDK counts are taken from
/// the capacity (`rest`), the part that is our anchor outputs rather than the peer's money.
/// LDK counts an anchor in its commitment fee only when it is left out (a side without an
/// output); LDK Node 0.7.1 does not say whether a channel has anchors at all, so they are read
/// off the amounts: a peer with nothing spendable and at most two anchors' worth left holds
/// nothing (its output would be dust), and a peer with a spendable balance holds that plus its
/// reserve, the rest being whole anchors. A peer between dust and its reserve keeps `rest`.
fn opener_anchors(rest: u64, peer_spendable: u64, peer_reserve: u64) -> u64 {
    if peer_spendable == 0 {
        if rest <= 2 * ANCHOR_SAT {
            rest
        } else {
            0
        }
    } else {
        let extra = rest.saturating_sub(peer_spendable + peer_reserve);
        (extra / ANCHOR_SAT).min(2) * ANCHOR_SAT
    }
}

fn closed_channel(r: &ChannelRecord, facts: &NodeFacts<'_>) -> Channel {
    let (claims, htlcs) = claims_of(&r.channel_id, facts.balances, facts.height);
    let status = if claims.is_empty() {
        ChannelStatus::Closed
    } else {
        let cooperative = matches!(
            r.close_reason,
            Some(CloseReason::CooperativeByUs | CloseReason::CooperativeByPeer)
        ) || claims.iter().any(|s| {
            matches!(
                s.kind,
                ClaimKind::AwaitingConfirmations {
                    cause: ClaimCause::CooperativeClose,
                    ..
                }
            )
        });
        if cooperative {
            ChannelStatus::Closing
        } else {
            let unconfirmed = claims
                .iter()
                .any(|s| s.kind == ClaimKind::AwaitingCloseTransaction);
            let blocks_left = claims
                .iter()
                .filter_map(ClaimStep::height)
                .map(|h| h.saturating_sub(facts.height))
                .max()
                .unwrap_or(0);
            // Before our commitment confirms, the CSV delay has not even started.
            let blocks_left = match (unconfirmed, &r.close_reason, r.our_delay_blocks) {
                (true, Some(CloseReason::ForceClosedByUs), Some(d)) => blocks_left.max(d.into()),
                _ => blocks_left,
            };
            ChannelStatus::ForceClosing { blocks_left }
        }
    };
    Channel {
        id: r.user_channel_id.clone(),
        channel_id: r.channel_id.clone(),
        peer: r.peer.clone(),
        status,
        capacity_sat: r.capacity_sat,
        opened_by_us: r.opened_by_us,
        public: r.public,
        parts: BalanceParts::default(),
        our_reserve_required_sat: 0,
        peer_reserve_required_sat: 0,
        our_balance_sat: claims.iter().map(|s| s.amount_sat).sum(),
        funding_outpoint: r.funding_outpoint.clone(),
        short_channel_id: r.short_channel_id.map(format_scid),
        our_delay_blocks: r.our_delay_blocks,
        peer_delay_blocks: PEER_TO_SELF_DELAY,
        limits: HtlcLimits::default(),
        commitment_feerate_sat_per_kw: 0,
        dust_exposure_limit_sat: None,
        refused_incoming: None,
        fees: None,
        htlcs,
        claims,
        history: ChannelHistory {
            opened_at: Some(r.opened_at),
            ready_at: r.ready_at,
            // A channel ldk-node dropped without telling us (e.g. never funded) counts as closed.
            closed_at: r.closed_at.or(Some(r.opened_at)),
            close_reason: r.close_reason.clone(),
        },
    }
}

/// An HTLC left on chain: listed among the pending HTLCs, and the start of its claim step.
fn htlc_step(
    htlcs: &mut Vec<PendingHtlc>,
    outgoing: bool,
    amount_sat: u64,
    payment_hash: &str,
    height: u32,
) -> HtlcAmount {
    htlcs.push(PendingHtlc {
        outgoing,
        amount_sat,
        payment_hash: Some(payment_hash.to_string()),
        expiry_height: Some(height),
    });
    HtlcAmount(amount_sat)
}

/// The amount of an HTLC's claim step, waiting for its kind.
struct HtlcAmount(u64);

impl HtlcAmount {
    fn with_kind(self, kind: ClaimKind) -> ClaimStep {
        ClaimStep {
            amount_sat: self.0,
            kind,
        }
    }
}

/// The claim timeline of a closed channel, and the HTLCs still to settle on chain.
///
/// LDK's sweeper keeps a confirmed sweep on its books for weeks (in case old events replay);
/// once it has [`SWEEP_SAFE_CONFIRMATIONS`] the money is plainly in the wallet, so it leaves
/// the timeline.
fn claims_of(
    channel_id: &str,
    balances: &BalanceDetails,
    height: u32,
) -> (Vec<ClaimStep>, Vec<PendingHtlc>) {
    let ours = |id: &ChannelId| id.to_string() == channel_id;
    let mut claims = Vec::new();
    let mut htlcs = Vec::new();
    for b in &balances.lightning_balances {
        let step = match b {
            LightningBalance::ClaimableOnChannelClose {
                channel_id,
                amount_satoshis,
                ..
            } if ours(channel_id) => ClaimStep {
                amount_sat: *amount_satoshis,
                kind: ClaimKind::AwaitingCloseTransaction,
            },
            LightningBalance::ClaimableAwaitingConfirmations {
                channel_id,
                amount_satoshis,
                confirmation_height,
                source,
                ..
            } if ours(channel_id) => ClaimStep {
                amount_sat: *amount_satoshis,
                kind: ClaimKind::AwaitingConfirmations {
                    unlock_height: *confirmation_height,
                    cause: match source {
                        BalanceSource::HolderForceClosed => ClaimCause::OurForceClose,
                        BalanceSource::CounterpartyForceClosed => ClaimCause::PeerForceClose,
                        BalanceSource::CoopClose => ClaimCause::CooperativeClose,
                        BalanceSource::Htlc => ClaimCause::Htlc,
                    },
                },
            },
            LightningBalance::ContentiousClaimable {
                channel_id,
                amount_satoshis,
                timeout_height,
                payment_hash,
                ..
            } if ours(channel_id) => {
                let (hash, height) = (payment_hash.to_string(), *timeout_height);
                htlc_step(&mut htlcs, false, *amount_satoshis, &hash, height).with_kind(
                    ClaimKind::HtlcClaimWithPreimage {
                        payment_hash: hash,
                        timeout_height: height,
                    },
                )
            }
            LightningBalance::MaybeTimeoutClaimableHTLC {
                channel_id,
                amount_satoshis,
                claimable_height,
                payment_hash,
                ..
            } if ours(channel_id) => {
                let (hash, height) = (payment_hash.to_string(), *claimable_height);
                htlc_step(&mut htlcs, true, *amount_satoshis, &hash, height).with_kind(
                    ClaimKind::HtlcRefundAfterTimeout {
                        payment_hash: hash,
                        claimable_height: height,
                    },
                )
            }
            LightningBalance::MaybePreimageClaimableHTLC {
                channel_id,
                amount_satoshis,
                expiry_height,
                payment_hash,
                ..
            } if ours(channel_id) => {
                let (hash, height) = (payment_hash.to_string(), *expiry_height);
                htlc_step(&mut htlcs, false, *amount_satoshis, &hash, height).with_kind(
                    ClaimKind::HtlcPeerRefund {
                        payment_hash: hash,
                        expiry_height: height,
                    },
                )
            }
            LightningBalance::CounterpartyRevokedOutputClaimable {
                channel_id,
                amount_satoshis,
                ..
            } if ours(channel_id) => ClaimStep {
                amount_sat: *amount_satoshis,
                kind: ClaimKind::PenaltyClaim,
            },
            _ => continue,
        };
        claims.push(step);
    }
    for s in &balances.pending_balances_from_channel_closures {
        let step = match s {
            PendingSweepBalance::PendingBroadcast {
                channel_id: Some(id),
                amount_satoshis,
            } if ours(id) => ClaimStep {
                amount_sat: *amount_satoshis,
                kind: ClaimKind::SweepPending,
            },
            PendingSweepBalance::BroadcastAwaitingConfirmation {
                channel_id: Some(id),
                latest_spending_txid,
                amount_satoshis,
                ..
            } if ours(id) => ClaimStep {
                amount_sat: *amount_satoshis,
                kind: ClaimKind::SweepBroadcast {
                    txid: latest_spending_txid.to_string(),
                },
            },
            PendingSweepBalance::AwaitingThresholdConfirmations {
                channel_id: Some(id),
                latest_spending_txid,
                confirmation_height,
                amount_satoshis,
                ..
            } if ours(id) && height < confirmation_height + SWEEP_SAFE_CONFIRMATIONS - 1 => {
                ClaimStep {
                    amount_sat: *amount_satoshis,
                    kind: ClaimKind::SweepConfirming {
                        txid: latest_spending_txid.to_string(),
                        safe_height: confirmation_height + SWEEP_SAFE_CONFIRMATIONS - 1,
                    },
                }
            }
            _ => continue,
        };
        claims.push(step);
    }
    (claims, htlcs)
}

#[cfg(test)]
mod anchor_tests {
    use super::*;

    #[test]
    fn our_anchors_are_not_the_peers_money() {
        // A new channel we opened: our anchor is an output, the peer's is left out (no output).
        assert_eq!(opener_anchors(330, 0, 10_000), 330);
        // Both sides hold money: both anchors, the peer keeps its spendable part and reserve.
        assert_eq!(opener_anchors(60_000 + 10_000 + 660, 60_000, 10_000), 660);
        // A peer with a little, below its reserve: what is left stays the peer's.
        assert_eq!(opener_anchors(5_000, 0, 10_000), 0);
    }
}

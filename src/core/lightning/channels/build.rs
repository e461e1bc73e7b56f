//! Fills the channel view model from what ldk-node reports: `list_channels()` for open
//! channels, `list_balances()` for what each channel would pay us and, after a close, what is
//! still on its way back, and the [`ChannelBook`] for channels ldk-node no longer lists.

use std::collections::HashSet;

use ldk_node::bitcoin::secp256k1::PublicKey;
use ldk_node::lightning::chain::channelmonitor::BalanceSource;
use ldk_node::lightning::ln::types::ChannelId;
use ldk_node::{BalanceDetails, ChannelDetails, LightningBalance, PendingSweepBalance};

use crate::core::lightning::channels::unproven::Unproven;

use crate::core::lightning::channels::book::{
    lock_splices, ChannelBook, ChannelRecord, CloseReason,
};
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
    /// Channels restored from a backup that have not met their peer since.
    pub unproven: Option<&'a Unproven>,
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
    let now = crate::core::shared::now();
    let our_balance = on_close(c.channel_id, facts.balances).map(|b| b.amount_sat);
    ChannelRecord {
        user_channel_id: c.user_channel_id.0.to_string(),
        channel_id: c.channel_id.to_string(),
        peer: c.counterparty_node_id.to_string(),
        peer_address: old.and_then(|o| o.peer_address.clone()),
        capacity_sat: c.channel_value_sats,
        opened_by_us: c.is_outbound,
        public: c.is_announced,
        funding_outpoint: c.funding_txo.map(|o| o.to_string()),
        first_funding_outpoint: match old {
            Some(o) => o.opening_outpoint().map(str::to_string),
            None => c.funding_txo.map(|o| o.to_string()),
        },
        short_channel_id: c.short_channel_id,
        our_delay_blocks: c.force_close_spend_delay,
        last_balance_sat: our_balance.unwrap_or(0),
        opening_balance_sat: old
            .and_then(|o| o.opening_balance_sat)
            .or(if c.is_channel_ready {
                None
            } else {
                our_balance
            }),
        opened_at: old.map_or(now, |o| o.opened_at),
        ready_at: old
            .and_then(|o| o.ready_at)
            .or(c.is_channel_ready.then_some(now)),
        closed_at: old.and_then(|o| o.closed_at),
        close_reason: old.and_then(|o| o.close_reason.clone()),
        close_asked_at: old.and_then(|o| o.close_asked_at),
        splices: {
            let mut splices = old.map(|o| o.splices.clone()).unwrap_or_default();
            if let Some(funding) = c.funding_txo {
                let funding = funding.to_string();
                lock_splices(&mut splices, &funding, Some(c.channel_value_sats));
            }
            splices
        },
    }
}

/// What `ClaimableOnChannelClose` says of a channel that is still open.
struct OnClose {
    /// Our output, with the incoming HTLCs we can already claim (we have their preimage).
    amount_sat: u64,
    /// The commitment transaction's fee when we pay it: the capacity less every output, so
    /// with dust HTLCs and the parts of HTLCs below a satoshi.
    fee_sat: u64,
}

fn on_close(channel_id: ChannelId, balances: &BalanceDetails) -> Option<OnClose> {
    balances.lightning_balances.iter().find_map(|b| match b {
        LightningBalance::ClaimableOnChannelClose {
            channel_id: id,
            amount_satoshis,
            transaction_fee_satoshis,
            ..
        } if *id == channel_id => Some(OnClose {
            amount_sat: *amount_satoshis,
            fee_sat: *transaction_fee_satoshis,
        }),
        _ => None,
    })
}

/// The HTLC outputs of an open channel's commitment transaction, one by one: LDK lists each
/// beside the channel's `ClaimableOnChannelClose` (ours on their way out, the peer's on their
/// way in that we cannot claim yet). Dust HTLCs are no outputs; LDK counts them in the fee.
fn open_htlcs(channel_id: ChannelId, balances: &BalanceDetails) -> Vec<PendingHtlc> {
    let mut htlcs = Vec::new();
    for b in &balances.lightning_balances {
        match b {
            LightningBalance::MaybeTimeoutClaimableHTLC {
                channel_id: id,
                amount_satoshis,
                claimable_height,
                payment_hash,
                ..
            } if *id == channel_id => {
                let hash = payment_hash.to_string();
                htlc_step(&mut htlcs, true, *amount_satoshis, &hash, *claimable_height);
            }
            LightningBalance::MaybePreimageClaimableHTLC {
                channel_id: id,
                amount_satoshis,
                expiry_height,
                payment_hash,
                ..
            } if *id == channel_id => {
                let hash = payment_hash.to_string();
                htlc_step(&mut htlcs, false, *amount_satoshis, &hash, *expiry_height);
            }
            _ => {}
        }
    }
    htlcs
}

fn open_channel(c: &ChannelDetails, facts: &NodeFacts<'_>, old: Option<&ChannelRecord>) -> Channel {
    let on_close = on_close(c.channel_id, facts.balances);
    let htlcs = open_htlcs(c.channel_id, facts.balances);
    let parts = split(c, on_close.as_ref(), &htlcs);
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
        unproven: facts.unproven.is_some_and(|u| u.holds(c)),
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
            opening_balance_sat: record.opening_balance_sat,
            opening_outpoint: record.opening_outpoint().map(str::to_string),
            balance_at_close_sat: None,
            splices: record.splices.clone(),
        },
    }
}

/// LDK's dust limit on our commitment transaction: an output below it is left out, and its
/// value goes to the fee.
const DUST_LIMIT_SAT: u64 = 354;
/// The value of an anchor output (BOLT 3).
const ANCHOR_SAT: u64 = 330;
/// Weights of a commitment transaction (BOLT 3) without HTLC outputs, with and without
/// anchors, and what each HTLC output adds: the commitment fee is the fee rate times these.
const COMMITMENT_WEIGHT_ANCHORS: u64 = 1124;
const COMMITMENT_WEIGHT_PLAIN: u64 = 724;
const COMMITMENT_WEIGHT_PER_HTLC: u64 = 172;

/// Splits the capacity into the outputs of our commitment transaction and its fee.
///
/// LDK says our output and, when we opened the channel, its fee (`on_close`); the peer's
/// output and the anchors come from LDK's capacities, which are each side's balance before the
/// commitment fee, less the opener's two anchors, less that side's reserve. A side at or below
/// its reserve shows a capacity of 0, so then the anchors are told from the commitment fee's
/// weight instead. LDK adds an incoming HTLC whose preimage we have to our output until the
/// peer removes it; it is ours either way.
fn split(c: &ChannelDetails, on_close: Option<&OnClose>, htlcs: &[PendingHtlc]) -> BalanceParts {
    let capacity = c.channel_value_sats;
    let out_cap = c.outbound_capacity_msat / 1000;
    let in_cap = c.inbound_capacity_msat / 1000;
    let our_reserve = c.unspendable_punishment_reserve.unwrap_or(0);
    let peer_reserve = c.counterparty_unspendable_punishment_reserve;
    let ours = on_close.map_or(0, |b| b.amount_sat);
    let sum = |outgoing: bool| -> u64 {
        htlcs
            .iter()
            .filter(|h| h.outgoing == outgoing)
            .map(|h| h.amount_sat)
            .sum()
    };
    let (htlc_out, htlc_in) = (sum(true), sum(false));
    let htlc_outputs = htlcs.len() as u64;
    let htlcs = htlc_out + htlc_in;
    let fee_at = |weight: u64| u64::from(c.feerate_sat_per_1000_weight) * weight / 1000;
    let anchor_fee = fee_at(COMMITMENT_WEIGHT_ANCHORS + htlc_outputs * COMMITMENT_WEIGHT_PER_HTLC);
    let plain_fee = fee_at(COMMITMENT_WEIGHT_PLAIN + htlc_outputs * COMMITMENT_WEIGHT_PER_HTLC);
    // Our balance before the commitment fee: what we can send plus our reserve, or (when that
    // says nothing) our output, plus the fee when we pay it.
    let our_before_fee = if out_cap > 0 {
        out_cap + our_reserve
    } else if c.is_outbound {
        ours + on_close.map_or(0, |b| b.fee_sat)
    } else {
        ours
    };
    let peer_before_fee = (in_cap > 0).then_some(in_cap + peer_reserve);
    let anchors = match peer_before_fee {
        // Both balances known: what is left of the capacity is the anchors.
        Some(theirs) => capacity.saturating_sub(our_before_fee + htlcs + theirs) >= ANCHOR_SAT,
        // Our fee says which weight it was worked out for.
        None if c.is_outbound => {
            let fee = our_before_fee.saturating_sub(ours);
            fee.abs_diff(anchor_fee) <= fee.abs_diff(plain_fee)
        }
        // LDK Node opens and accepts anchor channels unless the peer cannot.
        None => true,
    };
    let all_anchors = if anchors { 2 * ANCHOR_SAT } else { 0 };
    let peer_before_fee = peer_before_fee
        .unwrap_or_else(|| capacity.saturating_sub(our_before_fee + htlcs + all_anchors));
    // The peer's output: its balance, less the commitment fee when it opened the channel.
    let theirs = if c.is_outbound {
        peer_before_fee
    } else {
        peer_before_fee.saturating_sub(if anchors { anchor_fee } else { plain_fee })
    };
    let theirs = if theirs >= DUST_LIMIT_SAT { theirs } else { 0 };
    let anchors_sat = if anchors {
        ANCHOR_SAT * (u64::from(ours > 0 || htlcs > 0) + u64::from(theirs > 0 || htlcs > 0))
    } else {
        0
    };
    BalanceParts {
        ours_sat: ours,
        htlc_out_sat: htlc_out,
        htlc_in_sat: htlc_in,
        theirs_sat: theirs,
        anchors_sat,
        commitment_fee_sat: capacity.saturating_sub(ours + htlcs + theirs + anchors_sat),
        our_spendable_sat: out_cap,
        peer_spendable_sat: in_cap,
        our_reserve_sat: our_reserve,
        peer_reserve_sat: peer_reserve,
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
        our_balance_sat: claims.iter().map(|s| s.amount_sat).sum(),
        funding_outpoint: r.funding_outpoint.clone(),
        short_channel_id: r.short_channel_id.map(format_scid),
        our_delay_blocks: r.our_delay_blocks,
        peer_delay_blocks: PEER_TO_SELF_DELAY,
        limits: HtlcLimits::default(),
        commitment_feerate_sat_per_kw: 0,
        dust_exposure_limit_sat: None,
        refused_incoming: None,
        unproven: false,
        fees: None,
        htlcs,
        claims,
        history: ChannelHistory {
            opened_at: Some(r.opened_at),
            ready_at: r.ready_at,
            // A channel ldk-node dropped without telling us (e.g. never funded) counts as closed.
            closed_at: r.closed_at.or(Some(r.opened_at)),
            close_reason: r.close_reason.clone(),
            opening_balance_sat: r.opening_balance_sat,
            opening_outpoint: r.opening_outpoint().map(str::to_string),
            balance_at_close_sat: Some(r.last_balance_sat),
            splices: r.splices.clone(),
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

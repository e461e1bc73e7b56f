//! What the node tells us, reduced to what the screens need. The wallet books each event before
//! acknowledging it to ldk-node; the UI only ever sees these.

use ldk_node::lightning::events::{ClosureReason, PaymentFailureReason};
use ldk_node::Event;

use crate::core::lightning::channels::CloseReason;
use crate::core::lightning::payments::hex;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeEvent {
    PaymentReceived {
        /// Hex payment id.
        id: Option<String>,
        /// Hex id of our offer it pays, for an offer's payment (filled in by the wallet, which
        /// looks the payment up: LDK Node's event does not say).
        offer_id: Option<String>,
        amount_msat: u64,
    },
    PaymentSent {
        id: Option<String>,
        fee_paid_msat: Option<u64>,
    },
    PaymentFailed {
        id: Option<String>,
        reason: FailReason,
    },
    /// The funding transaction of channel `id` (our `user_channel_id`) is out.
    ChannelPending {
        id: String,
    },
    ChannelReady {
        id: String,
    },
    ChannelClosed {
        id: String,
        reason: CloseReason,
    },
    /// Another kind of event; screens simply refresh.
    Other,
}

impl NodeEvent {
    /// `funded`: whether the channel's funding transaction was ever out, which tells a refusal
    /// from a close.
    pub fn from_event(event: &Event, funded: impl Fn(&str) -> bool) -> Self {
        match event {
            Event::PaymentReceived {
                payment_id,
                amount_msat,
                ..
            } => NodeEvent::PaymentReceived {
                id: payment_id.map(|i| hex(&i.0)),
                offer_id: None,
                amount_msat: *amount_msat,
            },
            Event::PaymentSuccessful {
                payment_id,
                fee_paid_msat,
                ..
            } => NodeEvent::PaymentSent {
                id: payment_id.map(|i| hex(&i.0)),
                fee_paid_msat: *fee_paid_msat,
            },
            Event::PaymentFailed {
                payment_id, reason, ..
            } => NodeEvent::PaymentFailed {
                id: payment_id.map(|i| hex(&i.0)),
                reason: match reason {
                    Some(PaymentFailureReason::RouteNotFound) => FailReason::NoRoute,
                    Some(PaymentFailureReason::RecipientRejected) => FailReason::RecipientRejected,
                    Some(PaymentFailureReason::RetriesExhausted) => FailReason::RetriesExhausted,
                    Some(PaymentFailureReason::PaymentExpired) => FailReason::Expired,
                    _ => FailReason::Other,
                },
            },
            Event::ChannelPending {
                user_channel_id, ..
            } => NodeEvent::ChannelPending {
                id: user_channel_id.0.to_string(),
            },
            Event::ChannelReady {
                user_channel_id, ..
            } => NodeEvent::ChannelReady {
                id: user_channel_id.0.to_string(),
            },
            Event::ChannelClosed {
                user_channel_id,
                reason,
                ..
            } => {
                let id = user_channel_id.0.to_string();
                let reason = close_reason(reason.as_ref(), funded(&id));
                NodeEvent::ChannelClosed { id, reason }
            }
            _ => NodeEvent::Other,
        }
    }
}

/// Why a payment failed, in the words the screens use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailReason {
    /// No path with enough capacity (and within the fee cap) reaches the payee.
    NoRoute,
    /// The payee turned it down (unknown or already-paid invoice, wrong amount).
    RecipientRejected,
    /// Every path tried failed along the way.
    RetriesExhausted,
    Expired,
    Other,
}

/// LDK's closure reason in the words the screens use.
pub fn close_reason(reason: Option<&ClosureReason>, funded: bool) -> CloseReason {
    match reason {
        Some(ClosureReason::CounterpartyForceClosed { peer_msg }) if !funded => {
            CloseReason::RefusedByPeer {
                message: peer_msg.to_string(),
            }
        }
        Some(ClosureReason::CounterpartyCoopClosedUnfundedChannel) => CloseReason::RefusedByPeer {
            message: String::new(),
        },
        Some(ClosureReason::CounterpartyForceClosed { peer_msg }) => {
            CloseReason::ForceClosedByPeer {
                message: peer_msg.to_string(),
            }
        }
        Some(ClosureReason::HolderForceClosed { .. }) => CloseReason::ForceClosedByUs,
        Some(ClosureReason::LocallyInitiatedCooperativeClosure) => CloseReason::CooperativeByUs,
        Some(
            ClosureReason::CounterpartyInitiatedCooperativeClosure
            | ClosureReason::LegacyCooperativeClosure,
        ) => CloseReason::CooperativeByPeer,
        Some(ClosureReason::CommitmentTxConfirmed) => CloseReason::ClosedOnChain,
        Some(ClosureReason::FundingTimedOut) => CloseReason::FundingTimedOut,
        Some(ClosureReason::OutdatedChannelManager) => CloseReason::AfterCrash,
        Some(other) => CloseReason::Other {
            text: other.to_string(),
        },
        None => CloseReason::Other {
            text: String::new(),
        },
    }
}

/// What the wallet's update stream yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalletUpdate {
    Event(NodeEvent),
    /// The background chain sync finished a round: balances and height may have moved.
    Synced,
    /// The Electrum server stopped or started answering.
    Server,
}

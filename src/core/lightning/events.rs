//! What the node tells us, reduced to what the screens need. The wallet books each event before
//! acknowledging it to ldk-node; the UI only ever sees these.

use ldk_node::lightning::events::{ClosureReason, PaymentFailureReason};
use ldk_node::{Event, Node};

use crate::core::lightning::channels::{Channels, CloseReason};
use crate::core::lightning::payments::request::ReceiveRequest;
use crate::core::lightning::payments::{hex, offer_paid};

/// Books what `event` changes about a channel and says what happened. Runs before the event is
/// acknowledged to LDK Node.
pub fn book(event: &Event, channels: &Channels, node: &Node) -> NodeEvent {
    let mut mapped = NodeEvent::from_event(event, |id| channels.is_funded(id));
    if let (
        Event::PaymentReceived {
            payment_id: Some(payment_id),
            ..
        },
        NodeEvent::PaymentReceived { offer_id, .. },
    ) = (event, &mut mapped)
    {
        *offer_id = offer_paid(node, payment_id);
    }
    match (event, &mapped) {
        (
            Event::ChannelPending {
                channel_id,
                counterparty_node_id,
                funding_txo,
                ..
            },
            NodeEvent::ChannelPending { id },
        ) => channels.book_pending(id, *channel_id, *counterparty_node_id, *funding_txo),
        (Event::ChannelReady { funding_txo, .. }, NodeEvent::ChannelReady { id }) => {
            channels.book_ready(id);
            // Ready again on a new funding output: a splice locked.
            channels.book_splice_locked(id, *funding_txo);
        }
        (
            Event::SplicePending {
                new_funding_txo, ..
            },
            NodeEvent::SplicePending { id },
        ) => channels.book_splice_pending(id, *new_funding_txo),
        (
            Event::SpliceFailed {
                abandoned_funding_txo,
                ..
            },
            NodeEvent::SpliceFailed { id },
        ) => channels.book_splice_failed(id, *abandoned_funding_txo),
        (Event::ChannelClosed { channel_id, .. }, NodeEvent::ChannelClosed { id, reason }) => {
            channels.book_closed(id, *channel_id, reason)
        }
        _ => {}
    }
    mapped
}

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
    /// A splice of channel `id` is out: the new funding transaction waits for confirmations.
    SplicePending {
        id: String,
    },
    /// A splice of channel `id` failed; the coins stay where they were.
    SpliceFailed {
        id: String,
    },
    /// Another kind of event; screens simply refresh.
    Other,
}

impl NodeEvent {
    /// The amount this event paid to `request`, if it is a Lightning payment to it.
    pub fn pays(&self, request: &ReceiveRequest) -> Option<u64> {
        let NodeEvent::PaymentReceived {
            id,
            offer_id,
            amount_msat,
        } = self
        else {
            return None;
        };
        // ldk-node names an incoming BOLT11 payment by its payment hash; an offer's payments
        // carry the offer's id.
        let invoice_paid = request.payment_hash.is_some() && *id == request.payment_hash;
        let offer_paid = request.offer_id.is_some() && *offer_id == request.offer_id;
        (invoice_paid || offer_paid).then_some(*amount_msat)
    }

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
            Event::SplicePending {
                user_channel_id, ..
            } => NodeEvent::SplicePending {
                id: user_channel_id.0.to_string(),
            },
            Event::SpliceFailed {
                user_channel_id, ..
            } => NodeEvent::SpliceFailed {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pays_its_own_request_only() {
        let r = ReceiveRequest {
            text: "lnbcrt1".into(),
            qr_text: "LNBCRT1".into(),
            payment_hash: Some("aa".into()),
            offer_id: None,
            fallback_address: Some("bcrt1q".into()),
            amount_msat: Some(50_000_000),
            expires_at: Some(1),
            lsp_fee_msat: None,
        };
        let arrived = |id: &str, offer: Option<&str>| NodeEvent::PaymentReceived {
            id: Some(id.into()),
            offer_id: offer.map(str::to_string),
            amount_msat: 50_000_000,
        };
        assert_eq!(arrived("aa", None).pays(&r), Some(50_000_000));
        assert_eq!(arrived("bb", None).pays(&r), None);
        let offer = ReceiveRequest {
            payment_hash: None,
            offer_id: Some("0f".into()),
            ..r
        };
        assert_eq!(arrived("cc", Some("0f")).pays(&offer), Some(50_000_000));
        assert_eq!(arrived("cc", Some("0e")).pays(&offer), None);
        assert_eq!(arrived("cc", None).pays(&offer), None);
    }
}

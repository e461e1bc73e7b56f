//! What the node tells us, reduced to what the screens need. The wallet books each event before
//! acknowledging it to ldk-node; the UI only ever sees these.

use ldk_node::Event;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeEvent {
    PaymentReceived {
        amount_msat: u64,
    },
    PaymentSent {
        fee_paid_msat: Option<u64>,
    },
    PaymentFailed,
    ChannelPending,
    ChannelReady,
    ChannelClosed,
    /// Another kind of event; screens simply refresh.
    Other,
}

impl From<&Event> for NodeEvent {
    fn from(event: &Event) -> Self {
        match event {
            Event::PaymentReceived { amount_msat, .. } => NodeEvent::PaymentReceived {
                amount_msat: *amount_msat,
            },
            Event::PaymentSuccessful { fee_paid_msat, .. } => NodeEvent::PaymentSent {
                fee_paid_msat: *fee_paid_msat,
            },
            Event::PaymentFailed { .. } => NodeEvent::PaymentFailed,
            Event::ChannelPending { .. } => NodeEvent::ChannelPending,
            Event::ChannelReady { .. } => NodeEvent::ChannelReady,
            Event::ChannelClosed { .. } => NodeEvent::ChannelClosed,
            _ => NodeEvent::Other,
        }
    }
}

/// What the wallet's update stream yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalletUpdate {
    Event(NodeEvent),
    /// The background chain sync finished a round: balances and height may have moved.
    Synced,
}

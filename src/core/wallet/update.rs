//! What the wallet's update stream yields, and what each update may have changed: the screens
//! re-read only that.

use crate::core::lightning::events::NodeEvent;

/// What the wallet's update stream yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalletUpdate {
    Event(NodeEvent),
    /// The background chain sync finished a round: balances and height may have moved.
    Synced,
    /// The Electrum server stopped or started answering.
    Server,
}

/// What an update may have changed, so the screens re-read only that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// Balances, height, on-chain activity, the server's and the backup's state.
    pub snapshot: bool,
    /// The channels (balances, confirmations, claims).
    pub channels: bool,
    pub payments: PaymentsChanged,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentsChanged {
    No,
    /// This one payment (hex id).
    One(String),
    All,
}

impl Changed {
    /// Everything: after the person did something, or an event of a kind not told apart.
    pub const ALL: Changed = Changed {
        snapshot: true,
        channels: true,
        payments: PaymentsChanged::All,
    };
}

impl WalletUpdate {
    pub fn changed(&self) -> Changed {
        let payment = |id: &Option<String>| Changed {
            payments: match id {
                Some(id) => PaymentsChanged::One(id.clone()),
                None => PaymentsChanged::All,
            },
            ..Changed::ALL
        };
        match self {
            // A block moves confirmations and claims' timelocks, not Lightning payments.
            WalletUpdate::Synced => Changed {
                payments: PaymentsChanged::No,
                ..Changed::ALL
            },
            WalletUpdate::Server => Changed {
                snapshot: true,
                channels: false,
                payments: PaymentsChanged::No,
            },
            WalletUpdate::Event(e) => match e {
                NodeEvent::PaymentReceived { id, .. }
                | NodeEvent::PaymentSent { id, .. }
                | NodeEvent::PaymentFailed { id, .. } => payment(id),
                NodeEvent::ChannelPending { .. }
                | NodeEvent::ChannelReady { .. }
                | NodeEvent::ChannelClosed { .. }
                | NodeEvent::SplicePending { .. }
                | NodeEvent::SpliceFailed { .. } => Changed {
                    payments: PaymentsChanged::No,
                    ..Changed::ALL
                },
                NodeEvent::Other => Changed::ALL,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lightning::events::FailReason;

    #[test]
    fn a_payment_reads_itself_a_block_no_payments_the_server_only_the_snapshot() {
        let sent = WalletUpdate::Event(NodeEvent::PaymentSent {
            id: Some("ab".into()),
            fee_paid_msat: None,
        });
        assert_eq!(sent.changed().payments, PaymentsChanged::One("ab".into()));
        assert!(sent.changed().snapshot && sent.changed().channels);
        // A failure without an id: every payment is read.
        let failed = WalletUpdate::Event(NodeEvent::PaymentFailed {
            id: None,
            reason: FailReason::Other,
        });
        assert_eq!(failed.changed().payments, PaymentsChanged::All);
        let block = WalletUpdate::Synced.changed();
        assert_eq!(block.payments, PaymentsChanged::No);
        assert!(block.snapshot && block.channels);
        let server = WalletUpdate::Server.changed();
        assert!(server.snapshot && !server.channels);
        assert_eq!(server.payments, PaymentsChanged::No);
        assert_eq!(
            WalletUpdate::Event(NodeEvent::Other).changed(),
            Changed::ALL
        );
    }
}

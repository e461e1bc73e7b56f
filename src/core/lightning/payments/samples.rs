//! Made-up payments for screen tests and the screen gallery.

use super::*;

/// A BOLT 11 payment of 25,000 sat (1 sat fee when sent) at a fixed time.
pub fn payment(incoming: bool, status: PaymentState, description: &str) -> PaymentRecord {
    PaymentRecord {
        id: "ab".repeat(32),
        incoming,
        kind: PaymentKindView::Bolt11,
        status,
        amount_msat: Some(25_000_000),
        fee_msat: Some(1_000),
        payment_hash: Some("cd".repeat(32)),
        preimage: None,
        time: 1_795_000_000,
        expires_at: None,
        overpaid_msat: None,
        fiat: None,
        description: Some(description.into()),
    }
}

//! Signed sample requests for tests (screens and parser): a key of our own signs them, so they
//! are real, valid invoices and offers, valid for an hour from [`NOW`].

use std::time::Duration;

use ldk_node::bitcoin::hashes::{sha256, Hash};
use ldk_node::bitcoin::secp256k1::{Secp256k1, SecretKey};
use ldk_node::bitcoin::Network as BtcNetwork;
use ldk_node::lightning::offers::offer::OfferBuilder;
use ldk_node::lightning::types::payment::PaymentSecret;
use ldk_node::lightning_invoice::{Currency, InvoiceBuilder};

/// The moment the samples are made.
pub const NOW: Duration = Duration::from_secs(1_795_000_000);

pub fn key() -> SecretKey {
    SecretKey::from_slice(&[7; 32]).unwrap()
}

/// A signed invoice, valid for an hour from `since`.
pub fn invoice_at(
    since: Duration,
    currency: Currency,
    amount_msat: Option<u64>,
    description: &str,
) -> String {
    let secp = Secp256k1::new();
    let mut b = InvoiceBuilder::new(currency)
        .description(description.into())
        .payment_hash(sha256::Hash::hash(b"preimage"))
        .payment_secret(PaymentSecret([42; 32]))
        .duration_since_epoch(since)
        .expiry_time(Duration::from_secs(3600))
        .min_final_cltv_expiry_delta(144);
    if let Some(a) = amount_msat {
        b = b.amount_milli_satoshis(a);
    }
    b.build_signed(|hash| secp.sign_ecdsa_recoverable(hash, &key()))
        .unwrap()
        .to_string()
}

pub fn offer(network: BtcNetwork, amount_msat: Option<u64>) -> String {
    let secp = Secp256k1::new();
    let mut b = OfferBuilder::new(key().public_key(&secp))
        .description("coffee at the counter".into())
        .chain(network);
    if let Some(a) = amount_msat {
        b = b.amount_msats(a);
    }
    b.build().unwrap().to_string()
}

/// A signed invoice, valid for an hour from [`NOW`].
pub fn invoice(currency: Currency, amount_msat: Option<u64>, description: &str) -> String {
    invoice_at(NOW, currency, amount_msat, description)
}

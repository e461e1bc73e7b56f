//! Requests to be paid, as the wallet makes them: a BOLT11 invoice (with, on Receive, a fresh
//! on-chain fallback address in one unified `bitcoin:` QR) or a reusable BOLT12 offer; and how
//! to tell one is paid — its Lightning payment arriving, or a transaction to its fallback
//! address, with confirmations. The screens only draw what this gives them.

use ldk_node::bitcoin::hashes::Hash as _;
use ldk_node::lightning_invoice::{Bolt11InvoiceDescription, Description};

use crate::core::chain::server::ScriptPayment;
use crate::core::lightning::payments::notes::Key;
use crate::core::lightning::payments::{hex, PaymentError, Payments};
use crate::core::Error;
use crate::core::{blocking, NodeError};

/// A request to be paid, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiveRequest {
    /// The invoice or offer itself, for copying.
    pub text: String,
    /// What the QR code holds: the unified `bitcoin:` link of an invoice with a fallback,
    /// otherwise the invoice or offer, in upper case where that makes a smaller code.
    pub qr_text: String,
    /// Hex payment hash of an invoice.
    pub payment_hash: Option<String>,
    /// Hex id of an offer.
    pub offer_id: Option<String>,
    /// A fresh address of ours the payer may pay on chain instead.
    pub fallback_address: Option<String>,
    pub amount_msat: Option<u64>,
    /// Unix seconds after which an invoice can no longer be paid over Lightning.
    pub expires_at: Option<u64>,
    /// For an invoice paid through the LSP's new channel: what the LSP keeps for opening it
    /// (taken out of the payment as it is forwarded).
    pub lsp_fee_msat: Option<u64>,
}

/// What arrived on chain for a request's fallback address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FallbackPaid {
    pub payments: Vec<ScriptPayment>,
}

impl FallbackPaid {
    pub fn amount_sat(&self) -> u64 {
        self.payments.iter().map(|p| p.amount_sat).sum()
    }

    /// The fewest confirmations among the payments (what the whole amount has).
    pub fn confirmations(&self) -> u32 {
        self.payments
            .iter()
            .map(|p| p.confirmations)
            .min()
            .unwrap_or(0)
    }

    /// Whether it covers `amount_msat` (any amount, for a request without one).
    pub fn covers(&self, amount_msat: Option<u64>) -> bool {
        let paid = self.amount_sat();
        paid > 0 && amount_msat.is_none_or(|a| paid * 1000 >= a)
    }
}

impl Payments {
    /// A BOLT11 invoice to be paid over Lightning (`None`: the payer chooses the amount). With
    /// `onchain_fallback`, a fresh address of ours goes with it in a unified `bitcoin:` link,
    /// for payers who cannot pay over Lightning: one address per request, never reused.
    pub async fn receive_invoice(
        &self,
        amount_msat: Option<u64>,
        description: String,
        expiry_secs: u32,
        onchain_fallback: bool,
    ) -> Result<ReceiveRequest, Error> {
        let wallet = self.clone();
        blocking(move || {
            let text = description.clone();
            let description = invoice_description(description)?;
            let payment = wallet.node.bolt11_payment();
            let invoice = match amount_msat {
                Some(0) => return Err(PaymentError::ZeroAmount.into()),
                Some(a) => payment.receive(a, &description, expiry_secs),
                None => payment.receive_variable_amount(&description, expiry_secs),
            }
            .map_err(NodeError::Ldk)?;
            let (payment_hash, expires_at) = wallet.note_invoice(&invoice, &text);
            let fallback_address = if onchain_fallback {
                let address = wallet
                    .node
                    .onchain_payment()
                    .new_address()
                    .map_err(NodeError::Ldk)?;
                Some(address.to_string())
            } else {
                None
            };
            let invoice_text = invoice.to_string();
            let qr_text = match &fallback_address {
                Some(address) => unified_uri(address, amount_msat, &invoice_text),
                None => qr_form(&invoice_text),
            };
            Ok(ReceiveRequest {
                text: invoice_text,
                qr_text,
                payment_hash: Some(payment_hash),
                offer_id: None,
                fallback_address,
                amount_msat,
                expires_at: Some(expires_at),
                lsp_fee_msat: None,
            })
        })
        .await
    }

    /// A reusable BOLT12 offer (`None`: any amount).
    pub async fn receive_offer(
        &self,
        amount_msat: Option<u64>,
        description: String,
    ) -> Result<ReceiveRequest, Error> {
        let wallet = self.clone();
        blocking(move || {
            let payment = wallet.node.bolt12_payment();
            let offer = match amount_msat {
                Some(0) => return Err(PaymentError::ZeroAmount.into()),
                Some(a) => payment.receive(a, &description, None, None),
                None => payment.receive_variable_amount(&description, None),
            }
            .map_err(NodeError::Ldk)?;
            let offer_id = hex(&offer.id().0);
            wallet.note(Key::Offer(offer_id.clone()), &description, None);
            let text = offer.to_string();
            Ok(ReceiveRequest {
                qr_text: qr_form(&text),
                text,
                payment_hash: None,
                offer_id: Some(offer_id),
                fallback_address: None,
                amount_msat,
                expires_at: None,
                lsp_fee_msat: None,
            })
        })
        .await
    }

    /// An invoice paid through a channel the LSP opens to us as the payment arrives (LSPS2):
    /// the LSP's fee for it comes back with the request, to be shown before the code. For a
    /// wallet whose channels cannot receive `amount_msat`.
    pub async fn receive_via_lsp(
        &self,
        amount_msat: u64,
        description: String,
        expiry_secs: u32,
    ) -> Result<ReceiveRequest, Error> {
        let Some(lsp) = self.lsp.clone() else {
            return Err(PaymentError::NoLsp.into());
        };
        if amount_msat == 0 {
            return Err(PaymentError::LspNeedsAmount.into());
        }
        let wallet = self.clone();
        blocking(move || {
            let text = description.clone();
            let description = invoice_description(description)?;
            // LDK Node names an LSP's refusal only in its log.
            let mark = wallet.ldk_log.mark();
            // No fee limit here: the person sees the LSP's fee before the code is shown.
            let invoice = wallet
                .node
                .bolt11_payment()
                .receive_via_jit_channel(amount_msat, &description, expiry_secs, None)
                .map_err(|e| -> Error {
                    match e {
                        ldk_node::NodeError::LiquiditySourceUnavailable => PaymentError::NoLsp,
                        other => PaymentError::LspUnavailable {
                            lsp: lsp.clone(),
                            reason: wallet
                                .ldk_log
                                .errors_since(mark)
                                .pop()
                                .unwrap_or_else(|| other.to_string()),
                        },
                    }
                    .into()
                })?;
            let (payment_hash, expires_at) = wallet.note_invoice(&invoice, &text);
            // LDK Node keeps the fee it agreed with the LSP on the payment's record.
            let id = ldk_node::lightning::ln::channelmanager::PaymentId(
                invoice.payment_hash().to_byte_array(),
            );
            let lsp_fee_msat = match wallet.node.payment(&id).map(|p| p.kind) {
                Some(ldk_node::payment::PaymentKind::Bolt11Jit { lsp_fee_limits, .. }) => {
                    lsp_fee_limits.max_total_opening_fee_msat
                }
                _ => None,
            };
            let Some(lsp_fee_msat) = lsp_fee_msat else {
                return Err(Error::Internal(
                    "LDK Node did not record the LSP's fee for the invoice".into(),
                ));
            };
            let invoice_text = invoice.to_string();
            Ok(ReceiveRequest {
                qr_text: qr_form(&invoice_text),
                text: invoice_text,
                payment_hash: Some(payment_hash),
                offer_id: None,
                fallback_address: None,
                amount_msat: Some(amount_msat),
                expires_at: Some(expires_at),
                lsp_fee_msat: Some(lsp_fee_msat),
            })
        })
        .await
    }

    /// Notes an invoice of ours (its description and expiry, under its payment hash, which is
    /// how ldk-node names the incoming payment); its payment hash and expiry.
    /// An invoice for `payment_hash`, whose preimage we keep and LDK does not know: a payment
    /// of it is held until we claim it ([`Payments::claim_held`]) or fail it back
    /// ([`Payments::fail_held`]). A swap takes its payment only while its HTLC cannot yet be
    /// taken back. Returns the invoice's text.
    pub async fn receive_held_invoice(
        &self,
        amount_msat: u64,
        description: String,
        expiry_secs: u32,
        payment_hash: [u8; 32],
    ) -> Result<String, Error> {
        let wallet = self.clone();
        blocking(move || {
            let text = description.clone();
            let invoice = wallet
                .node
                .bolt11_payment()
                .receive_for_hash(
                    amount_msat,
                    &invoice_description(description)?,
                    expiry_secs,
                    ldk_node::lightning_types::payment::PaymentHash(payment_hash),
                )
                .map_err(NodeError::Ldk)?;
            wallet.note_invoice(&invoice, &text);
            Ok(invoice.to_string())
        })
        .await
    }

    /// Takes a held payment of `payment_hash` with its preimage; nothing happens when none is
    /// held. Blocks briefly: call off the async workers.
    pub fn claim_held(&self, amount_msat: u64, preimage: [u8; 32]) -> Result<(), Error> {
        use ldk_node::bitcoin::hashes::sha256;
        let hash = sha256::Hash::hash(&preimage).to_byte_array();
        self.node
            .bolt11_payment()
            .claim_for_hash(
                ldk_node::lightning_types::payment::PaymentHash(hash),
                amount_msat,
                ldk_node::lightning_types::payment::PaymentPreimage(preimage),
            )
            .map_err(|e| NodeError::Ldk(e).into())
    }

    /// Fails back any payment of `payment_hash` held or arriving, and books the invoice as
    /// failed. Blocks briefly: call off the async workers.
    pub fn fail_held(&self, payment_hash: [u8; 32]) -> Result<(), Error> {
        self.node
            .bolt11_payment()
            .fail_for_hash(ldk_node::lightning_types::payment::PaymentHash(
                payment_hash,
            ))
            .map_err(|e| NodeError::Ldk(e).into())
    }

    fn note_invoice(
        &self,
        invoice: &ldk_node::lightning_invoice::Bolt11Invoice,
        description: &str,
    ) -> (String, u64) {
        let payment_hash = invoice.payment_hash().to_string();
        let expires_at = invoice
            .expires_at()
            .map(|t| t.as_secs())
            .unwrap_or(u64::MAX);
        self.note(
            Key::Payment(payment_hash.clone()),
            description,
            Some(expires_at),
        );
        (payment_hash, expires_at)
    }
}

/// A description a person typed, as an invoice carries it.
fn invoice_description(text: String) -> Result<Bolt11InvoiceDescription, Error> {
    let description = Description::new(text).map_err(|_| PaymentError::DescriptionTooLong)?;
    Ok(Bolt11InvoiceDescription::Direct(description))
}

/// A request for a made-up regtest invoice made at `since` (valid for an hour), as the wallet
/// would show it: for screen tests.
#[cfg(any(test, feature = "testing"))]
pub fn sample_invoice_request(
    since: std::time::Duration,
    amount_msat: Option<u64>,
    fallback_address: Option<&str>,
) -> ReceiveRequest {
    use crate::core::input::paste::samples::invoice_at;
    let text = invoice_at(
        since,
        ldk_node::lightning_invoice::Currency::Regtest,
        amount_msat,
        "sample",
    );
    let invoice: ldk_node::lightning_invoice::Bolt11Invoice =
        text.parse().expect("a sample invoice reads back");
    ReceiveRequest {
        qr_text: match fallback_address {
            Some(a) => unified_uri(a, amount_msat, &text),
            None => qr_form(&text),
        },
        payment_hash: Some(invoice.payment_hash().to_string()),
        offer_id: None,
        fallback_address: fallback_address.map(str::to_string),
        amount_msat,
        expires_at: invoice.expires_at().map(|t| t.as_secs()),
        lsp_fee_msat: None,
        text,
    }
}

/// `bitcoin:ADDRESS?amount=…&lightning=INVOICE` (BIP21 with a Lightning parameter), in upper
/// case where that keeps the QR code small.
pub fn unified_uri(address: &str, amount_msat: Option<u64>, invoice: &str) -> String {
    let mut uri = format!("bitcoin:{}", qr_form(address));
    let mut sep = '?';
    if let Some(msat) = amount_msat {
        let sat = msat / 1000;
        uri.push_str(&format!(
            "{sep}amount={}.{:08}",
            sat / 100_000_000,
            sat % 100_000_000
        ));
        sep = '&';
    }
    uri.push_str(&format!("{sep}lightning={}", invoice.to_ascii_uppercase()));
    uri
}

/// Bech32 text is case-insensitive; upper case makes a smaller, alphanumeric-mode QR code.
pub fn qr_form(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    if [
        "bc1", "tb1", "bcrt1", "lnbc", "lntb", "lntbs", "lnbcrt", "lno1",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        s.to_ascii_uppercase()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_covers_the_amount() {
        let pay = |amount_sat, confirmations| ScriptPayment {
            txid: String::new(),
            vout: 0,
            amount_sat,
            confirmations,
        };
        let none = FallbackPaid::default();
        assert!(!none.covers(None));
        let part = FallbackPaid {
            payments: vec![pay(20_000, 3)],
        };
        assert!(!part.covers(Some(50_000_000)));
        assert!(part.covers(None));
        let whole = FallbackPaid {
            payments: vec![pay(20_000, 3), pay(30_000, 0)],
        };
        assert!(whole.covers(Some(50_000_000)));
        assert_eq!(whole.confirmations(), 0);
    }

    #[test]
    fn our_own_parser_reads_the_unified_link_back() {
        const ADDRESS: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
        let now = std::time::Duration::from_secs(crate::core::shared::now());
        let r = sample_invoice_request(now, Some(25_000_000), Some(ADDRESS));
        match crate::core::input::paste::parse_payment(
            &r.qr_text,
            crate::core::network::Network::Regtest,
            now,
        ) {
            Ok(crate::core::input::paste::PaymentTarget::Bolt11 {
                invoice,
                onchain_fallback: Some(a),
            }) => {
                assert_eq!(invoice.to_string(), r.text);
                assert_eq!(a.to_string(), ADDRESS);
            }
            other => panic!("{other:?}"),
        }
        assert!(r.qr_text.contains("amount=0.00025000"));
    }

    #[test]
    fn unified_uri_carries_address_amount_and_invoice() {
        assert_eq!(
            unified_uri("bcrt1qxyz", Some(123_456_789_000), "lnbcrt1abc"),
            "bitcoin:BCRT1QXYZ?amount=1.23456789&lightning=LNBCRT1ABC"
        );
        assert_eq!(
            unified_uri("bcrt1qxyz", None, "lnbcrt1abc"),
            "bitcoin:BCRT1QXYZ?lightning=LNBCRT1ABC"
        );
    }
}

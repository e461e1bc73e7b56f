//! What a person pastes to pay: a BOLT11 invoice, a BOLT12 offer, a BIP21 URI (with `lightning=`
//! or `lno=`: Lightning preferred, on-chain as the fallback), an on-chain address, or a node id
//! for a spontaneous (keysend) payment. One parser, checked against the wallet's network and the
//! clock; anything else gets a precise error, never a panic.

use std::str::FromStr;
use std::time::Duration;

use ldk_node::bitcoin::constants::ChainHash;
use ldk_node::bitcoin::secp256k1::PublicKey;
use ldk_node::bitcoin::{Address, Amount, Denomination};
use ldk_node::lightning::offers::offer::{Amount as OfferAmount, Offer};
use ldk_node::lightning_invoice::{Bolt11Invoice, Bolt11InvoiceDescriptionRef, Currency};

use crate::core::input::{parse_address, InputError};
use crate::core::network::Network;

/// Longer than any invoice, offer or URI a person would paste.
pub const MAX_INPUT_CHARS: usize = 8 * 1024;

/// What the pasted text asks to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentTarget {
    Bolt11 {
        invoice: Box<Bolt11Invoice>,
        /// From a BIP21 URI that carried both.
        onchain_fallback: Option<Address>,
    },
    Bolt12 {
        offer: Box<Offer>,
        onchain_fallback: Option<Address>,
    },
    Onchain {
        address: Address,
        amount_sat: Option<u64>,
        /// BIP21 `label` and `message`, as given (the screen sanitises them).
        label: Option<String>,
        message: Option<String>,
        /// Why a Lightning part of the same URI could not be used, if there was one.
        lightning_unusable: Option<PasteError>,
    },
    Keysend {
        node_id: PublicKey,
    },
}

/// What the preview shows, read off any target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// In millisatoshis; `None` when the payer chooses.
    pub amount_msat: Option<u64>,
    pub description: Option<String>,
    /// Node id of the payee, when the request names one.
    pub payee: Option<String>,
    /// Unix seconds.
    pub expires_at: Option<u64>,
    pub payment_hash: Option<String>,
}

impl PaymentTarget {
    pub fn preview(&self) -> Preview {
        match self {
            PaymentTarget::Bolt11 { invoice, .. } => Preview {
                amount_msat: invoice.amount_milli_satoshis(),
                description: match invoice.description() {
                    Bolt11InvoiceDescriptionRef::Direct(d) => Some(d.to_string()),
                    Bolt11InvoiceDescriptionRef::Hash(_) => None,
                },
                payee: Some(invoice.get_payee_pub_key().to_string()),
                expires_at: invoice.expires_at().map(|d| d.as_secs()),
                payment_hash: Some(invoice.payment_hash().to_string()),
            },
            PaymentTarget::Bolt12 { offer, .. } => Preview {
                amount_msat: match offer.amount() {
                    Some(OfferAmount::Bitcoin { amount_msats }) => Some(amount_msats),
                    _ => None,
                },
                description: offer
                    .description()
                    .map(|d| d.to_string())
                    .or_else(|| offer.issuer().map(|i| i.to_string())),
                payee: offer.issuer_signing_pubkey().map(|k| k.to_string()),
                expires_at: offer.absolute_expiry().map(|d| d.as_secs()),
                payment_hash: None,
            },
            PaymentTarget::Onchain {
                amount_sat,
                label,
                message,
                ..
            } => Preview {
                amount_msat: amount_sat.map(|a| a * 1000),
                description: message.clone().or_else(|| label.clone()),
                payee: None,
                expires_at: None,
                payment_hash: None,
            },
            PaymentTarget::Keysend { node_id } => Preview {
                amount_msat: None,
                description: None,
                payee: Some(node_id.to_string()),
                expires_at: None,
                payment_hash: None,
            },
        }
    }
}

/// Reads pasted text. `now` is the time since the Unix epoch (the clock, in the app).
pub fn parse_payment(
    text: &str,
    network: Network,
    now: Duration,
) -> Result<PaymentTarget, PasteError> {
    if text.chars().count() > MAX_INPUT_CHARS {
        return Err(PasteError::TooLong);
    }
    // Whitespace and invisible characters slip in when copying from chats and PDFs.
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200b}'..='\u{200d}' | '\u{feff}'))
        .collect();
    if cleaned.is_empty() {
        return Err(PasteError::Empty);
    }
    if !cleaned.is_ascii() {
        return Err(PasteError::Unrecognised);
    }
    let lower = cleaned.to_ascii_lowercase();
    if let Some(rest) = strip_scheme(&cleaned, &lower, "lightning:") {
        return parse_lightning(rest, network, now);
    }
    if let Some(rest) = strip_scheme(&cleaned, &lower, "bitcoin:") {
        return parse_bip21(rest, network, now);
    }
    if looks_like_bolt11(&lower) || lower.starts_with("lno1") {
        return parse_lightning(&cleaned, network, now);
    }
    if cleaned.len() == 66 && cleaned.chars().all(|c| c.is_ascii_hexdigit()) {
        return PublicKey::from_str(&cleaned)
            .map(|node_id| PaymentTarget::Keysend { node_id })
            .map_err(|_| PasteError::BadNodeId);
    }
    match parse_address(&cleaned, network) {
        Ok(address) => Ok(PaymentTarget::Onchain {
            address,
            amount_sat: None,
            label: None,
            message: None,
            lightning_unusable: None,
        }),
        Err(InputError::WrongNetwork { found, expected }) => {
            Err(PasteError::Address(InputError::WrongNetwork {
                found,
                expected,
            }))
        }
        Err(_) => Err(PasteError::Unrecognised),
    }
}

fn strip_scheme<'a>(text: &'a str, lower: &str, scheme: &str) -> Option<&'a str> {
    lower.starts_with(scheme).then(|| &text[scheme.len()..])
}

fn looks_like_bolt11(lower: &str) -> bool {
    ["lnbcrt", "lnbc", "lntbs", "lntb", "lnsb"]
        .iter()
        .any(|p| lower.starts_with(p))
}

fn parse_lightning(
    text: &str,
    network: Network,
    now: Duration,
) -> Result<PaymentTarget, PasteError> {
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("lno1") {
        return parse_offer(text, network, now).map(|offer| PaymentTarget::Bolt12 {
            offer: Box::new(offer),
            onchain_fallback: None,
        });
    }
    parse_invoice(text, network, now).map(|invoice| PaymentTarget::Bolt11 {
        invoice: Box::new(invoice),
        onchain_fallback: None,
    })
}

fn parse_invoice(text: &str, network: Network, now: Duration) -> Result<Bolt11Invoice, PasteError> {
    let invoice = Bolt11Invoice::from_str(text).map_err(|e| {
        use ldk_node::lightning_invoice::{Bolt11ParseError, ParseOrSemanticError};
        match e {
            ParseOrSemanticError::ParseError(Bolt11ParseError::Bech32Error(_)) => {
                PasteError::InvoiceDamaged
            }
            ParseOrSemanticError::ParseError(_) => PasteError::InvoiceMalformed,
            ParseOrSemanticError::SemanticError(_) => PasteError::InvoiceInvalid,
        }
    })?;
    let found = match invoice.currency() {
        Currency::Bitcoin => Network::Mainnet,
        Currency::BitcoinTestnet => Network::Testnet,
        Currency::Signet => Network::Signet,
        Currency::Regtest | Currency::Simnet => Network::Regtest,
    };
    let same = found == network || (found == Network::Testnet && network == Network::Signet);
    if !same {
        return Err(PasteError::InvoiceWrongNetwork {
            found,
            expected: network,
        });
    }
    if invoice.would_expire(now) {
        return Err(PasteError::InvoiceExpired {
            at: invoice.expires_at().map_or(0, |d| d.as_secs()),
        });
    }
    if invoice.amount_milli_satoshis() == Some(0) {
        return Err(PasteError::ZeroAmount);
    }
    Ok(invoice)
}

fn parse_offer(text: &str, network: Network, now: Duration) -> Result<Offer, PasteError> {
    let offer = Offer::from_str(text).map_err(|_| PasteError::OfferMalformed)?;
    if !offer.supports_chain(ChainHash::using_genesis_block(network.to_bitcoin())) {
        return Err(PasteError::OfferWrongNetwork { expected: network });
    }
    if offer.is_expired_no_std(now) {
        return Err(PasteError::OfferExpired {
            at: offer.absolute_expiry().map_or(0, |d| d.as_secs()),
        });
    }
    if let Some(OfferAmount::Currency { .. }) = offer.amount() {
        return Err(PasteError::OfferInFiatCurrency);
    }
    Ok(offer)
}

/// `bitcoin:<address>?amount=…&label=…&message=…&lightning=…&lno=…` (the address may be empty
/// when a Lightning part is given).
fn parse_bip21(rest: &str, network: Network, now: Duration) -> Result<PaymentTarget, PasteError> {
    let (address_text, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut amount_sat = None;
    let (mut label, mut message, mut bolt11, mut offer) = (None, None, None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .map_err(|_| PasteError::UriMalformed)?
            .into_owned();
        match key.to_ascii_lowercase().as_str() {
            "amount" => {
                let amount = Amount::from_str_in(&value, Denomination::Bitcoin)
                    .map_err(|_| PasteError::UriAmountInvalid)?;
                if amount.to_sat() == 0 || amount.to_sat() > crate::core::input::MAX_MONEY_SAT {
                    return Err(PasteError::UriAmountInvalid);
                }
                amount_sat = Some(amount.to_sat());
            }
            "label" => label = Some(value),
            "message" => message = Some(value),
            "lightning" => bolt11 = Some(value),
            "lno" => offer = Some(value),
            // BIP21: a required parameter we do not know means we must not pay.
            k if k.starts_with("req-") => return Err(PasteError::UriUnknownRequirement),
            _ => {}
        }
    }
    let address = if address_text.is_empty() {
        None
    } else {
        Some(parse_address(address_text, network).map_err(PasteError::Address)?)
    };
    // Lightning first; its failure is kept to explain the on-chain fallback.
    let lightning = if let Some(o) = offer {
        Some(
            parse_offer(&o, network, now).map(|offer| PaymentTarget::Bolt12 {
                offer: Box::new(offer),
                onchain_fallback: address.clone(),
            }),
        )
    } else {
        bolt11.map(|i: String| {
            parse_invoice(&i, network, now).map(|invoice| PaymentTarget::Bolt11 {
                invoice: Box::new(invoice),
                onchain_fallback: address.clone(),
            })
        })
    };
    match (lightning, address) {
        (Some(Ok(target)), _) => Ok(target),
        (Some(Err(e)), None) => Err(e),
        (lightning, Some(address)) => Ok(PaymentTarget::Onchain {
            address,
            amount_sat,
            label,
            message,
            lightning_unusable: lightning.and_then(Result::err),
        }),
        (None, None) => Err(PasteError::UriMalformed),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasteError {
    #[error("nothing entered")]
    Empty,
    #[error("the text is too long to be a payment request")]
    TooLong,
    #[error("not an invoice, offer, bitcoin URI, address or node id")]
    Unrecognised,
    #[error("the invoice is damaged (its checksum does not match)")]
    InvoiceDamaged,
    #[error("the invoice is incomplete or malformed")]
    InvoiceMalformed,
    #[error("the invoice is not valid (bad signature or missing fields)")]
    InvoiceInvalid,
    #[error("the invoice is for {found}, not {expected}")]
    InvoiceWrongNetwork { found: Network, expected: Network },
    #[error("the invoice expired")]
    InvoiceExpired { at: u64 },
    #[error("the request asks for zero")]
    ZeroAmount,
    #[error("the offer is damaged or malformed")]
    OfferMalformed,
    #[error("the offer is not for {expected}")]
    OfferWrongNetwork { expected: Network },
    #[error("the offer expired")]
    OfferExpired { at: u64 },
    #[error("the offer is priced in a fiat currency")]
    OfferInFiatCurrency,
    #[error("the bitcoin: URI is malformed")]
    UriMalformed,
    #[error("the bitcoin: URI's amount is not valid")]
    UriAmountInvalid,
    #[error("the bitcoin: URI requires something this wallet does not support")]
    UriUnknownRequirement,
    #[error("the node id is not a valid public key")]
    BadNodeId,
    #[error(transparent)]
    Address(InputError),
}

#[cfg(any(test, feature = "testing"))]
pub mod samples;
#[cfg(test)]
mod tests;

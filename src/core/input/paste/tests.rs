use std::time::Duration;

use ldk_node::bitcoin::Network as BtcNetwork;
use ldk_node::lightning_invoice::Currency;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::*;
use crate::core::input::paste::samples::{invoice, offer};

use crate::core::input::paste::samples::NOW;
const REGTEST_ADDR: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
const MAINNET_ADDR: &str = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
const NODE_ID: &str = "02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619";

fn parse(text: &str) -> Result<PaymentTarget, PasteError> {
    parse_payment(text, Network::Regtest, NOW)
}

#[test]
fn every_kind_of_request_is_read() {
    let inv = invoice(Currency::Regtest, Some(25_000_000), "two coffees");
    match parse(&format!("  {}\n", inv.to_uppercase())).unwrap() {
        PaymentTarget::Bolt11 { invoice, .. } => {
            assert_eq!(invoice.amount_milli_satoshis(), Some(25_000_000))
        }
        other => panic!("{other:?}"),
    }
    let p = parse(&format!("lightning:{inv}")).unwrap().preview();
    assert_eq!(p.amount_msat, Some(25_000_000));
    assert_eq!(p.description.as_deref(), Some("two coffees"));
    assert_eq!(p.expires_at, Some(NOW.as_secs() + 3600));

    let o = offer(BtcNetwork::Regtest, Some(5_000));
    assert!(matches!(parse(&o), Ok(PaymentTarget::Bolt12 { .. })));
    assert_eq!(
        parse(&o).unwrap().preview().description.as_deref(),
        Some("coffee at the counter")
    );

    assert!(matches!(parse(NODE_ID), Ok(PaymentTarget::Keysend { .. })));
    assert!(matches!(
        parse(REGTEST_ADDR),
        Ok(PaymentTarget::Onchain {
            amount_sat: None,
            ..
        })
    ));
}

#[test]
fn bip21_prefers_lightning_and_falls_back_to_chain() {
    let inv = invoice(Currency::Regtest, Some(1_000_000), "x");
    let uri = format!("bitcoin:{REGTEST_ADDR}?amount=0.00001&label=Caf%C3%A9&lightning={inv}");
    match parse(&uri).unwrap() {
        PaymentTarget::Bolt11 {
            onchain_fallback, ..
        } => assert!(onchain_fallback.is_some()),
        other => panic!("{other:?}"),
    }
    // An expired invoice in the URI: pay on-chain, and say why.
    let old = NOW + Duration::from_secs(7200);
    match parse_payment(&uri, Network::Regtest, old).unwrap() {
        PaymentTarget::Onchain {
            amount_sat,
            label,
            lightning_unusable,
            ..
        } => {
            assert_eq!(amount_sat, Some(1_000));
            assert_eq!(label.as_deref(), Some("Café"));
            assert!(matches!(
                lightning_unusable,
                Some(PasteError::InvoiceExpired { .. })
            ));
        }
        other => panic!("{other:?}"),
    }
    let o = offer(BtcNetwork::Regtest, None);
    assert!(matches!(
        parse(&format!("BITCOIN:?lno={o}")),
        Ok(PaymentTarget::Bolt12 { .. })
    ));
}

#[test]
fn bad_input_gets_its_own_error() {
    let inv = invoice(Currency::Regtest, Some(1_000), "x");
    let mut damaged = inv.clone().into_bytes();
    let i = damaged.len() - 10;
    damaged[i] = if damaged[i] == b'q' { b'p' } else { b'q' };
    let damaged = String::from_utf8(damaged).unwrap();
    let cases: Vec<(String, PasteError)> = vec![
        ("   ".into(), PasteError::Empty),
        ("hello".into(), PasteError::Unrecognised),
        ("x".repeat(MAX_INPUT_CHARS + 1), PasteError::TooLong),
        (damaged, PasteError::InvoiceDamaged),
        (inv[..inv.len() / 2].to_string(), PasteError::InvoiceDamaged),
        (
            invoice(Currency::Bitcoin, Some(1_000), "x"),
            PasteError::InvoiceWrongNetwork {
                found: Network::Mainnet,
                expected: Network::Regtest,
            },
        ),
        (
            invoice(Currency::Regtest, Some(0), "x"),
            PasteError::ZeroAmount,
        ),
        (
            offer(BtcNetwork::Bitcoin, None),
            PasteError::OfferWrongNetwork {
                expected: Network::Regtest,
            },
        ),
        ("lno1qqqq".into(), PasteError::OfferMalformed),
        (
            format!("bitcoin:{REGTEST_ADDR}?amount=21000001"),
            PasteError::UriAmountInvalid,
        ),
        (
            format!("bitcoin:{REGTEST_ADDR}?amount=1e9999"),
            PasteError::UriAmountInvalid,
        ),
        (
            format!("bitcoin:{REGTEST_ADDR}?req-somethingnew=1"),
            PasteError::UriUnknownRequirement,
        ),
        ("bitcoin:?label=x".into(), PasteError::UriMalformed),
        (format!("02{}", "00".repeat(32)), PasteError::BadNodeId),
        (format!("{NODE_ID}\u{202e}"), PasteError::Unrecognised),
    ];
    for (text, expected) in cases {
        assert_eq!(parse(&text), Err(expected), "{text:?}");
    }
    assert!(matches!(
        parse(MAINNET_ADDR),
        Err(PasteError::Address(InputError::WrongNetwork { .. }))
    ));
    assert!(matches!(
        parse_payment(&inv, Network::Regtest, NOW + Duration::from_secs(3601)),
        Err(PasteError::InvoiceExpired { .. })
    ));
}

/// Throws 12,000 generated and mutated strings at the parser: it must answer every one with a
/// target or an error, never a panic, and anything it accepts must be for regtest.
#[test]
fn fuzz_twelve_thousand_strings_never_panic() {
    let seeds = [
        invoice(Currency::Regtest, Some(25_000_000), "two coffees"),
        invoice(Currency::Regtest, None, "any amount"),
        invoice(Currency::Bitcoin, Some(1_000), "mainnet"),
        offer(BtcNetwork::Regtest, Some(5_000)),
        offer(BtcNetwork::Regtest, None),
        format!("bitcoin:{REGTEST_ADDR}?amount=0.5&label=a%20b&message=%E2%80%AE"),
        format!(
            "bitcoin:{REGTEST_ADDR}?lightning={}",
            invoice(Currency::Regtest, Some(1_000), "u")
        ),
        REGTEST_ADDR.to_string(),
        MAINNET_ADDR.to_string(),
        NODE_ID.to_string(),
    ];
    let alphabet: Vec<char> =
        "qpzry9x8gf2tvdw0s3jn54khce6mua7lQPZRY:?&=%@.-_+/\\\u{0}\u{202e}\u{200b}闪电😀 \n\t"
            .chars()
            .collect();
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let mut accepted = 0;
    for round in 0..12_000 {
        let text: String = if round % 6 == 0 {
            // Random text of random length.
            let len = rng.random_range(0..200);
            (0..len)
                .map(|_| alphabet[rng.random_range(0..alphabet.len())])
                .collect()
        } else {
            let mut chars: Vec<char> = seeds[rng.random_range(0..seeds.len())].chars().collect();
            for _ in 0..rng.random_range(1..4) {
                let at = rng.random_range(0..=chars.len());
                match rng.random_range(0..6) {
                    0 if at < chars.len() => {
                        chars[at] = alphabet[rng.random_range(0..alphabet.len())]
                    }
                    1 if at < chars.len() => {
                        chars.remove(at);
                    }
                    2 => chars.insert(at, alphabet[rng.random_range(0..alphabet.len())]),
                    3 => chars.truncate(at),
                    4 => {
                        let copy = chars.clone();
                        chars.extend(copy);
                    }
                    _ => {
                        if let Some(c) = chars.get_mut(at) {
                            *c = if c.is_ascii_lowercase() {
                                c.to_ascii_uppercase()
                            } else {
                                c.to_ascii_lowercase()
                            };
                        }
                    }
                }
            }
            chars.into_iter().collect()
        };
        let result = std::panic::catch_unwind(|| parse(&text));
        let result = result.unwrap_or_else(|_| panic!("the parser panicked on {text:?}"));
        if let Ok(target) = result {
            accepted += 1;
            if let PaymentTarget::Bolt11 { invoice, .. } = &target {
                assert_eq!(invoice.currency(), Currency::Regtest, "{text:?}");
            }
        }
    }
    // Some mutations (case changes, whitespace) leave a valid request; most do not.
    assert!(accepted > 0 && accepted < 12_000, "accepted {accepted}");
}

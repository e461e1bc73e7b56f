//! One place that reads what a person types or pastes: on-chain addresses and amounts here,
//! payment requests (invoices, offers, BIP21 URIs, node ids) in [`paste`].

pub mod names;
pub mod paste;
pub mod qr_image;

use std::str::FromStr;

use ldk_node::bitcoin::address::NetworkUnchecked;
use ldk_node::bitcoin::{Address, Network as BtcNetwork};

use crate::core::network::Network;

/// The largest amount that can exist (21 million BTC), in satoshis.
pub const MAX_MONEY_SAT: u64 = 21_000_000 * 100_000_000;

/// Removes control and bidi-override characters from text that came from outside (invoice
/// descriptions, node aliases, peers' error messages), so it cannot reorder or hide what is
/// shown or exported around it. At most 200 characters are kept.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(
                    c,
                    '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
                )
        })
        .take(200)
        .collect()
}

/// Parses an on-chain address and checks it belongs to `network`.
pub fn parse_address(text: &str, network: Network) -> Result<Address, InputError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(InputError::EmptyAddress);
    }
    let unchecked =
        Address::<NetworkUnchecked>::from_str(text).map_err(|_| InputError::MalformedAddress)?;
    if unchecked.is_valid_for_network(network.to_bitcoin()) {
        return Ok(unchecked.assume_checked());
    }
    let found = if unchecked.is_valid_for_network(BtcNetwork::Bitcoin) {
        AddressNetwork::Mainnet
    } else if unchecked.is_valid_for_network(BtcNetwork::Regtest) {
        AddressNetwork::Regtest
    } else {
        AddressNetwork::TestnetOrSignet
    };
    Err(InputError::WrongNetwork {
        found,
        expected: network,
    })
}

/// Parses a cap on routing fees in satoshis, written as amounts are; 0 (no fee at all) is a cap.
pub fn parse_fee_cap_sat(text: &str) -> Result<u64, InputError> {
    match parse_amount_sat(text) {
        Err(InputError::ZeroAmount) => Ok(0),
        other => other,
    }
}

/// Parses an amount in satoshis. Spaces, commas and underscores between digits are allowed.
pub fn parse_amount_sat(text: &str) -> Result<u64, InputError> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | ',' | '_' | '\u{a0}'))
        .collect();
    if cleaned.is_empty() {
        return Err(InputError::EmptyAmount);
    }
    if !cleaned.chars().all(|c| c.is_ascii_digit()) {
        return Err(InputError::NotANumber);
    }
    let value: u64 = cleaned.parse().map_err(|_| InputError::AmountTooLarge)?;
    if value == 0 {
        return Err(InputError::ZeroAmount);
    }
    if value > MAX_MONEY_SAT {
        return Err(InputError::AmountTooLarge);
    }
    Ok(value)
}

/// The highest fee rate the wallet uses, typed or from the server (sat/vB): far above any fee
/// spike seen, and low enough that no fee computed with it can overflow.
pub const MAX_FEE_RATE_SAT_VB: u64 = 10_000;

/// Parses a fee rate in sat/vB (whole numbers, 1 to [`MAX_FEE_RATE_SAT_VB`]).
pub fn parse_fee_rate(text: &str) -> Result<u64, InputError> {
    let t = text.trim();
    match t.parse::<u64>() {
        Ok(v) if (1..=MAX_FEE_RATE_SAT_VB).contains(&v) => Ok(v),
        _ => Err(InputError::BadFeeRate),
    }
}

/// How much to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendAmount {
    Exact {
        amount_sat: u64,
    },
    /// Everything spendable, less the fee.
    All,
}

/// A checked on-chain payment, ready for the confirm step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnchainSendPlan {
    pub address: String,
    pub amount: SendAmount,
    pub fee_rate_sat_vb: u64,
    /// Estimated fee for a one-input transaction at the chosen rate; the real fee depends on
    /// which coins the wallet picks and is shown with the result.
    pub estimated_fee_sat: u64,
    /// What the payee receives.
    pub send_sat: u64,
}

impl OnchainSendPlan {
    pub fn total_sat(&self) -> u64 {
        self.send_sat + self.estimated_fee_sat
    }
}

/// Checks an on-chain send against the wallet's spendable balance.
pub fn plan_onchain_send(
    address_text: &str,
    amount: Result<SendAmount, InputError>,
    fee_rate_sat_vb: u64,
    spendable_sat: u64,
    network: Network,
) -> Result<OnchainSendPlan, InputError> {
    let address = parse_address(address_text, network)?;
    let amount = amount?;
    let script = address.script_pubkey();
    let outputs = match amount {
        SendAmount::Exact { .. } => vec![script.len(), CHANGE_SCRIPT_LEN],
        SendAmount::All => vec![script.len()],
    };
    if !(1..=MAX_FEE_RATE_SAT_VB).contains(&fee_rate_sat_vb) {
        return Err(InputError::BadFeeRate);
    }
    let estimated_fee_sat = estimate_vbytes(1, &outputs)
        .checked_mul(fee_rate_sat_vb)
        .ok_or(InputError::BadFeeRate)?;
    let dust = script.minimal_non_dust().to_sat();
    let send_sat = match amount {
        SendAmount::Exact { amount_sat } => {
            if amount_sat < dust {
                return Err(InputError::Dust { minimum_sat: dust });
            }
            if amount_sat.saturating_add(estimated_fee_sat) > spendable_sat {
                return Err(InputError::AboveSpendable { spendable_sat });
            }
            amount_sat
        }
        SendAmount::All => {
            let rest = spendable_sat.saturating_sub(estimated_fee_sat);
            if rest < dust {
                return Err(InputError::NothingToSend);
            }
            rest
        }
    };
    Ok(OnchainSendPlan {
        address: address.to_string(),
        amount,
        fee_rate_sat_vb,
        estimated_fee_sat,
        send_sat,
    })
}

/// The wallet's change output is P2WPKH (22-byte script).
const CHANGE_SCRIPT_LEN: usize = 22;

/// Virtual size of a transaction spending `inputs` P2WPKH inputs to outputs with the given
/// script lengths, rounded up.
fn estimate_vbytes(inputs: u64, output_script_lens: &[usize]) -> u64 {
    // version 4 + locktime 4 + counts 2, segwit marker+flag 0.5 vB; each P2WPKH input
    // 41 bytes + witness ~108 WU = 68 vB; each output 8 + 1 + script.
    let outputs: u64 = output_script_lens.iter().map(|l| 9 + *l as u64).sum();
    let weight = 4 * (10 + outputs + 41 * inputs) + 2 + 108 * inputs;
    weight.div_ceil(4)
}

/// Which network a foreign address belongs to, to say so in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressNetwork {
    Mainnet,
    TestnetOrSignet,
    Regtest,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("no address entered")]
    EmptyAddress,
    #[error("not a valid bitcoin address")]
    MalformedAddress,
    #[error("the address is for {found:?}, not {expected}")]
    WrongNetwork {
        found: AddressNetwork,
        expected: Network,
    },
    #[error("no amount entered")]
    EmptyAmount,
    #[error("the amount is not a whole number of satoshis")]
    NotANumber,
    #[error("the amount is zero")]
    ZeroAmount,
    #[error("the amount is larger than all bitcoin")]
    AmountTooLarge,
    #[error("the amount is below the dust limit of {minimum_sat} sat")]
    Dust { minimum_sat: u64 },
    #[error("amount plus fee is more than the {spendable_sat} sat that can be spent")]
    AboveSpendable { spendable_sat: u64 },
    #[error("the spendable balance does not cover the fee")]
    NothingToSend,
    #[error("the fee rate must be a whole number from 1 to 10000 sat/vB")]
    BadFeeRate,
    /// A speed was chosen but the server gave no estimate for it: a rate must be typed.
    #[error("no fee estimate: type a fee rate")]
    NoFeeEstimate,
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGTEST_ADDR: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
    const MAINNET_ADDR: &str = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
    const TESTNET_ADDR: &str = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx";

    #[test]
    fn addresses_of_the_right_network_pass() {
        assert!(parse_address(REGTEST_ADDR, Network::Regtest).is_ok());
        assert!(parse_address(&format!("  {MAINNET_ADDR}\n"), Network::Mainnet).is_ok());
        assert!(parse_address(TESTNET_ADDR, Network::Signet).is_ok());
    }

    #[test]
    fn addresses_of_another_network_say_which() {
        assert_eq!(
            parse_address(MAINNET_ADDR, Network::Regtest),
            Err(InputError::WrongNetwork {
                found: AddressNetwork::Mainnet,
                expected: Network::Regtest
            })
        );
        assert_eq!(
            parse_address(TESTNET_ADDR, Network::Mainnet),
            Err(InputError::WrongNetwork {
                found: AddressNetwork::TestnetOrSignet,
                expected: Network::Mainnet
            })
        );
        assert_eq!(
            parse_address(REGTEST_ADDR, Network::Signet),
            Err(InputError::WrongNetwork {
                found: AddressNetwork::Regtest,
                expected: Network::Signet
            })
        );
    }

    #[test]
    fn garbage_addresses_are_malformed() {
        for bad in [
            "hello",
            "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt081",
            "1",
            "😀",
        ] {
            assert_eq!(
                parse_address(bad, Network::Regtest),
                Err(InputError::MalformedAddress),
                "{bad}"
            );
        }
        assert_eq!(
            parse_address("  ", Network::Regtest),
            Err(InputError::EmptyAddress)
        );
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount_sat("1,000"), Ok(1000));
        assert_eq!(parse_amount_sat(" 25 000 "), Ok(25_000));
        assert_eq!(parse_amount_sat(""), Err(InputError::EmptyAmount));
        assert_eq!(parse_amount_sat("0"), Err(InputError::ZeroAmount));
        assert_eq!(parse_amount_sat("abc"), Err(InputError::NotANumber));
        assert_eq!(parse_amount_sat("1.5"), Err(InputError::NotANumber));
        assert_eq!(parse_amount_sat("-5"), Err(InputError::NotANumber));
        assert_eq!(
            parse_amount_sat("99999999999999999999999"),
            Err(InputError::AmountTooLarge)
        );
        assert_eq!(
            parse_amount_sat(&(MAX_MONEY_SAT + 1).to_string()),
            Err(InputError::AmountTooLarge)
        );
    }

    #[test]
    fn plan_checks_dust_and_spendable() {
        let exact = |a| Ok(SendAmount::Exact { amount_sat: a });
        let plan =
            plan_onchain_send(REGTEST_ADDR, exact(10_000), 2, 100_000, Network::Regtest).unwrap();
        assert_eq!(plan.send_sat, 10_000);
        // 1 input, P2WPKH destination + change: 141 vB.
        assert_eq!(plan.estimated_fee_sat, 2 * 141);
        assert_eq!(plan.total_sat(), 10_000 + 282);

        assert_eq!(
            plan_onchain_send(REGTEST_ADDR, exact(100), 1, 100_000, Network::Regtest),
            Err(InputError::Dust { minimum_sat: 294 })
        );
        assert_eq!(
            plan_onchain_send(REGTEST_ADDR, exact(100_000), 1, 100_000, Network::Regtest),
            Err(InputError::AboveSpendable {
                spendable_sat: 100_000
            })
        );
        let all = plan_onchain_send(
            REGTEST_ADDR,
            Ok(SendAmount::All),
            1,
            100_000,
            Network::Regtest,
        )
        .unwrap();
        assert_eq!(all.total_sat(), 100_000);
        assert_eq!(
            plan_onchain_send(REGTEST_ADDR, Ok(SendAmount::All), 1, 50, Network::Regtest),
            Err(InputError::NothingToSend)
        );
        assert_eq!(
            plan_onchain_send(MAINNET_ADDR, exact(10_000), 1, 100_000, Network::Regtest),
            Err(InputError::WrongNetwork {
                found: AddressNetwork::Mainnet,
                expected: Network::Regtest
            })
        );
    }

    #[test]
    fn fee_caps_are_amounts_and_zero_is_one() {
        assert_eq!(parse_fee_cap_sat("0"), Ok(0));
        assert_eq!(parse_fee_cap_sat(" 1,000 "), Ok(1_000));
        assert_eq!(parse_fee_cap_sat("ten"), Err(InputError::NotANumber));
        assert_eq!(parse_fee_cap_sat(""), Err(InputError::EmptyAmount));
    }

    #[test]
    fn fee_rates() {
        assert_eq!(parse_fee_rate("5"), Ok(5));
        assert_eq!(parse_fee_rate("0"), Err(InputError::BadFeeRate));
        assert_eq!(parse_fee_rate("x"), Err(InputError::BadFeeRate));
        assert_eq!(parse_fee_rate("10001"), Err(InputError::BadFeeRate));
    }
}

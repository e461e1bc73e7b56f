//! Fee rate choices for on-chain sends, asked of the same Electrum server the wallet uses.
//! When the server has no estimate, that is said, and the person types a rate: never a silent
//! default.

use electrum_client::{Client, ConfigBuilder, ElectrumApi};

use crate::core::input::MAX_FEE_RATE_SAT_VB;

/// The three speeds offered, in sat/vB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeChoices {
    /// Next block.
    pub fast_sat_vb: u64,
    /// About an hour (6 blocks).
    pub normal_sat_vb: u64,
    /// About a day (144 blocks).
    pub slow_sat_vb: u64,
}

/// Why there are no fee choices.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    /// The server answered, without an estimate (a quiet chain: regtest, often signet).
    #[error("the Electrum server has no fee estimate")]
    NoEstimate,
    #[error("cannot reach the Electrum server {url}: {reason}")]
    Unreachable { url: String, reason: String },
}

/// Asks the Electrum server for estimates. Blocks: call from `spawn_blocking`.
pub fn fetch_fee_choices(electrum_url: &str) -> Result<FeeChoices, FeeError> {
    let unreachable = |e: electrum_client::Error| FeeError::Unreachable {
        url: electrum_url.to_string(),
        reason: e.to_string(),
    };
    let config = ConfigBuilder::new().timeout(Some(10)).build();
    let client = Client::from_config(electrum_url, config).map_err(unreachable)?;
    let estimates = client
        .batch_estimate_fee([1usize, 6, 144])
        .map_err(unreachable)?;
    choices_from(&estimates).ok_or(FeeError::NoEstimate)
}

/// The server's answers (BTC per kvB, -1 for "none") for 1, 6 and 144 blocks as choices. A
/// target without an estimate takes the nearest one that has one; none at all is `None`.
fn choices_from(btc_per_kvb: &[f64]) -> Option<FeeChoices> {
    let rates: Vec<Option<u64>> = (0..3)
        .map(|i| btc_per_kvb.get(i).copied().and_then(btc_per_kvb_to_sat_vb))
        .collect();
    let nearest = |i: usize| {
        rates[i]
            .or_else(|| rates.iter().skip(i).flatten().next().copied())
            .or_else(|| rates[..i].iter().rev().flatten().next().copied())
    };
    let fast = nearest(0)?;
    let normal = nearest(1)?.min(fast);
    let slow = nearest(2)?.min(normal);
    Some(FeeChoices {
        fast_sat_vb: fast,
        normal_sat_vb: normal,
        slow_sat_vb: slow,
    })
}

/// Electrum answers BTC per kvB; -1 (or anything not positive) means "no estimate". A rate
/// above what the wallet ever uses (a server's mistake, or a hostile one) is held at
/// [`MAX_FEE_RATE_SAT_VB`], the most a person could type.
fn btc_per_kvb_to_sat_vb(btc_kvb: f64) -> Option<u64> {
    if !btc_kvb.is_finite() || btc_kvb <= 0.0 {
        return None;
    }
    let sat_vb = (btc_kvb * 100_000.0).ceil();
    Some((sat_vb.min(MAX_FEE_RATE_SAT_VB as f64) as u64).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion() {
        assert_eq!(btc_per_kvb_to_sat_vb(-1.0), None);
        assert_eq!(btc_per_kvb_to_sat_vb(0.0), None);
        assert_eq!(btc_per_kvb_to_sat_vb(0.00001), Some(1));
        assert_eq!(btc_per_kvb_to_sat_vb(0.00012), Some(12));
        // A server's nonsense is held at the most the wallet uses.
        assert_eq!(btc_per_kvb_to_sat_vb(1e12), Some(MAX_FEE_RATE_SAT_VB));
        assert_eq!(btc_per_kvb_to_sat_vb(0.000125), Some(13));
        assert_eq!(btc_per_kvb_to_sat_vb(f64::NAN), None);
    }

    #[test]
    fn no_estimate_is_none_never_one_sat_per_vbyte() {
        assert_eq!(choices_from(&[-1.0, -1.0, -1.0]), None);
        assert_eq!(choices_from(&[]), None);
        assert_eq!(
            choices_from(&[0.0002, 0.0001, 0.00002]),
            Some(FeeChoices {
                fast_sat_vb: 20,
                normal_sat_vb: 10,
                slow_sat_vb: 2
            })
        );
        // A missing target takes its neighbour's estimate, and speeds never invert.
        assert_eq!(
            choices_from(&[-1.0, 0.0001, -1.0]),
            Some(FeeChoices {
                fast_sat_vb: 10,
                normal_sat_vb: 10,
                slow_sat_vb: 10
            })
        );
        assert_eq!(
            choices_from(&[0.00005, 0.0001, 0.0002]),
            Some(FeeChoices {
                fast_sat_vb: 5,
                normal_sat_vb: 5,
                slow_sat_vb: 5
            })
        );
    }
}

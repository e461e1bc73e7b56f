//! Fee rate choices for on-chain sends, asked of the same Electrum server the wallet uses.

use electrum_client::{Client, ConfigBuilder, ElectrumApi};

/// The three speeds offered, in sat/vB. Servers without an estimate (regtest, quiet signet)
/// answer -1; those fall back to 1 sat/vB, the relay minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeChoices {
    /// Next block.
    pub fast_sat_vb: u64,
    /// About an hour (6 blocks).
    pub normal_sat_vb: u64,
    /// About a day (144 blocks).
    pub slow_sat_vb: u64,
}

impl Default for FeeChoices {
    fn default() -> Self {
        FeeChoices {
            fast_sat_vb: 1,
            normal_sat_vb: 1,
            slow_sat_vb: 1,
        }
    }
}

/// Asks the Electrum server for estimates. Blocks: call from `spawn_blocking`.
pub fn fetch_fee_choices(electrum_url: &str) -> Result<FeeChoices, String> {
    let config = ConfigBuilder::new().timeout(Some(10)).build();
    let client = Client::from_config(electrum_url, config).map_err(|e| e.to_string())?;
    let estimates = client
        .batch_estimate_fee([1usize, 6, 144])
        .map_err(|e| e.to_string())?;
    let rate = |i: usize| {
        estimates
            .get(i)
            .copied()
            .map(btc_per_kvb_to_sat_vb)
            .unwrap_or(1)
    };
    let fast = rate(0);
    let normal = rate(1).min(fast);
    let slow = rate(2).min(normal);
    Ok(FeeChoices {
        fast_sat_vb: fast,
        normal_sat_vb: normal,
        slow_sat_vb: slow,
    })
}

/// Electrum answers BTC per kvB; -1 means "no estimate".
fn btc_per_kvb_to_sat_vb(btc_kvb: f64) -> u64 {
    if !btc_kvb.is_finite() || btc_kvb <= 0.0 {
        return 1;
    }
    ((btc_kvb * 100_000.0).ceil() as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion() {
        assert_eq!(btc_per_kvb_to_sat_vb(-1.0), 1);
        assert_eq!(btc_per_kvb_to_sat_vb(0.00001), 1);
        assert_eq!(btc_per_kvb_to_sat_vb(0.00012), 12);
        assert_eq!(btc_per_kvb_to_sat_vb(0.000125), 13);
        assert_eq!(btc_per_kvb_to_sat_vb(f64::NAN), 1);
    }
}

//! Shandian's dust-exposure policy: how much of a channel may be at stake in money that an
//! on-chain close would hand to miners instead of to either side.
//!
//! Two things count, as LDK reckons them: HTLCs too small to get their own output on a
//! commitment transaction ("dust": below the output's dust limit plus the fee of the
//! transaction that would claim it), and, on channels without anchor outputs, the part of the
//! commitment fee above our own highest fee estimate. LDK's default limit is a multiple of our
//! own estimate (10,000 × sat/kW; 27,750 sat at 1 sat/vB). A peer whose estimator runs higher
//! than ours — Electrum opens its regtest channels at 45,000 sat/kW, other nodes go high in a
//! fee spike — then has more than that at stake before a single payment, and LDK refuses every
//! payment it sends us, silently for us: only the payer sees a failure.
//!
//! The policy: a fixed limit of a tenth of the channel's capacity, never below 50,000 sat and
//! never above 500,000 sat — close to the fixed limits other Lightning implementations use by
//! default. It is set on every channel: at open for ours, as soon as LDK reports a channel a
//! peer opened, and at start for channels from before. The risk, said in the channel detail:
//! if the channel is closed on chain while payments are in flight or after fees rose, up to
//! this much can go to miners rather than come back to us.

use ldk_node::config::{ChannelConfig, MaxDustHTLCExposure};
use ldk_node::{ChannelDetails, Node};

/// The smallest limit, whatever the channel's size.
pub const DUST_EXPOSURE_FLOOR_SAT: u64 = 50_000;
/// The largest limit, whatever the channel's size.
pub const DUST_EXPOSURE_CAP_SAT: u64 = 500_000;

/// The most a channel of `capacity_sat` may have at stake in dust and excess fees.
pub fn dust_exposure_limit_sat(capacity_sat: u64) -> u64 {
    (capacity_sat / 10).clamp(DUST_EXPOSURE_FLOOR_SAT, DUST_EXPOSURE_CAP_SAT)
}

/// The limit a channel's LDK config holds, in sat; `None` when it follows LDK's fee-rate
/// multiple (a channel whose policy has not been set yet).
pub fn configured_limit_sat(config: &ChannelConfig) -> Option<u64> {
    match config.max_dust_htlc_exposure {
        MaxDustHTLCExposure::FixedLimit { limit_msat } => Some(limit_msat / 1000),
        MaxDustHTLCExposure::FeeRateMultiplier { .. } => None,
    }
}

/// `config` with our limit for a channel of `capacity_sat`.
pub(crate) fn with_policy(mut config: ChannelConfig, capacity_sat: u64) -> ChannelConfig {
    config.max_dust_htlc_exposure = MaxDustHTLCExposure::FixedLimit {
        limit_msat: dust_exposure_limit_sat(capacity_sat) * 1000,
    };
    config
}

/// Sets the policy on every channel of the node that does not have it. A channel LDK refuses
/// to reconfigure (closing by now) is left as it is, with a log line.
pub(crate) fn keep_policy(node: &Node) {
    for c in node.list_channels() {
        keep_policy_on(node, &c);
    }
}

fn keep_policy_on(node: &Node, c: &ChannelDetails) {
    let wanted = with_policy(c.config, c.channel_value_sats);
    if wanted == c.config {
        return;
    }
    match node.update_channel_config(&c.user_channel_id, c.counterparty_node_id, wanted) {
        Ok(()) => log::info!(
            "channel {}: dust exposure limit set to {} sat",
            c.channel_id,
            dust_exposure_limit_sat(c.channel_value_sats)
        ),
        Err(e) => log::warn!(
            "channel {}: could not set the dust exposure limit: {e}",
            c.channel_id
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_is_a_tenth_within_bounds() {
        assert_eq!(dust_exposure_limit_sat(20_000), 50_000);
        assert_eq!(dust_exposure_limit_sat(500_000), 50_000);
        assert_eq!(dust_exposure_limit_sat(1_000_000), 100_000);
        assert_eq!(dust_exposure_limit_sat(3_000_000), 300_000);
        assert_eq!(dust_exposure_limit_sat(16_777_215), 500_000);
    }

    #[test]
    fn policy_changes_only_the_dust_limit() {
        let before = ChannelConfig::default();
        assert_eq!(configured_limit_sat(&before), None);
        let after = with_policy(before, 1_000_000);
        assert_eq!(configured_limit_sat(&after), Some(100_000));
        assert_eq!(
            ChannelConfig {
                max_dust_htlc_exposure: before.max_dust_htlc_exposure,
                ..after
            },
            before
        );
    }
}

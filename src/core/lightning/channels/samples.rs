//! Made-up channels for screen tests: an active one with an HTLC in flight, and one we force
//! closed whose money waits for the CSV delay and an HTLC timeout.

use super::*;

pub const PEER_A: &str = "02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619";
pub const PEER_B: &str = "03a0000000000000000000000000000000000000000000000000000000000000b1";
/// The chain height the samples are read at.
pub const HEIGHT: u32 = 120;

pub fn active() -> Channel {
    Channel {
        id: "1".into(),
        channel_id: "aa".repeat(32),
        peer: PEER_A.into(),
        status: ChannelStatus::Active,
        capacity_sat: 1_000_000,
        opened_by_us: true,
        public: false,
        // We opened it at 253 sat/kW with both anchors; a 50,000 sat payment is on its way out.
        parts: BalanceParts {
            ours_sat: 649_013,
            htlc_out_sat: 50_000,
            htlc_in_sat: 0,
            theirs_sat: 300_000,
            anchors_sat: 660,
            commitment_fee_sat: 327,
            our_spendable_sat: 639_340,
            peer_spendable_sat: 290_000,
            our_reserve_sat: 10_000,
            peer_reserve_sat: 10_000,
        },
        our_balance_sat: 649_013,
        funding_outpoint: Some(format!("{}:0", "bb".repeat(32))),
        short_channel_id: Some("103x1x0".into()),
        our_delay_blocks: Some(144),
        peer_delay_blocks: 144,
        limits: HtlcLimits {
            send_min_msat: 1,
            send_max_msat: 639_000_000,
            receive_min_msat: 1,
            receive_max_msat: Some(980_000_000),
            peer_accepts_max_msat: Some(990_000_000),
        },
        commitment_feerate_sat_per_kw: 253,
        dust_exposure_limit_sat: Some(100_000),
        refused_incoming: None,
        unproven: false,
        fees: Some(FeePolicy {
            base_msat: 1000,
            ppm: 0,
            cltv_delta: 72,
        }),
        htlcs: vec![PendingHtlc {
            outgoing: true,
            amount_sat: 50_000,
            payment_hash: None,
            expiry_height: None,
        }],
        claims: vec![],
        history: ChannelHistory {
            opened_at: Some(1_795_000_000),
            ready_at: Some(1_795_000_600),
            closed_at: None,
            close_reason: None,
            // The capacity less the commitment fee and the two anchors we pay as the opener.
            opening_balance_sat: Some(999_013),
            opening_outpoint: Some(format!("{}:0", "bb".repeat(32))),
            balance_at_close_sat: None,
            splices: Vec::new(),
        },
    }
}

pub fn force_closing() -> Channel {
    Channel {
        id: "2".into(),
        peer: PEER_B.into(),
        status: ChannelStatus::ForceClosing { blocks_left: 130 },
        parts: BalanceParts::default(),
        our_balance_sat: 400_000,
        claims: vec![
            ClaimStep {
                amount_sat: 380_000,
                kind: ClaimKind::AwaitingConfirmations {
                    unlock_height: HEIGHT + 130,
                    cause: ClaimCause::OurForceClose,
                },
            },
            ClaimStep {
                amount_sat: 20_000,
                kind: ClaimKind::HtlcRefundAfterTimeout {
                    payment_hash: "cd".repeat(32),
                    claimable_height: HEIGHT + 40,
                },
            },
        ],
        htlcs: vec![PendingHtlc {
            outgoing: true,
            amount_sat: 20_000,
            payment_hash: Some("cd".repeat(32)),
            expiry_height: Some(HEIGHT + 40),
        }],
        fees: None,
        history: ChannelHistory {
            opened_at: Some(1_795_000_000),
            ready_at: Some(1_795_000_600),
            closed_at: Some(1_795_100_000),
            close_reason: Some(CloseReason::ForceClosedByUs),
            opening_balance_sat: Some(999_013),
            opening_outpoint: Some(format!("{}:0", "bb".repeat(32))),
            balance_at_close_sat: Some(400_000),
            splices: Vec::new(),
        },
        ..active()
    }
}

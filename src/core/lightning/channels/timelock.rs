//! The heights the money in the channels waits for: a force close's CSV delay, an HTLC's CLTV
//! expiry. The Lab offers to mine to each of them, so a tester sees the timelock end.

use crate::core::lightning::channels::{ChannelsOverview, ClaimCause, ClaimKind};

/// What waits for a height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelockKind {
    /// Our output after our force close: locked for the CSV delay the peer set, so the peer
    /// has time to prove a revoked state.
    Csv,
    /// An HTLC we sent: at its CLTV expiry it can come back to us on chain, unless the peer
    /// reveals the preimage first.
    HtlcRefund,
    /// An HTLC sent to us without its preimage: at its CLTV expiry the peer can take it back.
    HtlcPeerRefund,
    /// An HTLC paid to us whose preimage we hold: we must claim it on chain before this height.
    HtlcClaimDeadline,
}

/// One timelock of one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timelock {
    /// Our id of the channel.
    pub channel: String,
    /// The peer's node id, hex.
    pub peer: String,
    pub kind: TimelockKind,
    pub amount_sat: u64,
    pub height: u32,
}

impl ChannelsOverview {
    /// Every timelock not yet reached, nearest first: of open channels their HTLCs in flight,
    /// of closed ones the claims still waiting.
    pub fn timelocks(&self) -> Vec<Timelock> {
        let mut out = Vec::new();
        for c in &self.channels {
            let mut push = |kind, amount_sat, height: u32| {
                if height > self.height {
                    out.push(Timelock {
                        channel: c.id.clone(),
                        peer: c.peer.clone(),
                        kind,
                        amount_sat,
                        height,
                    });
                }
            };
            if c.status.is_open() {
                for h in &c.htlcs {
                    let kind = if h.outgoing {
                        TimelockKind::HtlcRefund
                    } else {
                        TimelockKind::HtlcPeerRefund
                    };
                    if let Some(height) = h.expiry_height {
                        push(kind, h.amount_sat, height);
                    }
                }
                continue;
            }
            for step in &c.claims {
                let (kind, height) = match &step.kind {
                    ClaimKind::AwaitingConfirmations {
                        unlock_height,
                        cause: ClaimCause::OurForceClose,
                    } => (TimelockKind::Csv, *unlock_height),
                    ClaimKind::HtlcRefundAfterTimeout {
                        claimable_height, ..
                    } => (TimelockKind::HtlcRefund, *claimable_height),
                    ClaimKind::HtlcPeerRefund { expiry_height, .. } => {
                        (TimelockKind::HtlcPeerRefund, *expiry_height)
                    }
                    ClaimKind::HtlcClaimWithPreimage { timeout_height, .. } => {
                        (TimelockKind::HtlcClaimDeadline, *timeout_height)
                    }
                    _ => continue,
                };
                push(kind, step.amount_sat, height);
            }
        }
        out.sort_by_key(|t| t.height);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lightning::channels::samples::{active, force_closing, HEIGHT};
    use crate::core::lightning::channels::PendingHtlc;

    #[test]
    fn timelocks_of_open_and_closed_channels_nearest_first() {
        let mut open = active();
        open.htlcs[0].expiry_height = Some(HEIGHT + 80);
        open.htlcs.push(PendingHtlc {
            outgoing: false,
            amount_sat: 7_000,
            payment_hash: None,
            // Passed already: nothing to mine to.
            expiry_height: Some(HEIGHT),
        });
        let o = ChannelsOverview {
            channels: vec![open, force_closing()],
            height: HEIGHT,
        };
        let t: Vec<(TimelockKind, u64, u32)> = o
            .timelocks()
            .iter()
            .map(|t| (t.kind, t.amount_sat, t.height))
            .collect();
        assert_eq!(
            t,
            vec![
                (TimelockKind::HtlcRefund, 20_000, HEIGHT + 40),
                (TimelockKind::HtlcRefund, 50_000, HEIGHT + 80),
                (TimelockKind::Csv, 380_000, HEIGHT + 130),
            ]
        );
    }
}

//! Words for a channel's state: the status label with its colour, the one or two sentences that
//! say what protects the money right now, close reasons, and each step of the claim timeline.

use crate::ui::theme::Tone;

use crate::core::lightning::channels::{
    Channel, ChannelStatus, ClaimCause, ClaimKind, ClaimStep, CloseReason, SpliceDirection,
    SpliceRecord, SpliceState,
};
use crate::fl;
use crate::ui::format;

/// The status in a word or three, and the tone it is drawn in.
pub fn status(s: &ChannelStatus) -> (String, Tone) {
    match s {
        // The confirmations are counted by the bar drawn under the word.
        ChannelStatus::Opening { .. } => (fl!("ch-status-opening"), Tone::Warning),
        ChannelStatus::Active => (fl!("ch-status-active"), Tone::Success),
        ChannelStatus::PeerOffline => (fl!("ch-status-offline"), Tone::Muted),
        ChannelStatus::Closing => (fl!("ch-status-closing"), Tone::Accent),
        // The blocks still to wait are drawn as a bar under the word.
        ChannelStatus::ForceClosing { .. } => (fl!("ch-status-force-closing"), Tone::Danger),
        ChannelStatus::Closed => (fl!("ch-status-closed"), Tone::Muted),
    }
}

/// What protects the money right now, in plain sentences.
pub fn protection(c: &Channel) -> Vec<String> {
    let delay = c.our_delay_blocks.map(u32::from);
    match c.status {
        ChannelStatus::Opening {
            confirmations,
            required,
        } => vec![fl!(
            "ch-explain-opening",
            n = confirmations.to_string(),
            required = required.map_or("?".to_string(), |r| r.to_string())
        )],
        ChannelStatus::Active | ChannelStatus::PeerOffline => {
            let mut v = Vec::new();
            if c.status == ChannelStatus::PeerOffline {
                v.push(fl!("ch-explain-offline"));
            }
            v.push(fl!(
                "ch-explain-revocation",
                theirs = format::sat(c.parts.theirs_sat),
                reserve = format::sat(c.parts.peer_reserve_sat)
            ));
            if let Some(d) = delay {
                v.push(fl!("ch-explain-csv", delay = format::blocks(d)));
            }
            if !c.htlcs.is_empty() {
                v.push(fl!("ch-explain-htlc"));
            }
            v
        }
        ChannelStatus::Closing => vec![fl!("ch-explain-closing")],
        ChannelStatus::ForceClosing { .. } => vec![fl!("ch-explain-force-closing")],
        ChannelStatus::Closed => vec![fl!("ch-explain-closed")],
    }
}

pub fn close_reason(r: &CloseReason) -> String {
    match r {
        CloseReason::CooperativeByUs => fl!("ch-reason-coop-us"),
        CloseReason::CooperativeByPeer => fl!("ch-reason-coop-peer"),
        CloseReason::ForceClosedByUs => fl!("ch-reason-force-us"),
        CloseReason::ForceClosedByPeer { message } => {
            fl!("ch-reason-force-peer", message = format::sanitize(message))
        }
        CloseReason::ClosedOnChain => fl!("ch-reason-on-chain"),
        CloseReason::RefusedByPeer { message } => {
            fl!("ch-reason-refused", message = format::sanitize(message))
        }
        CloseReason::FundingTimedOut => fl!("ch-reason-funding-timeout"),
        CloseReason::AfterCrash => fl!("ch-reason-after-crash"),
        CloseReason::Other { text } => fl!("ch-reason-other", text = format::sanitize(text)),
    }
}

/// One splice of the channel's history: which way, how much, where it stands.
pub fn splice(s: &SpliceRecord) -> String {
    let amount = s.amount_sat.map(format::sat).unwrap_or_default();
    let what = match s.direction {
        SpliceDirection::In => fl!("splice-history-in", amount = amount),
        SpliceDirection::Out => fl!("splice-history-out", amount = amount),
        SpliceDirection::ByPeer => fl!("splice-history-peer"),
    };
    let state = match s.state {
        SpliceState::Negotiating => fl!("splice-state-negotiating"),
        SpliceState::Pending => fl!("splice-state-pending"),
        SpliceState::Locked => fl!("splice-state-locked"),
        SpliceState::Failed => fl!("splice-state-failed"),
        SpliceState::Interrupted => fl!("splice-state-interrupted"),
    };
    format!("{what} · {state}")
}

/// One line of the claim timeline.
pub fn claim(step: &ClaimStep, height: u32) -> String {
    let amount = format::sat(step.amount_sat);
    let at = |h: u32| {
        if h > height {
            fl!(
                "ch-claim-at",
                height = h.to_string(),
                left = (h - height).to_string()
            )
        } else {
            fl!("ch-claim-reached", height = h.to_string())
        }
    };
    match &step.kind {
        ClaimKind::AwaitingCloseTransaction => fl!("ch-claim-close-tx", amount = amount),
        ClaimKind::AwaitingConfirmations {
            unlock_height,
            cause,
        } => {
            let when = at(*unlock_height);
            match cause {
                ClaimCause::OurForceClose => fl!("ch-claim-csv", amount = amount, when = when),
                ClaimCause::PeerForceClose => {
                    fl!("ch-claim-peer-close", amount = amount, when = when)
                }
                ClaimCause::CooperativeClose => fl!("ch-claim-coop", amount = amount, when = when),
                ClaimCause::Htlc => fl!("ch-claim-htlc-output", amount = amount, when = when),
            }
        }
        ClaimKind::HtlcClaimWithPreimage { timeout_height, .. } => fl!(
            "ch-claim-htlc-preimage",
            amount = amount,
            when = at(*timeout_height)
        ),
        ClaimKind::HtlcRefundAfterTimeout {
            claimable_height, ..
        } => fl!(
            "ch-claim-htlc-timeout",
            amount = amount,
            when = at(*claimable_height)
        ),
        ClaimKind::HtlcPeerRefund { expiry_height, .. } => fl!(
            "ch-claim-htlc-peer",
            amount = amount,
            when = at(*expiry_height)
        ),
        ClaimKind::PenaltyClaim => fl!("ch-claim-penalty", amount = amount),
        ClaimKind::SweepPending => fl!("ch-claim-sweep-pending", amount = amount),
        ClaimKind::SweepBroadcast { txid } => fl!(
            "ch-claim-sweep-broadcast",
            amount = amount,
            txid = format::short_id(txid)
        ),
        ClaimKind::SweepConfirming { safe_height, .. } => fl!(
            "ch-claim-sweep-confirming",
            amount = amount,
            when = at(*safe_height)
        ),
    }
}

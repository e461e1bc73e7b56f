//! The view model of a channel: where every satoshi of its capacity sits right now, what
//! protects it, and after a close, when each part comes back to the on-chain wallet.
//!
//! Plain data only (no ldk-node types), so screens and tests read the same truth and a screen
//! test can draw a made-up set of channels. [`build`] fills it from ldk-node; [`book`] keeps
//! what ldk-node forgets once a channel is closed.

pub mod book;
pub mod build;
pub mod dust;
mod ops;
mod request;
#[cfg(any(test, feature = "testing"))]
pub mod samples;
pub mod splice;
pub mod timelock;
pub mod unproven;

pub use book::{
    ChannelBook, ChannelRecord, CloseReason, SpliceDirection, SpliceRecord, SpliceState,
};
pub use dust::dust_exposure_limit_sat;
pub use ops::{Channels, ANCHOR_RESERVE_SAT, MIN_CLTV_DELTA};
pub use request::{OpenChannelRequest, PeerUri, MIN_CHANNEL_SAT};
pub use splice::{
    estimated_fee_sat, ChannelPayout, SpliceOutTo, SPLICE_IN_VBYTES, SPLICE_OUT_VBYTES,
};
pub use timelock::{Timelock, TimelockKind};

/// Blocks an hour holds on average (one block per ten minutes).
pub const BLOCKS_PER_HOUR: u32 = 6;

/// The delay we ask of every peer: after the peer closes alone it waits this many blocks, which
/// is our window to punish an old state. LDK's default, which Shandian does not change.
pub const PEER_TO_SELF_DELAY: u16 = ldk_node::lightning::ln::channelmanager::BREAKDOWN_TIMEOUT;

/// Blocks a sweep needs before LDK stops watching it (LDK's reorg safety margin).
pub const SWEEP_SAFE_CONFIRMATIONS: u32 = 6;

/// One channel, open or closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// Our own id for the channel (ldk-node's `user_channel_id`, decimal).
    pub id: String,
    /// The protocol's channel id, hex.
    pub channel_id: String,
    /// The peer's node id, hex.
    pub peer: String,
    pub status: ChannelStatus,
    pub capacity_sat: u64,
    /// We opened (and funded) it.
    pub opened_by_us: bool,
    /// Announced to the network for routing.
    pub public: bool,
    pub parts: BalanceParts,
    /// What closing now would pay us (before the closing fee), as LDK counts it.
    pub our_balance_sat: u64,
    /// `txid:vout` of the 2-of-2 output.
    pub funding_outpoint: Option<String>,
    /// `block x tx x output`.
    pub short_channel_id: Option<String>,
    /// Blocks our money waits after we close alone (the CSV on our output); set by the peer.
    pub our_delay_blocks: Option<u16>,
    /// Blocks the peer's money waits after it closes alone; set by us.
    pub peer_delay_blocks: u16,
    pub limits: HtlcLimits,
    /// The fee rate of the commitment transactions, set by the opener (sat per 1000 weight
    /// units); 0 once closed.
    pub commitment_feerate_sat_per_kw: u32,
    /// The most this channel may have at stake in dust HTLCs and excess commitment fees
    /// ([`dust`]); `None`: LDK's fee-rate multiple (not yet set, or closed).
    pub dust_exposure_limit_sat: Option<u64>,
    /// The latest incoming payment this channel refused in this run because of that limit.
    pub refused_incoming: Option<crate::core::lightning::ldk_log::IncomingRefusal>,
    /// Restored from a backup and not met its peer since: its state is not proven current,
    /// and a force close could broadcast a revoked one (see [`unproven`]).
    pub unproven: bool,
    /// Our fee policy for payments routed through this channel.
    pub fees: Option<FeePolicy>,
    /// HTLCs that LDK reports for the channel (in flight, or to settle on chain after a close).
    pub htlcs: Vec<PendingHtlc>,
    /// After a close: each part of our money on its way back, in order.
    pub claims: Vec<ClaimStep>,
    pub history: ChannelHistory,
}

/// What a channel is doing, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelStatus {
    /// Funding transaction sent; waiting for confirmations.
    Opening {
        confirmations: u32,
        required: Option<u32>,
    },
    Active,
    /// Open, but the peer is not connected: nothing can be paid through it now.
    PeerOffline,
    /// A cooperative close is under way or confirming.
    Closing,
    /// Closed alone (by us or the peer): funds wait for a timelock or confirmations.
    ForceClosing {
        blocks_left: u32,
    },
    /// Nothing of it is left to claim.
    Closed,
}

impl ChannelStatus {
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            ChannelStatus::Opening { .. } | ChannelStatus::Active | ChannelStatus::PeerOffline
        )
    }
}

/// The channel's capacity as the outputs of our latest commitment transaction (what a close
/// would put on chain now) and its fee: the parts add up to the capacity. What each side can
/// move now, and the floor each side's output must keep (its reserve), describe an output; they
/// are not parts of their own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BalanceParts {
    /// Our output: ours at a close (after the CSV delay on a force close of ours).
    pub ours_sat: u64,
    /// HTLC outputs of our payments (or forwards) on their way out.
    pub htlc_out_sat: u64,
    /// HTLC outputs of payments on their way in to us.
    pub htlc_in_sat: u64,
    /// The peer's output.
    pub theirs_sat: u64,
    /// The anchor outputs (330 sat each, to bump a force close's fee), paid by the opener: one
    /// beside each side's output (or HTLCs), left out with an output too small to exist.
    pub anchors_sat: u64,
    /// The commitment transaction's fee, paid by the opener, with whatever is too small to be
    /// an output of its own.
    pub commitment_fee_sat: u64,
    /// What we can send now (as LDK counts it: for the opener, before the commitment fee).
    pub our_spendable_sat: u64,
    /// What we can receive now.
    pub peer_spendable_sat: u64,
    /// The floor the peer requires of our output (our reserve): a penalty takes at least this
    /// from us if we ever broadcast an old state. Binds once our output has grown past it.
    pub our_reserve_sat: u64,
    /// The floor we require of the peer's output (its reserve), once it has that much.
    pub peer_reserve_sat: u64,
}

impl BalanceParts {
    /// The sum of the parts: the capacity.
    pub fn total(&self) -> u64 {
        self.ours_sat
            + self.htlc_out_sat
            + self.htlc_in_sat
            + self.theirs_sat
            + self.anchors_sat
            + self.commitment_fee_sat
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HtlcLimits {
    /// Smallest and largest single HTLC we can send now.
    pub send_min_msat: u64,
    pub send_max_msat: u64,
    /// Smallest and largest HTLC we accept.
    pub receive_min_msat: u64,
    pub receive_max_msat: Option<u64>,
    /// Largest HTLC the peer accepts (its in-flight limit for us).
    pub peer_accepts_max_msat: Option<u64>,
}

/// Routing fees we charge for forwarding over this channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeePolicy {
    pub base_msat: u32,
    pub ppm: u32,
    pub cltv_delta: u16,
}

impl FeePolicy {
    /// Reads a policy as typed: a base fee in msat, a rate in ppm and a CLTV delta in blocks,
    /// each a whole number (spaces around allowed).
    pub fn parse(base_msat: &str, ppm: &str, cltv_delta: &str) -> Result<FeePolicy, ChannelError> {
        let bad = |_| ChannelError::BadFeePolicy;
        Ok(FeePolicy {
            base_msat: base_msat.trim().parse().map_err(bad)?,
            ppm: ppm.trim().parse().map_err(bad)?,
            cltv_delta: cltv_delta.trim().parse().map_err(bad)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingHtlc {
    pub outgoing: bool,
    pub amount_sat: u64,
    /// Hex, when known.
    pub payment_hash: Option<String>,
    /// The CLTV height that decides it, when known.
    pub expiry_height: Option<u32>,
}

/// One part of our money on its way back after a close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimStep {
    pub amount_sat: u64,
    pub kind: ClaimKind,
}

/// Why a claim waits for confirmations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimCause {
    CooperativeClose,
    /// We closed alone: our output is under the CSV delay.
    OurForceClose,
    /// The peer closed alone: our output is not delayed, only confirming.
    PeerForceClose,
    Htlc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimKind {
    /// Closed, but the closing (or commitment) transaction is not in a block yet.
    AwaitingCloseTransaction,
    /// Ours once the chain reaches `unlock_height`.
    AwaitingConfirmations {
        unlock_height: u32,
        cause: ClaimCause,
    },
    /// An HTLC paid to us: we hold the preimage and must claim it before `timeout_height`.
    HtlcClaimWithPreimage {
        payment_hash: String,
        timeout_height: u32,
    },
    /// An HTLC we sent that did not settle: it returns to us at `claimable_height` unless the
    /// peer reveals the preimage first.
    HtlcRefundAfterTimeout {
        payment_hash: String,
        claimable_height: u32,
    },
    /// An HTLC offered to us without the preimage: the peer takes it back at `expiry_height`.
    HtlcPeerRefund {
        payment_hash: String,
        expiry_height: u32,
    },
    /// The peer broadcast a revoked state: our penalty transaction claims its output.
    PenaltyClaim,
    /// Our sweep to the wallet is about to be broadcast.
    SweepPending,
    /// Our sweep is broadcast, not yet in a block.
    SweepBroadcast { txid: String },
    /// Our sweep is in a block; the wallet counts it as settled at `safe_height`.
    SweepConfirming { txid: String, safe_height: u32 },
}

impl ClaimStep {
    /// The height this step waits for, if it waits for one.
    pub fn height(&self) -> Option<u32> {
        match &self.kind {
            ClaimKind::AwaitingConfirmations { unlock_height, .. } => Some(*unlock_height),
            ClaimKind::HtlcClaimWithPreimage { timeout_height, .. } => Some(*timeout_height),
            ClaimKind::HtlcRefundAfterTimeout {
                claimable_height, ..
            } => Some(*claimable_height),
            ClaimKind::HtlcPeerRefund { expiry_height, .. } => Some(*expiry_height),
            ClaimKind::SweepConfirming { safe_height, .. } => Some(*safe_height),
            ClaimKind::AwaitingCloseTransaction
            | ClaimKind::PenaltyClaim
            | ClaimKind::SweepPending
            | ClaimKind::SweepBroadcast { .. } => None,
        }
    }
}

/// When things happened to the channel (Unix seconds), as far as this wallet saw them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelHistory {
    pub opened_at: Option<u64>,
    pub ready_at: Option<u64>,
    pub closed_at: Option<u64>,
    pub close_reason: Option<CloseReason>,
    /// What the channel brought into the Lightning balance when it opened (see
    /// [`ChannelRecord::opening_balance_sat`]).
    pub opening_balance_sat: Option<u64>,
    /// The funding output the channel opened with (`txid:vout`); a splice moves the channel's
    /// `funding_outpoint` on, not this.
    pub opening_outpoint: Option<String>,
    /// Our balance when last seen open, once closed.
    pub balance_at_close_sat: Option<u64>,
    /// Every splice of the channel, oldest first.
    pub splices: Vec<SpliceRecord>,
}

/// The channels and what they add up to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelsOverview {
    /// Open first (as LDK lists them), then closing, then closed, newest first.
    pub channels: Vec<Channel>,
    pub height: u32,
}

impl ChannelsOverview {
    /// What closed and closing channels still owe us: money on its way back on chain.
    pub fn returning_sat(&self) -> u64 {
        self.channels
            .iter()
            .filter(|c| !c.status.is_open())
            .map(|c| c.our_balance_sat)
            .sum()
    }

    /// What can be sent over active channels now.
    pub fn can_send_sat(&self) -> u64 {
        self.active().map(|c| c.parts.our_spendable_sat).sum()
    }

    /// What can be received over active channels now.
    pub fn can_receive_sat(&self) -> u64 {
        self.active().map(|c| c.parts.peer_spendable_sat).sum()
    }

    /// What one payment can bring in now: per channel, what the peer can send us, capped by the
    /// largest HTLC we accept (our in-flight limit); summed, as the payer may split it.
    pub fn can_receive_in_one_payment_msat(&self) -> u64 {
        self.active()
            .map(|c| {
                let room = c.parts.peer_spendable_sat.saturating_mul(1000);
                c.limits.receive_max_msat.map_or(room, |max| room.min(max))
            })
            .sum()
    }

    /// The smallest payment the active channels carry now: LDK raises a channel's smallest to
    /// keep payments above what a close would lose as dust, and sends that much when asked
    /// for less. `None` without an active channel that can send.
    pub fn smallest_payment_msat(&self) -> Option<u64> {
        self.active()
            .filter(|c| c.limits.send_max_msat >= c.limits.send_min_msat)
            .map(|c| c.limits.send_min_msat)
            .min()
    }

    pub fn get(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id == id)
    }

    fn active(&self) -> impl Iterator<Item = &Channel> {
        self.channels
            .iter()
            .filter(|c| c.status == ChannelStatus::Active)
    }
}

/// `block x tx x output` of a short channel id.
pub fn format_scid(scid: u64) -> String {
    format!(
        "{}x{}x{}",
        scid >> 40,
        (scid >> 16) & 0xFF_FFFF,
        scid & 0xFFFF
    )
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelError {
    #[error("no node address entered")]
    EmptyUri,
    #[error("a node address looks like pubkey@host:port")]
    MalformedUri,
    #[error("the node id is not a valid public key")]
    BadNodeId,
    #[error("the host:port part is not a valid address")]
    BadPeerAddress,
    #[error("that is this wallet's own node")]
    OwnNode,
    #[error("cannot reach the peer at {address}")]
    PeerUnreachable { address: String },
    #[error("a channel must hold at least {minimum_sat} sat")]
    TooSmall { minimum_sat: u64 },
    #[error("a channel may hold at most {maximum_sat} sat")]
    TooLarge { maximum_sat: u64 },
    #[error("the channel is larger than the {spendable_sat} sat that can be spent")]
    AboveSpendable { spendable_sat: u64 },
    #[error("{reserve_sat} sat must stay on chain for fee bumping; {spendable_sat} sat spendable")]
    MissingAnchorReserve {
        reserve_sat: u64,
        spendable_sat: u64,
    },
    #[error("the amount given to the peer must be less than the capacity")]
    PushTooLarge,
    #[error("public channels need a node others can reach")]
    PublicNeedsListening,
    #[error("LDK could not start the channel: {0}")]
    CannotOpen(String),
    #[error("no open channel with that id")]
    UnknownChannel,
    #[error("a cooperative close needs the peer online and the channel idle")]
    CooperativeCloseFailed,
    #[error("the channel could not be closed: {0}")]
    CloseFailed(String),
    /// A force close of a channel restored from a backup that has not met its peer since.
    #[error("the channel was restored from a backup and has not met its peer since")]
    Unproven,
    /// Opening a channel on a real network needs a working channel backup.
    #[error("choose a working channel backup before opening a channel")]
    NeedsBackup,
    /// A fee policy field that is not a whole number in its range.
    #[error("the fees must be whole numbers")]
    BadFeePolicy,
    #[error("the CLTV delta must be at least {minimum} blocks")]
    CltvDeltaTooSmall { minimum: u16 },
    /// A splice of nothing.
    #[error("a splice must move at least 1 sat")]
    SpliceZero,
    /// Only a ready channel (its funding confirmed, not closing) can be spliced.
    #[error("the channel is not ready to be spliced")]
    SpliceNotReady,
    #[error("a splice needs the peer online")]
    SplicePeerAway,
    #[error("the channel already has a splice on its way")]
    SpliceUnderWay,
    #[error("more than the {spendable_sat} sat that can be spent on chain")]
    SpliceAboveOnchain { spendable_sat: u64 },
    #[error("more than the {can_send_sat} sat this channel can send")]
    SpliceAboveChannel { can_send_sat: u64 },
    /// The peer's node does not offer splicing (LDK: "Peer does not support splicing").
    #[error("the peer's node cannot splice")]
    PeerCannotSplice,
    /// Only confirmed coins go into a splice.
    #[error("a splice in needs confirmed coins")]
    SpliceNeedsConfirmedCoins,
    #[error("LDK could not start the splice: {0}")]
    CannotSplice(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fee_policy_is_read_as_typed() {
        assert_eq!(
            FeePolicy::parse(" 1000", "1 ", "144"),
            Ok(FeePolicy {
                base_msat: 1_000,
                ppm: 1,
                cltv_delta: 144
            })
        );
        assert_eq!(
            FeePolicy::parse("1.5", "1", "144"),
            Err(ChannelError::BadFeePolicy)
        );
        assert_eq!(
            FeePolicy::parse("1", "1", "70000"),
            Err(ChannelError::BadFeePolicy),
            "a CLTV delta beyond u16"
        );
    }

    #[test]
    fn scid_reads_as_block_tx_output() {
        let scid = (103u64 << 40) | (1 << 16) | 2;
        assert_eq!(format_scid(scid), "103x1x2");
    }
}

//! Scenarios: a plain TOML file of Lab steps (start nodes, fund, open, pay, fault, mine, expect)
//! that the Lab runs against the wallet, from the app or from a terminal with no window
//! (`shandian lab run FILE`). `docs/scenarios.md` describes the format; `scenarios/` holds
//! examples.
//!
//! ```toml
//! name = "Breach and penalty"
//!
//! [[step]]
//! nodes = ["Alice"]
//!
//! [[step]]
//! open = { from = "wallet", to = "Alice", capacity_sat = 1_000_000 }
//!
//! [[step]]
//! expect = { channel = { with = "Alice", state = "active" }, within_secs = 60 }
//! ```

mod expect;
mod headless;
mod run;

use serde::{Deserialize, Serialize};

use crate::lab::network::Preset;
use crate::lab::peer::PayBy;
use crate::lab::LabError;

pub use headless::run_file;
pub use run::{Progress, Runner};

/// The name a scenario uses for the wallet (every other name is a lab node's).
pub const WALLET: &str = "wallet";

/// How long an expectation may take by default.
pub const DEFAULT_WITHIN_SECS: u64 = 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    /// What it shows, in a sentence or two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    #[serde(rename = "step", default)]
    pub steps: Vec<Step>,
}

/// One step. In the file each is a `[[step]]` table with one key, the step's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// Lab nodes that must run (added in order: naming Carol also brings Alice and Bob).
    Nodes(Vec<String>),
    /// A whole network in one go (`line_of_three`, `diamond`).
    Preset(Preset),
    /// A mature coinbase to the wallet or a lab node.
    Fund(String),
    Open(Open),
    Pay(Pay),
    Fault(FaultStep),
    /// The wallet closes its channels with a lab node, cooperatively or forced.
    Close(Close),
    /// The wallet or a lab node moves coins from its on-chain wallet into their channel
    /// (experimental in LDK); the step ends once the splice's transaction is out.
    SpliceIn(Splice),
    /// The wallet or a lab node moves part of its side of their channel to its own on-chain
    /// address; the step ends once the splice's transaction is out.
    SpliceOut(Splice),
    /// Mine this many blocks.
    Mine(u32),
    /// Mine until the nearest timelock of this kind among the wallet's channels.
    MineTo(TimelockName),
    /// Remember the on-chain balances now, under a name, for `*_onchain_grew` expectations.
    Mark(String),
    /// Mine until the wallet's channels with this lab node are closed and nothing is left to
    /// claim.
    Settle(String),
    Expect(Box<Expect>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Open {
    /// `wallet` or a lab node.
    pub from: String,
    pub to: String,
    pub capacity_sat: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub push_sat: u64,
    /// A public channel, gossiped once it has six confirmations (between lab nodes).
    #[serde(default, skip_serializing_if = "is_false")]
    pub announce: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pay {
    pub from: String,
    pub to: String,
    pub amount_sat: u64,
    /// `invoice` (the default), `offer` or `keysend`.
    #[serde(default, skip_serializing_if = "is_invoice")]
    pub by: PayBy,
    /// The payee (a lab node) holds the payment: the step ends once its HTLC is in flight.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hold: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultStep {
    pub node: String,
    #[serde(rename = "do")]
    pub fault: FaultName,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultName {
    GoOffline,
    ComeBack,
    ForceClose,
    KeepState,
    Breach,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Close {
    pub with: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub force: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Splice {
    /// `wallet` or a lab node: who splices; `with` is the other end of the channel.
    pub by: String,
    pub with: String,
    pub amount_sat: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelockName {
    /// A force close's CSV delay.
    Csv,
    /// An HTLC the wallet sent: its CLTV expiry.
    HtlcExpiry,
}

/// What must hold, within `within_secs` (60 by default). Exactly one check per step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// One of the wallet's channels with a lab node is in a state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<ExpectChannel>,
    /// The claim timeline of the wallet's channel with a lab node has a step of a kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<ExpectClaim>,
    /// The wallet's active channel with a lab node has this capacity (after a splice locks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<ExpectCapacity>,
    /// The wallet's graph (what its router searches) holds at least this many announced
    /// channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph: Option<ExpectGraph>,
    /// How the scenario's last payment ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentEnd>,
    /// The wallet's on-chain balance since a mark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_onchain_grew: Option<Growth>,
    /// A lab node's on-chain balance since a mark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_onchain_grew: Option<NodeGrowth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_secs: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectChannel {
    pub with: String,
    pub state: ChannelState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectCapacity {
    pub with: String,
    /// Exactly this many sat, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sat: Option<u64>,
    /// At least / at most (a splice out's fee comes out of the capacity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least_sat: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most_sat: Option<u64>,
}

impl ExpectCapacity {
    pub(crate) fn holds(&self, sat: u64) -> bool {
        self.sat.is_none_or(|s| s == sat)
            && self.at_least_sat.is_none_or(|a| sat >= a)
            && self.at_most_sat.is_none_or(|m| sat <= m)
    }

    /// "1,000 sat", "between 1,000 and 2,000 sat", ...
    pub(crate) fn words(&self) -> String {
        match (self.sat, self.at_least_sat, self.at_most_sat) {
            (Some(s), _, _) => format!("{s} sat"),
            (None, Some(a), Some(m)) => format!("between {a} and {m} sat"),
            (None, Some(a), None) => format!("at least {a} sat"),
            (None, None, Some(m)) => format!("at most {m} sat"),
            (None, None, None) => "any size".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectGraph {
    pub channels_at_least: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelState {
    Opening,
    Active,
    PeerOffline,
    Closing,
    ForceClosing,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectClaim {
    pub with: String,
    pub kind: ClaimName,
    /// The claim's amount, to the sat, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_sat: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimName {
    /// The peer broadcast a revoked state; our penalty transaction claims its output.
    Penalty,
    /// An HTLC we sent, ours again on chain after its CLTV expiry.
    HtlcTimeout,
    /// Our output after our own force close, under the CSV delay.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentEnd {
    Succeeded,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Growth {
    /// A `mark` step's name.
    pub since: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least_sat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most_sat: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeGrowth {
    pub node: String,
    pub since: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least_sat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most_sat: Option<i64>,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

fn is_false(v: &bool) -> bool {
    !*v
}

fn is_invoice(v: &PayBy) -> bool {
    *v == PayBy::Invoice
}

/// Why a scenario did not pass.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    #[error("the scenario file could not be read: {0}")]
    Read(String),
    #[error("the scenario file is not valid: {0}")]
    Parse(String),
    /// Step `index` (from 1) did not do what it says.
    #[error("step {index} failed: {failure}")]
    Step { index: usize, failure: StepFailure },
    #[error("the Lab or wallet for the scenario did not start: {0}")]
    Setup(String),
}

/// What went wrong in a step.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StepFailure {
    /// The step itself is wrong (an unknown mark, a check naming nothing, a node that does
    /// not take part in what was asked).
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Lab(#[from] LabError),
    #[error("{0}")]
    Wallet(String),
    /// A payment the step made failed.
    #[error("the payment failed")]
    PaymentFailed,
    /// An expectation was not met in time; `seen` is what was there instead.
    #[error("expected {expected}, but after {secs} s: {seen}")]
    Unmet {
        expected: String,
        seen: String,
        secs: u64,
    },
}

impl Scenario {
    /// Reads a scenario from TOML, checking what can be checked before it runs.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let s: Scenario = toml::from_str(text).map_err(|e| ScenarioError::Parse(e.to_string()))?;
        for (i, step) in s.steps.iter().enumerate() {
            if let Step::Expect(e) = step {
                if e.checks() != 1 {
                    return Err(ScenarioError::Parse(format!(
                        "step {}: an expect step names exactly one check (channel, claim, \
                         graph, payment, wallet_onchain_grew or node_onchain_grew)",
                        i + 1
                    )));
                }
            }
        }
        Ok(s)
    }

    /// The scenario as a TOML file.
    pub fn to_toml(&self) -> Result<String, ScenarioError> {
        toml::to_string(self).map_err(|e| ScenarioError::Parse(e.to_string()))
    }
}

impl std::fmt::Display for Step {
    /// The step in a few words, as a progress line names it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Step::Nodes(names) => write!(f, "lab nodes {}", names.join(", ")),
            Step::Preset(p) => write!(f, "build the {p:?} network"),
            Step::Fund(who) => write!(f, "fund {who}"),
            Step::Open(o) => write!(
                f,
                "{} opens a channel of {} sat to {}{}",
                o.from,
                o.capacity_sat,
                o.to,
                if o.push_sat > 0 {
                    format!(", pushing {} sat", o.push_sat)
                } else {
                    String::new()
                }
            ),
            Step::Pay(p) => write!(
                f,
                "{} pays {} {} sat by {:?}{}",
                p.from,
                p.to,
                p.amount_sat,
                p.by,
                if p.hold { ", held" } else { "" }
            ),
            Step::Fault(x) => write!(f, "{}: {:?}", x.node, x.fault),
            Step::Close(c) => write!(
                f,
                "the wallet {} its channels with {}",
                if c.force { "force-closes" } else { "closes" },
                c.with
            ),
            Step::SpliceIn(s) => write!(
                f,
                "{} splices {} sat into its channel with {}",
                s.by, s.amount_sat, s.with
            ),
            Step::SpliceOut(s) => write!(
                f,
                "{} splices {} sat out of its channel with {}",
                s.by, s.amount_sat, s.with
            ),
            Step::Mine(n) => write!(f, "mine {n} blocks"),
            Step::MineTo(t) => write!(f, "mine to the nearest {t:?} timelock"),
            Step::Mark(m) => write!(f, "mark the balances as {m}"),
            Step::Settle(n) => write!(f, "mine until the channels with {n} are settled"),
            Step::Expect(e) => write!(
                f,
                "expect {} within {} s",
                e.summary(),
                e.within_secs.unwrap_or(DEFAULT_WITHIN_SECS)
            ),
        }
    }
}

impl Expect {
    fn summary(&self) -> String {
        if let Some(c) = &self.channel {
            format!("a channel with {} {:?}", c.with, c.state)
        } else if let Some(c) = &self.capacity {
            format!("an active channel of {} with {}", c.words(), c.with)
        } else if let Some(c) = &self.claim {
            format!("a {:?} claim on the channels with {}", c.kind, c.with)
        } else if let Some(g) = &self.graph {
            format!(
                "at least {} channels in the wallet's graph",
                g.channels_at_least
            )
        } else if let Some(p) = &self.payment {
            format!("the last payment {p:?}")
        } else if let Some(g) = &self.wallet_onchain_grew {
            format!("the wallet's on-chain growth since {}", g.since)
        } else if let Some(g) = &self.node_onchain_grew {
            format!("{}'s on-chain growth since {}", g.node, g.since)
        } else {
            "nothing".into()
        }
    }

    fn checks(&self) -> usize {
        usize::from(self.channel.is_some())
            + usize::from(self.capacity.is_some())
            + usize::from(self.claim.is_some())
            + usize::from(self.graph.is_some())
            + usize::from(self.payment.is_some())
            + usize::from(self.wallet_onchain_grew.is_some())
            + usize::from(self.node_onchain_grew.is_some())
    }
}

#[cfg(test)]
mod tests;

//! Running a scenario's steps against a Lab and a wallet, through the same calls the Lab panel
//! and the wallet's screens make. Expectations are checked after each sync until they hold or
//! their time is up; between checks the runner waits for the wallet's next update.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::core::input::paste::parse_payment;
use crate::core::lightning::channels::{
    Channel, ChannelStatus, ClaimCause, ClaimKind, OpenRequest, TimelockKind,
};
use crate::core::lightning::payments::PaymentState;
use crate::core::wallet::Wallet;
use crate::lab::peer::PeerNode;
use crate::lab::scenario::{
    ChannelState, ClaimName, Close, Expect, FaultName, Open, Pay, PaymentEnd, Scenario,
    ScenarioError, Step, StepFailure, TimelockName, DEFAULT_WITHIN_SECS, WALLET,
};
use crate::lab::{off_thread, Fault, Lab, LabError};

/// How long a payment or a mined-to state may take before its step fails.
const STEP_TIMEOUT: Duration = Duration::from_secs(180);
/// Rounds of six blocks `settle` mines at most (a CSV delay of 144 blocks, then sweeps).
const SETTLE_ROUNDS: u32 = 60;

/// Where a running scenario is, for a progress line.
#[derive(Debug, Clone)]
pub enum Progress {
    Started { index: usize, total: usize },
    Passed { index: usize, secs: f64 },
}

pub struct Runner {
    lab: Arc<Lab>,
    wallet: Arc<Wallet>,
    /// On-chain balances by mark: the wallet's, and each running lab node's.
    marks: HashMap<String, Balances>,
    /// How the last payment ended, or the wallet's id of it while on its way.
    last_payment: Option<LastPayment>,
}

#[derive(Debug, Clone, Default)]
struct Balances {
    wallet_sat: u64,
    nodes_sat: HashMap<String, u64>,
}

#[derive(Debug, Clone)]
enum LastPayment {
    Wallet(String),
    Ended(bool),
}

impl Runner {
    pub fn new(lab: Arc<Lab>, wallet: Arc<Wallet>) -> Self {
        Runner {
            lab,
            wallet,
            marks: HashMap::new(),
            last_payment: None,
        }
    }

    /// Runs every step in order; stops at the first that fails.
    pub async fn run(
        &mut self,
        scenario: &Scenario,
        mut progress: impl FnMut(Progress),
    ) -> Result<(), ScenarioError> {
        let total = scenario.steps.len();
        for (i, step) in scenario.steps.iter().enumerate() {
            let index = i + 1;
            progress(Progress::Started { index, total });
            let started = Instant::now();
            self.step(step)
                .await
                .map_err(|failure| ScenarioError::Step { index, failure })?;
            progress(Progress::Passed {
                index,
                secs: started.elapsed().as_secs_f64(),
            });
        }
        Ok(())
    }

    async fn step(&mut self, step: &Step) -> Result<(), StepFailure> {
        match step {
            Step::Nodes(names) => {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                self.lab.ensure_nodes(&names).await?;
            }
            Step::Preset(p) => self.lab.build(*p, &self.wallet).await?,
            Step::Fund(who) => {
                let address = if who == WALLET {
                    self.wallet.new_address().await.map_err(wallet_err)?
                } else {
                    self.node(who)?.new_address()?
                };
                self.lab.fund(address).await?;
                self.lab.sync_nodes().await;
                self.sync().await;
            }
            Step::Open(o) => self.open(o).await?,
            Step::Pay(p) => self.pay(p).await?,
            Step::Fault(f) => {
                let fault = match f.fault {
                    FaultName::GoOffline => Fault::GoOffline,
                    FaultName::ComeBack => Fault::ComeBack,
                    FaultName::ForceClose => Fault::ForceClose,
                    FaultName::KeepState => Fault::KeepState,
                    FaultName::Breach => Fault::Breach,
                };
                self.lab.fault(&f.node, fault, &self.wallet).await?;
            }
            Step::Close(c) => self.close(c).await?,
            Step::Mine(blocks) => {
                self.lab.mine(*blocks).await?;
                self.lab.sync_nodes().await;
                self.sync().await;
            }
            Step::MineTo(name) => self.mine_to(*name).await?,
            Step::Mark(name) => {
                let balances = self.balances().await?;
                self.marks.insert(name.clone(), balances);
            }
            Step::Settle(node) => self.settle(node).await?,
            Step::Expect(e) => self.expect(e).await?,
        }
        Ok(())
    }

    fn node(&self, name: &str) -> Result<Arc<PeerNode>, StepFailure> {
        Ok(self.lab.node(name)?.online()?)
    }

    async fn sync(&self) {
        if let Err(e) = self.wallet.sync().await {
            log::warn!("scenario: a wallet sync failed (the next check syncs again): {e}");
        }
    }

    async fn open(&mut self, o: &Open) -> Result<(), StepFailure> {
        match (o.from.as_str(), o.to.as_str()) {
            (WALLET, WALLET) => Err(StepFailure::Invalid(
                "the wallet cannot open a channel to itself".into(),
            )),
            (WALLET, to) => {
                let uri = self.node(to)?.uri();
                let spendable = self
                    .wallet
                    .snapshot()
                    .await
                    .map_err(wallet_err)?
                    .balances
                    .onchain_spendable_sat;
                let req = OpenRequest::check(
                    &uri,
                    &o.capacity_sat.to_string(),
                    &o.push_sat.to_string(),
                    o.announce,
                    spendable,
                )
                .map_err(wallet_err)?;
                let id = self.wallet.open_channel(req).await.map_err(wallet_err)?;
                // Funded and in bitcoind before any block is mined over it.
                let funding = self
                    .wait_channels("the channel's funding transaction", |c| {
                        c.id == id && c.funding_outpoint.is_some()
                    })
                    .await?
                    .funding_outpoint
                    .unwrap_or_default();
                let txid = funding.split(':').next().unwrap_or_default().to_string();
                let lab = self.lab.clone();
                off_thread(move || lab.chain.wait_for_mempool(&[txid])).await?;
                Ok(())
            }
            (from, WALLET) => Ok(self
                .lab
                .opens_to_wallet(from, &self.wallet, o.capacity_sat, o.push_sat)
                .await?),
            (from, to) => Ok(self
                .lab
                .open_between(from, to, o.capacity_sat, o.push_sat, o.announce)
                .await?),
        }
    }

    async fn pay(&mut self, p: &Pay) -> Result<(), StepFailure> {
        if p.hold && (p.to == WALLET || p.from != WALLET) {
            return Err(StepFailure::Invalid(
                "only a payment from the wallet to a lab node can be held".into(),
            ));
        }
        let request = if p.hold {
            let (invoice, _) = self.node(&p.to)?.hold_invoice(p.amount_sat)?;
            invoice
        } else if p.to == WALLET {
            crate::lab::wallet_request(&self.wallet, p.by, p.amount_sat)
                .await
                .map_err(wallet_err)?
        } else {
            self.node(&p.to)?.request(p.by, p.amount_sat)?
        };
        if p.from != WALLET {
            let outcome = self.lab.node_pays(&p.from, request, p.amount_sat).await;
            self.last_payment = Some(LastPayment::Ended(outcome.is_ok()));
            return match outcome {
                Ok(()) => Ok(()),
                Err(LabError::PaymentFailed(_)) => Err(StepFailure::PaymentFailed),
                Err(e) => Err(e.into()),
            };
        }
        // As a person would: wait until the channels have room for it (a payment that just
        // ended stays in flight until both sides signed its removal).
        let msat = p.amount_sat * 1000;
        self.wait_channels("room in the wallet's channels for the payment", |c| {
            c.status == ChannelStatus::Active && c.limits.send_max_msat >= msat
        })
        .await?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let target = parse_payment(&request, self.wallet.network(), now)
            .map_err(|e| StepFailure::Wallet(e.to_string()))?;
        let id = self
            .wallet
            .pay(target, None, None)
            .await
            .map_err(wallet_err)?;
        self.last_payment = Some(LastPayment::Wallet(id.clone()));
        if p.hold {
            let holder = self.node(&p.to)?;
            let sat = p.amount_sat;
            return self
                .wait_node(&holder, "the held HTLC at the payee", move |n| {
                    holds_htlc(n, sat)
                })
                .await;
        }
        if !self.wallet_payment_end(&id).await? {
            return Err(StepFailure::PaymentFailed);
        }
        // Settled on both sides (the HTLC removed from both commitments) before the next step,
        // as a fault right after must not catch the channel mid-update.
        self.wait_channels("the payment settled in the channel", |c| {
            c.status == ChannelStatus::Active
                && c.parts.htlc_out_sat == 0
                && c.parts.htlc_in_sat == 0
        })
        .await
        .map(|_| ())
    }

    /// Waits until the wallet's payment `id` ends; whether it succeeded.
    async fn wallet_payment_end(&self, id: &str) -> Result<bool, StepFailure> {
        let wallet = self.wallet.clone();
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let mut last = wallet.snapshot().await.ok().and_then(|s| s.last_sync);
            match wallet.payment(id.to_string()).await.map_err(wallet_err)? {
                Some(p) if p.status == PaymentState::Succeeded => return Ok(true),
                Some(p) if p.status == PaymentState::Failed => return Ok(false),
                _ => {}
            }
            if Instant::now() > deadline {
                return Err(LabError::NodesTimeout("the payment to end".into()).into());
            }
            let _ =
                tokio::time::timeout(Duration::from_secs(3), wallet.next_update(&mut last)).await;
        }
    }

    async fn close(&mut self, c: &Close) -> Result<(), StepFailure> {
        let peer = self.node(&c.with)?.node_id().to_string();
        let overview = self.wallet.channels().await.map_err(wallet_err)?;
        let open: Vec<String> = overview
            .channels
            .iter()
            .filter(|ch| ch.peer == peer && ch.status.is_open())
            .map(|ch| ch.id.clone())
            .collect();
        if open.is_empty() {
            return Err(StepFailure::Invalid(format!(
                "the wallet has no open channel with {}",
                c.with
            )));
        }
        for id in open {
            self.wallet
                .close_channel(id, c.force)
                .await
                .map_err(wallet_err)?;
        }
        Ok(())
    }

    async fn mine_to(&mut self, name: TimelockName) -> Result<(), StepFailure> {
        self.sync().await;
        let o = self.wallet.channels().await.map_err(wallet_err)?;
        let kind = match name {
            TimelockName::Csv => TimelockKind::Csv,
            TimelockName::HtlcExpiry => TimelockKind::HtlcRefund,
        };
        let height = o
            .timelocks()
            .into_iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.height)
            .min()
            .ok_or_else(|| {
                StepFailure::Invalid(format!(
                    "no {} timelock among the wallet's channels",
                    timelock_words(name)
                ))
            })?;
        self.lab.mine_to(height).await?;
        self.lab.sync_nodes().await;
        self.sync().await;
        Ok(())
    }

    /// Mines six blocks at a time until the wallet's channels with `node` are closed with
    /// nothing left to claim.
    async fn settle(&mut self, node: &str) -> Result<(), StepFailure> {
        let peer = self.lab.node(node)?.node_id();
        let peer = peer.to_string();
        let settled = |o: &crate::core::lightning::channels::ChannelsOverview| {
            let with: Vec<&Channel> = o.channels.iter().filter(|c| c.peer == peer).collect();
            !with.is_empty() && with.iter().all(|c| c.status == ChannelStatus::Closed)
        };
        for _ in 0..SETTLE_ROUNDS {
            self.lab.mine(6).await?;
            self.sync().await;
            if settled(&self.wallet.channels().await.map_err(wallet_err)?) {
                self.lab.sync_nodes().await;
                return Ok(());
            }
        }
        Err(StepFailure::Unmet {
            expected: format!("the wallet's channels with {node} closed and settled"),
            seen: format!("still open or claiming after {} blocks", SETTLE_ROUNDS * 6),
            secs: 0,
        })
    }

    async fn balances(&self) -> Result<Balances, StepFailure> {
        self.sync().await;
        self.lab.sync_nodes().await;
        let wallet_sat = self
            .wallet
            .snapshot()
            .await
            .map_err(wallet_err)?
            .balances
            .onchain_total_sat;
        let nodes_sat = self
            .lab
            .nodes()
            .iter()
            .filter_map(|n| {
                let p = n.running()?;
                Some((
                    n.name().to_string(),
                    p.node().list_balances().total_onchain_balance_sats,
                ))
            })
            .collect();
        Ok(Balances {
            wallet_sat,
            nodes_sat,
        })
    }

    async fn expect(&mut self, e: &Expect) -> Result<(), StepFailure> {
        let secs = e.within_secs.unwrap_or(DEFAULT_WITHIN_SECS);
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let mut last = self.wallet.snapshot().await.ok().and_then(|s| s.last_sync);
            self.sync().await;
            self.lab.sync_nodes().await;
            let (expected, seen) = match self.check(e).await? {
                Ok(()) => return Ok(()),
                Err(unmet) => unmet,
            };
            if Instant::now() >= deadline {
                return Err(StepFailure::Unmet {
                    expected,
                    seen,
                    secs,
                });
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let _ = tokio::time::timeout(
                left.min(Duration::from_secs(3)),
                self.wallet.next_update(&mut last),
            )
            .await;
        }
    }

    /// Checks an expectation once: `Ok(Err((expected, seen)))` when it does not hold yet.
    async fn check(&self, e: &Expect) -> Result<Result<(), (String, String)>, StepFailure> {
        if let Some(c) = &e.channel {
            let channels = self.channels_with(&c.with).await?;
            let states: Vec<&'static str> =
                channels.iter().map(|ch| state_name(&ch.status)).collect();
            let want = state_words(c.state);
            return Ok(if states.contains(&want) {
                Ok(())
            } else {
                Err((
                    format!("a channel with {} {}", c.with, want),
                    seen_states(&c.with, &states),
                ))
            });
        }
        if let Some(c) = &e.claim {
            let channels = self.channels_with(&c.with).await?;
            let amounts: Vec<u64> = channels
                .iter()
                .flat_map(|ch| ch.claims.iter())
                .filter(|s| claim_is(&s.kind, c.kind))
                .map(|s| s.amount_sat)
                .collect();
            let total: u64 = amounts.iter().sum();
            let met = !amounts.is_empty() && c.amount_sat.is_none_or(|a| a == total);
            let want = match c.amount_sat {
                Some(a) => format!("a {} claim of {a} sat", claim_words(c.kind)),
                None => format!("a {} claim", claim_words(c.kind)),
            };
            return Ok(if met {
                Ok(())
            } else {
                let seen = if amounts.is_empty() {
                    format!(
                        "no {} claim on the channels with {}",
                        claim_words(c.kind),
                        c.with
                    )
                } else {
                    format!("{} claims of {total} sat in all", claim_words(c.kind))
                };
                Err((format!("{want} on the channels with {}", c.with), seen))
            });
        }
        if let Some(g) = &e.graph {
            let view = self.wallet.graph().await.map_err(wallet_err)?;
            return Ok(if view.channels >= g.channels_at_least {
                Ok(())
            } else {
                Err((
                    format!(
                        "at least {} channels in the wallet's graph",
                        g.channels_at_least
                    ),
                    format!("{} channels, {} nodes", view.channels, view.nodes),
                ))
            });
        }
        if let Some(want) = e.payment {
            let ended = match &self.last_payment {
                None => {
                    return Err(StepFailure::Invalid(
                        "no payment was made before this check".into(),
                    ))
                }
                Some(LastPayment::Ended(ok)) => Some(*ok),
                Some(LastPayment::Wallet(id)) => {
                    match self.wallet.payment(id.clone()).await.map_err(wallet_err)? {
                        Some(p) if p.status == PaymentState::Succeeded => Some(true),
                        Some(p) if p.status == PaymentState::Failed => Some(false),
                        _ => None,
                    }
                }
            };
            let wanted = want == PaymentEnd::Succeeded;
            return Ok(if ended == Some(wanted) {
                Ok(())
            } else {
                Err((
                    format!(
                        "the last payment {}",
                        if wanted { "succeeded" } else { "failed" }
                    ),
                    match ended {
                        None => "it is still on its way".into(),
                        Some(true) => "it succeeded".into(),
                        Some(false) => "it failed".into(),
                    },
                ))
            });
        }
        let now = self.balances().await?;
        let (who, since, at_least, at_most, then, current) = if let Some(g) = &e.wallet_onchain_grew
        {
            let mark = self.mark(&g.since)?;
            (
                "the wallet's".to_string(),
                &g.since,
                g.at_least_sat,
                g.at_most_sat,
                mark.wallet_sat,
                now.wallet_sat,
            )
        } else if let Some(g) = &e.node_onchain_grew {
            let mark = self.mark(&g.since)?;
            let then = *mark.nodes_sat.get(&g.node).ok_or_else(|| {
                StepFailure::Invalid(format!("{} was not running at mark {}", g.node, g.since))
            })?;
            let current = *now
                .nodes_sat
                .get(&g.node)
                .ok_or_else(|| LabError::NodeOffline(g.node.clone()))?;
            (
                format!("{}'s", g.node),
                &g.since,
                g.at_least_sat,
                g.at_most_sat,
                then,
                current,
            )
        } else {
            return Err(StepFailure::Invalid("the check names nothing".into()));
        };
        let grew = current as i64 - then as i64;
        let met = at_least.is_none_or(|a| grew >= a) && at_most.is_none_or(|m| grew <= m);
        Ok(if met {
            Ok(())
        } else {
            let bounds = match (at_least, at_most) {
                (Some(a), Some(m)) => format!("between {a} and {m} sat"),
                (Some(a), None) => format!("by at least {a} sat"),
                (None, Some(m)) => format!("by at most {m} sat"),
                (None, None) => "at all".into(),
            };
            Err((
                format!("{who} on-chain balance to grow {bounds} since mark {since}"),
                format!("it grew by {grew} sat ({then} → {current} sat)"),
            ))
        })
    }

    fn mark(&self, name: &str) -> Result<&Balances, StepFailure> {
        self.marks
            .get(name)
            .ok_or_else(|| StepFailure::Invalid(format!("no mark named {name} before this step")))
    }

    async fn channels_with(&self, node: &str) -> Result<Vec<Channel>, StepFailure> {
        let peer = self.lab.node(node)?.node_id().to_string();
        Ok(self
            .wallet
            .channels()
            .await
            .map_err(wallet_err)?
            .channels
            .into_iter()
            .filter(|c| c.peer == peer)
            .collect())
    }

    /// Syncs and reads the wallet's channels until one satisfies `check`.
    async fn wait_channels(
        &self,
        what: &str,
        check: impl Fn(&Channel) -> bool,
    ) -> Result<Channel, StepFailure> {
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let mut last = self.wallet.snapshot().await.ok().and_then(|s| s.last_sync);
            self.sync().await;
            let o = self.wallet.channels().await.map_err(wallet_err)?;
            if let Some(c) = o.channels.iter().find(|c| check(c)) {
                return Ok(c.clone());
            }
            if Instant::now() > deadline {
                return Err(LabError::NodesTimeout(what.to_string()).into());
            }
            let _ =
                tokio::time::timeout(Duration::from_secs(3), self.wallet.next_update(&mut last))
                    .await;
        }
    }

    /// Syncs lab node `node` until `check` holds.
    async fn wait_node(
        &self,
        node: &Arc<PeerNode>,
        what: &str,
        check: impl Fn(&ldk_node::Node) -> bool + Send + Sync + 'static,
    ) -> Result<(), StepFailure> {
        let check = Arc::new(check);
        let deadline = Instant::now() + STEP_TIMEOUT;
        let mut events = node.events();
        loop {
            events.mark_unchanged();
            let (n, c) = (node.clone(), check.clone());
            if off_thread(move || {
                n.sync()?;
                Ok(c(n.node()))
            })
            .await?
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(LabError::NodesTimeout(what.to_string()).into());
            }
            let _ = tokio::time::timeout(Duration::from_secs(3), events.changed()).await;
        }
    }
}

/// Whether the node holds an incoming HTLC of `sat` it has no preimage for.
fn holds_htlc(node: &ldk_node::Node, sat: u64) -> bool {
    node.list_balances().lightning_balances.iter().any(|b| {
        matches!(b, ldk_node::LightningBalance::MaybePreimageClaimableHTLC { amount_satoshis, .. }
            if *amount_satoshis == sat)
    })
}

fn wallet_err(e: crate::core::Error) -> StepFailure {
    StepFailure::Wallet(e.to_string())
}

fn state_name(s: &ChannelStatus) -> &'static str {
    match s {
        ChannelStatus::Opening { .. } => state_words(ChannelState::Opening),
        ChannelStatus::Active => state_words(ChannelState::Active),
        ChannelStatus::PeerOffline => state_words(ChannelState::PeerOffline),
        ChannelStatus::Closing => state_words(ChannelState::Closing),
        ChannelStatus::ForceClosing { .. } => state_words(ChannelState::ForceClosing),
        ChannelStatus::Closed => state_words(ChannelState::Closed),
    }
}

fn state_words(s: ChannelState) -> &'static str {
    match s {
        ChannelState::Opening => "opening",
        ChannelState::Active => "active",
        ChannelState::PeerOffline => "with its peer offline",
        ChannelState::Closing => "closing",
        ChannelState::ForceClosing => "force-closing",
        ChannelState::Closed => "closed",
    }
}

fn seen_states(node: &str, states: &[&str]) -> String {
    if states.is_empty() {
        format!("the wallet has no channel with {node}")
    } else {
        format!("the wallet's channels with {node}: {}", states.join(", "))
    }
}

fn claim_is(kind: &ClaimKind, name: ClaimName) -> bool {
    match name {
        ClaimName::Penalty => *kind == ClaimKind::PenaltyClaim,
        ClaimName::HtlcTimeout => matches!(kind, ClaimKind::HtlcRefundAfterTimeout { .. }),
        ClaimName::Csv => matches!(
            kind,
            ClaimKind::AwaitingConfirmations {
                cause: ClaimCause::OurForceClose,
                ..
            }
        ),
    }
}

fn claim_words(name: ClaimName) -> &'static str {
    match name {
        ClaimName::Penalty => "penalty",
        ClaimName::HtlcTimeout => "HTLC timeout",
        ClaimName::Csv => "CSV-delayed",
    }
}

fn timelock_words(name: TimelockName) -> &'static str {
    match name {
        TimelockName::Csv => "CSV",
        TimelockName::HtlcExpiry => "HTLC expiry",
    }
}

//! Running a scenario's steps against a Lab and a wallet, through the same calls the Lab panel
//! and the wallet's screens make. Expectations are checked after each sync until they hold or
//! their time is up; between checks the runner waits for the wallet's next update.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::core::input::paste::parse_payment;
use crate::core::lightning::channels::{Channel, ChannelStatus, OpenChannelRequest, TimelockKind};
use crate::core::lightning::channels::{SpliceDirection, SpliceState};
use crate::core::lightning::payments::PaymentState;
use crate::core::wallet::Wallet;
use crate::lab::peer::PeerNode;
use crate::lab::scenario::{
    Close, FaultName, Open, Pay, Scenario, ScenarioError, Splice, Step, StepFailure, TimelockName,
    WALLET,
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
    pub(super) lab: Arc<Lab>,
    pub(super) wallet: Arc<Wallet>,
    /// On-chain balances by mark: the wallet's, and each running lab node's.
    pub(super) marks: HashMap<String, Balances>,
    /// How the last payment ended, or the wallet's id of it while on its way.
    pub(super) last_payment: Option<LastPayment>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Balances {
    pub(super) wallet_sat: u64,
    pub(super) nodes_sat: HashMap<String, u64>,
}

#[derive(Debug, Clone)]
pub(super) enum LastPayment {
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
            Step::Fund(who) if who == WALLET => {
                let before = self.spendable().await?;
                let address = self.wallet.new_address().await.map_err(wallet_err)?;
                self.lab.fund(address).await?;
                self.lab.sync_nodes().await;
                // The next steps spend it: wait until the wallet can (a sync can time out on
                // a loaded machine; the next round syncs again).
                self.wait_spendable("the wallet to see its funding", before)
                    .await?;
            }
            Step::Fund(who) => {
                let address = self.node(who)?.new_address()?;
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
            Step::SpliceIn(sp) => self.splice(sp, true).await?,
            Step::SpliceOut(sp) => self.splice(sp, false).await?,
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

    pub(super) async fn sync(&self) {
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
                let spendable = self.spendable().await?;
                let req = OpenChannelRequest::check(
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
            let holder = [(p.to.clone(), self.node(&p.to)?, 0)];
            let sat = p.amount_sat;
            return Ok(self
                .lab
                .wait_for_nodes("the held HTLC at the payee", &holder, || {
                    holder[0].1.holds_htlc(sat)
                })
                .await?);
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
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let last = self.synced().await;
            match self
                .wallet
                .payment(id.to_string())
                .await
                .map_err(wallet_err)?
            {
                Some(p) if p.status == PaymentState::Succeeded => return Ok(true),
                Some(p) if p.status == PaymentState::Failed => return Ok(false),
                _ => {}
            }
            if !self.next_round(deadline, last).await {
                return Err(LabError::NodesTimeout("the payment to end".into()).into());
            }
        }
    }

    /// Starts a round of a wait on the wallet: syncs it, and returns when it last synced before,
    /// for [`Runner::next_round`].
    pub(super) async fn synced(&self) -> Option<u64> {
        let last = self.wallet.snapshot().await.ok().and_then(|s| s.last_sync);
        self.sync().await;
        last
    }

    /// Waits for the wallet's next update (or a few seconds, as new blocks alone raise none),
    /// not past `deadline`; `false` once the deadline has passed.
    pub(super) async fn next_round(&self, deadline: Instant, mut last: Option<u64>) -> bool {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        let _ = tokio::time::timeout(
            left.min(Duration::from_secs(3)),
            self.wallet.next_update(&mut last),
        )
        .await;
        true
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

    /// A splice between the wallet and a lab node, by either; done once its transaction is in
    /// bitcoind (a block mined next confirms it). `into`: coins go into the channel.
    async fn splice(&mut self, sp: &Splice, into: bool) -> Result<(), StepFailure> {
        let node = match (sp.by.as_str(), sp.with.as_str()) {
            (WALLET, WALLET) => None,
            (WALLET, node) | (node, WALLET) => Some(node),
            _ => None,
        }
        .ok_or_else(|| {
            StepFailure::Invalid("a splice is between the wallet and a lab node".into())
        })?;
        let peer = self.node(node)?.node_id().to_string();
        let channel = self
            .wait_channels("an active channel to splice", |c| {
                c.peer == peer && c.status == ChannelStatus::Active
            })
            .await?;
        let splices_before = channel.history.splices.len();
        if sp.by == WALLET {
            let (id, amount) = (channel.id.clone(), sp.amount_sat);
            let started = if into {
                self.wallet.splice_in(id, amount).await
            } else {
                self.wallet.splice_out(id, None, amount).await
            };
            started.map_err(wallet_err)?;
        } else {
            self.lab
                .node_splices(node, &self.wallet, into, sp.amount_sat)
                .await?;
        }
        let direction = if sp.by == WALLET {
            if into {
                SpliceDirection::In
            } else {
                SpliceDirection::Out
            }
        } else {
            SpliceDirection::ByPeer
        };
        let spliced = self
            .wait_channels("the splice's transaction", |c| {
                c.id == channel.id
                    && c.history.splices.iter().skip(splices_before).any(|s| {
                        s.direction == direction
                            && s.state == SpliceState::Pending
                            && s.funding_outpoint.is_some()
                    })
            })
            .await?;
        let txid = spliced
            .history
            .splices
            .last()
            .and_then(|s| s.funding_outpoint.as_deref())
            .and_then(|o| o.split(':').next())
            .unwrap_or_default()
            .to_string();
        let lab = self.lab.clone();
        off_thread(move || lab.chain.wait_for_mempool(&[txid])).await?;
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

    /// Syncs and reads the wallet's channels until one satisfies `check`.
    /// What the wallet can spend on chain now.
    async fn spendable(&self) -> Result<u64, StepFailure> {
        Ok(self
            .wallet
            .snapshot()
            .await
            .map_err(wallet_err)?
            .balances
            .onchain_spendable_sat)
    }

    /// Waits until the wallet can spend more than `before` on chain.
    async fn wait_spendable(&self, what: &str, before: u64) -> Result<(), StepFailure> {
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let last = self.synced().await;
            if self.spendable().await? > before {
                return Ok(());
            }
            if !self.next_round(deadline, last).await {
                return Err(LabError::NodesTimeout(what.to_string()).into());
            }
        }
    }

    async fn wait_channels(
        &self,
        what: &str,
        check: impl Fn(&Channel) -> bool,
    ) -> Result<Channel, StepFailure> {
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let last = self.synced().await;
            let o = self.wallet.channels().await.map_err(wallet_err)?;
            if let Some(c) = o.channels.into_iter().find(|c| check(c)) {
                return Ok(c);
            }
            if !self.next_round(deadline, last).await {
                return Err(LabError::NodesTimeout(what.to_string()).into());
            }
        }
    }
}

pub(super) fn wallet_err(e: crate::core::Error) -> StepFailure {
    StepFailure::Wallet(e.to_string())
}

fn timelock_words(name: TimelockName) -> &'static str {
    match name {
        TimelockName::Csv => "CSV",
        TimelockName::HtlcExpiry => "HTLC expiry",
    }
}

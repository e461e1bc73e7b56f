//! A scenario's expectations: each checked after a sync until it holds or its time is up, and
//! the balances `mark` steps remember for them.

use std::time::{Duration, Instant};

use crate::core::lightning::channels::{Channel, ChannelStatus, ClaimCause, ClaimKind};
use crate::core::lightning::payments::PaymentState;
use crate::lab::scenario::run::{wallet_err, Balances, LastPayment, Runner};
use crate::lab::scenario::{
    ChannelState, ClaimName, Expect, PaymentEnd, StepFailure, DEFAULT_WITHIN_SECS,
};
use crate::lab::LabError;

impl Runner {
    pub(super) async fn balances(&self) -> Result<Balances, StepFailure> {
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

    pub(super) async fn expect(&mut self, e: &Expect) -> Result<(), StepFailure> {
        let secs = e.within_secs.unwrap_or(DEFAULT_WITHIN_SECS);
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let last = self.synced().await;
            self.lab.sync_nodes().await;
            let (expected, seen) = match self.check(e).await? {
                Ok(()) => return Ok(()),
                Err(unmet) => unmet,
            };
            if !self.next_round(deadline, last).await {
                return Err(StepFailure::Unmet {
                    expected,
                    seen,
                    secs,
                });
            }
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
        if let Some(c) = &e.capacity {
            let channels = self.channels_with(&c.with).await?;
            let active: Vec<u64> = channels
                .iter()
                .filter(|ch| ch.status == ChannelStatus::Active)
                .map(|ch| ch.capacity_sat)
                .collect();
            return Ok(if active.iter().any(|sat| c.holds(*sat)) {
                Ok(())
            } else {
                Err((
                    format!("an active channel of {} with {}", c.words(), c.with),
                    format!("active channels with {} of {active:?} sat", c.with),
                ))
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

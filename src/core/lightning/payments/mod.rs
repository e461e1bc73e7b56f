//! Lightning payments through ldk-node: pay what the paste parser read (BOLT11, BOLT12, keysend;
//! on-chain goes through the on-chain send), receive with invoices and offers after checking the
//! inbound capacity, and the payment history in both directions. LDK does the HTLCs, the onion
//! and the route.

use std::sync::{Arc, Mutex, MutexGuard};

use ldk_node::bitcoin::hashes::Hash as _;
use ldk_node::bitcoin::hex::{DisplayHex, FromHex};
use ldk_node::lightning::ln::channelmanager::PaymentId;
use ldk_node::lightning::routing::router::RouteParametersConfig;
use ldk_node::payment::{PaymentDetails, PaymentDirection, PaymentKind, PaymentStatus};
use ldk_node::Node;

pub mod notes;
pub mod request;
#[cfg(any(test, feature = "testing"))]
pub mod samples;

use notes::Key;

use crate::core::input::paste::PaymentTarget;
use crate::core::lightning::channels::ChannelsOverview;
use crate::core::lightning::ldk_log::LdkLog;
use crate::core::{blocking, Error, NodeError};

/// How long a refusal that may come from a payment still settling is looked at again.
const SETTLE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);
/// How often it is looked at again meanwhile.
const SETTLE_POLL: std::time::Duration = std::time::Duration::from_millis(50);
/// A payment that ended this recently (seconds) may still be settling in its channel.
const SETTLE_WINDOW_SECS: u64 = 2;

/// Whether an HTLC is still in a channel: one of our payments on its way, or an HTLC (either
/// way) in a channel's latest commitments, whose addition or removal LDK may still be signing
/// with the peer. While one is, what the channels can carry next moves.
fn htlcs_in_flight(node: &Node) -> bool {
    use ldk_node::LightningBalance as B;
    let pending = !node
        .list_payments_with_filter(|p| {
            p.status == PaymentStatus::Pending && p.direction == PaymentDirection::Outbound
        })
        .is_empty();
    pending
        || node
            .list_balances()
            .lightning_balances
            .iter()
            .any(|b| match b {
                B::ClaimableOnChannelClose {
                    outbound_payment_htlc_rounded_msat,
                    outbound_forwarded_htlc_rounded_msat,
                    inbound_claiming_htlc_rounded_msat,
                    inbound_htlc_rounded_msat,
                    ..
                } => {
                    outbound_payment_htlc_rounded_msat
                        + outbound_forwarded_htlc_rounded_msat
                        + inbound_claiming_htlc_rounded_msat
                        + inbound_htlc_rounded_msat
                        > 0
                }
                _ => false,
            })
}

/// Whether a payment (either way) ended a moment ago: LDK may still be signing its HTLC's
/// removal with the peer after the commitments we can see have dropped it.
fn ended_just_now(node: &Node) -> bool {
    let now = crate::core::shared::now();
    !node
        .list_payments_with_filter(|p| {
            p.status != PaymentStatus::Pending
                && p.latest_update_timestamp + SETTLE_WINDOW_SECS > now
        })
        .is_empty()
}

/// Default cap on routing fees: 1 % of the amount, at least 10 sat.
pub fn default_max_fee_msat(amount_msat: u64) -> u64 {
    (amount_msat / 100).max(10_000)
}

/// A payment in the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRecord {
    /// Hex of ldk-node's payment id.
    pub id: String,
    pub incoming: bool,
    pub kind: PaymentKindView,
    pub status: PaymentState,
    pub amount_msat: Option<u64>,
    pub fee_msat: Option<u64>,
    pub payment_hash: Option<String>,
    pub preimage: Option<String>,
    /// Unix seconds of the last change.
    pub time: u64,
    /// For an invoice of ours: Unix seconds after which it can no longer be paid.
    pub expires_at: Option<u64>,
    /// Sent beyond the amount to meet a channel's smallest payment (to the payee): a cost like
    /// the fee, which LDK does not count in it.
    pub overpaid_msat: Option<u64>,
    /// The amount in fiat at the rate shown when the payment completed (if fiat was on).
    pub fiat: Option<notes::FiatAmount>,
    /// From the invoice or offer (ours or the payee's), as noted when it was made or paid.
    /// Outside text: sanitise before showing.
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentKindView {
    Bolt11,
    Bolt12,
    Keysend,
    Onchain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentState {
    Pending,
    Succeeded,
    Failed,
    /// An invoice of ours that expired without being paid: nothing moved.
    Expired,
}

/// Whether an amount can be received over the channels as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiveCheck {
    Fine,
    /// No active channel at all.
    NoChannels,
    /// More than the peers can send us right now.
    AboveInbound {
        can_receive_msat: u64,
    },
}

/// Compares an amount to receive with the inbound capacity of the active channels.
pub fn check_receive(overview: &ChannelsOverview, amount_msat: Option<u64>) -> ReceiveCheck {
    if !overview
        .channels
        .iter()
        .any(|c| c.status == crate::core::lightning::channels::ChannelStatus::Active)
    {
        return ReceiveCheck::NoChannels;
    }
    let can_receive_msat = overview.can_receive_in_one_payment_msat();
    match amount_msat {
        Some(a) if a > can_receive_msat => ReceiveCheck::AboveInbound { can_receive_msat },
        None if can_receive_msat == 0 => ReceiveCheck::AboveInbound { can_receive_msat },
        _ => ReceiveCheck::Fine,
    }
}

/// Paying and receiving through LDK Node, with the notes LDK Node does not keep.
#[derive(Clone)]
pub struct Payments {
    node: Arc<Node>,
    /// Descriptions, expiries, overpayments and fiat values of payments.
    notes: Arc<Mutex<notes::PaymentNotes>>,
    /// LDK Node's log, read for why an LSP refused.
    ldk_log: Arc<LdkLog>,
    /// The LSP for just-in-time channels (`pubkey@host:port`), when one is set.
    lsp: Option<String>,
}

impl Payments {
    pub fn new(
        node: Arc<Node>,
        notes: notes::PaymentNotes,
        ldk_log: Arc<LdkLog>,
        lsp: Option<String>,
    ) -> Self {
        Payments {
            node,
            notes: Arc::new(Mutex::new(notes)),
            ldk_log,
            lsp,
        }
    }

    /// The LSP for just-in-time channels, when one is set.
    pub fn lsp(&self) -> Option<&str> {
        self.lsp.as_deref()
    }

    fn notes(&self) -> MutexGuard<'_, notes::PaymentNotes> {
        self.notes.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts paying `target`. `amount_msat` is required when the request has none (and for
    /// keysend); `max_fee_msat` caps the routing fee. Returns the payment id (hex); the outcome
    /// arrives as a `PaymentSent` or `PaymentFailed` event.
    pub async fn pay(
        &self,
        target: PaymentTarget,
        amount_msat: Option<u64>,
        max_fee_msat: Option<u64>,
    ) -> Result<String, Error> {
        let wallet = self.clone();
        blocking(move || {
            // A refusal on numbers that move while a payment settles (the room left in the
            // channels, their smallest payment, a route) is looked at again until the HTLCs
            // in flight have settled: LDK raises a channel's smallest payment while the last
            // HTLC's removal is being signed, for a moment after its "sent" event. A refusal
            // that stands once nothing moves any more is the real one.
            let deadline = std::time::Instant::now() + SETTLE_PATIENCE;
            loop {
                match wallet.try_pay(&target, amount_msat, max_fee_msat) {
                    Err(Error::Payment(e)) if e.moves_while_settling() => {
                        let node = &wallet.node;
                        let in_flight = htlcs_in_flight(node);
                        if !in_flight && !ended_just_now(node) {
                            return Err(e.into());
                        }
                        if std::time::Instant::now() >= deadline {
                            return Err(if in_flight {
                                PaymentError::StillSettling.into()
                            } else {
                                e.into()
                            });
                        }
                        std::thread::sleep(SETTLE_POLL);
                    }
                    outcome => return outcome,
                }
            }
        })
        .await
    }

    /// One attempt of [`Payments::pay`], blocking.
    fn try_pay(
        &self,
        target: &PaymentTarget,
        amount_msat: Option<u64>,
        max_fee_msat: Option<u64>,
    ) -> Result<String, Error> {
        let node = &self.node;
        let preview = target.preview();
        let requested = preview.amount_msat;
        let amount = requested.or(amount_msat);
        let amount = match (target, amount) {
            (PaymentTarget::Onchain { .. }, _) => return Err(PaymentError::OnchainTarget.into()),
            (_, Some(0)) => return Err(PaymentError::ZeroAmount.into()),
            (_, Some(a)) => a,
            (_, None) => return Err(PaymentError::AmountRequired.into()),
        };
        // Paying an invoice twice is refused first: ldk-node names an outgoing BOLT11
        // payment by its payment hash.
        if let PaymentTarget::Bolt11 { invoice, .. } = &target {
            let id = PaymentId(invoice.payment_hash().to_byte_array());
            if node.payment(&id).is_some_and(|p| {
                p.direction == PaymentDirection::Outbound && p.status != PaymentStatus::Failed
            }) {
                return Err(PaymentError::AlreadyPaid.into());
            }
        }
        let channels = node.list_channels();
        let usable = || channels.iter().filter(|c| c.is_usable);
        // Our balances above the reserves, summed (multi-path payments may use every
        // channel): more than that cannot be sent at all.
        let outbound_msat: u64 = usable().map(|c| c.outbound_capacity_msat).sum();
        if amount > outbound_msat {
            // Money in channels whose peer is not connected cannot move now; "more than
            // you can send" would hide that it is there.
            let offline_msat: u64 = channels
                .iter()
                .filter(|c| c.is_channel_ready && !c.is_usable)
                .map(|c| c.outbound_capacity_msat)
                .sum();
            if offline_msat > 0 && amount <= outbound_msat + offline_msat {
                return Err(PaymentError::PeersOffline {
                    can_send_msat: outbound_msat,
                    offline_msat,
                }
                .into());
            }
            return Err(PaymentError::AboveOutbound {
                can_send_msat: outbound_msat,
            }
            .into());
        }
        // What LDK would put in the next HTLCs right now (the peers' in-flight limits, HTLCs
        // still settling): only used to explain a refusal below, as it moves while
        // payments settle.
        let next_htlcs_msat: u64 = usable().map(|c| c.next_outbound_htlc_limit_msat).sum();
        let max_fee_msat = max_fee_msat.unwrap_or_else(|| default_max_fee_msat(amount));
        // LDK raises a channel's smallest payment (so a payment would not end as dust in an
        // on-chain close) and then sends that much, paying the payee more than asked. Below
        // every channel's smallest, the difference leaves the wallet; beyond the fee cap
        // LDK refuses with "no route", which is not why.
        let smallest_msat = usable()
            .filter(|c| c.next_outbound_htlc_limit_msat >= c.next_outbound_htlc_minimum_msat)
            .map(|c| c.next_outbound_htlc_minimum_msat)
            .min();
        let overpaid_msat = match smallest_msat {
            Some(smallest) if amount < smallest => {
                if smallest - amount > max_fee_msat {
                    return Err(PaymentError::BelowSmallest {
                        smallest_msat: smallest,
                    }
                    .into());
                }
                // Exact when the payee is the peer of that channel: nothing in between.
                let direct = preview.payee.as_deref().is_some_and(|payee| {
                    usable().any(|c| {
                        c.next_outbound_htlc_minimum_msat == smallest
                            && c.counterparty_node_id.to_string() == payee
                    })
                });
                direct.then_some(smallest - amount)
            }
            _ => None,
        };
        let route = Some(RouteParametersConfig {
            max_total_routing_fee_msat: Some(max_fee_msat),
            ..RouteParametersConfig::default()
        });
        let sent = match &target {
            PaymentTarget::Bolt11 { invoice, .. } => match requested {
                Some(_) => node.bolt11_payment().send(invoice, route),
                None => node
                    .bolt11_payment()
                    .send_using_amount(invoice, amount, route),
            },
            PaymentTarget::Bolt12 { offer, .. } => match requested {
                Some(_) => node.bolt12_payment().send(offer, None, None, route),
                None => node
                    .bolt12_payment()
                    .send_using_amount(offer, amount, None, None, route),
            },
            PaymentTarget::Keysend { node_id } => {
                node.spontaneous_payment().send(amount, *node_id, route)
            }
            PaymentTarget::Onchain { .. } => unreachable!("refused above"),
        };
        let id = sent.map(|id| hex(&id.0)).map_err(|e| match e {
            // Our record says the last attempt failed, yet LDK still holds it: that attempt
            // is being wound up (its failure event not yet handled). A moment later the
            // payment can be tried again.
            ldk_node::NodeError::DuplicatePayment if last_attempt_failed(node, target) => {
                Error::from(PaymentError::StillSettling)
            }
            ldk_node::NodeError::DuplicatePayment => Error::from(PaymentError::AlreadyPaid),
            // No route: because the channels cannot take that much in flight now, or
            // because nothing within the fee cap reaches the payee.
            ldk_node::NodeError::PaymentSendingFailed if amount > next_htlcs_msat => {
                PaymentError::AboveOutbound {
                    can_send_msat: next_htlcs_msat,
                }
                .into()
            }
            ldk_node::NodeError::PaymentSendingFailed => PaymentError::NoRoute.into(),
            ldk_node::NodeError::InvalidAmount => PaymentError::ZeroAmount.into(),
            other => NodeError::Ldk(other).into(),
        })?;
        if let Some(d) = preview.description {
            self.note(Key::Payment(id.clone()), &d, None);
        }
        if let Some(extra) = overpaid_msat {
            self.note_overpaid(Key::Payment(id.clone()), extra);
        }
        Ok(id)
    }

    /// Every payment, newest first.
    pub async fn list(&self) -> Result<Vec<PaymentRecord>, Error> {
        let wallet = self.clone();
        blocking(move || {
            let notes = wallet.notes();
            let mut v: Vec<PaymentRecord> = wallet
                .node
                .list_payments()
                .iter()
                .map(|p| record(p, &notes, crate::core::shared::now()))
                .collect();
            v.sort_by_key(|p| std::cmp::Reverse(p.time));
            Ok(v)
        })
        .await
    }

    /// One payment by its id (hex).
    pub async fn get(&self, id: String) -> Result<Option<PaymentRecord>, Error> {
        let wallet = self.clone();
        blocking(move || {
            let Some(bytes) = unhex32(&id) else {
                return Ok(None);
            };
            let notes = wallet.notes();
            Ok(wallet
                .node
                .payment(&PaymentId(bytes))
                .as_ref()
                .map(|p| record(p, &notes, crate::core::shared::now())))
        })
        .await
    }

    /// Notes a completed payment's value in fiat at `rate` (the rate shown when it completed),
    /// for the books. Once per payment; a failed write is logged.
    pub async fn note_fiat(&self, id: String, rate: crate::core::fiat::Rate) {
        let wallet = self.clone();
        let noted = blocking(move || {
            let Some(bytes) = unhex32(&id) else {
                return Ok(());
            };
            let Some(p) = wallet.node.payment(&PaymentId(bytes)) else {
                return Ok(());
            };
            let Some(msat) = p.amount_msat else {
                return Ok(());
            };
            let amount = notes::FiatAmount {
                currency: rate.currency.clone(),
                cents: rate.cents(msat),
            };
            let mut notes = wallet.notes();
            notes
                .note_fiat(Key::Payment(id), amount)
                .map_err(|e| Error::Internal(e.to_string()))
        })
        .await;
        if let Err(e) = noted {
            log::warn!("could not note a payment's fiat value: {e}");
        }
    }

    /// Notes what LDK sent beyond the amount to meet a channel's smallest payment; a failed
    /// write is logged (the payment is already under way).
    fn note_overpaid(&self, key: Key, overpaid_msat: u64) {
        let mut notes = self.notes();
        if let Err(e) = notes.note_overpaid(key, overpaid_msat) {
            log::warn!("could not note a payment's overpayment: {e}");
        }
    }

    /// Notes a description; a failed write loses only the note, so it is logged.
    fn note(&self, key: Key, description: &str, expires_at: Option<u64>) {
        let mut notes = self.notes();
        if let Err(e) = notes.note(key, description, expires_at) {
            log::warn!("could not note a payment's description: {e}");
        }
    }
}

/// `now` (Unix seconds) tells an invoice of ours that expired unpaid from one still payable.
fn record(p: &PaymentDetails, notes: &notes::PaymentNotes, now: u64) -> PaymentRecord {
    let id = hex(&p.id.0);
    let offer_note = match &p.kind {
        PaymentKind::Bolt12Offer {
            offer_id: offer, ..
        } if p.direction == PaymentDirection::Inbound => {
            notes.description(&Key::Offer(hex(&offer.0)))
        }
        _ => None,
    };
    let description = notes
        .description(&Key::Payment(id.clone()))
        .or(offer_note)
        .map(str::to_string);
    let (kind, hash, preimage) = match &p.kind {
        PaymentKind::Onchain { .. } => (PaymentKindView::Onchain, None, None),
        PaymentKind::Bolt11 { hash, preimage, .. }
        | PaymentKind::Bolt11Jit { hash, preimage, .. } => (
            PaymentKindView::Bolt11,
            Some(hash.to_string()),
            preimage.map(|p| p.to_string()),
        ),
        PaymentKind::Bolt12Offer { hash, preimage, .. }
        | PaymentKind::Bolt12Refund { hash, preimage, .. } => (
            PaymentKindView::Bolt12,
            hash.map(|h| h.to_string()),
            preimage.map(|p| p.to_string()),
        ),
        PaymentKind::Spontaneous { hash, preimage } => (
            PaymentKindView::Keysend,
            Some(hash.to_string()),
            preimage.map(|p| p.to_string()),
        ),
    };
    let incoming = p.direction == PaymentDirection::Inbound;
    let expires_at = notes.expires_at(&Key::Payment(id.clone()));
    let status = match p.status {
        PaymentStatus::Pending if incoming && expires_at.is_some_and(|t| now >= t) => {
            PaymentState::Expired
        }
        PaymentStatus::Pending => PaymentState::Pending,
        PaymentStatus::Succeeded => PaymentState::Succeeded,
        PaymentStatus::Failed => PaymentState::Failed,
    };
    // The preimage is the proof of a payment that happened. For an invoice of ours not yet paid
    // it is the secret that would let anyone who sees it claim the payment: never shown then.
    let preimage = preimage.filter(|_| status == PaymentState::Succeeded);
    let overpaid_msat = notes.overpaid_msat(&Key::Payment(id.clone()));
    let fiat = notes.fiat(&Key::Payment(id.clone())).cloned();
    PaymentRecord {
        id,
        description,
        incoming,
        expires_at,
        overpaid_msat,
        fiat,
        kind,
        status,
        amount_msat: p.amount_msat,
        fee_msat: p.fee_paid_msat,
        payment_hash: hash,
        preimage,
        time: p.latest_update_timestamp,
    }
}

/// The hex id of our offer an incoming payment paid, if it paid one.
pub(crate) fn offer_paid(node: &ldk_node::Node, id: &PaymentId) -> Option<String> {
    match node.payment(id)?.kind {
        PaymentKind::Bolt12Offer { offer_id, .. } => Some(hex(&offer_id.0)),
        _ => None,
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.to_lower_hex_string()
}

fn unhex32(s: &str) -> Option<[u8; 32]> {
    <[u8; 32]>::from_hex(s).ok()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("this request is paid on-chain")]
    OnchainTarget,
    #[error("the request has no amount; enter one")]
    AmountRequired,
    #[error("the amount is zero")]
    ZeroAmount,
    #[error("more than the {can_send_msat} msat that can be sent over Lightning now")]
    AboveOutbound { can_send_msat: u64 },
    /// Enough is in channels, but not in channels whose peer is connected now.
    #[error("the channels that could carry it ({offline_msat} msat) are with peers not connected now; {can_send_msat} msat can be sent")]
    PeersOffline {
        can_send_msat: u64,
        offline_msat: u64,
    },
    #[error("this invoice was already paid (or is being paid)")]
    AlreadyPaid,
    /// The router found no path within the fee cap (the request is not expired: the parser
    /// refuses those, and that is the only other way ldk-node's send fails before any HTLC).
    #[error("no route to the payee within the fee cap")]
    NoRoute,
    #[error("the description is too long for an invoice")]
    DescriptionTooLong,
    /// Receiving through an LSP needs one in Settings.
    #[error("no LSP is set")]
    NoLsp,
    /// The LSP did not answer, or would not offer a channel (its reason, as LDK logged it).
    #[error("the LSP {lsp} did not offer a channel: {reason}")]
    LspUnavailable { lsp: String, reason: String },
    /// Below the smallest payment the channels carry now, by more than the fee cap.
    #[error("the smallest payment the channels can carry now is {smallest_msat} msat")]
    BelowSmallest { smallest_msat: u64 },
    /// Refused on what the channels can carry while an earlier payment's HTLC was still being
    /// added or removed, and still so after waiting a moment: the numbers would only mislead.
    #[error("the previous payment is still settling in the channel")]
    StillSettling,
    /// A channel from the LSP needs an amount to size it.
    #[error("receiving through the LSP needs an amount")]
    LspNeedsAmount,
}

/// Whether LDK Node's record of this BOLT11 invoice's payment says its last attempt failed.
fn last_attempt_failed(node: &Node, target: &PaymentTarget) -> bool {
    let PaymentTarget::Bolt11 { invoice, .. } = target else {
        return false;
    };
    let id = PaymentId(invoice.payment_hash().to_byte_array());
    node.payment(&id)
        .is_some_and(|p| p.status == PaymentStatus::Failed)
}

impl PaymentError {
    /// A refusal on what the channels can carry now, which moves while a payment settles.
    fn moves_while_settling(&self) -> bool {
        matches!(
            self,
            PaymentError::AboveOutbound { .. }
                | PaymentError::BelowSmallest { .. }
                | PaymentError::NoRoute
                | PaymentError::StillSettling
        )
    }
}

//! The channel manager around ldk-node: opens what a person asked for (checked in `request`),
//! closes, changes fees, books channel events and reads the channel overview. LDK does the
//! protocol.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard};

use ldk_node::bitcoin::secp256k1::PublicKey;
use ldk_node::{Node, UserChannelId};

use crate::core::lightning::channels::book::{ChannelBook, ChannelRecord, CloseReason};
use crate::core::lightning::channels::build::{overview, record_of, NodeFacts};
use crate::core::lightning::channels::request::{OpenChannelRequest, PeerUri};
use crate::core::lightning::channels::unproven::Unproven;
use crate::core::lightning::channels::{ChannelError, ChannelsOverview, FeePolicy};
use crate::core::lightning::ldk_log::LdkLog;
use crate::core::{blocking, Error, NodeError};

/// Smallest CLTV delta LDK accepts for forwarding.
pub const MIN_CLTV_DELTA: u16 = ldk_node::lightning::ln::channelmanager::MIN_CLTV_EXPIRY_DELTA;

/// The channel manager: LDK Node's channels and the book of what we remember beside them.
#[derive(Clone)]
pub struct Channels {
    pub(super) node: Arc<Node>,
    /// What we remember of channels beyond what ldk-node lists.
    book: Arc<Mutex<ChannelBook>>,
    /// LDK Node's log, read for refused incoming payments and for why an open or a splice
    /// failed.
    pub(super) ldk_log: Arc<LdkLog>,
    /// Channels restored from a backup that have not met their peer since.
    unproven: Arc<Mutex<Unproven>>,
}

impl Channels {
    pub fn new(
        node: Arc<Node>,
        book: ChannelBook,
        unproven: Unproven,
        ldk_log: Arc<LdkLog>,
    ) -> Self {
        Channels {
            node,
            book: Arc::new(Mutex::new(book)),
            ldk_log,
            unproven: Arc::new(Mutex::new(unproven)),
        }
    }

    pub(super) fn book(&self) -> MutexGuard<'_, ChannelBook> {
        self.book.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn unproven(&self) -> MutexGuard<'_, Unproven> {
        self.unproven.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads every channel, open or closed, with its parts and claim timeline; books what is
    /// new about open channels.
    pub async fn overview(&self) -> Result<ChannelsOverview, Error> {
        let channels = self.clone();
        blocking(move || Ok(channels.read())).await
    }

    /// [`Channels::overview`], blocking.
    fn read(&self) -> ChannelsOverview {
        let live = self.node.list_channels();
        let balances = self.node.list_balances();
        let connected = connected_peers(&self.node);
        let refusals = self.ldk_log.refusals();
        let mut unproven = self.unproven();
        unproven.prove(&live);
        let facts = NodeFacts {
            live: &live,
            balances: &balances,
            connected: &connected,
            height: self.node.status().current_best_block.height,
            refusals: &refusals,
            unproven: Some(&unproven),
        };
        let mut book = self.book();
        for c in &live {
            let old = book.get(&c.user_channel_id.0.to_string()).cloned();
            let record = record_of(c, &facts, old.as_ref());
            if let Err(e) = book.upsert(record) {
                log::warn!("could not write the channel book: {e}");
            }
        }
        overview(&facts, &book)
    }

    /// Writes what the book keeps in memory only (the latest balances); at stop.
    pub fn flush_book(&self) {
        if let Err(e) = self.book().flush() {
            log::warn!("could not write the channel book: {e}");
        }
    }

    /// Dials again, without waiting for LDK Node, the peers of open channels that are away and
    /// that we reached ourselves when opening: LDK Node only redials the peers it remembers,
    /// and it forgets one as soon as its last channel is asked to close, so a close asked for
    /// while the peer was away, or cut short by a crash, would otherwise never finish. Blocks
    /// for as long as the dialling takes: call from a blocking task.
    pub fn redial_channel_peers(&self) {
        let connected = connected_peers(&self.node);
        let mut away: Vec<(PublicKey, String)> = Vec::new();
        {
            let book = self.book();
            for c in self.node.list_channels() {
                if connected.contains(&c.counterparty_node_id)
                    || away.iter().any(|(id, _)| *id == c.counterparty_node_id)
                {
                    continue;
                }
                if let Some(address) = book
                    .get(&c.user_channel_id.0.to_string())
                    .and_then(|r| r.peer_address.clone())
                {
                    away.push((c.counterparty_node_id, address));
                }
            }
        }
        self.close_again_where_asked();
        for (id, address) in away {
            let Ok(parsed) = address.parse::<ldk_node::lightning::ln::msgs::SocketAddress>() else {
                continue;
            };
            match self.node.connect(id, parsed, false) {
                Ok(()) => log::info!("dialled the channel peer {id} at {address} again"),
                Err(e) => log::info!("channel peer {id} at {address} still away: {e}"),
            }
        }
    }

    /// Connects to a peer and remembers it (reconnected on restart).
    pub async fn connect(&self, peer: PeerUri) -> Result<(), Error> {
        let node = self.node.clone();
        blocking(move || {
            node.connect(peer.node_id, peer.address.clone(), true)
                .map_err(|_| unreachable(&peer).into())
        })
        .await
    }

    /// Opens a channel: connects, lets LDK start the funding, books it. Returns our id for it.
    /// The peer may still refuse; that arrives as a `ChannelClosed` event with
    /// [`CloseReason::RefusedByPeer`](crate::core::lightning::channels::CloseReason::RefusedByPeer).
    pub async fn open(&self, req: OpenChannelRequest) -> Result<String, Error> {
        let wallet = self.clone();
        blocking(move || {
            let node = &wallet.node;
            if req.peer.node_id == node.node_id() {
                return Err(ChannelError::OwnNode.into());
            }
            node.connect(req.peer.node_id, req.peer.address.clone(), true)
                .map_err(|_| unreachable(&req.peer))?;
            let push_msat = Some(req.push_sat * 1000);
            // LDK Node returns "channel creation failed" alone; its log says why.
            let mark = wallet.ldk_log.mark();
            let config = Some(crate::core::lightning::channels::dust::with_policy(
                ldk_node::config::ChannelConfig::default(),
                req.capacity_sat,
            ));
            let opened = if req.public {
                node.open_announced_channel(
                    req.peer.node_id,
                    req.peer.address.clone(),
                    req.capacity_sat,
                    push_msat,
                    config,
                )
            } else {
                node.open_channel(
                    req.peer.node_id,
                    req.peer.address.clone(),
                    req.capacity_sat,
                    push_msat,
                    config,
                )
            };
            let id = opened.map_err(|e| {
                let spendable = node.list_balances().spendable_onchain_balance_sats;
                match e {
                    ldk_node::NodeError::InsufficientFunds if req.capacity_sat <= spendable => {
                        // LDK keeps an on-chain reserve per anchor channel for fee bumping.
                        ChannelError::MissingAnchorReserve {
                            reserve_sat: ANCHOR_RESERVE_SAT,
                            spendable_sat: spendable,
                        }
                    }
                    ldk_node::NodeError::InsufficientFunds => ChannelError::AboveSpendable {
                        spendable_sat: spendable,
                    },
                    ldk_node::NodeError::ConnectionFailed => unreachable(&req.peer),
                    other => open_refusal(&wallet.ldk_log.errors_since(mark), other),
                }
            })?;
            let now = crate::core::shared::now();
            let record = ChannelRecord {
                user_channel_id: id.0.to_string(),
                channel_id: String::new(),
                peer: req.peer.node_id.to_string(),
                peer_address: Some(req.peer.address.to_string()),
                capacity_sat: req.capacity_sat,
                opened_by_us: true,
                public: req.public,
                funding_outpoint: None,
                first_funding_outpoint: None,
                short_channel_id: None,
                our_delay_blocks: None,
                last_balance_sat: req.capacity_sat - req.push_sat,
                // Taken from LDK once it counts the channel (the commitment fee comes off).
                opening_balance_sat: None,
                opened_at: now,
                ready_at: None,
                closed_at: None,
                close_reason: None,
                close_asked_at: None,
                splices: Vec::new(),
            };
            let mut book = wallet.book();
            if let Err(e) = book.upsert(record) {
                log::warn!("could not write the channel book: {e}");
            }
            Ok(id.0.to_string())
        })
        .await
    }

    /// Closes a channel: cooperatively (the peer must be online; both sides sign a closing
    /// transaction paying each its balance at once) or `force`d (our latest commitment goes on
    /// chain alone; our part waits out the CSV delay).
    ///
    /// A force close of a channel restored from a backup that has not met its peer since is
    /// refused ([`ChannelError::Unproven`]); [`Channels::force_close_unproven`] is the person
    /// accepting that risk.
    pub async fn close(&self, id: String, force: bool) -> Result<(), Error> {
        self.close_checked(id, force, true).await
    }

    /// Force-closes a channel whose state is not proven current since a restore: the person
    /// was told that a stale state broadcast hands the peer the whole channel, and accepted.
    pub async fn force_close_unproven(&self, id: String) -> Result<(), Error> {
        self.close_checked(id, true, false).await
    }

    async fn close_checked(&self, id: String, force: bool, check: bool) -> Result<(), Error> {
        let wallet = self.clone();
        blocking(move || {
            let node = &wallet.node;
            let (user_id, peer) = find_live(node, &id)?;
            if force && check {
                let live = node.list_channels();
                let mut unproven = wallet.unproven();
                unproven.prove(&live);
                if live
                    .iter()
                    .any(|c| c.user_channel_id == user_id && unproven.holds(c))
                {
                    return Err(ChannelError::Unproven.into());
                }
            }
            // Noted before LDK is asked, so a crash in between is covered; taken back when LDK
            // refuses, so a close the person was told failed never happens behind their back.
            if !force {
                wallet.note_close_asked(&id, true);
            }
            let closed = if force {
                node.force_close_channel(&user_id, peer, None)
            } else {
                node.close_channel(&user_id, peer)
            };
            closed.map_err(|e| {
                if force {
                    ChannelError::CloseFailed(e.to_string()).into()
                } else {
                    wallet.note_close_asked(&id, false);
                    ChannelError::CooperativeCloseFailed.into()
                }
            })
        })
        .await
    }

    /// Remembers (or forgets) that the person asked to close channel `id` cooperatively.
    fn note_close_asked(&self, id: &str, asked: bool) {
        let mut book = self.book();
        if let Some(mut record) = book.get(id).cloned() {
            record.close_asked_at = asked.then(crate::core::shared::now);
            if let Err(e) = book.upsert(record) {
                log::warn!("could not write the channel book: {e}");
            }
        }
    }

    /// Asks again to close the channels whose cooperative close was asked for but which are
    /// still usable: LDK had not recorded the request when the wallet stopped (a crash).
    fn close_again_where_asked(&self) {
        let asked: Vec<String> = {
            let book = self.book();
            self.node
                .list_channels()
                .into_iter()
                .filter(|c| c.is_usable)
                .map(|c| c.user_channel_id.0.to_string())
                .filter(|id| {
                    book.get(id)
                        .is_some_and(|r| r.close_asked_at.is_some() && r.close_reason.is_none())
                })
                .collect()
        };
        for id in asked {
            if let Ok((user_id, peer)) = find_live(&self.node, &id) {
                match self.node.close_channel(&user_id, peer) {
                    Ok(()) => log::info!("asked again to close channel {id}"),
                    Err(e) => log::warn!("could not ask again to close channel {id}: {e}"),
                }
            }
        }
    }

    /// Changes what we charge for forwarding over one channel.
    pub async fn set_fee_policy(&self, id: String, policy: FeePolicy) -> Result<(), Error> {
        if policy.cltv_delta < MIN_CLTV_DELTA {
            return Err(ChannelError::CltvDeltaTooSmall {
                minimum: MIN_CLTV_DELTA,
            }
            .into());
        }
        let node = self.node.clone();
        blocking(move || {
            let (user_id, peer) = find_live(&node, &id)?;
            let mut config = node
                .list_channels()
                .into_iter()
                .find(|c| c.user_channel_id == user_id)
                .map(|c| c.config)
                .ok_or(ChannelError::UnknownChannel)?;
            config.forwarding_fee_base_msat = policy.base_msat;
            config.forwarding_fee_proportional_millionths = policy.ppm;
            config.cltv_expiry_delta = policy.cltv_delta;
            node.update_channel_config(&user_id, peer, config)
                .map_err(|e| NodeError::Ldk(e).into())
        })
        .await
    }

    /// Whether channel `id` got as far as a funding transaction (LDK's close reasons differ
    /// before that).
    pub(crate) fn is_funded(&self, id: &str) -> bool {
        self.book()
            .get(id)
            .is_some_and(|r| r.funding_outpoint.is_some() || r.ready_at.is_some())
    }

    /// Books a channel whose funding transaction is known; one the peer opened is booked first
    /// with what LDK lists about it.
    pub(crate) fn book_pending(
        &self,
        id: &str,
        channel_id: ldk_node::lightning::ln::types::ChannelId,
        counterparty: PublicKey,
        funding_txo: ldk_node::bitcoin::OutPoint,
    ) {
        // Before the channel can carry a payment (a peer's channel comes with LDK's default
        // limit).
        crate::core::lightning::channels::dust::keep_policy(&self.node);
        let mut book = self.book();
        if book.get(id).is_none() {
            let live = self.node.list_channels();
            if let Some(c) = live.iter().find(|c| c.channel_id == channel_id) {
                let balances = self.node.list_balances();
                let connected = HashSet::from([counterparty]);
                let facts = NodeFacts {
                    live: &live,
                    balances: &balances,
                    connected: &connected,
                    height: 0,
                    refusals: &[],
                    unproven: None,
                };
                let _ = book.upsert(record_of(c, &facts, None));
            }
        }
        written(book.update(id, |r| {
            r.channel_id = channel_id.to_string();
            r.funding_outpoint = Some(funding_txo.to_string());
        }));
    }

    /// Books the first time channel `id` was ready.
    pub(crate) fn book_ready(&self, id: &str) {
        written(self.book().update(id, |r| {
            r.ready_at.get_or_insert(crate::core::shared::now());
        }));
    }

    /// Books a close and why.
    pub(crate) fn book_closed(
        &self,
        id: &str,
        channel_id: ldk_node::lightning::ln::types::ChannelId,
        reason: &CloseReason,
    ) {
        written(self.book().update(id, |r| {
            if r.channel_id.is_empty() {
                r.channel_id = channel_id.to_string();
            }
            r.closed_at.get_or_insert(crate::core::shared::now());
            r.close_reason = Some(reason.clone());
        }));
    }
}

/// A failed write of the book loses only what we remember beside LDK: logged.
pub(super) fn written(result: std::io::Result<()>) {
    if let Err(e) = result {
        log::warn!("could not write the channel book: {e}");
    }
}

/// Why LDK did not start a channel, from what it logged on the way out: our node cannot take
/// part in public channels, or LDK's own reason (the words of its `APIError`); LDK Node's
/// error name only when the log said nothing.
fn open_refusal(logged: &[String], error: ldk_node::NodeError) -> ChannelError {
    if logged
        .iter()
        .any(|l| l.contains("configured to act as a forwarding node"))
    {
        return ChannelError::PublicNeedsListening;
    }
    let reason = logged.iter().rev().find_map(|l| {
        let e = l.strip_prefix("Failed to initiate channel creation: ")?;
        // `APIMisuseError { err: "…" }` and its kin: the words inside.
        Some(match e.split_once("err: \"") {
            Some((_, rest)) => rest
                .trim_end_matches(" }")
                .trim_end_matches('"')
                .to_string(),
            None => e.to_string(),
        })
    });
    ChannelError::CannotOpen(reason.unwrap_or_else(|| error.to_string()))
}

/// ldk-node's default on-chain reserve per anchor channel (for fee-bumping its close).
pub const ANCHOR_RESERVE_SAT: u64 = 25_000;

fn unreachable(peer: &PeerUri) -> ChannelError {
    ChannelError::PeerUnreachable {
        address: peer.address.to_string(),
    }
}

/// The peers we are connected to now.
pub(super) fn connected_peers(node: &ldk_node::Node) -> HashSet<PublicKey> {
    node.list_peers()
        .into_iter()
        .filter(|p| p.is_connected)
        .map(|p| p.node_id)
        .collect()
}

fn find_live(node: &ldk_node::Node, id: &str) -> Result<(UserChannelId, PublicKey), Error> {
    live_channel(node, id)
        .map(|c| (c.user_channel_id, c.counterparty_node_id))
        .ok_or_else(|| ChannelError::UnknownChannel.into())
}

/// What LDK lists of open channel `id` (our `user_channel_id`).
pub(super) fn live_channel(node: &ldk_node::Node, id: &str) -> Option<ldk_node::ChannelDetails> {
    node.list_channels()
        .into_iter()
        .find(|c| c.user_channel_id.0.to_string() == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_open_says_ldks_reason() {
        let failed = ldk_node::NodeError::ChannelCreationFailed;
        let public = [
            "Failed to open announced channel as the node hasn't been sufficiently \
                       configured to act as a forwarding node: no alias"
                .to_string(),
        ];
        assert_eq!(
            open_refusal(&public, failed),
            ChannelError::PublicNeedsListening
        );
        let misuse = [
            "Failed to initiate channel creation: APIMisuseError { err: \"Push value \
                       (2000000000) was larger than channel_value (1000000)\" }"
                .to_string(),
        ];
        assert_eq!(
            open_refusal(&misuse, failed),
            ChannelError::CannotOpen(
                "Push value (2000000000) was larger than channel_value (1000000)".into()
            )
        );
        assert_eq!(
            open_refusal(&[], failed),
            ChannelError::CannotOpen(failed.to_string())
        );
    }
}

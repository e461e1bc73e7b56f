//! The wallet's Lightning calls: each checks what only the wallet knows (that its channel
//! state is not stale, that a backup works before real money goes into a channel) and hands
//! the work to the capability that does it (`Channels`, `Payments`, the graph, the route
//! preview).

use std::sync::Arc;

use crate::core::input::paste::PaymentTarget;
use crate::core::lightning::channels::{
    ChannelError, ChannelsOverview, FeePolicy, OpenChannelRequest, PeerUri, SpliceOutTo,
};
use crate::core::lightning::graph::{self, GraphView};
use crate::core::lightning::payments::request::{FallbackPaid, ReceiveRequest};
use crate::core::lightning::payments::PaymentRecord;
use crate::core::lightning::route::{self, RoutePreview};
use crate::core::wallet::Wallet;
use crate::core::{blocking, Error, Network, NodeError};

impl Wallet {
    /// Every channel, open or closed, with its parts and claim timeline.
    pub async fn channels(self: &Arc<Self>) -> Result<ChannelsOverview, Error> {
        self.check_not_stale()?;
        self.channels.overview().await
    }

    /// Connects to a peer and remembers it (reconnected on restart).
    pub async fn connect(self: &Arc<Self>, peer: PeerUri) -> Result<(), Error> {
        self.channels.connect(peer).await
    }

    /// Opens a channel; returns our id for it. Real money goes into a channel only with a
    /// working backup; on regtest a tester may skip it (the screen asks first).
    pub async fn open_channel(self: &Arc<Self>, req: OpenChannelRequest) -> Result<String, Error> {
        self.check_backup_for_channel_money()?;
        self.channels.open(req).await
    }

    /// Real money goes into a channel (an open, a splice in) only with a working backup; on
    /// regtest a tester may go without.
    fn check_backup_for_channel_money(&self) -> Result<(), Error> {
        if self.network() != Network::Regtest && !self.backup_status().is_working() {
            return Err(ChannelError::NeedsBackup.into());
        }
        Ok(())
    }

    /// Closes a channel cooperatively or `force`d (see [`Channels::close`]).
    ///
    /// [`Channels::close`]: crate::core::lightning::channels::Channels::close
    pub async fn close_channel(self: &Arc<Self>, id: String, force: bool) -> Result<(), Error> {
        self.channels.close(id, force).await
    }

    /// Force-closes a channel restored from a backup that has not met its peer since, the
    /// person having accepted the risk (see [`Channels::force_close_unproven`]).
    ///
    /// [`Channels::force_close_unproven`]: crate::core::lightning::channels::Channels::force_close_unproven
    pub async fn force_close_unproven(self: &Arc<Self>, id: String) -> Result<(), Error> {
        self.channels.force_close_unproven(id).await
    }

    /// Moves `amount_sat` from the on-chain wallet into channel `id` without closing it (see
    /// [`Channels::splice_in`]). More real money goes into a channel only with a working
    /// backup, as for an open.
    ///
    /// [`Channels::splice_in`]: crate::core::lightning::channels::Channels::splice_in
    pub async fn splice_in(self: &Arc<Self>, id: String, amount_sat: u64) -> Result<(), Error> {
        self.check_not_stale()?;
        self.check_backup_for_channel_money()?;
        self.channels.splice_in(id, amount_sat).await
    }

    /// Moves `amount_sat` from our side of channel `id` to `to`, or to the wallet's own
    /// on-chain wallet when `None`, without closing the channel (see [`Channels::splice_out`]).
    ///
    /// [`Channels::splice_out`]: crate::core::lightning::channels::Channels::splice_out
    pub async fn splice_out(
        self: &Arc<Self>,
        id: String,
        to: Option<ldk_node::bitcoin::Address>,
        amount_sat: u64,
    ) -> Result<(), Error> {
        self.check_not_stale()?;
        let to = match to {
            Some(a) => SpliceOutTo::Payee(a),
            None => SpliceOutTo::OwnWallet(self.own_address().await?),
        };
        self.channels.splice_out(id, to, amount_sat).await
    }

    /// Changes what we charge for forwarding over one channel.
    pub async fn set_fee_policy(
        self: &Arc<Self>,
        id: String,
        policy: FeePolicy,
    ) -> Result<(), Error> {
        self.channels.set_fee_policy(id, policy).await
    }

    /// Starts paying `target` (see [`Payments::pay`]).
    ///
    /// [`Payments::pay`]: crate::core::lightning::payments::Payments::pay
    pub async fn pay(
        self: &Arc<Self>,
        target: PaymentTarget,
        amount_msat: Option<u64>,
        max_fee_msat: Option<u64>,
    ) -> Result<String, Error> {
        self.payments.pay(target, amount_msat, max_fee_msat).await
    }

    /// Every payment, newest first.
    pub async fn payments(self: &Arc<Self>) -> Result<Vec<PaymentRecord>, Error> {
        self.check_not_stale()?;
        self.payments.list().await
    }

    /// One payment by its id (hex).
    pub async fn payment(self: &Arc<Self>, id: String) -> Result<Option<PaymentRecord>, Error> {
        self.payments.get(id).await
    }

    /// Notes a completed payment's value in fiat at `rate`.
    pub async fn note_fiat(self: &Arc<Self>, id: String, rate: crate::core::fiat::Rate) {
        self.payments.note_fiat(id, rate).await
    }

    /// A BOLT11 invoice, with a fresh on-chain fallback address if asked.
    pub async fn receive_invoice(
        self: &Arc<Self>,
        amount_msat: Option<u64>,
        description: String,
        expiry_secs: u32,
        onchain_fallback: bool,
    ) -> Result<ReceiveRequest, Error> {
        self.payments
            .receive_invoice(amount_msat, description, expiry_secs, onchain_fallback)
            .await
    }

    /// A reusable BOLT12 offer.
    pub async fn receive_offer(
        self: &Arc<Self>,
        amount_msat: Option<u64>,
        description: String,
    ) -> Result<ReceiveRequest, Error> {
        self.payments.receive_offer(amount_msat, description).await
    }

    /// An invoice paid through a channel the LSP opens as the payment arrives.
    pub async fn receive_via_lsp(
        self: &Arc<Self>,
        amount_msat: u64,
        description: String,
        expiry_secs: u32,
    ) -> Result<ReceiveRequest, Error> {
        self.payments
            .receive_via_lsp(amount_msat, description, expiry_secs)
            .await
    }

    /// Reads the graph: counts, gossip state and our neighbourhood.
    pub async fn graph(self: &Arc<Self>) -> Result<GraphView, Error> {
        graph::read(self.node.clone(), self.rapid_gossip).await
    }

    /// The likely route for paying `target` `amount_msat` (see [`route::preview`]).
    pub async fn likely_route(
        self: &Arc<Self>,
        target: PaymentTarget,
        amount_msat: u64,
    ) -> Result<Option<RoutePreview>, Error> {
        route::preview(
            self.node.clone(),
            self.store.clone(),
            self.route_graph.clone(),
            target,
            amount_msat,
        )
        .await
    }

    /// What the Electrum server knows of payments to a request's fallback `address`.
    pub async fn fallback_paid(self: &Arc<Self>, address: String) -> Result<FallbackPaid, Error> {
        let wallet = self.clone();
        blocking(move || {
            let script = address
                .parse::<ldk_node::bitcoin::Address<_>>()
                .map_err(|e| Error::Internal(format!("our own fallback address: {e}")))?
                .assume_checked()
                .script_pubkey();
            let reason = match wallet.server.payments_to(&script) {
                Some(Ok(payments)) => return Ok(FallbackPaid { payments }),
                Some(Err(e)) => e.to_string(),
                None => "no connection".to_string(),
            };
            Err(NodeError::ServerDidNotAnswer {
                url: wallet.electrum_url().to_string(),
                reason,
            }
            .into())
        })
        .await
    }
}

//! Getting paid: channels other nodes open to us must be able to pay us, and what we show as
//! paid must be true. Real bitcoind + electrs, our wallet through `core`, a real second LDK node
//! as the payer.

mod common;

use std::str::FromStr;
use std::sync::Arc;

use common::fee_proxy::FeeProxy;
use common::*;
use ldk_node::bitcoin::secp256k1::PublicKey;
use ldk_node::lightning_invoice::Bolt11Invoice;
use ldk_node::payment::PaymentStatus;
use shandian::core::channels::ChannelStatus;
use shandian::core::node::Wallet;
use shandian::core::payments::PaymentState;
use shandian::core::peer::{PeerNode, PeerOptions};

/// Electrum's commitment fee rate on regtest, and where a fee spike takes other nodes:
/// 45,000 sat per 1000 weight units is 180 sat/vB, 0.0018 BTC/kvB.
const HIGH_FEERATE_BTC_PER_KVB: f64 = 0.0018;
const HIGH_FEERATE_SAT_PER_KW: u32 = 45_000;

/// The peer pays `invoice` and we wait for the peer's own verdict, so a refusal on our side
/// fails the test with the peer's words rather than a timeout.
async fn peer_pays(peer: &Arc<PeerNode>, invoice: &str) -> Result<(), String> {
    let invoice: Bolt11Invoice = invoice.parse().unwrap();
    let p = peer.clone();
    let id = tokio::task::spawn_blocking(move || p.node().bolt11_payment().send(&invoice, None))
        .await
        .unwrap()
        .map_err(|e| format!("the peer could not start the payment: {e}"))?;
    wait_for_peer(peer, "the peer's payment to end", move |n| {
        n.payment(&id)
            .is_some_and(|p| p.status != PaymentStatus::Pending)
    })
    .await;
    match peer.node().payment(&id).map(|p| p.status) {
        Some(PaymentStatus::Succeeded) => Ok(()),
        other => Err(format!("the peer's payment ended {other:?}")),
    }
}

/// Our wallet, with no coins, and a channel a peer opened to it and funded alone.
async fn channel_from(
    chain: &Arc<shandian::core::playground::LocalChain>,
    wallet: &Arc<Wallet>,
    peer: &Arc<PeerNode>,
    capacity_sat: u64,
) -> shandian::core::channels::Channel {
    let us = PublicKey::from_str(wallet.node_id()).unwrap();
    let address = wallet.listening_address().expect("the wallet listens");
    let p = peer.clone();
    tokio::task::spawn_blocking(move || p.open_channel_to(us, address, capacity_sat, false))
        .await
        .unwrap()
        .expect("the peer opens a channel to us");
    let pending = wait_for_channels(wallet, "the peer's channel to be funded", |o| {
        o.channels.iter().any(|c| c.funding_outpoint.is_some())
    })
    .await;
    let funding = pending.channels[0].funding_outpoint.clone().unwrap();
    wait_for_tx(chain, funding.split(':').next().unwrap()).await;
    mine(chain, 6).await;
    let ready = wait_for_channels(wallet, "the peer's channel to be active", |o| {
        o.channels.iter().any(|c| c.status == ChannelStatus::Active)
    })
    .await;
    wait_for_peer(peer, "the peer to see the channel usable", |n| {
        n.list_channels().iter().any(|c| c.is_usable)
    })
    .await;
    ready.channels[0].clone()
}

/// A peer without anchor channels whose fee estimator says 180 sat/vB, while ours (a fresh
/// regtest chain) says 1 sat/vB.
async fn high_feerate_peer(
    chain: &Arc<shandian::core::playground::LocalChain>,
) -> (Arc<PeerNode>, FeeProxy) {
    let proxy = FeeProxy::start(&chain.electrum_url(), HIGH_FEERATE_BTC_PER_KVB);
    let options = PeerOptions {
        alias: None,
        without_anchors: true,
    };
    (
        start_peer_on(chain, &proxy.url(), options, true).await,
        proxy,
    )
}

#[test]
fn regtest_receive_high_feerate_peer() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, _) = create_wallet(&dir, &chain).await;
        let (peer, _proxy) = high_feerate_peer(&chain).await;

        let channel = channel_from(&chain, &wallet, &peer, 1_000_000).await;
        assert!(!channel.opened_by_us);
        assert_eq!(
            channel.commitment_feerate_sat_per_kw, HIGH_FEERATE_SAT_PER_KW,
            "the peer opened at its own fee rate"
        );
        assert_eq!(
            channel.dust_exposure_limit_sat,
            Some(shandian::core::channels::dust_exposure_limit_sat(1_000_000)),
            "our policy is set on a channel the peer opened"
        );

        // Ten payments to us, below and above what is dust at that fee rate (about 38,000 sat
        // for an HTLC output), one after another.
        let amounts_sat = [
            1_000, 5_000, 12_000, 20_000, 30_000, 37_000, 45_000, 60_000, 2_500, 80_000,
        ];
        let before = wallet.snapshot().await.unwrap().balances.lightning_sat;
        for amount_sat in amounts_sat {
            let invoice = wallet
                .receive_invoice(Some(amount_sat * 1000), format!("{amount_sat} sat"), 3600)
                .await
                .unwrap();
            let hash = Bolt11Invoice::from_str(&invoice)
                .unwrap()
                .payment_hash()
                .to_string();
            if let Err(e) = peer_pays(&peer, &invoice).await {
                panic!("a payment of {amount_sat} sat to us failed: {e}");
            }
            let got = wait_for_payment(&wallet, &hash, PaymentState::Succeeded).await;
            assert!(got.incoming);
            assert_eq!(got.amount_msat, Some(amount_sat * 1000));
        }
        // The peer opened and pays the commitment fee: every sat paid is ours.
        let total: u64 = amounts_sat.iter().sum();
        wait_for_snapshot(&wallet, "the payments in the Lightning balance", move |s| {
            s.balances.lightning_sat == before + total
        })
        .await;
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

/// A refusal LDK reports only in its log reaches the channel it happened on. On a small
/// channel from the high-fee peer (limit 50,000 sat) the commitment fee above our own estimate
/// already counts about 30,500 sat against the limit, and every payment LDK lets in flight
/// (a tenth of the channel) is dust at that rate: 12,000 sat fits, 25,000 sat does not.
#[test]
fn regtest_receive_refusal_is_shown_on_its_channel() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, _) = create_wallet(&dir, &chain).await;
        let (peer, _proxy) = high_feerate_peer(&chain).await;
        let channel = channel_from(&chain, &wallet, &peer, 300_000).await;
        assert_eq!(channel.dust_exposure_limit_sat, Some(50_000));
        assert_eq!(channel.refused_incoming, None);

        let small = wallet
            .receive_invoice(Some(12_000_000), "small".into(), 3600)
            .await
            .unwrap();
        peer_pays(&peer, &small)
            .await
            .expect("a payment that stays dust arrives");

        let large = wallet
            .receive_invoice(Some(25_000_000), "large".into(), 3600)
            .await
            .unwrap();
        assert!(
            peer_pays(&peer, &large).await.is_err(),
            "the limit refuses it"
        );
        let o = wait_for_channels(&wallet, "the refusal on the channel", |o| {
            o.channels[0].refused_incoming.is_some()
        })
        .await;
        let refusal = o.channels[0].refused_incoming.unwrap();
        assert_eq!(refusal.limit_sat, 50_000);
        assert!(refusal.exposure_sat > 50_000, "{refusal:?}");
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

//! Lightning payments end to end: our wallet (through `core`) and a real second LDK node as the
//! peer, one channel between them, on a real bitcoind + electrs.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use ldk_node::lightning_invoice::{Bolt11Invoice, Bolt11InvoiceDescription, Description};
use shandian::core::input::paste::{parse_payment, PasteError, PaymentTarget};
use shandian::core::lightning::payments::{
    check_receive, PaymentError, PaymentKindView, PaymentState, ReceiveCheck,
};
use shandian::core::wallet::Wallet;
use shandian::core::{Error, Network};
use shandian::lab::peer::PeerNode;

const CAPACITY_SAT: u64 = 1_000_000;

/// A wallet and a peer with one active channel (all of it ours, less what we `push`).
async fn with_channel(push_sat: u64) -> Setup {
    let s = setup().await;
    open_ready_channel(&s.chain, &s.wallet, &s.peer, CAPACITY_SAT, push_sat).await;
    s
}

fn peer_lightning_sat(peer: &Arc<PeerNode>) -> u64 {
    peer.node().list_balances().total_lightning_balance_sats
}

async fn finish(wallet: Arc<Wallet>, peer: Arc<PeerNode>) {
    wallet.stop().await.unwrap();
    stop_peer(&peer).await;
}

#[test]
fn regtest_payment_bolt11_both_ways() {
    run(async {
        let s = with_channel(0).await;
        let (wallet, peer) = (s.wallet.clone(), s.peer.clone());
        let peer_before = peer_lightning_sat(&peer);

        // We pay the peer's invoice for 100,000 sat.
        let invoice = peer_invoice(&peer, 100_000_000, 3600).await;
        let target = parse_payment(&invoice, Network::Regtest, now()).unwrap();
        let id = wallet.pay(target.clone(), None, None).await.unwrap();
        let sent = wait_for_payment(&wallet, &id, PaymentState::Succeeded).await;
        assert!(!sent.incoming);
        assert_eq!(sent.kind, PaymentKindView::Bolt11);
        assert_eq!(sent.amount_msat, Some(100_000_000));
        assert_eq!(
            sent.fee_msat,
            Some(0),
            "one hop to the payee: no routing fee"
        );
        assert!(sent.preimage.is_some(), "the preimage proves the payment");
        wait_for_peer(&peer, "the peer's balance to grow", move |n| {
            n.list_balances().total_lightning_balance_sats == peer_before + 100_000
        })
        .await;
        // The same invoice again is refused before anything moves.
        assert_eq!(
            wallet.pay(target, None, None).await,
            Err(PaymentError::AlreadyPaid.into())
        );

        // The peer pays our invoice for 40,000 sat.
        let ours_before = wallet.snapshot().await.unwrap().balances.lightning_sat;
        let peer_before = peer_lightning_sat(&peer);
        let ours = wallet
            .receive_invoice(Some(40_000_000), "refund".into(), 3600, false)
            .await
            .unwrap()
            .text;
        let p = peer.clone();
        tokio::task::spawn_blocking(move || {
            let invoice: Bolt11Invoice = ours.parse().unwrap();
            p.node().bolt11_payment().send(&invoice, None).unwrap();
        })
        .await
        .unwrap();
        let received = with_timeout("our invoice to be paid", async {
            loop {
                let got = wallet.payments().await.unwrap().into_iter().find(|p| {
                    p.incoming
                        && p.kind == PaymentKindView::Bolt11
                        && p.status == PaymentState::Succeeded
                });
                if let Some(p) = got {
                    return p;
                }
                let mut last = None;
                let _ = tokio::time::timeout(Duration::from_secs(3), wallet.next_update(&mut last))
                    .await;
            }
        })
        .await;
        assert_eq!(received.amount_msat, Some(40_000_000));
        // The peer's side moves by exactly the amount (one hop, no fee). Ours grows by it less any
        // change in the commitment fee, which we pay as the opener and LDK adjusts to fee rates.
        wait_for_peer(&peer, "the peer's balance to drop", move |n| {
            n.list_balances().total_lightning_balance_sats == peer_before - 40_000
        })
        .await;
        let ours_after = wallet.snapshot().await.unwrap().balances.lightning_sat;
        assert!(
            ours_after <= ours_before + 40_000 && ours_after + 1_000 > ours_before + 40_000,
            "ours {ours_before} -> {ours_after}"
        );

        // The history shows both, each with its direction, amount and status. (Both may carry
        // the same second as their last update, so their order is not checked.)
        let history: Vec<_> = wallet
            .payments()
            .await
            .unwrap()
            .into_iter()
            .filter(|p| p.kind == PaymentKindView::Bolt11)
            .map(|p| (p.incoming, p.amount_msat, p.status))
            .collect();
        assert_eq!(history.len(), 2, "{history:#?}");
        assert!(history.contains(&(true, Some(40_000_000), PaymentState::Succeeded)));
        assert!(history.contains(&(false, Some(100_000_000), PaymentState::Succeeded)));
        finish(wallet, peer).await;
    })
}

#[test]
fn regtest_payment_keysend() {
    run(async {
        let s = with_channel(0).await;
        let (wallet, peer) = (s.wallet.clone(), s.peer.clone());
        let before = peer_lightning_sat(&peer);
        let target = parse_payment(&peer.node_id().to_string(), Network::Regtest, now()).unwrap();
        assert!(matches!(target, PaymentTarget::Keysend { .. }));
        // A node id carries no amount: it must be given.
        assert_eq!(
            wallet.pay(target.clone(), None, None).await,
            Err(PaymentError::AmountRequired.into())
        );
        let id = wallet.pay(target, Some(5_000_000), None).await.unwrap();
        let sent = wait_for_payment(&wallet, &id, PaymentState::Succeeded).await;
        assert_eq!(sent.kind, PaymentKindView::Keysend);
        assert_eq!(sent.amount_msat, Some(5_000_000));
        wait_for_peer(&peer, "the keysend to arrive", move |n| {
            n.list_balances().total_lightning_balance_sats == before + 5_000
        })
        .await;
        finish(wallet, peer).await;
    })
}

#[test]
fn regtest_payment_bolt12_offer() {
    run(async {
        let s = with_channel(0).await;
        let (wallet, peer) = (s.wallet.clone(), s.peer.clone());
        let before = peer_lightning_sat(&peer);
        let p = peer.clone();
        let offer = tokio::task::spawn_blocking(move || {
            p.node()
                .bolt12_payment()
                .receive_variable_amount("tips for the peer", None)
                .unwrap()
                .to_string()
        })
        .await
        .unwrap();
        let target = parse_payment(&offer, Network::Regtest, now()).unwrap();
        assert_eq!(
            target.preview().description.as_deref(),
            Some("tips for the peer")
        );
        let id = wallet.pay(target, Some(20_000_000), None).await.unwrap();
        let sent = wait_for_payment(&wallet, &id, PaymentState::Succeeded).await;
        assert_eq!(sent.kind, PaymentKindView::Bolt12);
        assert_eq!(sent.amount_msat, Some(20_000_000));
        wait_for_peer(&peer, "the offer's payment to arrive", move |n| {
            n.list_balances().total_lightning_balance_sats == before + 20_000
        })
        .await;
        finish(wallet, peer).await;
    })
}

#[test]
fn regtest_payment_rejects_bad_input() {
    run(async {
        let s = with_channel(0).await;
        let (wallet, peer) = (s.wallet.clone(), s.peer.clone());
        let start = wallet.snapshot().await.unwrap().balances;
        let invoice = peer_invoice(&peer, 10_000_000, 3600).await;

        // What the parser refuses, each with its own error.
        let mut broken = invoice.clone().into_bytes();
        let i = broken.len() - 8;
        broken[i] = if broken[i] == b'q' { b'p' } else { b'q' };
        let cases = [
            ("garbage".to_string(), PasteError::Unrecognised),
            (
                invoice[..invoice.len() - 20].to_string(),
                PasteError::InvoiceDamaged,
            ),
            (
                String::from_utf8(broken).unwrap(),
                PasteError::InvoiceDamaged,
            ),
            (format!("{invoice}\u{202e}"), PasteError::Unrecognised),
            (
                format!(
                    "bitcoin:{}?amount=99999999999",
                    wallet.new_address().await.unwrap()
                ),
                PasteError::UriAmountInvalid,
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                parse_payment(&text, Network::Regtest, now()),
                Err(expected),
                "{text:?}"
            );
        }
        // Another network's view of the same invoice, and the invoice after it expired.
        assert!(matches!(
            parse_payment(&invoice, Network::Signet, now()),
            Err(PasteError::InvoiceWrongNetwork { .. })
        ));
        assert!(matches!(
            parse_payment(
                &invoice,
                Network::Regtest,
                now() + Duration::from_secs(3601)
            ),
            Err(PasteError::InvoiceExpired { .. })
        ));

        // What the wallet refuses: zero, and more than the channel can send (it says how much can).
        let open_amount = peer
            .node()
            .bolt11_payment()
            .receive_variable_amount(
                &Bolt11InvoiceDescription::Direct(Description::new("any".into()).unwrap()),
                3600,
            )
            .unwrap()
            .to_string();
        let target = parse_payment(&open_amount, Network::Regtest, now()).unwrap();
        assert_eq!(
            wallet.pay(target.clone(), Some(0), None).await,
            Err(PaymentError::ZeroAmount.into())
        );
        match wallet.pay(target, Some(CAPACITY_SAT * 1000), None).await {
            Err(Error::Payment(PaymentError::AboveOutbound { can_send_msat })) => {
                assert!(can_send_msat > 0 && can_send_msat < CAPACITY_SAT * 1000)
            }
            other => panic!("expected 'above what can be sent', got {other:?}"),
        }

        // Nothing moved, nothing was recorded as sent.
        let end = wallet.snapshot().await.unwrap().balances;
        assert_eq!(end.lightning_sat, start.lightning_sat);
        assert!(wallet
            .payments()
            .await
            .unwrap()
            .iter()
            .all(|p| p.kind == PaymentKindView::Onchain));
        finish(wallet, peer).await;
    })
}

#[test]
fn regtest_payment_receive_capacity_check() {
    run(async {
        // Our channel holds 100,000 sat on the peer's side: 90,000 of it above the peer's reserve.
        let s = with_channel(100_000).await;
        let (wallet, peer) = (s.wallet.clone(), s.peer.clone());
        let overview = wallet.channels().await.unwrap();
        assert_eq!(
            check_receive(&overview, Some(50_000_000)),
            ReceiveCheck::Fine
        );
        assert_eq!(
            check_receive(&overview, Some(200_000_000)),
            ReceiveCheck::AboveInbound {
                can_receive_msat: 90_000_000
            }
        );
        // What the check allows really arrives.
        let ours = wallet
            .receive_invoice(Some(50_000_000), "fits".into(), 3600, false)
            .await
            .unwrap()
            .text;
        // Read the balance before the peer pays: on loopback the payment can settle before
        // `send` even returns.
        let before = wallet.snapshot().await.unwrap().balances.lightning_sat;
        let p = peer.clone();
        let paid = tokio::task::spawn_blocking(move || {
            let invoice: Bolt11Invoice = ours.parse().unwrap();
            p.node().bolt11_payment().send(&invoice, None)
        })
        .await
        .unwrap();
        assert!(paid.is_ok());
        // As in bolt11_both_ways: our side grows by the amount less any change in the commitment
        // fee, which we pay as the opener.
        wait_for_snapshot(&wallet, "the 50,000 sat to arrive", move |s| {
            let now = s.balances.lightning_sat;
            now <= before + 50_000 && now + 1_000 > before + 50_000
        })
        .await;
        finish(wallet, peer).await;
    })
}

#[test]
fn regtest_payment_multi_hop() {
    run(async {
        // A (our wallet) -> B -> C. B's channel to C is announced; ours to B is private.
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let wallet = funded_wallet(&chain, &dir).await;
        let b = start_peer_with(&chain, true, Some("bob")).await;
        let c = start_peer_with(&chain, true, Some("carol")).await;

        let (bb, c_id, c_address) = (b.clone(), c.node_id(), c.address().clone());
        tokio::task::spawn_blocking(move || bb.open_channel_to(c_id, c_address, 500_000, 0, true))
            .await
            .unwrap()
            .expect("B opens an announced channel to C");
        wait_for_peer(&b, "B's funding transaction", move |n| {
            n.list_channels()
                .iter()
                .any(|ch| ch.counterparty_node_id == c_id && ch.funding_txo.is_some())
        })
        .await;
        let funding = b
            .node()
            .list_channels()
            .into_iter()
            .find_map(|ch| ch.funding_txo)
            .unwrap();
        wait_for_tx(&chain, &funding.txid.to_string()).await;
        // Mining for our channel to B confirms B's to C in the same blocks (six: enough to be
        // announced).
        open_ready_channel(&chain, &wallet, &b, CAPACITY_SAT, 0).await;
        for (node, what) in [(&b, "B's two channels"), (&c, "C's channel")] {
            let want = if what.starts_with("B's") { 2 } else { 1 };
            wait_for_peer(node, what, move |n| {
                n.list_channels().iter().filter(|ch| ch.is_usable).count() == want
            })
            .await;
        }

        // Gossip brings B's channel to C, with B's forwarding terms, into our graph.
        let b_id = b.node_id().to_string();
        let c_hex = c_id.to_string();
        let (bid, chex) = (b_id.clone(), c_hex.clone());
        let view = wait_for_network(&wallet, "B's channel to C in our graph", move |v| {
            v.neighbours.iter().any(|n| {
                n.node_id == bid && n.links.iter().any(|l| l.to == chex && l.policy.is_some())
            })
        })
        .await;
        assert!(view.channels >= 1 && view.nodes >= 2, "{view:#?}");
        let neighbour = view.neighbours.iter().find(|n| n.node_id == b_id).unwrap();
        assert_eq!(neighbour.our_channels, 1);
        let link = neighbour.links.iter().find(|l| l.to == c_hex).unwrap();

        // What B charges to forward into its channel to C, from B itself.
        let terms = b
            .node()
            .list_channels()
            .into_iter()
            .find(|ch| ch.counterparty_node_id == c_id)
            .map(|ch| ch.config)
            .unwrap();
        // Half of what one HTLC may carry over our channel (B lets at most 10 % of the channel
        // be in flight towards it).
        let amount_msat = 50_000_000;
        let b_fee_msat = u64::from(terms.forwarding_fee_base_msat)
            + amount_msat * u64::from(terms.forwarding_fee_proportional_millionths) / 1_000_000;
        assert_eq!(link.policy.unwrap().fee_msat(amount_msat), b_fee_msat);
        assert!(b_fee_msat > 0, "a forwarding node charges something");

        // A fee cap below B's fee finds no route, and nothing moves.
        let c_before = peer_lightning_sat(&c);
        let invoice = peer_invoice(&c, amount_msat, 3600).await;
        let target = parse_payment(&invoice, Network::Regtest, now()).unwrap();
        // The preview shows the route the router will take: B, then C, with B's fee.
        let route = wallet
            .likely_route(target.clone(), amount_msat)
            .await
            .unwrap()
            .expect("a visible route");
        let hops: Vec<&str> = route.hops.iter().map(|h| h.node_id.as_str()).collect();
        assert_eq!(hops, vec![b_id.as_str(), c_hex.as_str()]);
        assert_eq!(route.fee_msat, b_fee_msat);
        let final_delta = invoice
            .parse::<Bolt11Invoice>()
            .unwrap()
            .min_final_cltv_expiry_delta() as u32;
        assert_eq!(
            route.cltv_total,
            u32::from(terms.cltv_expiry_delta) + final_delta,
            "B's delta plus the invoice's final delta"
        );
        assert_eq!(
            wallet.pay(target.clone(), None, Some(b_fee_msat - 1)).await,
            Err(PaymentError::NoRoute.into())
        );
        assert_eq!(peer_lightning_sat(&c), c_before);

        // The same invoice again with the default cap: the embedded router finds A -> B -> C.
        let id = wallet.pay(target, None, None).await.unwrap();
        let sent = wait_for_payment(&wallet, &id, PaymentState::Succeeded).await;
        assert_eq!(sent.amount_msat, Some(amount_msat));
        assert_eq!(sent.fee_msat, Some(b_fee_msat), "A pays B's fee on top");
        assert!(
            b_fee_msat <= shandian::core::lightning::payments::default_max_fee_msat(amount_msat)
        );
        // C receives exactly the amount (C did not open its channel: no commitment fee moves).
        wait_for_peer(&c, "C to receive the amount", move |n| {
            n.list_balances().total_lightning_balance_sats == c_before + amount_msat / 1000
        })
        .await;
        let received: Vec<_> = c
            .node()
            .list_payments()
            .into_iter()
            .filter(|p| {
                p.direction == ldk_node::payment::PaymentDirection::Inbound
                    && p.status == ldk_node::payment::PaymentStatus::Succeeded
                    && matches!(p.kind, ldk_node::payment::PaymentKind::Bolt11 { .. })
            })
            .map(|p| p.amount_msat)
            .collect();
        assert_eq!(received, vec![Some(amount_msat)]);

        wallet.stop().await.unwrap();
        stop_peer(&b).await;
        stop_peer(&c).await;
    })
}

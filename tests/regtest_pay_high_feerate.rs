//! Paying over a channel whose peer sets a high commitment fee rate (45,000 sat/kW, as
//! Electrum does on regtest and other nodes do in a fee spike): LDK keeps each payment above
//! what an on-chain close would lose as dust, and an HTLC's removal takes a moment to sign.
//! What the wallet refuses, sends and books there must be true. Real bitcoind + electrs, our
//! wallet through `core`, a real second LDK node behind a fee-rate proxy.

mod common;

use common::electrum_proxy::high_feerate_peer;
use common::*;
use shandian::core::input::paste::parse_payment;
use shandian::core::lightning::payments::{PaymentError, PaymentState};
use shandian::core::{Error, Network};

/// On a channel a high-fee peer opened to us, LDK raises our smallest payment (a 690,000 sat
/// channel's dust limit of 69,000 sat, of which the commitment fee above our estimate already
/// takes about 30,500 sat, leaves no room for a dust HTLC of ~39,900 sat) and sends that much
/// when asked for less. A payment below it by more than the fee cap is refused with that
/// reason (not "no route"); one within the cap goes, and the extra is booked as a cost: the
/// wallet's Lightning balance drops by exactly the amount plus what the record says.
#[test]
fn regtest_pay_overpayment_is_booked() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, _) = create_wallet(&dir, &chain).await;
        let (peer, _proxy) = high_feerate_peer(&chain).await;
        channel_from(&chain, &wallet, &peer, 690_000).await;
        for _ in 0..2 {
            let ours = wallet
                .receive_invoice(Some(60_000_000), "in".into(), 3600, false)
                .await
                .unwrap()
                .text;
            peer_pays(&peer, &ours).await.unwrap();
        }
        let o = wait_for_channels(&wallet, "what we received", |o| {
            o.channels[0].our_balance_sat == 120_000
        })
        .await;
        let smallest = o
            .smallest_payment_msat()
            .expect("an active channel that can send");
        assert!(smallest > 30_000_000, "LDK raised the smallest: {o:#?}");

        // Far below it: refused, with the smallest that can go.
        let small = peer_invoice(&peer, 15_000_000, 3600).await;
        let target = parse_payment(&small, Network::Regtest, now()).unwrap();
        assert_eq!(
            wallet.pay(target, None, None).await.unwrap_err(),
            Error::Payment(PaymentError::BelowSmallest {
                smallest_msat: smallest
            })
        );

        // Just below it: LDK sends the smallest; the extra is on the record and in the books.
        let before = wallet.snapshot().await.unwrap().balances.lightning_sat;
        let asked_msat = smallest - 97_000;
        let invoice = peer_invoice(&peer, asked_msat, 3600).await;
        let target = parse_payment(&invoice, Network::Regtest, now()).unwrap();
        // The preview says what the record will: no fee, 97 sat over.
        let route = wallet
            .likely_route(target.clone(), asked_msat)
            .await
            .unwrap()
            .expect("a route to our own peer");
        assert_eq!((route.fee_msat, route.overpaid_msat), (0, 97_000));
        let id = wallet.pay(target, None, None).await.unwrap();
        let paid = wait_for_payment(&wallet, &id, PaymentState::Succeeded).await;
        assert_eq!(paid.amount_msat, Some(asked_msat));
        assert_eq!(paid.overpaid_msat, Some(97_000));
        let cost_msat = paid.fee_msat.unwrap_or(0) + 97_000;
        // The peer opened the channel and pays its commitment fee: what left is the amount
        // and the cost, to the sat.
        let left_sat = (asked_msat + cost_msat) / 1000;
        wait_for_snapshot(&wallet, "the payment out of the balance", move |s| {
            s.balances.lightning_sat == before - left_sat
        })
        .await;
        let history =
            shandian::core::history::merge(&wallet.payments().await.unwrap(), &[], &[], &[]);
        let entry = history
            .iter()
            .find(|e| e.payment_hash == paid.payment_hash)
            .unwrap();
        assert_eq!(entry.overpaid_msat, Some(97_000));
        let period = shandian::core::history::Period::parse("2000-01-01", "2100-01-01").unwrap();
        let csv = shandian::core::history::to_csv(&history, &period);
        assert!(
            csv.lines().any(
                |l| l.contains(paid.payment_hash.as_deref().unwrap()) && l.contains(",97.000,")
            ),
            "{csv}"
        );
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

/// Twenty payments, each started the moment the one before it is reported sent, over a
/// channel the high-fee peer opened: none is refused while the HTLC before it is still being
/// removed (LDK raises the channel's smallest payment for that moment), and the Lightning
/// balance drops by exactly what the records say.
#[test]
fn regtest_pay_back_to_back_high_feerate_peer() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, _) = create_wallet(&dir, &chain).await;
        let (peer, _proxy) = high_feerate_peer(&chain).await;
        channel_from(&chain, &wallet, &peer, 3_000_000).await;
        // Something to send back: three payments to us (the peer lets a tenth of the channel
        // be in flight at once).
        for _ in 0..3 {
            let ours = wallet
                .receive_invoice(Some(250_000_000), "in".into(), 3600, false)
                .await
                .unwrap()
                .text;
            peer_pays(&peer, &ours).await.unwrap();
        }
        wait_for_channels(&wallet, "what we received", |o| {
            o.channels[0].our_balance_sat == 750_000
        })
        .await;

        // Below and above what is dust at the peer's fee rate (about 32,000 sat for an HTLC),
        // as a counter's sales and refunds come.
        let amounts_sat: Vec<u64> = [2_000, 50_000, 12_000, 45_000]
            .into_iter()
            .cycle()
            .take(20)
            .collect();
        let mut invoices = Vec::new();
        for amount_sat in &amounts_sat {
            invoices.push(peer_invoice(&peer, amount_sat * 1000, 3600).await);
        }
        let before = wallet.snapshot().await.unwrap().balances.lightning_sat;
        let mut left_msat = 0;
        for (i, invoice) in invoices.iter().enumerate() {
            let id = start_paying(&wallet, invoice).await.unwrap_or_else(|e| {
                panic!(
                    "payment {} of 20 ({} sat) was refused: {e}",
                    i + 1,
                    amounts_sat[i]
                )
            });
            let paid = wait_for_payment(&wallet, &id, PaymentState::Succeeded).await;
            assert_eq!(paid.amount_msat, Some(amounts_sat[i] * 1000));
            // Straight to the peer: no forwarding fee, and nothing over the amount.
            assert_eq!(paid.fee_msat.unwrap_or(0), 0, "{paid:?}");
            assert_eq!(paid.overpaid_msat, None, "{paid:?}");
            left_msat += paid.amount_msat.unwrap();
        }
        assert_eq!(left_msat, amounts_sat.iter().sum::<u64>() * 1000);
        let left_sat = left_msat / 1000;
        wait_for_snapshot(&wallet, "the payments out of the balance", move |s| {
            s.balances.lightning_sat == before - left_sat
        })
        .await;
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

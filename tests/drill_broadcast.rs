//! A send the server refuses, and a send while the server is away: never "Sent" for a
//! transaction no server has, and the coins stay spendable. The chain's node relays only
//! transactions paying at least 5 sat/vB (as a busy mempool does); the wallet sends at 2.

mod common;

use std::sync::Arc;

use common::*;
use shandian::core::input::plan_onchain_send;
use shandian::core::input::SendAmount;
use shandian::core::wallet::{BroadcastOutcome, Wallet};
use shandian::core::Network;
use shandian::lab::chain::LocalChain;

const MIN_RELAY_SAT_VB: u64 = 5;
const AMOUNT_SAT: u64 = 250_000;

/// Somebody else's regtest address (BIP 173's example).
const PAYEE: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

async fn send(
    wallet: &Arc<Wallet>,
    fee_rate: u64,
) -> (shandian::core::wallet::SendOutcome, BroadcastOutcome) {
    let spendable = spendable(wallet).await;
    let plan = plan_onchain_send(
        PAYEE,
        Ok(SendAmount::Exact {
            amount_sat: AMOUNT_SAT,
        }),
        fee_rate,
        spendable,
        Network::Regtest,
    )
    .expect("a good plan");
    let sent = wallet
        .send_onchain(plan)
        .await
        .expect("signed and handed over");
    let outcome = with_timeout("the server's answer", wallet.await_broadcast(&sent)).await;
    (sent, outcome)
}

/// What a person checks after a send that did not go out: the spendable balance is what it
/// was, and Activity has no outgoing transaction.
async fn nothing_left(wallet: &Arc<Wallet>, spendable_before: u64) {
    sync_tolerantly(wallet).await;
    let s = wallet.snapshot().await.unwrap();
    assert_eq!(s.balances.onchain_spendable_sat, spendable_before);
    assert_eq!(s.balances.onchain_total_sat, spendable_before);
    assert!(
        s.activity.iter().all(|a| a.incoming),
        "no outgoing transaction in Activity: {:?}",
        s.activity
    );
}

#[test]
fn drill_broadcast_refused() {
    run(async {
        let chain = Arc::new(
            tokio::task::spawn_blocking(|| LocalChain::start_relaying_from(MIN_RELAY_SAT_VB))
                .await
                .unwrap()
                .expect("the chain starts"),
        );
        let (_tmp, _root, dir) = temp_root();
        let wallet = funded_wallet(&chain, &dir).await;
        let spendable = spendable(&wallet).await;

        // Below what the server relays: refused, and said with both rates.
        let (_, outcome) = send(&wallet, 2).await;
        assert_eq!(
            outcome,
            BroadcastOutcome::NotTaken {
                fee_rate_sat_vb: 2,
                min_relay_sat_vb: Some(MIN_RELAY_SAT_VB)
            }
        );
        assert!(outcome.fee_too_low());
        nothing_left(&wallet, spendable).await;

        // The server away while sending: no answer, not "Sent"; once it is back, the
        // transaction turns out never to have reached it, and nothing left the wallet.
        on_chain(&chain, |c| c.stop_electrs()).await;
        let (_, outcome) = send(&wallet, 8).await;
        assert_eq!(outcome, BroadcastOutcome::NoAnswer);
        on_chain(&chain, |c| c.restart_electrs()).await.unwrap();
        nothing_left(&wallet, spendable).await;

        // At a rate the server relays: accepted, and the money adds up to the sat.
        let (sent, outcome) = send(&wallet, 8).await;
        let BroadcastOutcome::Accepted { fee_sat: Some(fee) } = outcome else {
            panic!("accepted with its fee: {outcome:?}");
        };
        assert_eq!(sent.sent_sat, AMOUNT_SAT);
        wait_for_tx(&chain, &sent.txid).await;
        let after = wallet.snapshot().await.unwrap();
        let gone = spendable - after.balances.onchain_total_sat;
        assert_eq!(
            gone,
            AMOUNT_SAT + fee,
            "what left is the amount and its fee"
        );
        let row = after
            .activity
            .iter()
            .find(|a| a.txid == sent.txid)
            .expect("the send is in Activity");
        assert_eq!(
            (row.incoming, row.amount_sat, row.fee_sat),
            (false, AMOUNT_SAT, Some(fee))
        );
        wallet.stop().await.unwrap();
    })
}

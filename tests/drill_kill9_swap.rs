//! Crash drills over a swap to Lightning: the wallet (`shandian-drill`, a child process) is
//! killed with SIGKILL at each write after it is asked for a swap (our invoice, the on-chain
//! wallet's funding of the HTLC, what follows), and the counterparty never pays. After each
//! restart on the same folder and keyring, nobody asks anything more: a swap that never got
//! funded moved nothing and is booked as such at its refund height, and one whose HTLC is on
//! chain is taken back by the wallet itself once
//! the chain reaches its refund height, the holdings less exactly the two transactions' fees as
//! bitcoind reports them.

mod common;

use common::drill::*;
use common::*;
use serde_json::Value;

const SWAP_SAT: u64 = 100_000;
const REFUND_BLOCKS: u32 = 10;
const FEE_RATE: u64 = 2;
/// Kill points tried (each the n-th write after asking), until one try's HTLC got funded.
const MAX_KILLS: u32 = 6;

fn holdings(s: &Value) -> i64 {
    s["holdings_sat"].as_i64().unwrap()
}

fn swaps(s: &Value) -> Vec<Value> {
    s["swaps"].as_array().cloned().unwrap_or_default()
}

/// Mines until the chain reaches the swap's refund height (a block at least).
async fn mine_to_refund(d: &Drill, swap: &Value) {
    let refund_height = swap["refund_height"].as_u64().unwrap();
    let height = on_chain(&d.chain, |c| c.height()).await.unwrap();
    mine(
        &d.chain,
        (refund_height.saturating_sub(height) as u32).max(1),
    )
    .await;
}

#[test]
fn drill_kill9_swap() {
    run(async {
        let mut d = Drill::new().await;
        let key = d.peer.swap_public_key();
        let ask = format!("swap-to-lightning {key} {SWAP_SAT} {REFUND_BLOCKS} {FEE_RATE}");
        let mut funded = None;
        for n in 1..=MAX_KILLS {
            let before = d.wait_state("a quiet wallet", |_| true).await;
            let known = swaps(&before).len();
            let point = d.kill_at("-", "-", "-", n, &ask);
            println!("killed at {point} (write {n}) while swapping");
            let after = d.wait_state("the wallet after the kill", |_| true).await;
            let Some(swap) = swaps(&after).get(known).cloned() else {
                assert_eq!(
                    holdings(&after),
                    holdings(&before),
                    "nothing moved ({point})"
                );
                println!("kill at {point}: no swap booked, nothing moved");
                continue;
            };
            match swap["funding"].as_str() {
                Some(txid) => {
                    funded = Some((before, swap.clone(), txid.to_string(), point));
                    break;
                }
                None => {
                    // Booked, the HTLC not known funded: the wallet looks for it on chain.
                    let s = d
                        .wait_state("the swap's HTLC found or not", |s| {
                            swaps(s)[known]["state"] != "Funding"
                                || holdings(s) == holdings(&before)
                        })
                        .await;
                    let swap = swaps(&s)[known].clone();
                    if let Some(txid) = swap["funding"].as_str() {
                        funded = Some((before, swap.clone(), txid.to_string(), point));
                        break;
                    }
                    assert_eq!(holdings(&s), holdings(&before), "nothing moved ({point})");
                    // Once its refund height is reached it is booked as such, never waiting
                    // for ever.
                    mine_to_refund(&d, &swap).await;
                    let s = d
                        .wait_state("the unfunded swap booked as over", |s| {
                            swaps(s)[known]["state"] == "Abandoned"
                        })
                        .await;
                    assert_eq!(holdings(&s), holdings(&before), "nothing moved ({point})");
                    println!("kill at {point}: booked, never funded, nothing moved");
                }
            }
        }
        let (before, swap, funding, point) =
            funded.expect("one of the kill points fell after the HTLC was funded");
        let funding_fee = tx_fee_sat(&d.chain, &funding).await as i64;
        println!("kill at {point}: the HTLC is funded ({funding_fee} sat of fee)");
        // The counterparty never pays: at the refund height the wallet takes it back by itself.
        mine_to_refund(&d, &swap).await;
        let hash = swap["hash"].as_str().unwrap().to_string();
        let refunded = d
            .wait_state("the wallet's own refund", |s| {
                swaps(s)
                    .iter()
                    .any(|w| w["hash"] == hash.as_str() && w["state"] == "Refunded")
            })
            .await;
        let refund = swaps(&refunded)
            .into_iter()
            .find(|w| w["hash"] == hash.as_str())
            .unwrap()["spent_by"]
            .as_str()
            .unwrap()
            .to_string();
        let refund_fee = tx_fee_sat(&d.chain, &refund).await as i64;
        mine(&d.chain, 1).await;
        let after = d
            .wait_state("the refund in the holdings", |s| {
                holdings(s) == holdings(&before) - funding_fee - refund_fee
            })
            .await;
        d.lost_sat += holdings(&before) - funding_fee - refund_fee - holdings(&after);
        d.finish("drill_kill9_swap").await;
    })
}

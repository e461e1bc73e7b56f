//! Crash drills over a splice: the wallet (`shandian-drill`, a child process) is killed with
//! SIGKILL at each write while it negotiates a splice in with the peer (the on-chain wallet's,
//! then LDK's), after the splice's transaction is broadcast, and while that transaction waits
//! for the confirmations that lock it. After each restart on the same folder
//! and keyring the channel is active with the same id, and what the wallet holds moved by
//! exactly the splice's fee as bitcoind reports it (or not at all, for a splice that never
//! happened).

mod common;

use common::drill::*;
use common::*;
use serde_json::Value;

const SPLICE_SAT: u64 = 200_000;
/// Kill points tried while a splice is negotiated (each the n-th write after asking).
const MAX_NEGOTIATION_KILLS: u32 = 8;

fn holdings(s: &Value) -> i64 {
    s["holdings_sat"].as_i64().unwrap()
}

fn capacity(s: &Value, id: &str) -> u64 {
    channel(s, id)
        .and_then(|c| c["capacity_sat"].as_u64())
        .unwrap_or(0)
}

/// The txid of the channel's splice of that state (`Pending`, `Locked`), if any.
fn splice_txid(s: &Value, id: &str, state: &str) -> Option<String> {
    channel(s, id)?["splices"]
        .as_array()?
        .iter()
        .rev()
        .find(|sp| sp["state"] == state)
        .and_then(|sp| sp["funding"].as_str())
        .map(|o| o.split(':').next().unwrap().to_string())
}

fn active(s: &Value, id: &str) -> bool {
    channel(s, id).is_some_and(|c| c["status"] == "Active")
}

/// LDK closed the channel on restart: the kill fell between its write of the splice's channel
/// update and its write of the channel manager (rust-lightning issue 4286).
fn closed_after_crash(s: &Value, id: &str) -> bool {
    channel(s, id).is_some_and(|c| c["close_reason"] == "AfterCrash")
}

/// Fees a force close of ours and its sweep may cost on this chain, at most.
const MAX_CLOSE_FEES_SAT: i64 = 10_000;

/// Mines until the channel closed after a crash has nothing left to claim; what came back on
/// chain is our side of the channel as it was before the splice was asked for, less the
/// close's fees (the splice's coins never left the wallet).
async fn settle_after_crash(d: &mut Drill, before: &Value, id: &str, point: &str) {
    let mut settled = None;
    for _ in 0..40 {
        mine(&d.chain, 6).await;
        let s = d.wait_state("the wallet after mining", |_| true).await;
        if channel(&s, id).is_some_and(|c| c["status"] == "Closed") {
            settled = Some(s);
            break;
        }
    }
    let after = settled.expect("the crashed channel settles within 240 blocks");
    let ours_before = holdings(before) - before["onchain_total_sat"].as_i64().unwrap();
    let back = after["onchain_total_sat"].as_i64().unwrap()
        - before["onchain_total_sat"].as_i64().unwrap();
    assert!(
        back <= ours_before && ours_before - back <= MAX_CLOSE_FEES_SAT,
        "our side ({ours_before} sat) came back less the close's fees ({point}): {back} sat"
    );
    println!(
        "kill at {point}: LDK closed the channel after the crash; {back} of {ours_before} sat \
         came back ({} sat in fees)",
        ours_before - back
    );
}

#[test]
fn drill_kill9_splice() {
    run(async {
        let mut d = Drill::new().await;
        let id = d.open_channel().await;

        // 1. Killed at each of the first writes after asking for a splice in (the on-chain
        //    wallet's, then LDK's as it negotiates with the peer), one kill per try, until one
        //    try's splice got out. After each restart the channel is active; a splice that never
        //    got out moved nothing and left the channel on its old funding output, and one that
        //    got out locks and moved the holdings by its fee alone.
        let mut id = id;
        for n in 1..=MAX_NEGOTIATION_KILLS {
            let before = d.wait_state("a quiet channel", channels_settled).await;
            let funding = channel(&before, &id).unwrap()["funding"]
                .as_str()
                .unwrap()
                .to_string();
            let point = d.kill_at("-", "-", "-", n, &format!("splice-in {id} {SPLICE_SAT}"));
            println!("killed at {point} (write {n}) while splicing");
            let after = d
                .wait_state("the channel after a kill mid-splice", |s| {
                    active(s, &id) || closed_after_crash(s, &id)
                })
                .await;
            if closed_after_crash(&after, &id) {
                settle_after_crash(&mut d, &before, &id, &point).await;
                id = d.open_channel().await;
                break;
            }
            let Some(txid) = splice_txid(&after, &id, "Pending") else {
                assert_eq!(
                    channel(&after, &id).unwrap()["funding"].as_str(),
                    Some(funding.as_str()),
                    "still on its old funding output ({point})"
                );
                assert_eq!(
                    holdings(&after),
                    holdings(&before),
                    "nothing moved ({point})"
                );
                let last = channel(&after, &id).unwrap()["splices"]
                    .as_array()
                    .and_then(|s| s.last())
                    .map(|s| s["state"].clone());
                // Killed before LDK took the request, nothing was booked; after, it is booked
                // as cut short, never as negotiating for ever.
                assert!(
                    last.is_none() || last == Some(serde_json::json!("Interrupted")),
                    "the splice's record after a kill at {point}: {last:?}"
                );
                println!("kill at {point}: the splice never got out, nothing moved");
                continue;
            };
            let fee = tx_fee_sat(&d.chain, &txid).await as i64;
            mine(&d.chain, 6).await;
            let locked = d
                .wait_state("the splice locked", |s| {
                    active(s, &id)
                        && splice_txid(s, &id, "Locked").as_deref() == Some(txid.as_str())
                })
                .await;
            assert_eq!(capacity(&locked, &id), capacity(&before, &id) + SPLICE_SAT);
            let lost = holdings(&before) - fee - holdings(&locked);
            d.lost_sat += lost;
            assert_eq!(lost, 0, "only the fee ({point}): {before:#} / {locked:#}");
            println!("kill at {point}: the splice got out and locked, {fee} sat fee");
            break;
        }

        // 2. Killed right after the splice's transaction is out, and 3. again while it waits
        //    for the blocks that lock it. After the restarts the splice locks, the channel
        //    follows its new funding output, and the holdings moved by the fee alone.
        let before = d.wait_state("a quiet channel", channels_settled).await;
        let capacity_before = capacity(&before, &id);
        d.ask(&format!("splice-in {id} {SPLICE_SAT}"), "splicing ");
        let out = d
            .wait_state("the splice's transaction", |s| {
                splice_txid(s, &id, "Pending").is_some()
            })
            .await;
        let txid = splice_txid(&out, &id, "Pending").unwrap();
        wait_for_tx(&d.chain, &txid).await;
        let fee = tx_fee_sat(&d.chain, &txid).await as i64;
        d.kill_now();
        println!("killed after the splice was broadcast");
        mine(&d.chain, 3).await;
        d.wait_state("the wallet back, the splice pending", |s| {
            active(s, &id) && splice_txid(s, &id, "Pending").as_deref() == Some(txid.as_str())
        })
        .await;
        d.kill_now();
        println!("killed while the splice confirms");
        mine(&d.chain, 3).await;
        let locked = d
            .wait_state("the splice locked after two kills", |s| {
                active(s, &id)
                    && capacity(s, &id) == capacity_before + SPLICE_SAT
                    && splice_txid(s, &id, "Locked").as_deref() == Some(txid.as_str())
            })
            .await;
        assert!(
            channel(&locked, &id).unwrap()["funding"]
                .as_str()
                .is_some_and(|f| f.starts_with(&txid)),
            "the channel follows the new funding output: {locked:#}"
        );
        let lost = holdings(&before) - fee - holdings(&locked);
        d.lost_sat += lost;
        assert_eq!(
            lost, 0,
            "only the splice's fee {fee}: {before:#} / {locked:#}"
        );

        // The channel still pays after it all.
        let invoice = peer_invoice(&d.peer, 5_000_000, 3600).await;
        let paying = d.ask(&format!("pay {invoice}"), "paying ");
        d.wait_state("the payment over the spliced channel", |s| {
            payments(s, &paying)
                .iter()
                .any(|p| p["status"] == "Succeeded")
        })
        .await;
        d.finish("drill_kill9_splice").await;
    })
}

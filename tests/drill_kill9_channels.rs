//! Crash drills over a channel's life: the wallet (`shandian-drill`, a child process) is killed
//! with SIGKILL while a channel opens (before its first channel monitor is written, and after
//! its funding transaction is broadcast), while it closes cooperatively, and while LDK sweeps a
//! force-closed channel's money back to the wallet. After each restart on the same folder and
//! keyring the channel is where it should be, with the same id, and what the wallet holds moved
//! by exactly the fees that bitcoind says were paid.

mod common;

use common::drill::*;
use common::*;
use serde_json::Value;

fn holdings(s: &Value) -> i64 {
    s["holdings_sat"].as_i64().unwrap()
}

fn status(s: &Value, id: &str) -> String {
    channel(s, id)
        .map(|c| c["status"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

fn funding_of(s: &Value, id: &str) -> Option<String> {
    channel(s, id).and_then(|c| c["funding"].as_str().map(str::to_string))
}

/// A cooperative close of channel `id` (its funding `funding`), killed before the first write
/// of LDK Node's store whose key starts with `key` (`-`: any). After the restart the close
/// finishes with nobody asking again; the holdings moved by the closing fee alone, and the
/// channel was never force-closed.
async fn close_with_kill(d: &mut Drill, id: &str, funding: &str, key: &str) {
    wait_for_peer(&d.peer, "the peer to use the channel", |n| {
        n.list_channels().iter().any(|c| c.is_usable)
    })
    .await;
    let before = d.wait_state("a quiet channel", channels_settled).await;
    let point = d.kill_at("-", "-", key, 1, &format!("close {id}"));
    println!("killed at {point} while closing");
    // Back with the peer, the close finishes by itself: LDK resumes it when it had recorded
    // it, and the wallet asks again when it had not (it noted the request first).
    let closing_txid = wait_for_spend(&d.chain, funding, "the closing transaction").await;
    let closing_fee = tx_fee_sat(&d.chain, &closing_txid).await as i64;
    mine(&d.chain, 6).await;
    let after = d
        .wait_state(&format!("the close after a kill at {point}"), |s| {
            status(s, id) == "Closed"
                && s["onchain_total_sat"].as_i64() >= Some(holdings(&before) - closing_fee)
        })
        .await;
    assert_eq!(
        channel(&after, id).unwrap()["close_reason"],
        "CooperativeByUs",
        "closed cooperatively ({point}): {after:#}"
    );
    let lost = holdings(&before) - closing_fee - holdings(&after);
    d.lost_sat += lost;
    assert_eq!(
        lost, 0,
        "only the closing fee {closing_fee} left ({point}): {before:#} / {after:#}"
    );
    println!("kill at {point} while closing: closed cooperatively, {closing_fee} sat closing fee");
}

#[test]
fn drill_kill9_channels() {
    run(async {
        let mut d = Drill::new().await;
        let uri = d.peer.uri();

        // 1. Killed before the new channel's first monitor is written: the funding transaction
        //    was signed but never broadcast. After the restart no channel is open or opening,
        //    and not a satoshi moved.
        let before = d.state();
        let point = d.kill_at(
            "monitors",
            "-",
            "-",
            1,
            &format!("open {uri} {CAPACITY_SAT} 0"),
        );
        let after = d
            .wait_state(&format!("the wallet after a kill at {point}"), |s| {
                s["channels"].as_array().unwrap().iter().all(|c| {
                    c["status"] != "Active"
                        && !c["status"].as_str().unwrap_or("").starts_with("Opening")
                })
            })
            .await;
        assert_eq!(
            holdings(&after),
            holdings(&before),
            "nothing moved ({point}): {after:#}"
        );
        println!("kill at {point} while opening: no channel, nothing moved");

        // 2. Killed right after the funding transaction reached bitcoind's mempool: after the
        //    restart the same channel confirms and becomes active; the holdings moved by the
        //    funding transaction's fee alone.
        let before = d.state();
        let id = d.ask(&format!("open {uri} {CAPACITY_SAT} 0"), "opened ");
        let s = d
            .wait_state("the funding transaction", |s| funding_of(s, &id).is_some())
            .await;
        let funding = funding_of(&s, &id).unwrap();
        let funding_txid = funding.split(':').next().unwrap().to_string();
        let funding_fee = tx_fee_sat(&d.chain, &funding_txid).await as i64;
        d.kill_now();
        mine(&d.chain, 6).await;
        let after = d
            .wait_state(
                "the channel to be active after a kill after its broadcast",
                |s| status(s, &id) == "Active",
            )
            .await;
        let lost = holdings(&before) - funding_fee - holdings(&after);
        d.lost_sat += lost;
        assert_eq!(
            lost, 0,
            "only the funding fee {funding_fee} left: {before:#} / {after:#}"
        );
        println!(
            "kill after the funding broadcast: same channel active, {funding_fee} sat funding fee"
        );

        // 3. Killed while closing cooperatively: at the first write of any kind, and before the
        //    channel manager records the close.
        close_with_kill(&mut d, &id, &funding, "-").await;
        let id = d.open_channel().await;
        let funding = funding_of(&d.state(), &id).unwrap();
        close_with_kill(&mut d, &id, &funding, "manager").await;

        // 4. A force close, and a kill at the sweeper's first write once the CSV delay is over
        //    (LDK has our output to sweep and is about to record it). After the restart the sweep
        //    goes out and confirms; the wallet gains what LDK said was claimable, less the sweep's
        //    fee.
        let id = d.open_channel().await;
        let funding = funding_of(&d.state(), &id).unwrap();
        d.ask(&format!("force-close {id}"), "closing ");
        let commitment = wait_for_spend(&d.chain, &funding, "the commitment transaction").await;
        wait_for_tx(&d.chain, &commitment).await;
        mine(&d.chain, 1).await;
        let locked = d
            .wait_state("our output under the CSV delay", |s| {
                status(s, &id).starts_with("ForceClosing")
                    && s["total_sat"].as_i64() > s["onchain_total_sat"].as_i64()
            })
            .await;
        let claimable =
            locked["total_sat"].as_i64().unwrap() - locked["onchain_total_sat"].as_i64().unwrap();
        let onchain_before = locked["onchain_total_sat"].as_i64().unwrap();
        let blocks_left: u32 = status(&locked, &id)
            .trim_start_matches("ForceClosing { blocks_left: ")
            .trim_end_matches(" }")
            .parse()
            .unwrap();
        // One block short of the delay, then arm the kill and mine the last block.
        if blocks_left > 1 {
            mine(&d.chain, blocks_left - 1).await;
        }
        d.ask("kill-at - - output_sweeper 1", "armed");
        mine(&d.chain, 1).await;
        let point = tokio::task::block_in_place(|| {
            let w = d.wallet();
            w.send("sync");
            w.expect("killpoint ")
        });
        d.kill_now();
        // Right after the restart LDK re-delivers the output to the sweeper (the event the kill
        // cut short); until then neither the monitor nor the sweeper lists it. It must come back
        // whole.
        d.wait_state(
            &format!("the claimable money to be claimable again after a kill at {point}"),
            |s| {
                s["total_sat"].as_i64().unwrap() - s["onchain_total_sat"].as_i64().unwrap()
                    == claimable
            },
        )
        .await;
        let sweep = loop {
            // The sweep spends our output of the commitment.
            if let Some(t) = mempool_spender_of(&d.chain, &commitment).await {
                break t;
            }
            d.wait_state("a sync round", |_| true).await;
        };
        let sweep_fee = tx_fee_sat(&d.chain, &sweep).await as i64;
        mine(&d.chain, 6).await;
        let after = d
            .wait_state(
                &format!("the sweep to settle after a kill at {point}"),
                |s| {
                    status(s, &id) == "Closed"
                        && s["onchain_total_sat"].as_i64() > Some(onchain_before)
                },
            )
            .await;
        let lost =
            onchain_before + claimable - sweep_fee - after["onchain_total_sat"].as_i64().unwrap();
        d.lost_sat += lost;
        assert_eq!(
            lost, 0,
            "swept what was claimable ({claimable}) less the sweep fee {sweep_fee} ({point}): {after:#}"
        );
        println!(
            "kill at {point} while sweeping: {claimable} sat claimable, {sweep_fee} sat sweep fee"
        );
        d.finish("drill_kill9_channels").await;
    })
}

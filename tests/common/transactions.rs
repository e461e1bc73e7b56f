//! Transactions as bitcoind sees them, for the tests' checks: waiting for one, for the spend of
//! an output, and the fee a transaction paid.

use std::sync::Arc;

use shandian::lab::chain::LocalChain;

use super::*;

/// Waits until bitcoind knows `txid` (ldk-node broadcasts from a queue, a moment after a send
/// returns) and returns it decoded.
pub async fn wait_for_tx(chain: &Arc<LocalChain>, txid: &str) -> serde_json::Value {
    let txid = txid.to_string();
    with_timeout("bitcoind to see the transaction", async {
        loop {
            let id = txid.clone();
            let found = on_chain(chain, move |c| {
                c.rpc(
                    "getrawtransaction",
                    &[serde_json::json!(id), serde_json::json!(true)],
                )
            })
            .await;
            if let Ok(tx) = found {
                return tx;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
}

/// Waits until bitcoind's mempool (or chain) has a transaction spending `outpoint`
/// (`txid:vout`); its txid.
pub async fn wait_for_spend(chain: &Arc<LocalChain>, outpoint: &str, what: &str) -> String {
    let (txid, vout) = outpoint.split_once(':').unwrap();
    let prevout = serde_json::json!([{"txid": txid, "vout": vout.parse::<u64>().unwrap()}]);
    with_timeout(what, async {
        loop {
            let p = prevout.clone();
            let spent = on_chain(chain, move |c| c.rpc("gettxspendingprevout", &[p]))
                .await
                .unwrap();
            if let Some(t) = spent[0].get("spendingtxid").and_then(|t| t.as_str()) {
                return t.to_string();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
}

/// Anchor outputs of a commitment transaction: 330 sat, for fee bumps (CPFP).
pub const ANCHOR_SAT: u64 = 330;

/// A transaction in bitcoind's mempool that claims an output of `txid` other than an anchor
/// (an anchor spend only bumps the commitment's fee, and may come first), if there is one.
pub async fn mempool_spender_of(chain: &Arc<LocalChain>, txid: &str) -> Option<String> {
    let txid = txid.to_string();
    on_chain(chain, move |c| {
        let parent = c.rpc(
            "getrawtransaction",
            &[serde_json::json!(txid), serde_json::json!(true)],
        )?;
        let value_sat = |vout: u64| {
            parent["vout"][vout as usize]["value"]
                .as_f64()
                .map_or(0, |v| (v * 100_000_000.0).round() as u64)
        };
        let mempool = c.rpc("getrawmempool", &[])?;
        for t in mempool.as_array().cloned().unwrap_or_default() {
            let tx = c.rpc("getrawtransaction", &[t.clone(), serde_json::json!(true)])?;
            let claims = tx["vin"].as_array().is_some_and(|ins| {
                ins.iter().any(|i| {
                    i["txid"] == serde_json::json!(txid)
                        && i["vout"]
                            .as_u64()
                            .is_some_and(|v| value_sat(v) != ANCHOR_SAT)
                })
            });
            if claims {
                return Ok(t.as_str().map(str::to_string));
            }
        }
        Ok::<_, shandian::lab::chain::LabError>(None)
    })
    .await
    .unwrap()
}

/// The fee a transaction bitcoind knows paid, in satoshis (what actually left for the miners):
/// its inputs' values, looked up in their own transactions, less its outputs.
pub async fn tx_fee_sat(chain: &Arc<LocalChain>, txid: &str) -> u64 {
    let tx = wait_for_tx(chain, txid).await;
    let sat = |v: &serde_json::Value| (v.as_f64().unwrap() * 100_000_000.0).round() as u64;
    let mut inputs = 0;
    for input in tx["vin"].as_array().unwrap() {
        let prev = wait_for_tx(chain, input["txid"].as_str().unwrap()).await;
        let vout = input["vout"].as_u64().unwrap() as usize;
        inputs += sat(&prev["vout"][vout]["value"]);
    }
    let outputs: u64 = tx["vout"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| sat(&o["value"]))
        .sum();
    inputs - outputs
}

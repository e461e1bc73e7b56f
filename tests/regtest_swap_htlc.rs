//! The on-chain half of a swap against a real bitcoind: an HTLC output funded on a local
//! regtest chain is claimed with the preimage by the claim key, and another is refunded by the
//! refund key, which bitcoind refuses before the refund height and takes at it. Each spend pays
//! exactly its size at the rate asked for.

mod common;

use std::sync::Arc;

use common::*;
use ldk_node::bitcoin::hashes::{sha256, Hash};
use ldk_node::bitcoin::secp256k1::{PublicKey, Secp256k1};
use ldk_node::bitcoin::{consensus, Amount, Network, OutPoint, Txid};
use serde_json::{json, Value};
use shandian::core::swap::htlc::{HtlcTerms, Spend};
use shandian::core::swap::swap_key;
use shandian::lab::chain::LocalChain;

const FEE_RATE: u64 = 2;

/// Pays a mature coinbase to the HTLC's address; its outpoint and value.
async fn funded(chain: &Arc<LocalChain>, terms: &HtlcTerms) -> (OutPoint, Amount) {
    let address = terms.address(Network::Regtest).to_string();
    let height = on_chain(chain, move |c| c.fund(&address)).await.unwrap();
    let script = terms
        .address(Network::Regtest)
        .script_pubkey()
        .to_hex_string();
    on_chain(chain, move |c| {
        let hash = c.rpc("getblockhash", &[json!(height - 100)])?;
        let block = c.rpc("getblock", &[hash, json!(2)])?;
        let coinbase = &block["tx"][0];
        let (vout, out) = coinbase["vout"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .find(|(_, o)| o["scriptPubKey"]["hex"] == script.as_str())
            .expect("the coinbase pays the HTLC");
        let txid: Txid = coinbase["txid"].as_str().unwrap().parse().unwrap();
        let sat = (out["value"].as_f64().unwrap() * 100_000_000.0).round() as u64;
        Ok::<_, shandian::lab::LabError>((OutPoint::new(txid, vout as u32), Amount::from_sat(sat)))
    })
    .await
    .unwrap()
}

async fn send(
    chain: &Arc<LocalChain>,
    tx: &ldk_node::bitcoin::Transaction,
) -> Result<Value, String> {
    let hex = consensus::encode::serialize_hex(tx);
    on_chain(chain, move |c| c.rpc("sendrawtransaction", &[json!(hex)]))
        .await
        .map_err(|e| e.to_string())
}

#[test]
fn regtest_swap_htlc_claim_and_refund() {
    run(async {
        let chain = start_chain().await;
        let secp = Secp256k1::signing_only();
        let seed = [42u8; 64];
        let (claimer, funder) = (
            swap_key(&seed, Network::Regtest, 0),
            swap_key(&seed, Network::Regtest, 1),
        );
        let preimage = [5u8; 32];
        let height = on_chain(&chain, |c| c.height()).await.unwrap() as u32;
        let terms = |refund_height| HtlcTerms {
            payment_hash: sha256::Hash::hash(&preimage).to_byte_array(),
            claim_key: PublicKey::from_secret_key(&secp, &claimer),
            refund_key: PublicKey::from_secret_key(&secp, &funder),
            refund_height,
        };
        let to = shandian::lab::chain::throwaway_address().script_pubkey();

        // Claimed with the preimage: bitcoind takes it, and it paid its size at the rate.
        let claimable = terms(height + 1_000);
        let (outpoint, value) = funded(&chain, &claimable).await;
        let claim = claimable
            .spend(
                outpoint,
                value,
                to.clone(),
                FEE_RATE,
                Spend::Claim {
                    preimage: &preimage,
                },
                &claimer,
            )
            .unwrap();
        let fee = value.to_sat() - claim.output[0].value.to_sat();
        assert_eq!(fee, claim.vsize() as u64 * FEE_RATE);
        let txid = send(&chain, &claim)
            .await
            .expect("bitcoind takes the claim");
        assert_eq!(
            txid.as_str(),
            Some(claim.compute_txid().to_string().as_str())
        );
        assert_eq!(
            tx_fee_sat(&chain, &claim.compute_txid().to_string()).await,
            fee
        );

        // Refunded: refused before the refund height, taken once the chain reaches it. The
        // funding mines 101 blocks (a coinbase and the 100 that make it spendable).
        let now = on_chain(&chain, |c| c.height()).await.unwrap() as u32;
        let refundable = terms(now + 101 + 3);
        let (outpoint, value) = funded(&chain, &refundable).await;
        let refund = refundable
            .spend(outpoint, value, to, FEE_RATE, Spend::Refund, &funder)
            .unwrap();
        let early = send(&chain, &refund).await;
        assert!(
            early.as_ref().is_err_and(|e| e.contains("non-final")),
            "refused before its height: {early:?}"
        );
        let tip = on_chain(&chain, |c| c.height()).await.unwrap() as u32;
        assert_eq!(tip + 3, refundable.refund_height);
        mine(&chain, 2).await;
        let early = send(&chain, &refund).await;
        assert!(
            early.as_ref().is_err_and(|e| e.contains("non-final")),
            "refused a block before its height: {early:?}"
        );
        mine(&chain, 1).await;
        send(&chain, &refund)
            .await
            .expect("bitcoind takes the refund at its height");
        mine(&chain, 1).await;
        let spent = on_chain(&chain, move |c| {
            c.rpc(
                "gettxout",
                &[json!(outpoint.txid.to_string()), json!(outpoint.vout)],
            )
        })
        .await
        .unwrap();
        assert!(spent.is_null(), "the HTLC output is spent");
    })
}

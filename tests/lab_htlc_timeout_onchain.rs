//! An HTLC timed out on chain: lab node Alice holds a payment from the wallet (neither claims
//! nor fails it) and goes offline. Mined to the HTLC's CLTV expiry (the Lab panel's timelock),
//! the wallet closes the channel and takes the HTLC back with its timeout transaction: once
//! everything settles, the held amount is back in the wallet, on chain.

mod common;

use common::lab::{lab_world, whole_channel_back};
use common::*;
use shandian::core::lightning::channels::{ChannelStatus, TimelockKind};
use shandian::core::lightning::payments::PaymentState;
use shandian::lab::{Fault, FaultDone};

const CAPACITY_SAT: u64 = 1_000_000;
const HELD_SAT: u64 = 50_000;
/// Far more than the fees of the commitment, HTLC-timeout and sweep transactions at regtest
/// rates, and far less than the HTLC: a wallet that lost it could not pass.
const FEES_BOUND_SAT: u64 = 20_000;

#[test]
fn lab_htlc_timeout_onchain() {
    run(async {
        let w = lab_world().await;
        let (chain, wallet, lab) = (&w.chain, &w.wallet, &w.lab);
        let channel = open_ready_channel(chain, wallet, &lab.node("Alice"), CAPACITY_SAT, 0).await;
        let wallet_before = wallet.snapshot().await.unwrap().balances.onchain_total_sat;

        // Alice makes an invoice she will hold; the wallet pays it.
        let FaultDone::Holding { invoice } = lab
            .fault(
                "Alice",
                Fault::Hold {
                    amount_sat: HELD_SAT,
                },
                wallet,
            )
            .await
        else {
            panic!("a hold returns its invoice")
        };
        let payment = start_paying(wallet, &invoice)
            .await
            .expect("payment starts");
        let o = wait_for_channels(wallet, "the held HTLC in the channel", |o| {
            o.get(&channel.id)
                .is_some_and(|c| c.parts.htlc_out_sat == HELD_SAT)
        })
        .await;
        let cid = channel.channel_id.clone();
        wait_for_peer(&lab.node("Alice"), "Alice to hold the HTLC", move |n| {
            n.list_balances().lightning_balances.iter().any(|b| {
                matches!(b, ldk_node::LightningBalance::MaybePreimageClaimableHTLC {
                    channel_id, amount_satoshis, ..
                } if channel_id.to_string() == cid && *amount_satoshis == HELD_SAT)
            })
        })
        .await;

        // Offline, Alice cannot fail it back before it expires.
        assert_eq!(
            lab.fault("Alice", Fault::GoOffline, wallet).await,
            FaultDone::Offline
        );
        let expiry = o
            .timelocks()
            .into_iter()
            .find(|t| t.kind == TimelockKind::HtlcRefund && t.channel == channel.id)
            .expect("the HTLC's expiry among the Lab's timelocks");
        assert_eq!(expiry.amount_sat, HELD_SAT);
        lab.lab.mine_to(expiry.height).await.unwrap();

        // Past the expiry (and LDK's grace blocks) the wallet broadcasts its commitment.
        let funding = channel.funding_outpoint.clone().unwrap();
        let mut closing = None;
        for _ in 0..10 {
            mine(chain, 1).await;
            sync_tolerantly(wallet).await;
            let o = wallet.channels().await.unwrap();
            if o.get(&channel.id)
                .is_some_and(|c| matches!(c.status, ChannelStatus::ForceClosing { .. }))
            {
                closing = Some(wait_for_spend(chain, &funding, "our commitment").await);
                break;
            }
        }
        assert!(
            closing.is_some(),
            "the wallet closed the channel after the HTLC expired"
        );

        // Everything settles; the HTLC came back with the rest of our side.
        whole_channel_back(&w, &channel.id, wallet_before, CAPACITY_SAT, FEES_BOUND_SAT).await;
        let record = wait_for_payment(wallet, &payment, PaymentState::Failed).await;
        assert_eq!(record.status, PaymentState::Failed);
        w.stop().await;
    });
}

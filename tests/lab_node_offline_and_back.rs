//! A lab node goes offline and comes back: lab node Alice opens a channel to the wallet and
//! pays over it; offline, the wallet shows the channel's peer as offline and a payment to her
//! fails; back, Alice dials the wallet herself and the channel carries a payment again, with
//! nothing lost on either side.

mod common;

use common::lab::lab_world;
use common::*;
use shandian::core::lightning::channels::ChannelStatus;
use shandian::core::lightning::payments::PaymentState;
use shandian::core::PaymentError;
use shandian::lab::{Counterparty, Fault, FaultDone};

const CAPACITY_SAT: u64 = 1_000_000;
const RECEIVED_SAT: u64 = 80_000;
const SENT_SAT: u64 = 30_000;

#[test]
fn lab_node_offline_and_back() {
    run(async {
        let w = lab_world().await;
        let (chain, wallet, lab) = (&w.chain, &w.wallet, &w.lab);

        // Alice opens a channel to the wallet, as the Lab panel's button does.
        lab.lab
            .opens_to_wallet("Alice", wallet, CAPACITY_SAT, 0)
            .await
            .expect("Alice opens a channel to the wallet");
        let alice_id = lab.node("Alice").node_id().to_string();
        let pending = wait_for_channels(wallet, "Alice's channel to be funded", |o| {
            o.channels
                .iter()
                .any(|c| c.peer == alice_id && c.funding_outpoint.is_some())
        })
        .await;
        let id = pending
            .channels
            .iter()
            .find(|c| c.peer == alice_id)
            .unwrap()
            .id
            .clone();
        let funding = pending.get(&id).unwrap().funding_outpoint.clone().unwrap();
        wait_for_tx(chain, funding.split(':').next().unwrap()).await;
        mine(chain, 6).await;
        wait_for_channels(wallet, "Alice's channel to be active", |o| {
            o.get(&id)
                .is_some_and(|c| c.status == ChannelStatus::Active)
        })
        .await;
        let invoice = wallet
            .receive_invoice(Some(RECEIVED_SAT * 1000), "from Alice".into(), 3600, false)
            .await
            .unwrap();
        peer_pays(&lab.node("Alice"), &invoice.text).await.unwrap();
        let before = wait_for_channels(wallet, "Alice's payment in the channel", |o| {
            o.get(&id).is_some_and(|c| c.parts.ours_sat == RECEIVED_SAT)
        })
        .await;
        let ours = before.get(&id).unwrap().parts;

        // Offline: the wallet sees it, and a payment to Alice cannot go.
        let invoice = peer_invoice(&lab.node("Alice"), SENT_SAT * 1000, 3600).await;
        assert_eq!(
            lab.fault("Alice", Fault::GoOffline, wallet).await,
            FaultDone::Offline
        );
        let nodes = lab.lab.read_nodes(wallet.public_key()).await;
        assert!(nodes[0].online.is_none(), "{nodes:#?}");
        let offline = wait_for_channels(wallet, "Alice's channel to show her offline", |o| {
            o.get(&id)
                .is_some_and(|c| c.status == ChannelStatus::PeerOffline)
        })
        .await;
        assert_eq!(offline.get(&id).unwrap().parts, ours, "nothing moved");
        // Refused before anything moves, naming the money held in the offline channel.
        match start_paying(wallet, &invoice).await {
            Err(shandian::core::Error::Payment(PaymentError::PeersOffline {
                can_send_msat,
                offline_msat,
            })) => {
                assert_eq!(can_send_msat, 0);
                assert_eq!(
                    offline_msat / 1000,
                    offline.get(&id).unwrap().parts.our_spendable_sat
                );
            }
            other => panic!("paying offline Alice: {other:?}"),
        }

        // Back: Alice dials the wallet, the channel is active again and carries the payment.
        assert_eq!(
            lab.fault("Alice", Fault::ComeBack, wallet).await,
            FaultDone::Online
        );
        wait_for_channels(wallet, "Alice's channel active again", |o| {
            o.get(&id).is_some_and(|c| {
                c.status == ChannelStatus::Active && c.limits.send_max_msat >= SENT_SAT * 1000
            })
        })
        .await;
        let nodes = lab.lab.read_nodes(wallet.public_key()).await;
        let alice = nodes[0].online.as_ref().expect("Alice online");
        assert!(
            alice
                .channels
                .iter()
                .any(|c| c.counterparty == Counterparty::Wallet && c.usable),
            "{nodes:#?}"
        );
        let invoice = peer_invoice(&lab.node("Alice"), SENT_SAT * 1000, 3600).await;
        let payment = start_paying(wallet, &invoice)
            .await
            .expect("payment starts");
        wait_for_payment(wallet, &payment, PaymentState::Succeeded).await;
        let after = wait_for_channels(wallet, "the payment in the channel", |o| {
            o.get(&id)
                .is_some_and(|c| c.parts.ours_sat == RECEIVED_SAT - SENT_SAT)
        })
        .await;
        assert_eq!(after.get(&id).unwrap().status, ChannelStatus::Active);
        w.stop().await;
    });
}

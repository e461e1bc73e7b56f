//! Channels end to end: our wallet (through `core`, as the app drives it) and a real second LDK
//! node as the peer, on a real bitcoind + electrs, keys in the real system keyring.

mod common;

use std::sync::Arc;

use common::*;
use serde_json::json;
use shandian::core::input::{plan_onchain_send, SendAmount};
use shandian::core::lightning::channels::{
    ChannelError, ChannelStatus, ClaimCause, ClaimKind, CloseReason, OpenChannelRequest,
    ANCHOR_RESERVE_SAT, MIN_CHANNEL_SAT,
};
use shandian::core::{Error, Network};
use shandian::lab::chain::LocalChain;

const CAPACITY_SAT: u64 = 1_000_000;
const PUSH_SAT: u64 = 100_000;

/// The transaction in the chain that spends `outpoint` (`txid:vout`), searched from the tip down.
async fn spender_of(chain: &Arc<LocalChain>, outpoint: &str) -> serde_json::Value {
    let (txid, vout) = outpoint.split_once(':').unwrap();
    let (txid, vout) = (txid.to_string(), vout.parse::<u64>().unwrap());
    on_chain(chain, move |c| {
        let mut hash = c.rpc("getbestblockhash", &[]).unwrap();
        for _ in 0..300 {
            let block = c.rpc("getblock", &[hash.clone(), json!(2)]).unwrap();
            for tx in block["tx"].as_array().unwrap() {
                let spends = tx["vin"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|i| i["txid"] == json!(txid) && i["vout"].as_u64() == Some(vout));
                if spends {
                    let mut tx = tx.clone();
                    tx["blockheight"] = block["height"].clone();
                    return tx;
                }
            }
            hash = block["previousblockhash"].clone();
        }
        panic!("no transaction spends {txid}:{vout}");
    })
    .await
}

fn sat(btc: &serde_json::Value) -> u64 {
    (btc.as_f64().unwrap() * 100_000_000.0).round() as u64
}

#[test]
fn regtest_channel_open_and_cooperative_close() {
    run(async {
        let s = setup().await;
        let (chain, wallet, peer) = (s.chain.clone(), s.wallet.clone(), s.peer.clone());

        let c = open_ready_channel(&chain, &wallet, &peer, CAPACITY_SAT, PUSH_SAT).await;
        // The list shows the capacity as the parts of our commitment transaction, to the
        // satoshi: our output, the peer's output (the push), the two 330-sat anchors and the
        // commitment fee, both paid by us as opener.
        assert_eq!(c.capacity_sat, CAPACITY_SAT);
        assert_eq!(c.parts.total(), CAPACITY_SAT, "{c:#?}");
        assert_eq!(c.parts.ours_sat, c.our_balance_sat, "{c:#?}");
        assert_eq!(c.parts.theirs_sat, PUSH_SAT, "{c:#?}");
        assert_eq!(c.parts.anchors_sat, 2 * 330, "{c:#?}");
        assert_eq!(
            c.our_balance_sat + PUSH_SAT + 2 * 330 + c.parts.commitment_fee_sat,
            CAPACITY_SAT
        );
        // The reserves are floors of 1 % on each side's output (the stake a cheater loses);
        // what each side can move is its output above the floor (ours before the fee we pay).
        assert_eq!(c.parts.our_reserve_sat, CAPACITY_SAT / 100);
        assert_eq!(c.parts.peer_reserve_sat, CAPACITY_SAT / 100);
        assert_eq!(c.parts.peer_spendable_sat, PUSH_SAT - CAPACITY_SAT / 100);
        assert_eq!(
            c.parts.our_spendable_sat + c.parts.our_reserve_sat,
            c.parts.ours_sat + c.parts.commitment_fee_sat,
            "{c:#?}"
        );
        assert!(c.opened_by_us && !c.public);
        assert!(c.short_channel_id.is_some());
        assert_eq!(c.our_delay_blocks, Some(144));
        let overview = wallet.channels().await.unwrap();
        assert_eq!(overview.can_send_sat(), c.parts.our_spendable_sat);
        assert_eq!(overview.can_receive_sat(), PUSH_SAT - CAPACITY_SAT / 100);

        let before = wallet.snapshot().await.unwrap().balances.onchain_total_sat;
        wallet.close_channel(c.id.clone(), false).await.unwrap();
        let closing = wait_for_channels(&wallet, "the close to be booked", |o| {
            o.get(&c.id)
                .is_some_and(|x| x.history.close_reason == Some(CloseReason::CooperativeByUs))
        })
        .await;
        assert!(!closing.get(&c.id).unwrap().status.is_open());

        let funding = c.funding_outpoint.clone().unwrap();
        // Wait for the closing transaction to reach bitcoind's mempool, then confirm it.
        wait_for_spend(&chain, &funding, "the closing transaction").await;
        mine(&chain, 6).await;
        let closed = wait_for_channels(&wallet, "the channel to be closed", |o| {
            o.get(&c.id)
                .is_some_and(|x| x.status == ChannelStatus::Closed)
        })
        .await;
        assert!(closed.get(&c.id).unwrap().claims.is_empty());

        // The closing transaction pays the peer its push and us the rest of the capacity, less the
        // closing fee (the opener pays it); our on-chain balance grows by exactly that.
        let tx = spender_of(&chain, &funding).await;
        let outputs: Vec<u64> = tx["vout"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| sat(&o["value"]))
            .collect();
        let close_fee = CAPACITY_SAT - outputs.iter().sum::<u64>();
        assert!(outputs.contains(&PUSH_SAT), "{outputs:?}");
        assert!(close_fee > 0 && close_fee < 10_000, "{close_fee}");
        let ours = CAPACITY_SAT - PUSH_SAT - close_fee;
        assert!(outputs.contains(&ours), "{outputs:?}");
        let after = wait_for_snapshot(&wallet, "the closing output in the wallet", |s| {
            s.balances.onchain_total_sat == before + ours
        })
        .await;
        assert_eq!(after.balances.lightning_sat, 0);
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}
#[test]
fn regtest_channel_force_close_waits_for_csv() {
    run(async {
        let s = setup().await;
        let (chain, wallet, peer) = (s.chain.clone(), s.wallet.clone(), s.peer.clone());
        let c = open_ready_channel(&chain, &wallet, &peer, CAPACITY_SAT, 0).await;
        let delay = c.our_delay_blocks.expect("the peer set our delay") as u32;

        // The peer goes away (the usual reason to close alone): the channel shows it, and only our
        // commitment transaction can go on chain.
        stop_peer(&peer).await;
        wait_for_channels(&wallet, "the peer to be offline", |o| {
            o.get(&c.id)
                .is_some_and(|x| x.status == ChannelStatus::PeerOffline)
        })
        .await;
        wallet.close_channel(c.id.clone(), true).await.unwrap();
        wait_for_channels(&wallet, "the force close to be booked", |o| {
            o.get(&c.id)
                .is_some_and(|x| x.history.close_reason == Some(CloseReason::ForceClosedByUs))
        })
        .await;
        let funding = c.funding_outpoint.clone().unwrap();
        // Our commitment transaction (and its anchor fee bump) reach the mempool, then a block.
        wait_for_spend(&chain, &funding, "the commitment transaction").await;
        mine(&chain, 1).await;
        let commitment = spender_of(&chain, &funding).await;
        let commitment_height = commitment["blockheight"].as_u64().unwrap() as u32;

        // The timeline: our part is locked by the CSV delay, counted from the commitment's block.
        let locked = wait_for_channels(&wallet, "our output under the CSV delay", |o| {
            o.get(&c.id).is_some_and(|x| {
                x.claims.iter().any(|s| {
                    matches!(
                        s.kind,
                        ClaimKind::AwaitingConfirmations {
                            cause: ClaimCause::OurForceClose,
                            ..
                        }
                    )
                })
            })
        })
        .await;
        let ch = locked.get(&c.id).unwrap();
        let step = ch
            .claims
            .iter()
            .find(|s| matches!(s.kind, ClaimKind::AwaitingConfirmations { .. }))
            .unwrap();
        let unlock = step.height().unwrap();
        assert_eq!(unlock, commitment_height + delay - 1, "{ch:#?}");
        assert!(
            matches!(ch.status, ChannelStatus::ForceClosing { blocks_left } if blocks_left == unlock - locked.height)
        );
        let locked_amount = step.amount_sat;
        assert!(locked_amount > CAPACITY_SAT - 20_000 && locked_amount < CAPACITY_SAT);

        // One block short of the delay: still locked, the wallet unchanged.
        let before = wallet.snapshot().await.unwrap().balances.onchain_total_sat;
        let now = chain.height().unwrap() as u32;
        mine(&chain, unlock - 1 - now).await;
        let still = wait_for_channels(&wallet, "the chain one block short of the unlock", |o| {
            o.height == unlock - 1
        })
        .await;
        let ch = still.get(&c.id).unwrap();
        assert!(
            ch.claims
                .iter()
                .all(|s| matches!(s.kind, ClaimKind::AwaitingConfirmations { .. })),
            "{ch:#?}"
        );
        assert_eq!(ch.status, ChannelStatus::ForceClosing { blocks_left: 1 });
        assert_eq!(
            wallet.snapshot().await.unwrap().balances.onchain_total_sat,
            before
        );

        // Past the delay LDK sweeps our output to the wallet.
        mine(&chain, 1).await;
        let broadcast = wait_for_channels(&wallet, "the sweep to be broadcast", |o| {
            o.get(&c.id).is_some_and(|x| {
                x.claims
                    .iter()
                    .any(|s| matches!(s.kind, ClaimKind::SweepBroadcast { .. }))
            })
        })
        .await;
        // Mined once bitcoind has it, as a person mines after seeing it go out.
        let sweep = broadcast
            .get(&c.id)
            .unwrap()
            .claims
            .iter()
            .find_map(|s| match &s.kind {
                ClaimKind::SweepBroadcast { txid } => Some(txid.clone()),
                _ => None,
            });
        wait_for_tx(&chain, &sweep.expect("the sweep's txid")).await;
        mine(&chain, 1).await;
        wait_for_channels(&wallet, "the sweep to confirm", |o| {
            o.get(&c.id).is_some_and(|x| {
                x.claims
                    .iter()
                    .any(|s| matches!(s.kind, ClaimKind::SweepConfirming { .. }))
            })
        })
        .await;
        mine(&chain, 5).await;
        wait_for_channels(&wallet, "the channel to be settled", |o| {
            o.get(&c.id)
                .is_some_and(|x| x.status == ChannelStatus::Closed)
        })
        .await;
        let after = wait_for_snapshot(&wallet, "the swept funds in the wallet", |s| {
            s.balances.onchain_total_sat > before
        })
        .await;
        let gained = after.balances.onchain_total_sat - before;
        assert!(
            gained <= locked_amount && gained > locked_amount - 5_000,
            "gained {gained} of {locked_amount}"
        );
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}
#[test]
fn regtest_channel_peer_force_close() {
    run(async {
        let s = setup().await;
        let (chain, wallet, peer) = (s.chain.clone(), s.wallet.clone(), s.peer.clone());
        let c = open_ready_channel(&chain, &wallet, &peer, CAPACITY_SAT, 0).await;
        let delay = c.our_delay_blocks.unwrap() as u32;
        let before = wallet.snapshot().await.unwrap().balances.onchain_total_sat;
        let ours = c.our_balance_sat;

        let p = peer.clone();
        tokio::task::spawn_blocking(move || {
            let ch = &p.node().list_channels()[0];
            p.node()
                .force_close_channel(&ch.user_channel_id, ch.counterparty_node_id, None)
                .unwrap();
        })
        .await
        .unwrap();
        let funding = c.funding_outpoint.clone().unwrap();
        wait_for_spend(&chain, &funding, "the peer's commitment transaction").await;
        let start = mine(&chain, 1).await as u32;
        let o = wait_for_channels(&wallet, "the peer's close to be booked", |o| {
            o.get(&c.id)
                .is_some_and(|x| !x.status.is_open() && x.history.close_reason.is_some())
        })
        .await;
        let ch = o.get(&c.id).unwrap();
        assert!(
            matches!(
                ch.history.close_reason,
                Some(CloseReason::ForceClosedByPeer { .. } | CloseReason::ClosedOnChain)
            ),
            "{ch:#?}"
        );
        // Our output on the peer's commitment is not under our CSV delay: it unlocks within a few
        // blocks, not `delay` blocks.
        for s in &ch.claims {
            if let Some(h) = s.height() {
                assert!(
                    h < start + 10,
                    "claim waits until {h}, start {start}: {ch:#?}"
                );
            }
        }

        // Mine a block at a time until the money is back; count the blocks it took.
        let mut mined = 0;
        loop {
            let s = wallet.snapshot().await.unwrap();
            if s.balances.onchain_total_sat > before {
                let gained = s.balances.onchain_total_sat - before;
                assert!(
                    gained <= ours && gained > ours - 5_000,
                    "gained {gained} of {ours}"
                );
                break;
            }
            assert!(mined < 20, "funds did not come back within 20 blocks");
            mine(&chain, 1).await;
            mined += 1;
            let target = start + mined;
            wait_for_channels(&wallet, "the next block", |o| o.height >= target).await;
        }
        assert!(mined < delay, "{mined} blocks, delay {delay}");
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}
#[test]
fn regtest_channel_open_rejects_bad_input() {
    run(async {
        let s = setup().await;
        let (chain, wallet, peer) = (s.chain.clone(), s.wallet.clone(), s.peer.clone());
        let start = wallet.snapshot().await.unwrap().balances;
        let spendable = start.onchain_spendable_sat;
        let uri = peer.uri();
        let check = |uri: &str, cap: &str, push: &str| {
            OpenChannelRequest::check(uri, cap, push, false, spendable)
        };

        // Malformed node addresses.
        assert_eq!(check("", "100000", ""), Err(ChannelError::EmptyUri.into()));
        assert_eq!(
            check(&peer.node_id().to_string(), "100000", ""),
            Err(ChannelError::MalformedUri.into())
        );
        assert_eq!(
            check("02zz@127.0.0.1:9735", "100000", ""),
            Err(ChannelError::BadNodeId.into())
        );
        assert_eq!(
            check(&format!("{}@nowhere", peer.node_id()), "100000", ""),
            Err(ChannelError::BadPeerAddress.into())
        );
        // Capacity below the minimum, above what can be spent.
        assert_eq!(
            check(&uri, &(MIN_CHANNEL_SAT - 1).to_string(), ""),
            Err(ChannelError::TooSmall {
                minimum_sat: MIN_CHANNEL_SAT
            }
            .into())
        );
        assert!(matches!(check(&uri, "not sats", ""), Err(Error::Input(_))));

        // A peer nobody listens for.
        let port = shandian::core::free_loopback_port().unwrap();
        let req = check(
            &format!("{}@127.0.0.1:{port}", peer.node_id()),
            "100000",
            "",
        )
        .unwrap();
        assert_eq!(
            wallet.open_channel(req).await,
            Err(ChannelError::PeerUnreachable {
                address: format!("127.0.0.1:{port}")
            }
            .into())
        );

        // A small wallet: enough for the capacity, not for the capacity plus the anchor reserve.
        let (_tmp2, _root2, small_dir) = temp_root();
        let (small, _) = create_wallet(&small_dir, &chain).await;
        let small_address = small.new_address().await.unwrap();
        let plan = plan_onchain_send(
            &small_address,
            Ok(SendAmount::Exact { amount_sat: 40_000 }),
            2,
            spendable,
            Network::Regtest,
        )
        .unwrap();
        let sent = wallet.send_onchain(plan).await.unwrap();
        wait_for_tx(&chain, &sent.txid).await;
        mine(&chain, 1).await;
        wait_for_snapshot(&small, "the small wallet's funds", |s| {
            s.balances.onchain_spendable_sat == 40_000
        })
        .await;
        let req = OpenChannelRequest::check(&uri, "30000", "", false, 40_000).unwrap();
        assert_eq!(
            small.open_channel(req).await,
            Err(ChannelError::MissingAnchorReserve {
                reserve_sat: ANCHOR_RESERVE_SAT,
                spendable_sat: 40_000
            }
            .into())
        );
        assert_eq!(
            OpenChannelRequest::check(&uri, "40001", "", false, 40_000),
            Err(ChannelError::AboveSpendable {
                spendable_sat: 40_000
            }
            .into())
        );

        // A peer that does not announce itself refuses a public channel (LDK retries with plainer
        // channel types first; the peer refuses each).
        let private_peer = start_peer_with(&chain, false, None).await;
        let spendable = common::spendable(&wallet).await;
        let req =
            OpenChannelRequest::check(&private_peer.uri(), "100000", "", true, spendable).unwrap();
        let id = wallet.open_channel(req).await.unwrap();
        let refused = wait_for_channels(&wallet, "the peer's refusal", |o| {
            o.get(&id).is_some_and(|c| c.history.close_reason.is_some())
        })
        .await;
        let c = refused.get(&id).unwrap();
        assert!(
            matches!(
                c.history.close_reason,
                Some(CloseReason::RefusedByPeer { .. })
            ),
            "{c:#?}"
        );
        assert_eq!(c.status, ChannelStatus::Closed);

        // Nothing moved but the one payment to the small wallet: no channel, no funding.
        let end = wallet.snapshot().await.unwrap().balances;
        assert_eq!(end.lightning_sat, 0);
        assert!(wallet
            .channels()
            .await
            .unwrap()
            .channels
            .iter()
            .all(|c| !c.status.is_open()));
        let fee = wallet
            .snapshot()
            .await
            .unwrap()
            .activity
            .iter()
            .find(|a| a.txid == sent.txid)
            .and_then(|a| a.fee_sat)
            .expect("the payment to the small wallet is booked with its fee");
        assert_eq!(
            end.onchain_total_sat,
            start.onchain_total_sat - 40_000 - fee
        );
        small.stop().await.unwrap();
        stop_peer(&private_peer).await;
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

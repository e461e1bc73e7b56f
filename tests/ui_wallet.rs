//! The open wallet's screen fed by the wallet's real update stream (what the app subscribes
//! to), against real bitcoind and electrs and a real second LDK node: a payment that arrives
//! shows as a note in the corner and on Home, and Home's balance over time starts at the
//! deposit and ends at Home's balances, through the channel's opening.

mod common;

use std::sync::Arc;

use common::*;
use shandian::core::history::balance::BalancePoint;
use shandian::core::lightning::channels::ChannelStatus;
use shandian::core::wallet::Wallet;
use shandian::core::{Network, Settings};
use shandian::fl;
use shandian::lab::ChainSource;
use shandian::ui::format;
use shandian::ui::shell::{Message, WalletScreen};
use shandian::ui::testing::{drive, shows};

const CAPACITY_SAT: u64 = 500_000;
/// Given to the peer at the opening, so it can pay us.
const PUSH_SAT: u64 = 100_000;
const PAID_SAT: u64 = 40_000;

fn settings() -> Settings {
    Settings::defaults_for(Network::Regtest)
}

/// Runs `task` and every task its messages start, on the screen.
async fn run(screen: &mut WalletScreen, task: iced::Task<Message>) {
    with_timeout(
        "the screen's tasks",
        drive(task, |m| screen.update(m, Network::Regtest).0),
    )
    .await;
}

/// Hands the wallet's updates to the screen, as the app's subscription does, until `done`
/// holds of the screen.
async fn follow(
    wallet: &Arc<Wallet>,
    screen: &mut WalletScreen,
    what: &str,
    done: impl Fn(&WalletScreen) -> bool,
) {
    let settings = settings();
    with_timeout(what, async {
        let mut last = None;
        while !done(screen) {
            // Between updates the screen may finish what the last one started (its reads).
            let Ok(update) = tokio::time::timeout(
                std::time::Duration::from_secs(3),
                wallet.next_update(&mut last),
            )
            .await
            else {
                continue;
            };
            let (task, _) = screen.update(Message::Update(update), Network::Regtest);
            drive(task, |m| screen.update(m, Network::Regtest).0).await;
            // Draw it, as the window would after each message.
            drop(screen.view(Network::Regtest, &settings));
        }
    })
    .await
}

#[test]
fn ui_wallet_payment_received_through_the_update_stream() {
    run_test();
}

fn run_test() {
    common::run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let wallet = funded_wallet(&chain, &dir).await;
        let deposit_sat = wallet.snapshot().await.unwrap().balances.onchain_total_sat;
        let peer = start_peer(&chain).await;
        let channel = open_ready_channel(&chain, &wallet, &peer, CAPACITY_SAT, PUSH_SAT).await;

        let settings = settings();
        let (mut screen, task) = WalletScreen::open(
            wallet.clone(),
            ChainSource::Server(chain.electrum_url()),
            dir.clone(),
            None,
            &settings,
        );
        run(&mut screen, task).await;
        let lightning_before = wallet.snapshot().await.unwrap().balances.lightning_sat;

        // The peer pays our invoice; the screen hears of it through the update stream.
        let invoice = wallet
            .receive_invoice(Some(PAID_SAT * 1000), "coffee".into(), 3600, false)
            .await
            .unwrap()
            .text;
        let p = peer.clone();
        let paying = tokio::spawn(async move { peer_pays(&p, &invoice).await });
        let note = fl!("toast-received", amount = format::sat(PAID_SAT));
        follow(&wallet, &mut screen, "the note of the payment", |s| {
            shows(s.view(Network::Regtest, &settings), &note)
        })
        .await;
        paying.await.unwrap().expect("the peer paid");

        // Home shows the new Lightning balance once its reads are done.
        let after = wallet.snapshot().await.unwrap().balances;
        follow(&wallet, &mut screen, "Home's new balance", |s| {
            shows(
                s.view(Network::Regtest, &settings),
                &format::sat(after.lightning_sat),
            ) && s
                .balance_over_time()
                .last()
                .is_some_and(|p| p.lightning_sat == after.lightning_sat)
        })
        .await;
        assert!(after.lightning_sat > lightning_before);

        // The chart: the deposit, the channel's opening, the payment, now.
        let points: Vec<BalancePoint> = screen.balance_over_time().to_vec();
        let first = points[0];
        assert_eq!(
            (first.onchain_sat, first.lightning_sat),
            (deposit_sat, 0),
            "{points:#?}"
        );
        let last = points[points.len() - 1];
        assert_eq!(
            (last.onchain_sat, last.lightning_sat),
            (after.onchain_total_sat, after.lightning_sat),
            "the chart ends at Home's balances: {points:#?}"
        );
        // The opening: the funding amount and its fee left the chain as the channel's opening
        // balance (its capacity less the push, the commitment fee and the anchors we pay)
        // entered Lightning.
        let overview = wallet.channels().await.unwrap();
        let c = overview.get(&channel.id).unwrap();
        assert_eq!(c.status, ChannelStatus::Active);
        let opening = c
            .history
            .opening_balance_sat
            .expect("opening balance booked");
        let ours = CAPACITY_SAT - PUSH_SAT;
        assert!(opening < ours && opening > ours - 5_000, "{opening}");
        let funding_txid = c.funding_outpoint.clone().unwrap();
        let funding_txid = funding_txid.split(':').next().unwrap();
        let funding_fee = tx_fee_sat(&chain, funding_txid).await;
        let opened = points[1];
        assert_eq!(
            opened.onchain_sat,
            deposit_sat - CAPACITY_SAT - funding_fee,
            "{points:#?}"
        );
        // LDK may have moved the commitment fee since (it is the opener's to pay): a few sats.
        assert!(
            opened.lightning_sat.abs_diff(opening) < 1_000,
            "opening {opening}: {points:#?}"
        );
        assert_eq!(
            points
                .windows(2)
                .filter(|w| w[1].lightning_sat == w[0].lightning_sat + PAID_SAT)
                .count(),
            1,
            "one step up by the payment: {points:#?}"
        );

        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

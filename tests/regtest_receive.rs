//! Getting paid: channels other nodes open to us must be able to pay us, and what we show as
//! paid must be true. Real bitcoind + electrs, our wallet through `core`, a real second LDK node
//! as the payer.

mod common;

use std::str::FromStr;
use std::sync::Arc;

use common::electrum_proxy::{high_feerate_peer, HIGH_FEERATE_SAT_PER_KW};
use common::*;
use ldk_node::lightning_invoice::Bolt11Invoice;
use shandian::core::lightning::channels::{ChannelStatus, ChannelsOverview};
use shandian::core::lightning::events::NodeEvent;
use shandian::core::lightning::payments::PaymentState;
use shandian::core::wallet::Wallet;
use shandian::core::wallet::WalletUpdate;
use shandian::fl;
use shandian::lab::peer::PeerOptions;
use shandian::ui::screen::counter::{self, Counter};
use shandian::ui::screen::receive::{self, Receive};
use shandian::ui::testing::{click, shows};

#[test]
fn regtest_receive_high_feerate_peer() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, _) = create_wallet(&dir, &chain).await;
        let (peer, _proxy) = high_feerate_peer(&chain).await;

        let channel = channel_from(&chain, &wallet, &peer, 1_000_000).await;
        assert!(!channel.opened_by_us);
        assert_eq!(
            channel.commitment_feerate_sat_per_kw, HIGH_FEERATE_SAT_PER_KW,
            "the peer opened at its own fee rate"
        );
        assert_eq!(
            channel.dust_exposure_limit_sat,
            Some(shandian::core::lightning::channels::dust_exposure_limit_sat(1_000_000)),
            "our policy is set on a channel the peer opened"
        );

        // Ten payments to us, below and above what is dust at that fee rate (about 38,000 sat
        // for an HTLC output), one after another.
        let amounts_sat = [
            1_000, 5_000, 12_000, 20_000, 30_000, 37_000, 45_000, 60_000, 2_500, 80_000,
        ];
        let before = wallet.snapshot().await.unwrap().balances.lightning_sat;
        for amount_sat in amounts_sat {
            let invoice = wallet
                .receive_invoice(
                    Some(amount_sat * 1000),
                    format!("{amount_sat} sat"),
                    3600,
                    false,
                )
                .await
                .unwrap()
                .text;
            let hash = Bolt11Invoice::from_str(&invoice)
                .unwrap()
                .payment_hash()
                .to_string();
            if let Err(e) = peer_pays(&peer, &invoice).await {
                panic!("a payment of {amount_sat} sat to us failed: {e}");
            }
            let got = wait_for_payment(&wallet, &hash, PaymentState::Succeeded).await;
            assert!(got.incoming);
            assert_eq!(got.amount_msat, Some(amount_sat * 1000));
        }
        // The peer opened and pays the commitment fee: every sat paid is ours.
        let total: u64 = amounts_sat.iter().sum();
        wait_for_snapshot(&wallet, "the payments in the Lightning balance", move |s| {
            s.balances.lightning_sat == before + total
        })
        .await;
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

/// A refusal LDK reports only in its log reaches the channel it happened on. On a small
/// channel from the high-fee peer (limit 50,000 sat) the commitment fee above our own estimate
/// already counts about 30,500 sat against the limit, and every payment LDK lets in flight
/// (a tenth of the channel) is dust at that rate: 12,000 sat fits, 25,000 sat does not.
#[test]
fn regtest_receive_refusal_is_shown_on_its_channel() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, _) = create_wallet(&dir, &chain).await;
        let (peer, _proxy) = high_feerate_peer(&chain).await;
        let channel = channel_from(&chain, &wallet, &peer, 300_000).await;
        assert_eq!(channel.dust_exposure_limit_sat, Some(50_000));
        assert_eq!(channel.refused_incoming, None);

        let small = wallet
            .receive_invoice(Some(12_000_000), "small".into(), 3600, false)
            .await
            .unwrap()
            .text;
        peer_pays(&peer, &small)
            .await
            .expect("a payment that stays dust arrives");

        let large = wallet
            .receive_invoice(Some(25_000_000), "large".into(), 3600, false)
            .await
            .unwrap()
            .text;
        assert!(
            peer_pays(&peer, &large).await.is_err(),
            "the limit refuses it"
        );
        let o = wait_for_channels(&wallet, "the refusal on the channel", |o| {
            o.channels[0].refused_incoming.is_some()
        })
        .await;
        let refusal = o.channels[0].refused_incoming.unwrap();
        assert_eq!(refusal.limit_sat, 50_000);
        assert!(refusal.exposure_sat > 50_000, "{refusal:?}");
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

/// Reads the wallet's own update stream (what the app subscribes to) and hands each node event
/// to `screen` until `done` holds.
async fn follow_updates(
    wallet: &Arc<Wallet>,
    what: &str,
    mut on_event: impl FnMut(&NodeEvent),
    done: impl Fn() -> bool,
) {
    with_timeout(what, async {
        let mut last = None;
        while !done() {
            if let WalletUpdate::Event(e) = wallet.next_update(&mut last).await {
                on_event(&e);
            }
        }
    })
    .await
}

/// Asks the server about the Receive screen's fallback address, as the app does on its clock,
/// until `done` holds.
async fn watch_fallback(
    wallet: &Arc<Wallet>,
    screen: &mut Receive,
    channels: &ChannelsOverview,
    what: &str,
    done: impl Fn(&Receive) -> bool,
) {
    with_timeout(what, async {
        while !done(screen) {
            let Some(receive::Action::CheckFallback(address)) =
                screen.update(receive::Message::FallbackDue, channels)
            else {
                panic!("the screen stopped watching its fallback address");
            };
            let paid = wallet.fallback_paid(address.clone()).await;
            screen.fallback_checked(&address, paid);
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    })
    .await
}

#[test]
fn regtest_receive_fallback_onchain_paid() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, _) = create_wallet(&dir, &chain).await;
        let payer = start_peer(&chain).await;
        let channels = wallet.channels().await.unwrap();

        // Every unified QR gets its own address.
        let first = wallet
            .receive_invoice(Some(50_000_000), "first".into(), 3600, true)
            .await
            .unwrap();
        let second = wallet
            .receive_invoice(Some(50_000_000), "second".into(), 3600, true)
            .await
            .unwrap();
        let address = first.fallback_address.clone().expect("a fallback address");
        assert_ne!(first.fallback_address, second.fallback_address);
        assert!(first.qr_text.starts_with("bitcoin:"));
        assert!(first.qr_text.contains(&address.to_uppercase()));

        let mut screen = Receive::default();
        screen.update(
            receive::Message::ModeSelected(receive::Mode::Invoice),
            &channels,
        );
        screen.request_made(Ok(first));
        assert!(shows(screen.view(), &fl!("receive-unified-note")));

        // A wallet that cannot pay over Lightning pays the address on chain.
        let to = address.clone();
        let p = payer.clone();
        tokio::task::spawn_blocking(move || {
            let a = to
                .parse::<ldk_node::bitcoin::Address<_>>()
                .unwrap()
                .assume_checked();
            p.node().onchain_payment().send_to_address(&a, 50_000, None)
        })
        .await
        .unwrap()
        .expect("the payer sends on chain");
        let paid = fl!("receive-paid-onchain", amount = "50,000 sat");
        watch_fallback(
            &wallet,
            &mut screen,
            &channels,
            "the mempool payment",
            |s| shows(s.view(), &paid),
        )
        .await;
        assert!(shows(screen.view(), &fl!("receive-onchain-unconfirmed")));

        mine(&chain, 1).await;
        let one = fl!("receive-onchain-confirmations", n = 1, safe = 6);
        watch_fallback(&wallet, &mut screen, &channels, "one confirmation", |s| {
            shows(s.view(), &one)
        })
        .await;
        // The money is the wallet's own.
        wait_for_snapshot(&wallet, "the payment in the on-chain balance", |s| {
            s.balances.onchain_total_sat == 50_000
        })
        .await;
        wallet.stop().await.unwrap();
        stop_peer(&payer).await;
    })
}

#[test]
fn regtest_receive_offer_paid() {
    run(async {
        // On-chain funds: accepting the peer's anchor channel needs a reserve.
        let s = setup().await;
        let (chain, wallet, peer) = (&s.chain, &s.wallet, &s.peer);
        channel_from(chain, wallet, peer, 1_000_000).await;
        let channels = wallet.channels().await.unwrap();

        // Receive shows an offer; the peer pays it; the screen hears it from the update stream.
        let offer = wallet
            .receive_offer(Some(20_000_000), "coffee".into())
            .await
            .unwrap();
        let mut screen = Receive::default();
        screen.update(
            receive::Message::ModeSelected(receive::Mode::Offer),
            &channels,
        );
        screen.request_made(Ok(offer.clone()));
        let p = peer.clone();
        let text = offer.text.clone();
        tokio::task::spawn_blocking(move || {
            let offer: ldk_node::lightning::offers::offer::Offer = text.parse().unwrap();
            p.node().bolt12_payment().send(&offer, None, None, None)
        })
        .await
        .unwrap()
        .expect("the peer pays the offer");
        let paid = fl!("receive-paid", amount = "20,000 sat");
        let screen = std::cell::RefCell::new(screen);
        follow_updates(
            wallet,
            "the offer's payment on Receive",
            |e| screen.borrow_mut().node_event(e),
            || shows(screen.borrow().view(), &paid),
        )
        .await;

        // The counter: typed amount, a code, the peer pays, PAID from the update stream.
        let mut counter = Counter::default();
        counter.sound = false;
        counter.notify = false;
        for d in ['1', '5', '0', '0'] {
            counter.update(counter::Message::Digit(d), &channels);
        }
        let Some(counter::Action::CreateInvoice { amount_msat }) =
            counter.update(counter::Message::ChargePressed, &channels)
        else {
            panic!("the counter asks for an invoice");
        };
        let code = wallet
            .receive_invoice(
                Some(amount_msat),
                "counter".into(),
                counter::COUNTER_EXPIRY_SECS,
                false,
            )
            .await
            .unwrap();
        assert_eq!(
            code.fallback_address, None,
            "the counter takes Lightning only"
        );
        counter.invoice_made(Ok(code.clone()));
        assert!(shows(counter.view(), &fl!("counter-waiting")));
        peer_pays(peer, &code.text).await.unwrap();
        let counter = std::cell::RefCell::new(counter);
        follow_updates(
            wallet,
            "the counter's payment",
            |e| {
                counter.borrow_mut().node_event(e);
            },
            || shows(counter.borrow().view(), &fl!("counter-paid")),
        )
        .await;
        assert!(shows(counter.borrow().view(), "1,500 sat"));
        wallet.stop().await.unwrap();
        stop_peer(peer).await;
    })
}

/// A counter code that expires is taken down; a customer who scans it late cannot pay; the
/// abandoned charge leaves Activity's default view (kept behind its switch); one press makes a
/// new code that pays. The app's codes last ten minutes; this one lasts a few seconds.
#[test]
fn regtest_counter_expiry() {
    run(async {
        let s = setup().await;
        let (chain, wallet, peer) = (&s.chain, &s.wallet, &s.peer);
        channel_from(chain, wallet, peer, 1_000_000).await;
        let channels = wallet.channels().await.unwrap();

        let mut counter = Counter::default();
        counter.sound = false;
        counter.notify = false;
        for d in ['2', '0', '0', '0'] {
            counter.update(counter::Message::Digit(d), &channels);
        }
        let Some(counter::Action::CreateInvoice { amount_msat }) =
            counter.update(counter::Message::ChargePressed, &channels)
        else {
            panic!("the counter asks for an invoice");
        };
        const SHORT_EXPIRY_SECS: u32 = 4;
        let code = wallet
            .receive_invoice(
                Some(amount_msat),
                "counter".into(),
                SHORT_EXPIRY_SECS,
                false,
            )
            .await
            .unwrap();
        let expires_at = code.expires_at.unwrap();
        counter.invoice_made(Ok(code.clone()));
        counter.tick(shandian::core::now());
        assert!(shows(counter.view(), &fl!("counter-waiting")));

        // The clock passes the code's expiry: it is taken down.
        let left = expires_at.saturating_sub(shandian::core::now()) + 1;
        tokio::time::sleep(std::time::Duration::from_secs(left)).await;
        counter.tick(shandian::core::now());
        assert!(shows(counter.view(), &fl!("counter-expired")));
        assert!(!shows(counter.view(), &fl!("counter-waiting")));

        // A customer who scanned it before and pays now cannot.
        assert!(peer_pays(peer, &code.text).await.is_err());
        assert!(!shows(counter.view(), &fl!("counter-paid")));

        // The abandoned charge: not in Activity's default view, kept behind its switch, and
        // never with a preimage.
        let hash = code.payment_hash.clone().unwrap();
        let r = wallet
            .payment(hash.clone())
            .await
            .unwrap()
            .expect("the code's incoming payment is on record");
        assert_eq!(r.status, PaymentState::Expired, "{r:?}");
        assert_eq!(r.preimage, None);
        let history =
            shandian::core::history::merge(&wallet.payments().await.unwrap(), &[], &[], &[]);
        let default_view = shandian::core::history::Filter::default();
        assert!(!history
            .iter()
            .any(|e| e.payment_hash.as_deref() == Some(&*hash) && default_view.matches(e)));

        // One press: a new code for the same amount, which the customer pays.
        let Some(counter::Action::CreateInvoice { amount_msat: again }) =
            counter.update(counter::Message::ChargePressed, &channels)
        else {
            panic!("New code asks for an invoice");
        };
        assert_eq!(again, amount_msat);
        let fresh = wallet
            .receive_invoice(Some(again), "counter".into(), 600, false)
            .await
            .unwrap();
        counter.invoice_made(Ok(fresh.clone()));
        peer_pays(peer, &fresh.text).await.unwrap();
        let counter = std::cell::RefCell::new(counter);
        follow_updates(
            wallet,
            "the new code's payment",
            |e| {
                counter.borrow_mut().node_event(e);
            },
            || shows(counter.borrow().view(), &fl!("counter-paid")),
        )
        .await;
        // With fiat on, the books keep the payment's value at the rate shown when it arrived
        // (what the app does on the payment's event).
        let rate = shandian::core::fiat::Rate {
            currency: "EUR".into(),
            cents_per_btc: 9_123_450,
            time: 0,
        };
        let paid_hash = fresh.payment_hash.clone().unwrap();
        wallet.note_fiat(paid_hash.clone(), rate).await;
        let history =
            shandian::core::history::merge(&wallet.payments().await.unwrap(), &[], &[], &[]);
        let entry = history
            .iter()
            .find(|e| e.payment_hash.as_deref() == Some(&*paid_hash))
            .unwrap();
        // 2,000 sat at 91,234.50 EUR per bitcoin.
        assert_eq!(
            entry.fiat.as_ref().map(|f| f.text()).as_deref(),
            Some("1.82 EUR")
        );
        let period = shandian::core::history::Period::parse("2000-01-01", "2100-01-01").unwrap();
        let csv = shandian::core::history::to_csv(&history, &period);
        assert!(
            csv.lines()
                .any(|l| l.contains(&*paid_hash) && l.ends_with(",1.82 EUR,")),
            "{csv}"
        );
        wallet.stop().await.unwrap();
        stop_peer(peer).await;
    })
}

/// A shop's wallet with no channel and no coins receives 50,000 sat through a channel its LSP
/// opens as the payment arrives: the LSP's fee is on Receive before the code, the code pays,
/// Receive turns Paid from the update stream, and the wallet ends with a channel holding what
/// arrived. A second LDK node is the LSP (LSPS2 provider), a third pays.
#[test]
fn regtest_receive_jit_channel() {
    run(async {
        const FEE_PPM: u32 = 10_000;
        let chain = start_chain().await;
        let service = shandian::lab::node::lsp_service(FEE_PPM);
        let options = PeerOptions {
            alias: Some("lsp".into()),
            lsps2_service: Some(service),
            ..PeerOptions::default()
        };
        let lsp = start_peer_on(&chain, &chain.electrum_url(), options, true).await;
        let payer = start_peer(&chain).await;
        let p = payer.clone();
        let (lsp_id, lsp_address) = (lsp.node_id(), lsp.address().clone());
        tokio::task::spawn_blocking(move || {
            p.open_channel_to(lsp_id, lsp_address, 1_000_000, 0, false)
        })
        .await
        .unwrap()
        .expect("the payer opens a channel to the LSP");
        wait_for_peer(&payer, "the payer's funding to be out", |n| {
            n.list_channels().iter().any(|c| c.funding_txo.is_some())
        })
        .await;
        // In bitcoind before any block is mined over it: LDK broadcasts from a queue, a moment
        // after it names the funding output (mined too early, the channel never confirms).
        let funding = payer
            .node()
            .list_channels()
            .iter()
            .find_map(|c| c.funding_txo)
            .expect("named above")
            .txid
            .to_string();
        wait_for_tx(&chain, &funding).await;
        mine(&chain, 6).await;
        // Both ends must see the confirmations before the channel is usable: the LSP syncs too.
        wait_for_peer(&lsp, "the LSP to see the payer's channel ready", |n| {
            n.list_channels().iter().any(|c| c.is_channel_ready)
        })
        .await;
        wait_for_peer(&payer, "the payer's channel to the LSP", |n| {
            n.list_channels().iter().any(|c| c.is_usable)
        })
        .await;

        // The shop: a new wallet, no coins, no channel, the LSP in its settings.
        let (_tmp, _root, dir) = temp_root();
        let mut settings = shandian::core::Settings::defaults_for(shandian::core::Network::Regtest);
        settings.lsp = Some(shandian::core::store::settings::LspSetting {
            node: lsp.uri(),
            token: None,
        });
        settings.save(&dir.settings_path()).unwrap();
        let (wallet, _) = create_wallet(&dir, &chain).await;
        assert_eq!(wallet.lsp(), Some(lsp.uri().as_str()));
        let channels = wallet.channels().await.unwrap();
        assert!(channels.channels.is_empty());

        // Receive: no channel can take it; the LSP can.
        let mut screen = Receive::default();
        screen.set_lsp(wallet.lsp().map(str::to_string));
        screen.update(
            receive::Message::ModeSelected(receive::Mode::Invoice),
            &channels,
        );
        screen.update(receive::Message::AmountChanged("50000".into()), &channels);
        screen.update(receive::Message::CreatePressed, &channels);
        assert!(shows(screen.view(), &fl!("receive-no-channels")));
        let mut action = None;
        for m in click(screen.view(), &fl!("receive-via-lsp")) {
            action = screen.update(m, &channels).or(action);
        }
        let Some(receive::Action::CreateViaLsp {
            amount_msat,
            description,
            expiry_secs,
        }) = action
        else {
            panic!("Receive asks for an invoice through the LSP, not {action:?}");
        };
        let request = wallet
            .receive_via_lsp(amount_msat, description, expiry_secs)
            .await
            .expect("the LSP offers a channel");
        // 1 % of 50,000 sat.
        assert_eq!(request.lsp_fee_msat, Some(500_000));
        screen.request_made(Ok(request.clone()));
        let fee = fl!(
            "receive-lsp-fee",
            fee = "500 sat",
            receive = "49,500 sat",
            amount = "50,000 sat"
        );
        assert!(shows(screen.view(), &fee), "the fee comes before the code");
        for m in click(screen.view(), &fl!("receive-show-code")) {
            screen.update(m, &channels);
        }
        assert!(!shows(screen.view(), &fee));

        peer_pays(&payer, &request.text)
            .await
            .expect("the payer pays the code");
        let paid = fl!("receive-paid", amount = "49,500 sat");
        let screen = std::cell::RefCell::new(screen);
        follow_updates(
            &wallet,
            "the payment through the LSP's new channel",
            |e| screen.borrow_mut().node_event(e),
            || shows(screen.borrow().view(), &paid),
        )
        .await;
        // The shop has a channel now, with what arrived on its side.
        let o = wait_for_channels(&wallet, "the LSP's channel", |o| {
            o.channels
                .iter()
                .any(|c| c.status == ChannelStatus::Active && !c.opened_by_us)
        })
        .await;
        let c = o.channels.iter().find(|c| !c.opened_by_us).unwrap();
        assert_eq!(c.peer, lsp.node_id().to_string());
        assert_eq!(c.our_balance_sat, 49_500);
        wallet.stop().await.unwrap();
        stop_peer(&payer).await;
        stop_peer(&lsp).await;
    })
}

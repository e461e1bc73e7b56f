use super::*;
use crate::core::lightning::channels::samples::active;
use crate::core::lightning::payments::request::sample_invoice_request;
use crate::ui::testing::{click, shows, type_into};

const REGTEST_ADDR: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

fn with_channel() -> ChannelsOverview {
    ChannelsOverview {
        channels: vec![active()],
        height: 120,
    }
}

fn invoice_screen(amount: &str, channels: &ChannelsOverview) -> (Receive, Option<Action>) {
    let mut r = Receive::default();
    r.set_address(REGTEST_ADDR.into());
    r.update(Message::ModeSelected(Mode::Invoice), channels);
    type_into(
        &mut r,
        |r| r.view(),
        |r, m| {
            r.update(m, channels);
        },
        AMOUNT_INPUT.into(),
        amount,
    );
    let mut action = None;
    for m in click(r.view(), &fl!("receive-create-invoice")) {
        action = r.update(m, channels).or(action);
    }
    (r, action)
}

#[test]
fn no_qr_for_what_cannot_arrive() {
    let (r, action) = invoice_screen("25000", &ChannelsOverview::default());
    assert_eq!(action, None);
    assert!(shows(r.view(), &fl!("receive-no-channels")));

    // The sample channel can receive 290,000 sat.
    let (r, action) = invoice_screen("300000", &with_channel());
    assert_eq!(action, None);
    assert!(shows(
        r.view(),
        &fl!("receive-above-inbound", can = "290,000 sat")
    ));
}

#[test]
fn an_invoice_that_fits_is_created_shown_and_marked_paid() {
    let channels = with_channel();
    let (mut r, action) = invoice_screen("25000", &channels);
    assert_eq!(
        action,
        Some(Action::CreateInvoice {
            amount_msat: Some(25_000_000),
            description: String::new(),
            expiry_secs: 3_600,
        })
    );
    let now = std::time::Duration::from_secs(crate::core::now());
    let request = sample_invoice_request(now, Some(25_000_000), Some(REGTEST_ADDR));
    let invoice = request.text.clone();
    r.request_made(Ok(request));
    assert!(shows(r.view(), &fl!("receive-unified-note")));
    // Copy gives the invoice itself.
    let mut copied = None;
    for m in click(r.view(), &fl!("button-copy")) {
        copied = r.update(m, &channels).or(copied);
    }
    assert_eq!(copied, Some(Action::Copy(invoice.clone())));

    let parsed: ldk_node::lightning_invoice::Bolt11Invoice = invoice.parse().unwrap();
    r.node_event(&NodeEvent::PaymentReceived {
        id: Some("00".repeat(32)),
        offer_id: None,
        amount_msat: 1,
    });
    assert!(!shows(
        r.view(),
        &fl!("receive-paid", amount = "25,000 sat")
    ));
    r.node_event(&NodeEvent::PaymentReceived {
        id: Some(parsed.payment_hash().to_string()),
        offer_id: None,
        amount_msat: 25_000_000,
    });
    assert!(shows(r.view(), &fl!("receive-paid", amount = "25,000 sat")));
}

#[test]
fn the_chosen_expiry_goes_into_the_invoice() {
    let channels = with_channel();
    let mut r = Receive::default();
    r.set_address(REGTEST_ADDR.into());
    r.update(Message::ModeSelected(Mode::Invoice), &channels);
    // A radio's label is not a text widget the simulator can click: pick it as its message.
    r.update(Message::ExpirySelected(Expiry::OneDay), &channels);
    let mut action = None;
    for m in click(r.view(), &fl!("receive-create-invoice")) {
        action = r.update(m, &channels).or(action);
    }
    assert_eq!(
        action,
        Some(Action::CreateInvoice {
            amount_msat: None,
            description: String::new(),
            expiry_secs: 86_400,
        })
    );
}

#[test]
fn an_on_chain_payment_to_the_fallback_turns_the_invoice_paid() {
    let mut r = Receive::default();
    let channels = with_channel();
    r.update(Message::ModeSelected(Mode::Invoice), &channels);
    let now = std::time::Duration::from_secs(crate::core::now());
    r.request_made(Ok(sample_invoice_request(
        now,
        Some(50_000_000),
        Some(REGTEST_ADDR),
    )));
    // The screen asks the server about the fallback address on the clock.
    assert_eq!(
        r.update(Message::FallbackDue, &channels),
        Some(Action::CheckFallback(REGTEST_ADDR.into()))
    );
    let paid = |amounts: &[(u64, u32)]| {
        Ok(FallbackPaid {
            payments: amounts
                .iter()
                .map(
                    |&(amount_sat, confirmations)| crate::core::chain::server::ScriptPayment {
                        txid: "tx".into(),
                        vout: 0,
                        amount_sat,
                        confirmations,
                    },
                )
                .collect(),
        })
    };
    // A part arrives: not paid yet, the QR stays.
    r.fallback_checked(REGTEST_ADDR, paid(&[(20_000, 0)]));
    assert!(shows(
        r.view(),
        &fl!(
            "receive-onchain-partial",
            amount = "20,000 sat",
            requested = "50,000 sat"
        )
    ));
    assert!(!shows(
        r.view(),
        &fl!("receive-paid-onchain", amount = "20,000 sat")
    ));
    // An answer about another address (the person moved on) changes nothing.
    r.fallback_checked("bcrt1qother", paid(&[(50_000, 3)]));
    assert!(!shows(
        r.view(),
        &fl!("receive-paid-onchain", amount = "50,000 sat")
    ));
    // The rest arrives, unconfirmed: paid, with the wait said.
    r.fallback_checked(REGTEST_ADDR, paid(&[(20_000, 1), (30_000, 0)]));
    assert!(shows(
        r.view(),
        &fl!("receive-paid-onchain", amount = "50,000 sat")
    ));
    assert!(shows(r.view(), &fl!("receive-onchain-unconfirmed")));
    assert!(!shows(r.view(), &fl!("receive-unified-note")));
    // Confirmations count up; at six the address is no longer watched.
    r.fallback_checked(REGTEST_ADDR, paid(&[(20_000, 3), (30_000, 2)]));
    assert!(shows(
        r.view(),
        &fl!("receive-onchain-confirmations", n = 2, safe = 6)
    ));
    assert!(r.fallback_to_watch().is_some());
    r.fallback_checked(REGTEST_ADDR, paid(&[(20_000, 7), (30_000, 6)]));
    assert_eq!(r.fallback_to_watch(), None);
    assert_eq!(r.update(Message::FallbackDue, &channels), None);
}

#[test]
fn an_offer_turns_paid_when_a_payment_to_it_arrives() {
    let mut r = Receive::default();
    r.update(Message::ModeSelected(Mode::Offer), &with_channel());
    r.request_made(Ok(ReceiveRequest {
        text: "lno1sample".into(),
        qr_text: "LNO1SAMPLE".into(),
        payment_hash: None,
        offer_id: Some("0f".repeat(32)),
        fallback_address: None,
        amount_msat: None,
        expires_at: None,
        lsp_fee_msat: None,
    }));
    let arrived = |offer: &str| NodeEvent::PaymentReceived {
        id: Some("ab".repeat(32)),
        offer_id: Some(offer.repeat(32)),
        amount_msat: 7_000_000,
    };
    r.node_event(&arrived("0e"));
    assert!(!shows(r.view(), &fl!("receive-paid", amount = "7,000 sat")));
    r.node_event(&arrived("0f"));
    assert!(shows(r.view(), &fl!("receive-paid", amount = "7,000 sat")));
    // Nothing on chain to watch for an offer.
    assert_eq!(r.fallback_to_watch(), None);
}

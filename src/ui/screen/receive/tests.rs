use super::*;
use crate::core::channels::samples::active;
use crate::core::input::paste::samples::invoice_at;
use crate::ui::testing::{click, shows, type_into};
use ldk_node::lightning_invoice::Currency;

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
    let invoice = invoice_at(now, Currency::Regtest, Some(25_000_000), "");
    r.request_made(Ok(invoice.clone()));
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
        amount_msat: 1,
    });
    assert!(!shows(
        r.view(),
        &fl!("receive-paid", amount = "25,000 sat")
    ));
    r.node_event(&NodeEvent::PaymentReceived {
        id: Some(parsed.payment_hash().to_string()),
        amount_msat: 25_000_000,
    });
    assert!(shows(r.view(), &fl!("receive-paid", amount = "25,000 sat")));
}

#[test]
fn the_unified_link_carries_address_amount_and_invoice() {
    let now = std::time::Duration::from_secs(crate::core::now());
    let invoice: ldk_node::lightning_invoice::Bolt11Invoice =
        invoice_at(now, Currency::Regtest, Some(25_000_000), "x")
            .parse()
            .unwrap();
    let uri = unified_uri(REGTEST_ADDR, &invoice);
    // What we show, our own parser reads back as the same invoice with the address as fallback.
    match crate::core::input::paste::parse_payment(&uri, crate::core::Network::Regtest, now) {
        Ok(crate::core::input::paste::PaymentTarget::Bolt11 {
            invoice: read,
            onchain_fallback: Some(a),
        }) => {
            assert_eq!(*read, invoice);
            assert_eq!(a.to_string(), REGTEST_ADDR);
        }
        other => panic!("{other:?}"),
    }
    assert!(uri.contains("amount=0.00025000"));
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

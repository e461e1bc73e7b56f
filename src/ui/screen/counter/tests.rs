use super::*;
use crate::core::lightning::channels::samples::active;
use crate::core::lightning::payments::request::sample_invoice_request;
use crate::ui::testing::{click, shows};

fn channels() -> ChannelsOverview {
    ChannelsOverview {
        channels: vec![active()],
        height: 120,
    }
}

/// Presses the keys labelled `keys`, one after another, as a person taps them.
fn press(c: &mut Counter, keys: &[&str], channels: &ChannelsOverview) -> Vec<Action> {
    let mut actions = Vec::new();
    for k in keys {
        for m in click(c.view(), k) {
            actions.extend(c.update(m, channels));
        }
    }
    actions
}

/// Types `digits`, charges, and shows an invoice made now for that amount, valid for an hour:
/// when it was made (unix seconds) and its text.
fn charge(c: &mut Counter, digits: &[&str], ch: &ChannelsOverview) -> (u64, String) {
    let charge = fl!("counter-charge");
    let keys: Vec<&str> = digits.iter().copied().chain([charge.as_str()]).collect();
    press(c, &keys, ch);
    let made = crate::core::now();
    let request = sample_invoice_request(
        std::time::Duration::from_secs(made),
        Some(c.amount_sat() * 1000),
        None,
    );
    let invoice = request.text.clone();
    c.invoice_made(Ok(request));
    (made, invoice)
}

#[test]
fn the_code_counts_down_and_is_taken_down_at_expiry() {
    let ch = channels();
    let mut c = Counter::default();
    let (made, _) = charge(&mut c, &["2", "5", "0", "0"], &ch);
    c.tick(made);
    assert!(shows(c.view(), &fl!("counter-expires-in", left = "60:00")));
    c.tick(made + 3600 - 61);
    assert!(shows(c.view(), &fl!("counter-expires-in", left = "1:01")));
    assert!(shows(c.view(), &fl!("counter-waiting")));

    // At expiry the code goes: a customer scanning now would fail.
    c.tick(made + 3600);
    assert!(shows(c.view(), &fl!("counter-expired")));
    assert!(!shows(c.view(), &fl!("counter-waiting")));
    assert!(shows(c.view(), "2,500 sat"));

    // A new code for the same amount, in one press (or Enter).
    let actions = press(&mut c, &[&fl!("counter-new-code")], &ch);
    assert_eq!(
        actions,
        vec![Action::CreateInvoice {
            amount_msat: 2_500_000
        }]
    );
}

#[test]
fn a_payment_for_an_expired_code_still_shows_paid() {
    let ch = channels();
    let mut c = Counter::default();
    let (made, invoice) = charge(&mut c, &["9"], &ch);
    c.tick(made + 7200);
    assert!(shows(c.view(), &fl!("counter-expired")));
    let hash = invoice
        .parse::<ldk_node::lightning_invoice::Bolt11Invoice>()
        .unwrap()
        .payment_hash()
        .to_string();
    // Money that arrived is never hidden behind "expired".
    c.node_event(&NodeEvent::PaymentReceived {
        offer_id: None,
        id: Some(hash),
        amount_msat: 9_000,
    });
    assert!(shows(c.view(), &fl!("counter-paid")));
}

#[test]
fn keypad_then_qr_then_paid_then_the_next_customer() {
    let ch = channels();
    let mut c = Counter::default();
    // A leading zero is ignored; backspace takes the last digit back.
    assert!(press(&mut c, &["0", "1", "2", "5", "0", "9", "⌫", "0"], &ch).is_empty());
    assert!(shows(c.view(), "12,500 sat"));
    let actions = press(&mut c, &[&fl!("counter-charge")], &ch);
    assert_eq!(
        actions,
        vec![Action::CreateInvoice {
            amount_msat: 12_500_000
        }]
    );

    let now = std::time::Duration::from_secs(crate::core::now());
    let request = sample_invoice_request(now, Some(12_500_000), None);
    let invoice = request.text.clone();
    c.invoice_made(Ok(request));
    assert!(shows(c.view(), &fl!("counter-waiting")));
    assert!(shows(c.view(), "12,500 sat"));

    // Another payment arriving does not count for this customer.
    let other = NodeEvent::PaymentReceived {
        offer_id: None,
        id: Some("00".repeat(32)),
        amount_msat: 12_500_000,
    };
    assert_eq!(c.node_event(&other), None);
    assert!(!shows(c.view(), &fl!("counter-paid")));

    let hash = invoice
        .parse::<ldk_node::lightning_invoice::Bolt11Invoice>()
        .unwrap()
        .payment_hash()
        .to_string();
    let paid = NodeEvent::PaymentReceived {
        offer_id: None,
        id: Some(hash),
        amount_msat: 12_500_000,
    };
    assert_eq!(
        c.node_event(&paid),
        Some(Action::Announce {
            amount_msat: 12_500_000,
            sound: true
        })
    );
    assert!(shows(c.view(), &fl!("counter-paid")));
    assert!(shows(c.view(), "12,500 sat"));

    press(&mut c, &[&fl!("counter-next")], &ch);
    assert!(shows(c.view(), &fl!("counter-charge")));
    assert!(shows(c.view(), "0 sat"));
}

#[test]
fn the_keyboard_works_the_keypad() {
    use iced::keyboard::{key, Event, Key, Location, Modifiers};
    let press = |k: Key| Event::KeyPressed {
        key: k.clone(),
        modified_key: k,
        physical_key: key::Physical::Unidentified(key::NativeCode::Unidentified),
        location: Location::Standard,
        modifiers: Modifiers::empty(),
        text: None,
        repeat: false,
    };
    let ch = channels();
    let mut c = Counter::default();
    let mut actions = Vec::new();
    for k in [
        Key::Character("4".into()),
        Key::Character("x".into()),
        Key::Character("2".into()),
        Key::Named(key::Named::Backspace),
        Key::Character("0".into()),
        Key::Named(key::Named::Enter),
    ] {
        if let Some(m) = key(press(k)) {
            actions.extend(c.update(m, &ch));
        }
    }
    assert_eq!(
        actions,
        vec![Action::CreateInvoice {
            amount_msat: 40_000
        }]
    );
    // Escape while the invoice is being made goes back to an empty keypad.
    let m = key(press(Key::Named(key::Named::Escape))).unwrap();
    c.update(m, &ch);
    assert!(shows(c.view(), "0 sat"));
}

#[test]
fn an_amount_that_cannot_arrive_gets_no_qr() {
    let ch = channels();
    let mut c = Counter::default();
    // The sample channel can receive 290,000 sat.
    let actions = press(
        &mut c,
        &["3", "0", "0", "0", "0", "0", &fl!("counter-charge")],
        &ch,
    );
    assert!(actions.is_empty());
    assert!(shows(
        c.view(),
        &fl!("receive-above-inbound", can = "290,000 sat")
    ));
    assert!(!shows(c.view(), &fl!("counter-waiting")));
}

#[test]
fn quiet_counter_announces_nothing() {
    let ch = channels();
    let mut c = Counter::default();
    c.update(Message::NotifyToggled(false), &ch);
    c.update(Message::SoundToggled(false), &ch);
    c.update(Message::Digit('5'), &ch);
    c.update(Message::ChargePressed, &ch);
    let now = std::time::Duration::from_secs(crate::core::now());
    let request = sample_invoice_request(now, Some(5_000), None);
    let invoice = request.text.clone();
    c.invoice_made(Ok(request));
    let hash = invoice
        .parse::<ldk_node::lightning_invoice::Bolt11Invoice>()
        .unwrap()
        .payment_hash()
        .to_string();
    let paid = NodeEvent::PaymentReceived {
        offer_id: None,
        id: Some(hash),
        amount_msat: 5_000,
    };
    assert_eq!(c.node_event(&paid), None);
    assert!(shows(c.view(), &fl!("counter-paid")));
}

#[test]
fn amounts_can_be_typed_in_fiat_and_are_charged_in_sats() {
    let ch = channels();
    let mut c = Counter::default();
    // No rate, no fiat.
    assert!(!shows(
        c.view(),
        &fl!("counter-type-fiat", currency = "EUR")
    ));
    c.set_rate(Some(crate::core::fiat::Rate {
        currency: "EUR".into(),
        cents_per_btc: 9_123_450,
        time: 0,
    }));
    press(&mut c, &["1", "0", "0", "0"], &ch);
    assert!(shows(c.view(), "1,000 sat"));
    assert!(shows(c.view(), "≈ 0.91 EUR"));
    c.update(Message::Clear, &ch);
    press(&mut c, &[&fl!("counter-type-fiat", currency = "EUR")], &ch);
    press(&mut c, &["5", "0", "0"], &ch);
    assert!(shows(c.view(), "5.00 EUR"));
    assert!(shows(c.view(), "≈ 5,480 sat"));
    let actions = press(&mut c, &[&fl!("counter-charge")], &ch);
    assert_eq!(
        actions,
        vec![Action::CreateInvoice {
            amount_msat: 5_480_000
        }]
    );
}

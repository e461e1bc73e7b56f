use super::*;
use crate::ui::format;
use crate::ui::testing::{click, shows, type_into};

const SPENDABLE: u64 = 100_000;
const REGTEST_ADDR: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
const MAINNET_ADDR: &str = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";

/// Estimates as a server with some mempool would give them.
const ESTIMATES: FeeChoices = FeeChoices {
    fast_sat_vb: 12,
    normal_sat_vb: 5,
    slow_sat_vb: 2,
};

fn fill(address: &str, amount: &str) -> SendScreen {
    fill_with(address, amount, Ok(ESTIMATES))
}

fn fill_with(address: &str, amount: &str, fees: Result<FeeChoices, String>) -> SendScreen {
    let mut s = SendScreen::default();
    s.set_fee_choices(fees);
    let mut update = |s: &mut SendScreen, m| {
        s.update(m, SPENDABLE, Network::Regtest);
    };
    type_into(
        &mut s,
        |s| s.view(SPENDABLE, Network::Regtest),
        &mut update,
        ADDRESS_INPUT.into(),
        address,
    );
    type_into(
        &mut s,
        |s| s.view(SPENDABLE, Network::Regtest),
        &mut update,
        AMOUNT_INPUT.into(),
        amount,
    );
    s
}

fn review(s: &mut SendScreen) -> Option<Action> {
    let mut action = None;
    for m in click(s.view(SPENDABLE, Network::Regtest), &fl!("send-review")) {
        action = s.update(m, SPENDABLE, Network::Regtest).or(action);
    }
    action
}

/// On mainnet, a failing backup holds sending back until the person says they understand,
/// once per failure; on a test network it does not.
#[test]
fn a_failing_backup_is_acknowledged_once_before_sending_on_mainnet() {
    use crate::core::store::backup::{BackupFailure, BackupStatus};
    let failing = |since| BackupStatus {
        place: Some(crate::core::store::backup::BackupPlace::Folder {
            folder: "/media/usb".into(),
        }),
        failing: Some(BackupFailure {
            since,
            reason: "No such device".into(),
            taken_over: false,
        }),
        ..BackupStatus::default()
    };
    assert_eq!(backup_warning(Network::Regtest, &failing(100), None), None);
    assert_eq!(
        backup_warning(Network::Mainnet, &BackupStatus::default(), None),
        None
    );
    let warning = backup_warning(Network::Mainnet, &failing(100), None).expect("a warning");
    assert_eq!(
        backup_warning(Network::Mainnet, &failing(100), Some(100)),
        None
    );
    assert!(backup_warning(Network::Mainnet, &failing(200), Some(100)).is_some());

    let mut s = fill(REGTEST_ADDR, "25,000");
    s.set_backup_warning(Some(warning.clone()));
    assert!(shows(s.view(SPENDABLE, Network::Regtest), &warning));
    assert!(!shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("send-review")
    ));
    let mut action = None;
    for m in click(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("send-backup-failing-go-on"),
    ) {
        action = s.update(m, SPENDABLE, Network::Regtest).or(action);
    }
    assert!(matches!(action, Some(Action::AcknowledgeBackupRisk)));
    // The form is back as it was, filled in.
    assert!(!shows(s.view(SPENDABLE, Network::Regtest), &warning));
    assert!(shows(s.view(SPENDABLE, Network::Regtest), "25,000"));
}

#[test]
fn each_bad_input_gets_its_sentence() {
    let cases = [
        ("", "1000", fl!("err-empty-address")),
        ("hello", "1000", fl!("err-paste-unrecognised")),
        (
            MAINNET_ADDR,
            "1000",
            fl!(
                "err-wrong-network",
                found = fl!("net-found-mainnet"),
                expected = "regtest"
            ),
        ),
        (REGTEST_ADDR, "", fl!("err-empty-amount")),
        (REGTEST_ADDR, "abc", fl!("err-not-a-number")),
        (REGTEST_ADDR, "0", fl!("err-zero-amount")),
        (REGTEST_ADDR, "100", fl!("err-dust", minimum = "294")),
        (
            REGTEST_ADDR,
            "200000",
            fl!("err-above-spendable", spendable = format::sat(SPENDABLE)),
        ),
        (
            REGTEST_ADDR,
            "99999999999999999999",
            fl!("err-amount-too-large"),
        ),
    ];
    for (address, amount, sentence) in cases {
        let mut s = fill(address, amount);
        assert!(
            review(&mut s).is_none(),
            "{address:?} {amount:?} went through"
        );
        assert!(
            shows(s.view(SPENDABLE, Network::Regtest), &sentence),
            "{address:?} {amount:?}: expected {sentence:?}"
        );
        assert!(matches!(s.stage, Stage::Edit));
    }
}

/// Escape on the confirm step does what its Back button does: the form again, as typed.
#[test]
fn escape_backs_out_of_the_confirm_step_and_does_nothing_on_the_form() {
    let mut s = fill(REGTEST_ADDR, "25,000");
    assert!(s.escape().is_none(), "nothing to back out of on the form");
    review(&mut s);
    assert!(matches!(s.stage, Stage::Confirm(_)));
    let back = click(s.view(SPENDABLE, Network::Regtest), &fl!("button-back"));
    let escape = s.escape().expect("escape on the confirm step");
    assert_eq!(format!("{back:?}"), format!("[{escape:?}]"));
    s.update(escape, SPENDABLE, Network::Regtest);
    assert!(matches!(s.stage, Stage::Edit));
    assert_eq!(s.address, REGTEST_ADDR);
}

#[test]
fn good_input_reaches_confirm_with_fee_and_total() {
    let mut s = fill(REGTEST_ADDR, "25,000");
    review(&mut s);
    let Stage::Confirm(plan) = &s.stage else {
        panic!("no confirm step: {:?} {:?}", s.stage, s.error);
    };
    let plan = plan.clone();
    assert_eq!(plan.send_sat, 25_000);
    assert!(shows(
        s.view(SPENDABLE, Network::Regtest),
        &format::sat(plan.total_sat())
    ));
    let mut action = None;
    for m in click(s.view(SPENDABLE, Network::Regtest), &fl!("send-confirm")) {
        action = s.update(m, SPENDABLE, Network::Regtest).or(action);
    }
    assert!(matches!(action, Some(Action::Broadcast(p)) if p == plan));
}

#[test]
fn without_an_estimate_the_screen_says_so_and_asks_for_a_rate() {
    let why = fl!("err-fee-no-estimate");
    let mut s = fill_with(REGTEST_ADDR, "25,000", Err(why.clone()));
    assert!(shows(s.view(SPENDABLE, Network::Regtest), &why));
    // No speed with a made-up rate is offered.
    assert!(!shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("send-fee-normal", rate = 1)
    ));
    assert!(review(&mut s).is_none());
    assert!(shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("err-bad-fee-rate")
    ));
    s.update(
        Message::CustomRateChanged("3".into()),
        SPENDABLE,
        Network::Regtest,
    );
    review(&mut s);
    let Stage::Confirm(plan) = &s.stage else {
        panic!("no confirm step: {:?}", s.error);
    };
    assert_eq!(plan.fee_rate_sat_vb, 3);

    // Before the estimates arrive, a speed cannot be used either.
    let mut s = SendScreen::default();
    assert!(shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("send-fee-reading")
    ));
    assert_eq!(s.fee_rate(), Err(input::InputError::NoFeeEstimate));
    s.set_fee_choices(Ok(ESTIMATES));
    assert_eq!(s.fee_rate(), Ok(5));
}

#[test]
fn send_everything_needs_no_amount() {
    let mut s = fill(REGTEST_ADDR, "");
    for m in click(s.view(SPENDABLE, Network::Regtest), &fl!("send-all")) {
        s.update(m, SPENDABLE, Network::Regtest);
    }
    review(&mut s);
    let Stage::Confirm(plan) = &s.stage else {
        panic!("no confirm step: {:?}", s.error);
    };
    assert_eq!(plan.total_sat(), SPENDABLE);
}

mod lightning_preview {
    use super::*;
    use crate::core::input::paste::samples::invoice_at;
    use crate::core::lightning::events::{FailReason, NodeEvent};
    use crate::ui::testing::find_text;
    use ldk_node::lightning_invoice::Currency;

    fn now() -> std::time::Duration {
        std::time::Duration::from_secs(crate::core::now())
    }

    /// The screen after a paste and Review, and what Review asked of the wallet.
    fn pasted_with(text: String) -> (SendScreen, Option<Action>) {
        let mut s = SendScreen::default();
        // A paste arrives as one change of the field.
        s.update(Message::AddressChanged(text), SPENDABLE, Network::Regtest);
        let action = review(&mut s);
        (s, action)
    }

    fn pasted(text: String) -> SendScreen {
        pasted_with(text).0
    }

    fn press(s: &mut SendScreen, label: &str) -> Option<Action> {
        let mut action = None;
        for m in click(s.view(SPENDABLE, Network::Regtest), label) {
            action = s.update(m, SPENDABLE, Network::Regtest).or(action);
        }
        action
    }

    #[test]
    fn an_invoice_is_previewed_paid_and_followed() {
        let text = invoice_at(
            now(),
            Currency::Regtest,
            Some(25_000_000),
            "two\u{202e} coffees",
        );
        let (mut s, action) = pasted_with(text);
        // An amount is known: the wallet is asked for the likely route.
        assert!(matches!(
            action,
            Some(Action::PreviewRoute {
                amount_msat: 25_000_000,
                ..
            })
        ));
        assert!(shows(
            s.view(SPENDABLE, Network::Regtest),
            &fl!("pay-route-reading")
        ));
        let payee = "03".repeat(33);
        s.route_read(Some(crate::core::lightning::route::RoutePreview {
            hops: vec![
                crate::core::lightning::route::RouteHop {
                    node_id: "02".repeat(33),
                    alias: Some("bob\u{202e}".into()),
                    fee_msat: 1_000,
                    cltv_delta: 40,
                },
                crate::core::lightning::route::RouteHop {
                    node_id: payee.clone(),
                    alias: None,
                    fee_msat: 0,
                    cltv_delta: 18,
                },
            ],
            fee_msat: 1_000,
            overpaid_msat: 0,
            cltv_total: 58,
            parts: 1,
        }));
        let path = format!(
            "{} → bob → {}",
            fl!("pay-route-you"),
            format::short_id(&payee)
        );
        assert!(shows(
            s.view(SPENDABLE, Network::Regtest),
            &fl!("pay-route-found", path = path, fee = "1 sat", cltv = "58")
        ));
        let v = || s.view(SPENDABLE, Network::Regtest);
        assert!(shows(v(), &fl!("pay-kind-bolt11")));
        assert!(shows(v(), "25,000 sat"));
        // LDK marks the control character it found; the bidi override itself is gone.
        let d = find_text(v(), |t| t.contains("coffees")).unwrap();
        assert!(d.starts_with("two") && !d.contains('\u{202e}'), "{d:?}");
        assert!(shows(v(), "regtest"));
        assert!(
            find_text(v(), |t| t.starts_with("in 59 min")
                || t.starts_with("in 60 min"))
            .is_some(),
            "the expiry counts down"
        );
        let Some(Action::PayLightning(p)) = press(&mut s, &fl!("pay-button")) else {
            panic!("Pay should start a payment");
        };
        assert_eq!(p.amount_msat, Some(25_000_000));
        assert_eq!(p.max_fee_msat, 250_000, "default cap: 1 % of the amount");
        s.lightning_started(Ok("ab".repeat(32)));
        assert!(shows(
            s.view(SPENDABLE, Network::Regtest),
            &fl!("pay-in-flight")
        ));
        // Someone else's payment finishing changes nothing here.
        s.node_event(&NodeEvent::PaymentSent {
            id: Some("cd".repeat(32)),
            fee_paid_msat: None,
        });
        assert!(shows(
            s.view(SPENDABLE, Network::Regtest),
            &fl!("pay-in-flight")
        ));
        s.node_event(&NodeEvent::PaymentSent {
            id: Some("ab".repeat(32)),
            fee_paid_msat: Some(1_000),
        });
        assert!(shows(
            s.view(SPENDABLE, Network::Regtest),
            &fl!("pay-succeeded", fee = "1 sat")
        ));
    }

    #[test]
    fn an_open_amount_is_asked_for_and_failures_are_explained() {
        let mut s = pasted(invoice_at(now(), Currency::Regtest, None, "tip"));
        assert!(press(&mut s, &fl!("pay-button")).is_none());
        assert!(shows(
            s.view(SPENDABLE, Network::Regtest),
            &fl!("err-empty-amount")
        ));
        type_into(
            &mut s,
            |s| s.view(SPENDABLE, Network::Regtest),
            |s, m| {
                s.update(m, SPENDABLE, Network::Regtest);
            },
            LN_AMOUNT_INPUT.into(),
            "1500",
        );
        let Some(Action::PayLightning(p)) = press(&mut s, &fl!("pay-button")) else {
            panic!("Pay should start a payment");
        };
        assert_eq!(p.amount_msat, Some(1_500_000));
        assert_eq!(p.max_fee_msat, 15_000, "1 % of the amount");
        s.lightning_started(Ok("ef".repeat(32)));
        s.node_event(&NodeEvent::PaymentFailed {
            id: Some("ef".repeat(32)),
            reason: FailReason::NoRoute,
        });
        assert!(shows(
            s.view(SPENDABLE, Network::Regtest),
            &fl!("pay-failed-no-route")
        ));
    }

    #[test]
    fn a_request_that_expires_during_the_preview_is_said_so() {
        // Valid for a minute more when pasted.
        let made = now() - std::time::Duration::from_secs(3600 - 60);
        let mut s = pasted(invoice_at(made, Currency::Regtest, Some(1_000), "x"));
        let Stage::Lightning(pay) = &mut s.stage else {
            panic!("a Lightning preview");
        };
        let expires_at = made.as_secs() + 3600;
        assert!(!shows(
            pay.view(Network::Regtest, expires_at - 30, None, 0),
            &fl!("pay-expired-now")
        ));
        // The clock passes the expiry while the preview is open.
        assert!(shows(
            pay.view(Network::Regtest, expires_at, None, 0),
            &fl!("pay-expired-now")
        ));
        let pressed = pay.update(lightning::Message::PayPressed, expires_at + 1);
        assert!(
            matches!(&pressed, Err(e) if *e == fl!("pay-expired-before-paying")),
            "{pressed:?}"
        );
    }

    #[test]
    fn an_invoice_for_another_network_or_expired_is_refused() {
        let mut s = pasted(invoice_at(now(), Currency::Bitcoin, Some(1_000), "x"));
        assert!(shows(
            s.view(SPENDABLE, Network::Regtest),
            &fl!(
                "err-invoice-wrong-network",
                found = "mainnet",
                expected = "regtest"
            )
        ));
        s = pasted(invoice_at(
            now() - std::time::Duration::from_secs(7200),
            Currency::Regtest,
            Some(1_000),
            "x",
        ));
        assert!(find_text(s.view(SPENDABLE, Network::Regtest), |t| t
            .starts_with("This invoice expired at"))
        .is_some());
    }

    #[test]
    fn a_payment_below_the_channels_smallest_says_what_leaves() {
        let mut s = pasted(invoice_at(now(), Currency::Regtest, Some(39_800_000), "x"));
        let floor = fl!("pay-overpaid", sent = "39,897 sat", extra = "97 sat");
        assert!(!shows(s.view(SPENDABLE, Network::Regtest), &floor));
        let mut channel = crate::core::lightning::channels::samples::active();
        channel.limits.send_min_msat = 39_897_000;
        s.set_channels(ChannelsOverview {
            channels: vec![channel],
            height: 0,
        });
        assert!(shows(s.view(SPENDABLE, Network::Regtest), &floor));
    }

    /// The route LDK found meets the channel's smallest by sending more: the preview says so
    /// in the words the payment's record uses (fee 0, the extra overpaid), not as a fee.
    #[test]
    fn an_overpayment_in_the_route_is_not_called_a_fee() {
        let (mut s, _) = pasted_with(invoice_at(now(), Currency::Regtest, Some(39_912_000), "x"));
        let payee = "03".repeat(33);
        s.route_read(Some(crate::core::lightning::route::RoutePreview {
            hops: vec![crate::core::lightning::route::RouteHop {
                node_id: payee.clone(),
                alias: None,
                fee_msat: 0,
                cltv_delta: 18,
            }],
            fee_msat: 0,
            overpaid_msat: 88_000,
            cltv_total: 18,
            parts: 1,
        }));
        let path = format!("{} → {}", fl!("pay-route-you"), format::short_id(&payee));
        let v = || s.view(SPENDABLE, Network::Regtest);
        assert!(shows(
            v(),
            &fl!("pay-route-found", path = path, fee = "0 sat", cltv = "18")
        ));
        assert!(shows(
            v(),
            &fl!("pay-overpaid", sent = "40,000 sat", extra = "88 sat")
        ));
    }
}

/// Confirmed, signed, handed over: "Broadcasting…" until the server has it. `outcome` is what
/// the server check found.
fn broadcast(outcome: BroadcastOutcome) -> SendScreen {
    let mut s = fill(REGTEST_ADDR, "25,000");
    review(&mut s);
    for m in click(s.view(SPENDABLE, Network::Regtest), &fl!("send-confirm")) {
        s.update(m, SPENDABLE, Network::Regtest);
    }
    let sent = SendOutcome {
        txid: "ab".repeat(32),
        sent_sat: 25_000,
        fee_sat: None,
        fee_rate_sat_vb: 2,
    };
    s.sent(Ok(sent.clone()));
    let view = s.view(SPENDABLE, Network::Regtest);
    assert!(shows(view, &fl!("send-broadcasting-title")));
    assert!(!shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("send-sent-title")
    ));
    // An answer about another transaction changes nothing.
    s.broadcast_checked(
        &"cd".repeat(32),
        BroadcastOutcome::Accepted { fee_sat: None },
    );
    assert!(shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("send-broadcasting-title")
    ));
    s.broadcast_checked(&sent.txid, outcome);
    s
}

#[test]
fn sent_only_once_the_server_has_it() {
    let s = broadcast(BroadcastOutcome::Accepted { fee_sat: Some(282) });
    let view = || s.view(SPENDABLE, Network::Regtest);
    assert!(shows(view(), &fl!("send-sent-title")));
    assert!(shows(view(), &format::sat(282)));
}

#[test]
fn a_refused_send_says_why_and_the_fee_can_be_changed() {
    let mut s = broadcast(BroadcastOutcome::NotTaken {
        fee_rate_sat_vb: 2,
        min_relay_sat_vb: Some(5),
    });
    assert!(shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("send-not-taken-fee", rate = 2, min = 5)
    ));
    assert!(!shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("send-sent-title")
    ));
    for m in click(s.view(SPENDABLE, Network::Regtest), &fl!("send-change-fee")) {
        s.update(m, SPENDABLE, Network::Regtest);
    }
    // Back at the form with what was typed, a rate to type.
    assert!(matches!(s.stage, Stage::Edit));
    assert_eq!(s.address, REGTEST_ADDR);
    assert_eq!(s.speed, Speed::Custom);

    let s = broadcast(BroadcastOutcome::NoAnswer);
    assert!(shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("send-no-answer")
    ));
    let s = broadcast(BroadcastOutcome::NotTaken {
        fee_rate_sat_vb: 9,
        min_relay_sat_vb: Some(1),
    });
    assert!(shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("send-not-taken")
    ));
}

#[test]
fn a_name_is_looked_up_then_paid_like_what_it_gave() {
    use crate::core::input::names::{sample_choice, NameError, Resolved};
    let mut s = fill("₿alice@example.com", "");
    assert!(matches!(
        review(&mut s),
        Some(Action::ResolveName(name)) if name == "₿alice@example.com"
    ));
    assert!(shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("send-name-resolving", name = "₿alice@example.com")
    ));
    // Not found: back to the form, with the reason.
    s.name_resolved(Err(NameError::NotResolved("no such name".into()).into()));
    assert!(shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("err-name-not-resolved", reason = "no such name")
    ));

    // An LNURL-pay: the amount within the payee's bounds, then its invoice.
    s.update(Message::ReviewPressed, SPENDABLE, Network::Regtest);
    s.name_resolved(Ok(Resolved::ChooseAmount(Box::new(sample_choice(
        1_000_000, 50_000_000,
    )))));
    assert!(shows(
        s.view(SPENDABLE, Network::Regtest),
        &fl!("send-name-range", min = "1,000 sat", max = "50,000 sat")
    ));
    s.update(
        Message::NameAmountChanged("15000".into()),
        SPENDABLE,
        Network::Regtest,
    );
    let Some(Action::ChooseNameAmount { amount_msat, .. }) =
        s.update(Message::NameAmountPressed, SPENDABLE, Network::Regtest)
    else {
        panic!("the amount goes to the payee's server");
    };
    assert_eq!(amount_msat, 15_000_000);
}

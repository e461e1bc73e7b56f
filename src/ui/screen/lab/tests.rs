use super::*;
use crate::core::lightning::channels::samples::{active, force_closing, HEIGHT};
use crate::core::lightning::channels::ChannelsOverview;
use crate::ui::testing::{click, shows, type_into};

const URL: &str = "tcp://127.0.0.1:50001";

fn timelocks() -> Vec<Timelock> {
    ChannelsOverview {
        channels: vec![active(), force_closing()],
        height: HEIGHT,
    }
    .timelocks()
}

fn press(lab: &mut Lab, label: &str) -> Option<Action> {
    let t = timelocks();
    let mut action = None;
    for m in click(lab.view(Some(URL.into()), &t, HEIGHT), label) {
        action = lab.update(m).or(action);
    }
    action
}

#[test]
fn timelocks_are_named_with_their_mechanism_and_mined_to() {
    let mut lab = Lab::default();
    let t = timelocks();
    let v = || lab.view(Some(URL.into()), &t, HEIGHT);
    // The force-closed sample: our 380,000 sat under the CSV delay, our HTLC's CLTV expiry.
    let peer = format::short_id(crate::core::lightning::channels::samples::PEER_B);
    assert!(shows(
        v(),
        &fl!(
            "lab-timelock-csv",
            peer = peer.clone(),
            amount = "380,000 sat"
        )
    ));
    assert!(shows(v(), &fl!("lab-why-csv")));
    assert!(shows(
        v(),
        &fl!(
            "lab-timelock-htlc-refund",
            peer = peer,
            amount = "20,000 sat"
        )
    ));
    assert!(shows(v(), &fl!("lab-why-cltv")));
    let label = fl!(
        "lab-mine-to",
        height = (HEIGHT + 40).to_string(),
        blocks = "40"
    );
    assert_eq!(press(&mut lab, &label), Some(Action::MineTo(HEIGHT + 40)));
    // Busy until the blocks are mined: no second press meanwhile.
    assert_eq!(press(&mut lab, &label), None);
    lab.finished(Ok(Done::Mined(u64::from(HEIGHT) + 40)));
    let csv = fl!(
        "lab-mine-to",
        height = (HEIGHT + 130).to_string(),
        blocks = "130"
    );
    assert_eq!(press(&mut lab, &csv), Some(Action::MineTo(HEIGHT + 130)));
}

#[test]
fn no_timelock_says_where_they_would_appear() {
    let lab = Lab::default();
    assert!(shows(
        lab.view(Some(URL.into()), &[], HEIGHT),
        &fl!("lab-timelocks-none")
    ));
}

#[test]
fn any_number_of_blocks_within_bounds() {
    let mut lab = Lab::default();
    let t = timelocks();
    // The field starts at 10 blocks; the tester clears it and types.
    lab.update(Message::BlocksChanged(String::new()));
    type_into(
        &mut lab,
        |l| l.view(Some(URL.into()), &t, HEIGHT),
        |l, m| assert!(l.update(m).is_none()),
        iced::widget::Id::new(BLOCKS_INPUT),
        "25",
    );
    assert_eq!(press(&mut lab, &fl!("lab-mine-n")), Some(Action::Mine(25)));
    lab.finished(Ok(Done::Mined(145)));
    lab.update(Message::BlocksChanged("5000".into()));
    assert_eq!(press(&mut lab, &fl!("lab-mine-n")), None);
    assert!(shows(
        lab.view(Some(URL.into()), &t, HEIGHT),
        &fl!("lab-blocks-bad", max = "1,000")
    ));
}

#[test]
fn automatic_mining_every_few_seconds() {
    let mut lab = Lab::default();
    assert_eq!(lab.auto_mining(), None);
    lab.update(Message::AutoSecsChanged("0".into()));
    lab.update(Message::AutoToggled(true));
    assert_eq!(lab.auto_mining(), None, "zero seconds is refused");
    lab.update(Message::AutoSecsChanged("5".into()));
    lab.update(Message::AutoToggled(true));
    assert_eq!(lab.auto_mining(), Some(Duration::from_secs(5)));
    assert_eq!(lab.update(Message::AutoMineDue), Some(Action::Mine(1)));
    // The block before is still on its way: this one is skipped, not stacked.
    assert_eq!(lab.update(Message::AutoMineDue), None);
    lab.finished(Ok(Done::Mined(121)));
    assert_eq!(lab.update(Message::AutoMineDue), Some(Action::Mine(1)));
    lab.update(Message::AutoToggled(false));
    assert_eq!(lab.auto_mining(), None);
}

/// The Lab panel with the sample network read: Alice online (a channel with the wallet, a kept
/// state), Bob offline.
fn with_nodes() -> Lab {
    let mut lab = Lab::default();
    lab.nodes_read(crate::lab::samples::nodes());
    lab
}

fn press_on(lab: &mut Lab, label: &str) -> Option<Action> {
    let mut action = None;
    for m in click(lab.view(Some(URL.into()), &[], HEIGHT), label) {
        action = lab.update(m).or(action);
    }
    action
}

#[test]
fn lab_nodes_show_their_channels_and_kept_state() {
    let lab = with_nodes();
    let v = || lab.view(Some(URL.into()), &[], HEIGHT);
    assert!(shows(
        v(),
        &fl!("lab-node-online", name = "Alice", onchain = "4,998,800 sat")
    ));
    assert!(shows(
        v(),
        &fl!(
            "lab-node-channel",
            name = "Alice",
            other = fl!("lab-you"),
            amount = "150,000 sat",
            capacity = "1,000,000 sat",
            state = fl!("lab-channel-active")
        )
    ));
    // What the kept state held against today: a breach would take back 60,000 sat.
    assert!(shows(
        v(),
        &fl!(
            "lab-kept",
            name = "Alice",
            when = format::datetime(crate::lab::samples::KEPT_AT),
            then = "90,000 sat",
            now = "150,000 sat"
        )
    ));
    assert!(shows(v(), &fl!("lab-node-offline", name = "Bob")));
    assert!(shows(v(), &fl!("lab-why-offline", name = "Bob")));
}

#[test]
fn lab_fault_buttons_ask_for_their_fault() {
    let mut lab = with_nodes();
    assert_eq!(
        press_on(&mut lab, &fl!("lab-breach")),
        Some(Action::Fault("Alice".into(), Fault::Breach))
    );
    // One action at a time.
    assert_eq!(press_on(&mut lab, &fl!("lab-force-close")), None);
    lab.finished(Ok(Done::Fault(
        "Alice".into(),
        FaultDone::Breached(vec![crate::lab::samples::CHANNEL_ID.into()]),
    )));
    assert!(shows(
        lab.view(Some(URL.into()), &[], HEIGHT),
        &fl!("lab-breached", name = "Alice")
    ));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-force-close")),
        Some(Action::Fault("Alice".into(), Fault::ForceClose))
    );
    lab.finished(Ok(Done::Fault("Alice".into(), FaultDone::Offline)));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-come-back")),
        Some(Action::Fault("Bob".into(), Fault::ComeBack))
    );
    lab.finished(Err("Bob did not start".into()));
    assert!(shows(
        lab.view(Some(URL.into()), &[], HEIGHT),
        "Bob did not start"
    ));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-opens-to-you", name = "Alice")),
        Some(Action::OpensToWallet("Alice".into()))
    );
    lab.finished(Ok(Done::Opened("Alice".into())));
    // The channel form gets Alice's address, nothing runs here.
    assert_eq!(
        press_on(&mut lab, &fl!("lab-open-to", name = "Alice")),
        Some(Action::OpenTo(format!(
            "{}@127.0.0.1:40123",
            crate::lab::samples::ALICE_ID
        )))
    );
    assert_eq!(
        press_on(&mut lab, &fl!("lab-add-node")),
        Some(Action::AddNode)
    );
}

#[test]
fn lab_breach_needs_a_kept_state() {
    let mut nodes = crate::lab::samples::nodes();
    nodes[0].kept = None;
    let mut lab = Lab::default();
    lab.nodes_read(nodes);
    assert_eq!(press_on(&mut lab, &fl!("lab-breach")), None);
    assert_eq!(
        press_on(&mut lab, &fl!("lab-keep-state")),
        Some(Action::Fault("Alice".into(), Fault::KeepState))
    );
}

#[test]
fn lab_hold_makes_an_invoice_to_pay_on_send() {
    let mut lab = with_nodes();
    lab.update(Message::HoldSatChanged("abc".into()));
    assert_eq!(press_on(&mut lab, &fl!("lab-hold")), None);
    assert!(shows(
        lab.view(Some(URL.into()), &[], HEIGHT),
        &fl!("lab-hold-bad")
    ));
    lab.update(Message::HoldSatChanged(String::new()));
    type_into(
        &mut lab,
        |l| l.view(Some(URL.into()), &[], HEIGHT),
        |l, m| assert!(l.update(m).is_none()),
        iced::widget::Id::new(HOLD_SAT_INPUT),
        "50000",
    );
    assert_eq!(
        press_on(&mut lab, &fl!("lab-hold")),
        Some(Action::Fault(
            "Alice".into(),
            Fault::Hold { amount_sat: 50_000 }
        ))
    );
    lab.finished(Ok(Done::Fault(
        "Alice".into(),
        FaultDone::Holding {
            invoice: "lnbcrt500u1held".into(),
        },
    )));
    let v = || lab.view(Some(URL.into()), &[], HEIGHT);
    assert!(shows(v(), "lnbcrt500u1held"));
    assert!(shows(v(), &fl!("lab-why-hold", name = "Alice")));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-pay-held")),
        Some(Action::Pay("lnbcrt500u1held".into()))
    );
}

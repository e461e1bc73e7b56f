use super::*;
use crate::core::lightning::channels::samples::{active, force_closing, HEIGHT};
use crate::core::lightning::channels::ChannelsOverview;
use crate::ui::testing::{click, shows, type_into};

const URL: &str = "tcp://127.0.0.1:50001";

/// The sample channels (one active, one force-closed) and no channel at all, for views that
/// borrow them as long as they live.
static SAMPLES: std::sync::LazyLock<ChannelsOverview> =
    std::sync::LazyLock::new(|| ChannelsOverview {
        channels: vec![active(), force_closing()],
        height: HEIGHT,
    });
static NONE: std::sync::LazyLock<ChannelsOverview> =
    std::sync::LazyLock::new(ChannelsOverview::default);

fn overview() -> &'static ChannelsOverview {
    &SAMPLES
}

fn press(lab: &mut LabScreen, label: &str) -> Option<Action> {
    let t = overview();
    let mut action = None;
    for m in click(lab.view(Some(URL.into()), t, HEIGHT), label) {
        action = lab.update(m).or(action);
    }
    action
}

#[test]
fn timelocks_are_named_with_their_mechanism_and_mined_to() {
    let mut lab = LabScreen::default();
    let t = overview();
    let v = || lab.view(Some(URL.into()), t, HEIGHT);
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
    let lab = LabScreen::default();
    assert!(shows(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-timelocks-none")
    ));
}

#[test]
fn any_number_of_blocks_within_bounds() {
    let mut lab = LabScreen::default();
    let t = overview();
    // The field starts at 10 blocks; the tester clears it and types.
    lab.update(Message::BlocksChanged(String::new()));
    type_into(
        &mut lab,
        |l| l.view(Some(URL.into()), t, HEIGHT),
        |l, m| assert!(l.update(m).is_none()),
        iced::widget::Id::new(BLOCKS_INPUT),
        "25",
    );
    assert_eq!(press(&mut lab, &fl!("lab-mine-n")), Some(Action::Mine(25)));
    lab.finished(Ok(Done::Mined(145)));
    lab.update(Message::BlocksChanged("5000".into()));
    assert_eq!(press(&mut lab, &fl!("lab-mine-n")), None);
    assert!(shows(
        lab.view(Some(URL.into()), t, HEIGHT),
        &fl!("lab-blocks-bad", max = "1,000")
    ));
}

#[test]
fn automatic_mining_every_few_seconds() {
    let mut lab = LabScreen::default();
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
fn with_nodes() -> LabScreen {
    let mut lab = LabScreen::default();
    lab.nodes_read(crate::lab::samples::nodes());
    lab
}

fn press_on(lab: &mut LabScreen, label: &str) -> Option<Action> {
    let mut action = None;
    for m in click(lab.view(Some(URL.into()), &NONE, HEIGHT), label) {
        action = lab.update(m).or(action);
    }
    action
}

#[test]
fn lab_nodes_show_their_channels_and_kept_state() {
    let lab = with_nodes();
    let v = || lab.view(Some(URL.into()), &NONE, HEIGHT);
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
        lab.view(Some(URL.into()), &NONE, HEIGHT),
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
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        "Bob did not start"
    ));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-opens-to-you", name = "Alice")),
        Some(Action::OpensToWallet {
            from: "Alice".into(),
            capacity_sat: crate::lab::node::LAB_CHANNEL_SAT,
            push_sat: 0
        })
    );
    lab.finished(Ok(Done::Opened("Alice".into())));
    // The channel form gets Alice's address, nothing runs here.
    assert_eq!(
        press_on(&mut lab, &fl!("lab-open-to", name = "Alice")),
        Some(Action::OpenTo {
            uri: format!("{}@127.0.0.1:40123", crate::lab::samples::ALICE_ID),
            capacity_sat: crate::lab::node::LAB_CHANNEL_SAT
        })
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
    let mut lab = LabScreen::default();
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
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-hold-bad")
    ));
    lab.update(Message::HoldSatChanged(String::new()));
    type_into(
        &mut lab,
        |l| l.view(Some(URL.into()), &NONE, HEIGHT),
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
    let v = || lab.view(Some(URL.into()), &NONE, HEIGHT);
    assert!(shows(v(), "lnbcrt500u1held"));
    assert!(shows(v(), &fl!("lab-why-hold", name = "Alice")));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-pay-held")),
        Some(Action::Pay("lnbcrt500u1held".into()))
    );
}

#[test]
fn lab_between_any_two_asks_for_the_right_action() {
    let mut lab = with_nodes();
    let alice = || Party::Node("Alice".into());
    // Nothing chosen yet: the form says what is missing.
    assert_eq!(press_on(&mut lab, &fl!("lab-between-open")), None);
    assert!(shows(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-between-pick")
    ));
    lab.update(Message::BetweenFromPicked(alice()));
    lab.update(Message::BetweenToPicked(Party::You));
    lab.update(Message::BetweenSatChanged("250_000".into()));
    // A push as large as the channel is refused.
    lab.update(Message::BetweenPushChanged("250000".into()));
    assert_eq!(press_on(&mut lab, &fl!("lab-between-open")), None);
    assert!(shows(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-between-push-bad")
    ));
    lab.update(Message::BetweenPushChanged("50000".into()));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-between-open")),
        Some(Action::OpensToWallet {
            from: "Alice".into(),
            capacity_sat: 250_000,
            push_sat: 50_000
        })
    );
    lab.finished(Ok(Done::Opened("Alice".into())));
    lab.update(Message::PayByPicked(PayBy::Keysend));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-between-pay")),
        Some(Action::PayBetween {
            from: "Alice".into(),
            to: None,
            amount_sat: 250_000,
            by: PayBy::Keysend
        })
    );
    lab.finished(Ok(Done::PaidBetween {
        from: "Alice".into(),
        to: "you".into(),
    }));
    // The wallet opening: its own form on Channels, prefilled; nothing runs here.
    lab.update(Message::BetweenFromPicked(Party::You));
    lab.update(Message::BetweenToPicked(alice()));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-between-open")),
        Some(Action::OpenTo {
            uri: format!("{}@127.0.0.1:40123", crate::lab::samples::ALICE_ID),
            capacity_sat: 250_000
        })
    );
    // The wallet paying: Alice makes the request, to pay on Send.
    assert_eq!(
        press_on(&mut lab, &fl!("lab-between-pay")),
        Some(Action::RequestFrom {
            node: "Alice".into(),
            amount_sat: 250_000,
            by: PayBy::Keysend
        })
    );
    lab.finished(Ok(Done::Requested(Request {
        node: "Alice".into(),
        text: crate::lab::samples::ALICE_ID.into(),
        held: false,
    })));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-pay-held")),
        Some(Action::Pay(crate::lab::samples::ALICE_ID.into()))
    );
    // The same two ends, or no amount: refused with a sentence.
    lab.update(Message::BetweenToPicked(Party::You));
    assert_eq!(press_on(&mut lab, &fl!("lab-between-pay")), None);
    assert!(shows(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-between-same")
    ));
    lab.update(Message::BetweenToPicked(alice()));
    lab.update(Message::BetweenSatChanged("0".into()));
    assert_eq!(press_on(&mut lab, &fl!("lab-between-pay")), None);
    assert!(shows(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-between-bad")
    ));
}

#[test]
fn lab_presets_and_the_map_are_offered() {
    let mut lab = with_nodes();
    let v = || lab.view(Some(URL.into()), &NONE, HEIGHT);
    assert!(shows(v(), &fl!("lab-map-help")));
    assert!(shows(v(), &fl!("lab-why-onion")));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-preset-diamond")),
        Some(Action::Build(Preset::Diamond))
    );
    lab.finished(Ok(Done::Built(Preset::Diamond)));
    assert!(shows(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-built-diamond")
    ));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-preset-line")),
        Some(Action::Build(Preset::LineOfThree))
    );
}

#[test]
fn lab_shows_the_claims_coming_back_from_lab_nodes() {
    let mut lab = LabScreen::default();
    let mut nodes = crate::lab::samples::nodes();
    // The sample force-closed channel is with a lab node.
    nodes[1].node_id = crate::core::lightning::channels::samples::PEER_B.into();
    lab.nodes_read(nodes);
    let v = lab.view(Some(URL.into()), overview(), HEIGHT);
    assert!(shows(v, &fl!("lab-claims-channel", peer = "Bob")));
}

#[test]
fn lab_saves_what_was_done_as_a_scenario() {
    use crate::lab::scenario::{FaultName, FaultStep, Scenario, Step};
    let mut lab = with_nodes();
    // Nothing done yet: nothing to save.
    assert_eq!(
        press_on(&mut lab, &fl!("lab-scenario-save", steps = "0")),
        None
    );
    assert_eq!(
        press_on(&mut lab, &fl!("lab-mine-6")),
        Some(Action::Mine(6))
    );
    lab.finished(Ok(Done::Mined(126)));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-add-node")),
        Some(Action::AddNode)
    );
    lab.finished(Ok(Done::NodeAdded("Carol".into())));
    // A failed action is not a step.
    press_on(&mut lab, &fl!("lab-force-close"));
    lab.finished(Err("refused".into()));
    press_on(&mut lab, &fl!("lab-breach"));
    lab.finished(Ok(Done::Fault(
        "Alice".into(),
        FaultDone::Breached(Vec::new()),
    )));
    let Some(Action::SaveScenario(text)) =
        press_on(&mut lab, &fl!("lab-scenario-save", steps = "3"))
    else {
        panic!("saving offers the recorded scenario")
    };
    let saved = Scenario::parse(&text).unwrap();
    assert_eq!(
        saved.steps,
        vec![
            Step::Mine(6),
            Step::Nodes(vec!["Carol".into()]),
            Step::Fault(FaultStep {
                node: "Alice".into(),
                fault: FaultName::Breach
            }),
        ]
    );
    lab.finished(Ok(Done::ScenarioSaved("breach.toml".into())));
    assert!(shows(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-scenario-saved", path = "breach.toml")
    ));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-scenario-run")),
        Some(Action::RunScenario)
    );
}

#[test]
fn lab_removes_only_a_node_without_channels() {
    let mut lab = with_nodes();
    // Alice has a channel: her Remove is off.
    assert_eq!(press_on(&mut lab, &fl!("lab-remove-node")), None);
    let mut nodes = crate::lab::samples::nodes();
    if let Some(o) = nodes[0].online.as_mut() {
        o.channels.clear();
    }
    lab.nodes_read(nodes);
    assert_eq!(
        press_on(&mut lab, &fl!("lab-remove-node")),
        Some(Action::RemoveNode("Alice".into()))
    );
    lab.finished(Ok(Done::NodeRemoved("Alice".into())));
    assert!(shows(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-node-removed", name = "Alice")
    ));
}

#[test]
fn a_lab_node_splices_its_channel_with_the_wallet_and_the_step_is_recorded() {
    let mut lab = with_nodes();
    lab.update(Message::BetweenFromPicked(Party::You));
    lab.update(Message::BetweenToPicked(Party::Node("Alice".into())));
    lab.update(Message::BetweenSatChanged("300_000".into()));
    // The wallet splices on its channel's page: here a lab node splices.
    assert_eq!(press_on(&mut lab, &fl!("lab-between-splice-in")), None);
    assert!(shows(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-between-splice-pick")
    ));
    lab.update(Message::BetweenFromPicked(Party::Node("Alice".into())));
    lab.update(Message::BetweenToPicked(Party::You));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-between-splice-in")),
        Some(Action::NodeSplices {
            node: "Alice".into(),
            into: true,
            amount_sat: 300_000
        })
    );
    lab.finished(Ok(Done::Spliced {
        node: "Alice".into(),
        into: true,
    }));
    assert!(shows(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-spliced-in", name = "Alice")
    ));
    let saved = crate::lab::scenario::Scenario::parse(&lab.recorded().to_toml().unwrap());
    assert_eq!(
        saved.unwrap().steps.last(),
        Some(&crate::lab::scenario::Step::SpliceIn(
            crate::lab::scenario::Splice {
                by: "Alice".into(),
                with: "wallet".into(),
                amount_sat: 300_000
            }
        ))
    );
}

#[test]
fn a_swap_with_a_lab_node_is_asked_for_and_its_page_draws_both_locks() {
    use crate::core::swap::book::{SwapDirection, SwapRecord, SwapState};
    use crate::lab::swap::SwapPlay;
    let mut lab = with_nodes();
    lab.update(Message::BetweenFromPicked(Party::You));
    lab.update(Message::BetweenToPicked(Party::Node("Alice".into())));
    lab.update(Message::BetweenSatChanged("100000".into()));
    // The lab node comes first: it is the counterparty, the wallet the other end.
    assert_eq!(press_on(&mut lab, &fl!("lab-swap-to-chain")), None);
    assert!(shows(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-swap-pick")
    ));
    lab.update(Message::BetweenFromPicked(Party::Node("Alice".into())));
    lab.update(Message::BetweenToPicked(Party::You));
    assert_eq!(
        press_on(&mut lab, &fl!("lab-swap-unpaid")),
        Some(Action::Swap {
            node: "Alice".into(),
            play: SwapPlay::ToLightningUnpaid,
            amount_sat: 100_000
        })
    );
    let hash = "ab".repeat(32);
    lab.swaps_read(vec![SwapRecord {
        payment_hash: hash.clone(),
        direction: SwapDirection::ToLightning,
        amount_sat: 100_000,
        key_index: 0,
        counterparty_key: crate::lab::samples::ALICE_ID.into(),
        refund_height: HEIGHT + 20,
        preimage: None,
        htlc_address: "bcrt1qexample".into(),
        funding_txid: Some("cd".repeat(32)),
        state: SwapState::Funded,
        created_at: 1,
        spend_fee_rate_sat_vb: Some(2),
    }]);
    lab.finished(Ok(Done::Swapped {
        node: "Alice".into(),
        play: SwapPlay::ToLightningUnpaid,
        payment_hash: hash.clone(),
    }));
    // The page opens on the swap just made: the one hash, both ways out of the HTLC, and
    // the refund's block one press away.
    let page = || lab.view(Some(URL.into()), &NONE, HEIGHT);
    assert!(shows(page(), &hash));
    assert!(shows(page(), &fl!("swap-state-funded")));
    let refund = fl!(
        "swap-refund-at",
        height = (HEIGHT + 20).to_string(),
        blocks = "20"
    );
    let who = fl!("swap-key-yours");
    assert!(shows(
        page(),
        &fl!("swap-path-refund", who = who, when = refund)
    ));
    let mine = fl!(
        "lab-mine-to",
        height = (HEIGHT + 20).to_string(),
        blocks = "20"
    );
    assert_eq!(press_on(&mut lab, &mine), Some(Action::MineTo(HEIGHT + 20)));
    lab.finished(Ok(Done::Mined(u64::from(HEIGHT + 20))));
    for m in click(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-swap-back"),
    ) {
        lab.update(m);
    }
    assert!(shows(
        lab.view(Some(URL.into()), &NONE, HEIGHT),
        &fl!("lab-swaps-title")
    ));
}

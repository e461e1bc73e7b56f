//! The channel list and detail screens over a made-up set of channels (`iced_test` simulator):
//! bars and totals, status words, the explanation of what protects the money, HTLCs, the claim
//! timeline, the force-close warning, the open form, and the same screens in Simplified Chinese.
//!
//! The language is process-wide, so the tests of this file take turns.

use std::sync::Mutex;

use shandian::core::lightning::channels::samples::{active, force_closing, HEIGHT};
use shandian::core::lightning::channels::{Channel, ChannelsOverview, FeePolicy};
use shandian::core::Language;
use shandian::fl;
use shandian::ui::i18n::set_language;
use shandian::ui::screen::channels::{
    Action, BackupGate, ChannelsScreen, Message, OpenMessage, CAPACITY_INPUT, FEE_PPM_INPUT,
    URI_INPUT,
};
use shandian::ui::testing::{click, find_text, shows, type_into};

static LANGUAGE: Mutex<()> = Mutex::new(());

use shandian::core::lightning::channels::samples::PEER_A;
const SPENDABLE: u64 = 5_000_000;
/// A working channel backup, unless a test says otherwise.
const GATE: BackupGate = BackupGate::Working;

fn screen() -> ChannelsScreen {
    let mut s = ChannelsScreen::default();
    s.set_overview(ChannelsOverview {
        channels: vec![active(), force_closing()],
        height: HEIGHT,
    });
    s
}

/// Clicks `label` and feeds the messages back; returns the last action asked for.
fn press(s: &mut ChannelsScreen, label: &str) -> Option<Action> {
    let mut action = None;
    for m in click(s.view(Some(2), GATE), label) {
        action = s.update(m, SPENDABLE, GATE).or(action);
    }
    action
}

fn open_detail(s: &mut ChannelsScreen, id: &str) {
    assert!(s
        .update(Message::ChannelSelected(id.into()), SPENDABLE, GATE)
        .is_none());
}

#[test]
fn list_shows_totals_states_and_what_each_channel_can_do() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::English);
    let s = screen();
    // Totals count active channels only.
    assert!(shows(s.view(Some(2), GATE), "639,340 sat"));
    assert!(shows(s.view(Some(2), GATE), "290,000 sat"));
    assert!(shows(s.view(Some(2), GATE), &fl!("ch-status-active")));
    assert!(shows(
        s.view(Some(2), GATE),
        &fl!("ch-status-force-closing")
    ));
    assert!(shows(
        s.view(Some(2), GATE),
        &fl!("ch-row-send", amount = "639,340 sat")
    ));
    assert!(shows(
        s.view(Some(2), GATE),
        &fl!("ch-row-receive", amount = "290,000 sat")
    ));
    assert!(shows(s.view(Some(2), GATE), &fl!("ch-reason-force-us")));
    assert!(shows(
        s.view(Some(2), GATE),
        &fl!("ch-row-returning", amount = "400,000 sat")
    ));
}

#[test]
fn detail_explains_reserves_delay_and_htlcs_with_every_part() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::English);
    let mut s = screen();
    // The first "Details" button is the active channel's.
    press(&mut s, &fl!("ch-details"));
    let v = || s.view(Some(2), GATE);
    assert!(shows(v(), &fl!("ch-status-active")));
    assert!(shows(
        v(),
        &fl!(
            "ch-explain-revocation",
            theirs = "300,000 sat",
            reserve = "10,000 sat"
        )
    ));
    assert!(shows(
        v(),
        &fl!("ch-explain-csv", delay = "144 blocks (about 24 h)")
    ));
    assert!(shows(v(), &fl!("ch-peer-reserve-help")));
    assert!(shows(v(), &fl!("ch-explain-htlc")));
    // The legend names every part of the commitment transaction with its amount, each side's
    // output with what can move now and its floor, and the total, which is the capacity.
    for (label, amount) in [
        (fl!("part-ours"), "649,013 sat"),
        (fl!("part-htlc-out"), "50,000 sat"),
        (fl!("part-theirs"), "300,000 sat"),
        (fl!("part-anchors"), "660 sat"),
        (fl!("part-commitment-fee"), "327 sat"),
        (fl!("part-total"), "1,000,000 sat"),
    ] {
        assert!(shows(v(), &label), "{label}");
        assert!(shows(v(), amount), "{amount}");
    }
    assert!(shows(
        v(),
        &fl!(
            "part-ours-detail",
            spendable = "639,340 sat",
            reserve = "10,000 sat"
        )
    ));
    assert!(shows(
        v(),
        &fl!(
            "part-theirs-detail",
            spendable = "290,000 sat",
            reserve = "10,000 sat"
        )
    ));
    assert!(
        !shows(v(), &fl!("part-htlc-in")),
        "empty parts are not listed"
    );
    assert!(shows(v(), "103x1x0"));
}

#[test]
fn detail_says_what_is_at_stake_in_dust_and_a_refused_payment() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::English);
    let mut s = screen();
    press(&mut s, &fl!("ch-details"));
    // The sample channel: ours, at 253 sat/kW, with Shandian's limit of 100,000 sat.
    assert!(shows(
        s.view(Some(2), GATE),
        &format!("1.0 sat/vB · {}", fl!("ch-feerate-by-us"))
    ));
    assert!(shows(s.view(Some(2), GATE), "100,000 sat"));
    assert!(shows(s.view(Some(2), GATE), &fl!("ch-dust-help")));
    assert!(find_text(s.view(Some(2), GATE), |t| t
        .contains("this channel refused"))
    .is_none());

    // A peer's channel at 45,000 sat/kW that refused a payment to us.
    let mut c = active();
    c.opened_by_us = false;
    c.commitment_feerate_sat_per_kw = 45_000;
    c.refused_incoming = Some(shandian::core::lightning::ldk_log::IncomingRefusal {
        at: 1_800_000_000,
        exposure_sat: 55_571,
        limit_sat: 100_000,
    });
    s.set_overview(ChannelsOverview {
        channels: vec![c],
        height: HEIGHT,
    });
    let v = || s.view(Some(2), GATE);
    assert!(shows(
        v(),
        &format!("180.0 sat/vB · {}", fl!("ch-feerate-by-peer"))
    ));
    assert!(shows(
        v(),
        &fl!(
            "ch-dust-refused",
            time = shandian::ui::format::datetime(1_800_000_000),
            exposure = "55,571 sat",
            limit = "100,000 sat"
        )
    ));
}

#[test]
fn force_close_names_the_delay_before_anything_happens() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::English);
    let mut s = screen();
    open_detail(&mut s, "1");
    assert!(press(&mut s, &fl!("ch-force-close")).is_none());
    let warning = fl!(
        "ch-force-warning",
        delay = "144 blocks (about 24 h)",
        amount = "649,013 sat"
    );
    assert!(shows(s.view(Some(2), GATE), &warning));
    // Cancel leaves the channel alone.
    assert!(press(&mut s, &fl!("button-cancel")).is_none());
    assert!(!shows(s.view(Some(2), GATE), &warning));
    press(&mut s, &fl!("ch-force-close"));
    match press(&mut s, &fl!("ch-force-confirm")) {
        Some(Action::Close { id, force: true }) => assert_eq!(id, "1"),
        other => panic!("expected a force close, got {other:?}"),
    }
    // A cooperative close is one click.
    let mut s = screen();
    open_detail(&mut s, "1");
    assert!(matches!(
        press(&mut s, &fl!("ch-close")),
        Some(Action::Close { force: false, .. })
    ));
}

/// A channel restored from a backup that has not met its peer since: the force-close warning
/// says what an old state costs, and only words that accept the risk close it.
#[test]
fn force_close_of_an_unproven_channel_names_the_risk() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::English);
    let mut s = ChannelsScreen::default();
    s.set_overview(ChannelsOverview {
        channels: vec![Channel {
            unproven: true,
            ..active()
        }],
        height: HEIGHT,
    });
    open_detail(&mut s, "1");
    press(&mut s, &fl!("ch-force-close"));
    assert!(shows(
        s.view(Some(2), GATE),
        &fl!("ch-force-unproven-warning")
    ));
    assert!(!shows(s.view(Some(2), GATE), &fl!("ch-force-confirm")));
    match press(&mut s, &fl!("ch-force-unproven-confirm")) {
        Some(Action::ForceCloseUnproven { id }) => assert_eq!(id, "1"),
        other => panic!("expected the force close with the risk accepted, got {other:?}"),
    }
}

#[test]
fn closed_channel_shows_its_claim_timeline() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::English);
    let mut s = screen();
    open_detail(&mut s, "2");
    let v = || s.view(Some(2), GATE);
    assert!(shows(v(), &fl!("ch-explain-force-closing")));
    let csv = fl!(
        "ch-claim-csv",
        amount = "380,000 sat",
        when = fl!("ch-claim-at", height = "250", left = "130")
    );
    assert!(shows(v(), &format!("• {csv}")));
    let htlc = fl!(
        "ch-claim-htlc-timeout",
        amount = "20,000 sat",
        when = fl!("ch-claim-at", height = "160", left = "40")
    );
    assert!(shows(v(), &format!("• {htlc}")));
    assert!(shows(
        v(),
        &fl!("ch-htlc-expiry", height = "160", left = "40")
    ));
    // Nothing to close or set on a closed channel.
    assert!(!shows(v(), &fl!("ch-force-close")));
    assert!(!shows(v(), &fl!("ch-fees-save")));
}

#[test]
fn fee_policy_is_checked_and_saved() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::English);
    let mut s = screen();
    open_detail(&mut s, "1");
    type_into(
        &mut s,
        |s| s.view(Some(2), GATE),
        |s, m| {
            s.update(m, SPENDABLE, GATE);
        },
        FEE_PPM_INPUT.into(),
        "x",
    );
    assert!(press(&mut s, &fl!("ch-fees-save")).is_none());
    assert!(shows(s.view(Some(2), GATE), &fl!("err-fee-policy")));
    s.update(Message::FeePpmChanged("250".into()), SPENDABLE, GATE);
    match press(&mut s, &fl!("ch-fees-save")) {
        Some(Action::SetFees { id, policy }) => {
            assert_eq!(id, "1");
            assert_eq!(
                policy,
                FeePolicy {
                    base_msat: 1000,
                    ppm: 250,
                    cltv_delta: 72
                }
            );
        }
        other => panic!("expected new fees, got {other:?}"),
    }
}

#[test]
fn open_form_refuses_bad_input_and_confirms_good_input() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::English);
    let mut s = screen();
    press(&mut s, &fl!("open-show"));
    let mut update = |s: &mut ChannelsScreen, m| {
        s.update(m, SPENDABLE, GATE);
    };
    type_into(
        &mut s,
        |s| s.view(Some(2), GATE),
        &mut update,
        URI_INPUT.into(),
        "02abc@1.2.3.4:9735",
    );
    type_into(
        &mut s,
        |s| s.view(Some(2), GATE),
        &mut update,
        CAPACITY_INPUT.into(),
        "500000",
    );
    assert!(press(&mut s, &fl!("open-review")).is_none());
    assert!(shows(s.view(Some(2), GATE), &fl!("err-uri-node-id")));

    s.update(
        Message::Open(OpenMessage::UriChanged(format!("{PEER_A}@127.0.0.1:9735"))),
        SPENDABLE,
        GATE,
    );
    s.update(
        Message::Open(OpenMessage::CapacityChanged("6000000".into())),
        SPENDABLE,
        GATE,
    );
    press(&mut s, &fl!("open-review"));
    assert!(shows(
        s.view(Some(2), GATE),
        &fl!("err-channel-above-spendable", spendable = "5,000,000 sat")
    ));

    s.update(
        Message::Open(OpenMessage::CapacityChanged("500000".into())),
        SPENDABLE,
        GATE,
    );
    press(&mut s, &fl!("open-review"));
    // The confirm step names the estimated on-chain fee (154 vB at 2 sat/vB).
    assert!(shows(
        s.view(Some(2), GATE),
        &fl!("open-fee-estimate", fee = "308 sat", rate = 2)
    ));
    match press(&mut s, &fl!("open-confirm")) {
        Some(Action::Open(req)) => {
            assert_eq!(req.capacity_sat, 500_000);
            assert_eq!(req.peer.node_id.to_string(), PEER_A);
        }
        other => panic!("expected an open, got {other:?}"),
    }
}

/// Clicks `label` on a screen whose backup is in state `gate`; returns the last action.
fn press_with(s: &mut ChannelsScreen, gate: BackupGate, label: &str) -> Option<Action> {
    let mut action = None;
    for m in click(s.view(Some(2), gate), label) {
        action = s.update(m, SPENDABLE, gate).or(action);
    }
    action
}

#[test]
fn open_asks_for_a_backup_first_and_only_regtest_may_skip_it() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::English);
    for may_skip in [false, true] {
        let gate = BackupGate::Missing { may_skip };
        let mut s = screen();
        press_with(&mut s, gate, &fl!("open-show"));
        s.update(
            Message::Open(OpenMessage::UriChanged(format!("{PEER_A}@127.0.0.1:9735"))),
            SPENDABLE,
            gate,
        );
        s.update(
            Message::Open(OpenMessage::CapacityChanged("500000".into())),
            SPENDABLE,
            gate,
        );
        press_with(&mut s, gate, &fl!("open-review"));
        assert!(shows(s.view(Some(2), gate), &fl!("open-backup-first")));
        // The open button does nothing yet; the backup button asks for the folder chooser.
        assert!(press_with(&mut s, gate, &fl!("open-confirm")).is_none());
        assert!(matches!(
            press_with(&mut s, gate, &fl!("backup-choose-folder")),
            Some(Action::ChooseBackup)
        ));
        // A confirm that arrives anyway is refused with a sentence.
        assert!(s
            .update(Message::Open(OpenMessage::ConfirmPressed), SPENDABLE, gate)
            .is_none());
        assert!(shows(s.view(Some(2), gate), &fl!("open-needs-backup")));
        assert_eq!(
            shows(s.view(Some(2), gate), &fl!("open-skip-backup")),
            may_skip
        );
        if may_skip {
            press_with(&mut s, gate, &fl!("open-skip-backup"));
            assert!(matches!(
                press_with(&mut s, gate, &fl!("open-confirm")),
                Some(Action::Open(_))
            ));
        }
    }
}

#[test]
fn the_same_screens_in_simplified_chinese() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::SimplifiedChinese);
    let mut s = screen();
    let list_ok = shows(s.view(Some(2), GATE), "活跃")
        && shows(s.view(Some(2), GATE), "强制关闭中")
        && shows(s.view(Some(2), GATE), "还剩 130 个区块（约 21 小时）")
        && shows(s.view(Some(2), GATE), "可发送 639,340 聪");
    open_detail(&mut s, "1");
    let detail_ok = shows(
        s.view(Some(2), GATE),
        "如果对方广播旧状态，你的惩罚交易拿走的就是这笔储备金。",
    ) && shows(s.view(Some(2), GATE), "你的输出");
    press(&mut s, "强制关闭…");
    let warning_ok = find_text(s.view(Some(2), GATE), |t| {
        t.contains("144 个区块（约 24 小时）")
    })
    .is_some();
    set_language(Language::English);
    assert!(list_ok, "the list is in Chinese");
    assert!(detail_ok, "the detail is in Chinese");
    assert!(
        warning_ok,
        "the force-close warning names the delay in Chinese"
    );
}

/// Escape cancels the force-close warning first, then leaves the channel's page, as the
/// buttons shown there do; on the list it does nothing.
#[test]
fn escape_steps_back_like_the_buttons() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::English);
    let mut s = screen();
    assert!(s.escape().is_none());
    open_detail(&mut s, &active().id);
    press(&mut s, &fl!("ch-force-close"));
    assert!(shows(s.view(Some(2), GATE), &fl!("ch-force-confirm")));
    let escape = s.escape().expect("escape on the warning");
    assert!(matches!(escape, Message::ForceCloseCancelled));
    s.update(escape, SPENDABLE, GATE);
    assert!(!shows(s.view(Some(2), GATE), &fl!("ch-force-confirm")));
    let escape = s.escape().expect("escape on the channel's page");
    assert!(matches!(escape, Message::BackPressed));
    s.update(escape, SPENDABLE, GATE);
    assert!(s.escape().is_none(), "back on the list");
}

/// With no channel, the screen says why one is worth opening and offers both ways: a peer (the
/// form) or an LSP, which Settings sets or Receive uses.
#[test]
fn no_channel_explains_why_and_offers_a_peer_or_an_lsp() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::English);
    let mut s = ChannelsScreen::default();
    assert!(shows(s.view(Some(2), GATE), &fl!("ch-empty-why")));
    assert!(shows(s.view(Some(2), GATE), &fl!("open-show")));
    assert!(matches!(
        press(&mut s, &fl!("ch-empty-lsp-choose")),
        Some(Action::ShowSettings)
    ));
    s.set_lsp(Some("lsp.example:9735".into()));
    assert!(shows(
        s.view(Some(2), GATE),
        &fl!("ch-empty-lsp-set", lsp = "lsp.example:9735")
    ));
    assert!(matches!(
        press(&mut s, &fl!("ch-empty-lsp-receive")),
        Some(Action::ShowReceive)
    ));
    // Once a channel exists the list takes the place of the explanation.
    let s = screen();
    assert!(!shows(s.view(Some(2), GATE), &fl!("ch-empty-why")));
}

/// Waiting is drawn as progress: an opening channel's confirmations, a force close's CSV delay
/// with the blocks and hours still to go.
#[test]
fn waits_show_as_progress() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::English);
    let mut opening = active();
    opening.status = shandian::core::lightning::channels::ChannelStatus::Opening {
        confirmations: 2,
        required: Some(6),
    };
    let mut s = ChannelsScreen::default();
    s.set_overview(ChannelsOverview {
        channels: vec![opening, force_closing()],
        height: HEIGHT,
    });
    assert!(shows(
        s.view(Some(2), GATE),
        &fl!("progress-confirmations", n = "2", required = "6")
    ));
    assert!(shows(
        s.view(Some(2), GATE),
        &fl!("progress-wait", left = shandian::ui::format::blocks(130))
    ));
}

//! The Lab panel in Simplified Chinese (`iced_test` simulator): its timelocks, and its lab nodes
//! with their channels, kept state and fault buttons.
//!
//! The language is process-wide, so the tests of this file take turns.

use std::sync::Mutex;

use shandian::core::lightning::channels::samples::{active, force_closing, HEIGHT};
use shandian::core::lightning::channels::ChannelsOverview;
use shandian::core::Language;
use shandian::lab::{Fault, FaultDone};
use shandian::ui::i18n::set_language;
use shandian::ui::screen::lab::{Action, Done, LabScreen};
use shandian::ui::testing::{click, find_text, shows};

static LANGUAGE: Mutex<()> = Mutex::new(());

#[test]
fn the_lab_timelocks_in_simplified_chinese() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::SimplifiedChinese);
    let overview = ChannelsOverview {
        channels: vec![active(), force_closing()],
        height: HEIGHT,
    };
    let lab = LabScreen::default();
    let v = || lab.view(Some("tcp://127.0.0.1:1".into()), &overview, HEIGHT);
    let ok = shows(v(), "你的通道中的时间锁")
        && shows(v(), &format!("挖到 {}（40 个区块）", HEIGHT + 40))
        && find_text(v(), |t| t.starts_with("CSV（相对时间锁）")).is_some();
    set_language(Language::English);
    assert!(ok, "the Lab's timelocks are drawn in Chinese");
}

#[test]
fn the_lab_nodes_and_faults_in_simplified_chinese() {
    let _l = LANGUAGE.lock().unwrap_or_else(|p| p.into_inner());
    set_language(Language::SimplifiedChinese);
    let mut lab = LabScreen::default();
    lab.nodes_read(shandian::lab::samples::nodes());
    let url = || Some("tcp://127.0.0.1:1".to_string());
    let none = ChannelsOverview::default();
    let drawn = shows(
        lab.view(url(), &none, HEIGHT),
        "Alice · 在线 · 链上 4,998,800 聪",
    ) && shows(
        lab.view(url(), &none, HEIGHT),
        "Alice ↔ 你：Alice 拥有 1,000,000 聪中的 150,000 聪（活跃）",
    ) && find_text(lab.view(url(), &none, HEIGHT), |t| {
        t.contains("保存的状态：那时 Alice 拥有 90,000 聪，现在拥有 150,000 聪")
    })
    .is_some()
        && shows(lab.view(url(), &none, HEIGHT), "Bob · 离线");
    let mut breach = None;
    for m in click(lab.view(url(), &none, HEIGHT), "违约") {
        breach = lab.update(m).or(breach);
    }
    lab.finished(Ok(Done::Fault(
        "Alice".into(),
        FaultDone::Breached(vec![shandian::lab::samples::CHANNEL_ID.into()]),
    )));
    let told = find_text(lab.view(url(), &none, HEIGHT), |t| {
        t.starts_with("Alice 广播了一笔已作废的承诺交易：这是违约。")
    })
    .is_some();
    let mut back = None;
    for m in click(lab.view(url(), &none, HEIGHT), "恢复上线") {
        back = lab.update(m).or(back);
    }
    set_language(Language::English);
    assert!(drawn, "the lab nodes are drawn in Chinese");
    assert_eq!(breach, Some(Action::Fault("Alice".into(), Fault::Breach)));
    assert!(told, "the breach is explained in Chinese");
    assert_eq!(back, Some(Action::Fault("Bob".into(), Fault::ComeBack)));
}

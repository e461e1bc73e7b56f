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
    for m in click(lab.view(Some(URL.into()), None, &t, HEIGHT), label) {
        action = lab.update(m).or(action);
    }
    action
}

#[test]
fn timelocks_are_named_with_their_mechanism_and_mined_to() {
    let mut lab = Lab::default();
    let t = timelocks();
    let v = || lab.view(Some(URL.into()), None, &t, HEIGHT);
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
        lab.view(Some(URL.into()), None, &[], HEIGHT),
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
        |l| l.view(Some(URL.into()), None, &t, HEIGHT),
        |l, m| assert!(l.update(m).is_none()),
        iced::widget::Id::new(BLOCKS_INPUT),
        "25",
    );
    assert_eq!(press(&mut lab, &fl!("lab-mine-n")), Some(Action::Mine(25)));
    lab.finished(Ok(Done::Mined(145)));
    lab.update(Message::BlocksChanged("5000".into()));
    assert_eq!(press(&mut lab, &fl!("lab-mine-n")), None);
    assert!(shows(
        lab.view(Some(URL.into()), None, &t, HEIGHT),
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

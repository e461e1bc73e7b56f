use super::*;
use crate::ui::testing::{click, shows, type_into};

/// Clicks `label`; a server check it asks for is answered "it answers" (the real check, against
/// real servers, is in `tests/ui_onboarding.rs`).
fn step(ob: &mut Onboarding, label: &str) -> Option<Finished> {
    let mut done = None;
    for m in click(ob.view(), label) {
        match ob.update(m) {
            Some(Action::Create(f)) => done = Some(f),
            Some(Action::CheckServer(_)) => {
                assert!(ob.update(Message::ServerChecked(Ok(()))).is_none());
            }
            _ => {}
        }
    }
    done
}

fn type_text(ob: &mut Onboarding, id: iced::widget::Id, text: &str) {
    type_into(
        ob,
        |o| o.view(),
        |o, m| {
            assert!(o.update(m).is_none());
        },
        id,
        text,
    );
}

#[test]
fn create_shows_words_checks_three_and_finishes() {
    let mut ob = Onboarding::new(Network::Regtest, None, true);
    assert!(shows(ob.view(), &fl!("onboard-welcome")));
    assert!(step(&mut ob, &fl!("onboard-create")).is_none());

    let Step::ShowWords(mnemonic) = &ob.step else {
        panic!("words not shown: {:?}", ob.step);
    };
    let mnemonic = mnemonic.clone();
    let first = mnemonic.words().next().unwrap();
    assert!(shows(ob.view(), &format!(" 1. {first}")));

    assert!(step(&mut ob, &fl!("onboard-words-done")).is_none());
    let Step::Quiz { positions, .. } = &ob.step else {
        panic!("no quiz: {:?}", ob.step);
    };
    let positions = positions.clone();
    assert_eq!(positions.len(), 3);
    let words: Vec<&str> = mnemonic.words().collect();

    // A wrong word is refused with a sentence naming its position.
    type_text(&mut ob, quiz_input_id(0), "wrong");
    assert!(step(&mut ob, &fl!("onboard-quiz-confirm")).is_none());
    let wrong = fl!(
        "onboard-quiz-wrong",
        position = (positions[0] + 1).to_string()
    );
    assert!(shows(ob.view(), &wrong));

    // Clear it and type the right words.
    ob.update(Message::QuizChanged(0, String::new().into()));
    for (i, p) in positions.iter().enumerate() {
        type_text(&mut ob, quiz_input_id(i), words[*p]);
    }
    let done = step(&mut ob, &fl!("onboard-quiz-confirm")).expect("finished");
    assert_eq!(done.mnemonic, mnemonic);
    assert_eq!(done.network, Network::Regtest);
    assert_eq!(
        done.electrum_url, None,
        "regtest without a server uses the local chain"
    );
}

#[test]
fn restore_explains_bad_words() {
    let mut ob = Onboarding::new(Network::Signet, None, true);
    step(&mut ob, &fl!("onboard-restore"));
    type_text(&mut ob, RESTORE_INPUT.into(), "abandon abandon");
    step(&mut ob, &fl!("onboard-restore-confirm"));
    assert!(shows(ob.view(), &fl!("err-seed-count", count = "2")));

    let bad_sum = "abandon abandon abandon abandon abandon abandon abandon abandon abandon \
                   abandon abandon zoo";
    ob.update(Message::RestoreChanged(bad_sum.to_string().into()));
    step(&mut ob, &fl!("onboard-restore-confirm"));
    assert!(shows(ob.view(), &fl!("err-seed-checksum")));

    // Typed words never show in debug output (log lines), neither in the screen's state nor
    // in its messages; once restored, the screen keeps no words.
    let typed = Message::RestoreChanged(bad_sum.replace("zoo", "about").into());
    assert!(!format!("{typed:?}").contains("abandon"));
    ob.update(typed);
    assert!(!format!("{ob:?}").contains("abandon"));
    let done = step(&mut ob, &fl!("onboard-restore-confirm")).expect("restored");
    assert!(matches!(ob.step, Step::Welcome));
    assert!(!format!("{done:?}").contains("abandon"));
    assert_eq!(done.restore_from, None);
    assert_eq!(done.network, Network::Signet);
    assert_eq!(
        done.electrum_url.as_deref(),
        Network::Signet.default_electrum_url()
    );
}

#[test]
fn a_bad_server_address_stops_onboarding_with_a_sentence() {
    let mut ob = Onboarding::new(Network::Mainnet, Some("localhost:50001".into()), true);
    step(&mut ob, &fl!("onboard-create"));
    assert!(matches!(ob.step, Step::Welcome));
    assert!(shows(
        ob.view(),
        &fl!("err-bad-electrum", url = "localhost:50001")
    ));
}

/// Without the Lab's tools, regtest's local chain says what brings them and shows no words;
/// a server that does not answer is said on the first screen, with no words either.
#[test]
fn nothing_unusable_shows_words() {
    let mut ob = Onboarding::new(Network::Regtest, None, false);
    assert!(shows(ob.view(), &fl!("onboard-regtest-unavailable")));
    assert!(step(&mut ob, &fl!("onboard-create")).is_none());
    assert!(matches!(ob.step, Step::Welcome));

    let mut ob = Onboarding::new(Network::Mainnet, None, false);
    assert!(shows(ob.view(), &fl!("onboard-about-mainnet")));
    let asked = click(ob.view(), &fl!("onboard-create"))
        .into_iter()
        .filter_map(|m| ob.update(m))
        .collect::<Vec<_>>();
    assert!(
        matches!(asked.as_slice(), [Action::CheckServer(url)] if url == "ssl://electrum.blockstream.info:50002")
    );
    let url = Network::Mainnet.default_electrum_url().unwrap();
    assert!(shows(ob.view(), &fl!("onboard-checking-server", url = url)));
    assert!(ob
        .update(Message::ServerChecked(Err("connection refused".into())))
        .is_none());
    assert!(matches!(ob.step, Step::Welcome));
    assert!(shows(
        ob.view(),
        &fl!(
            "onboard-server-unreachable",
            url = url,
            reason = "connection refused"
        )
    ));
}

/// The channels can come back from a VSS server: its address is checked before anything, and
/// the restore takes it.
#[test]
fn restore_from_a_backup_server() {
    let mut ob = Onboarding::new(Network::Signet, None, true);
    step(&mut ob, &fl!("onboard-restore"));
    type_text(
        &mut ob,
        RESTORE_SERVER_INPUT.into(),
        "http://vss.example.com/vss",
    );
    step(&mut ob, &fl!("onboard-restore-server-use"));
    assert!(shows(
        ob.view(),
        &fl!("err-backup-server-url", url = "http://vss.example.com/vss")
    ));
    ob.update(Message::RestoreServerChanged(
        "https://vss.example.com/vss/".into(),
    ));
    step(&mut ob, &fl!("onboard-restore-server-use"));
    assert!(shows(
        ob.view(),
        &fl!(
            "onboard-restore-backup-chosen",
            folder = "https://vss.example.com/vss"
        )
    ));
    let words = "abandon abandon abandon abandon abandon abandon abandon abandon abandon \
                 abandon abandon about";
    ob.update(Message::RestoreChanged(words.to_string().into()));
    let done = step(&mut ob, &fl!("onboard-restore-confirm")).expect("restored");
    assert_eq!(
        done.restore_from,
        Some(BackupPlace::Server {
            server: "https://vss.example.com/vss".into()
        })
    );
}

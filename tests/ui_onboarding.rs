//! The whole app, driven as a person would through `iced_test`: on its embedded default (regtest
//! with the local chain it starts itself), onboarding creates a wallet (words shown, three typed
//! back), the real node starts with the real keyring, Home's first steps lead to the Lab, which
//! funds it, and the home screen shows the balance; then the window closes and node and chain stop.

mod common;

use common::*;
use shandian::core::keys::secrets::Keyring;
use shandian::core::Network;
use shandian::fl;
use shandian::ui::screen::onboarding;
use shandian::ui::testing::{click, drive, find_text, shows, type_into};
use shandian::ui::{App, Message, Startup};

fn press(app: &mut App, label: &str) -> Vec<Message> {
    click(app.view(), label)
}

/// The app started as `main` starts it, on a fresh data root; `lab_tools`: whether the Lab's
/// tools were found.
async fn started(
    root: shandian::core::store::dirs::DataRoot,
    network: Option<Network>,
    lab_tools: bool,
) -> App {
    let (mut app, boot) = App::new(Startup {
        root,
        network,
        lab_tools,
        electrum: None,
        first_tab: None,
        keyring: Keyring::Os,
        window: shandian::core::store::window::WindowPlace::DEFAULT,
    });
    with_timeout("start-up", drive(boot, |m| app.update(m))).await;
    app
}

/// Applies the messages and runs every task they start, failing (not hanging) after `WAIT`.
async fn run(app: &mut App, messages: Vec<Message>) {
    for m in messages {
        let what = format!("the tasks started by {m:?}");
        let task = app.update(m);
        with_timeout(&what, drive(task, |m| app.update(m))).await;
    }
}

#[test]
fn ui_onboarding_create_to_home_on_regtest() {
    common::run(async {
        let (_tmp, root, dir) = temp_root();
        let mut app = started(root, None, true).await;
        assert!(shows(app.view(), &fl!("onboard-welcome")));

        let m = press(&mut app, &fl!("onboard-create"));
        run(&mut app, m).await;

        // Read the twelve words off the screen, as a person copies them to paper.
        let words: Vec<String> = (1..=12)
            .map(|n| {
                let prefix = format!("{n:>2}. ");
                let line = find_text(app.view(), |t| t.starts_with(&prefix))
                    .unwrap_or_else(|| panic!("word {n} not shown"));
                line[prefix.len()..].to_string()
            })
            .collect();

        let m = press(&mut app, &fl!("onboard-words-done"));
        run(&mut app, m).await;

        // Which positions are asked is on screen too.
        let asked: Vec<usize> = (1..=12)
            .filter(|n| {
                shows(
                    app.view(),
                    &fl!("onboard-quiz-word", position = n.to_string()),
                )
            })
            .collect();
        assert_eq!(asked.len(), 3);
        for (i, n) in asked.iter().enumerate() {
            type_into(
                &mut app,
                |a| a.view(),
                |a, m| drop(a.update(m)),
                iced::widget::Id::from(format!("onboard-quiz-{i}")),
                &words[n - 1],
            );
        }
        let m = press(&mut app, &fl!("onboard-quiz-confirm"));
        run(&mut app, m).await;

        // Home, with the node id recorded for this folder and a zero balance.
        let meta = dir.load_wallet().unwrap().expect("wallet recorded");
        let node_id = meta.node_id.expect("node id recorded");
        assert!(
            shows(app.view(), &fl!("home-onchain")),
            "not on the home screen"
        );
        assert!(shows(app.view(), &node_id));
        assert!(shows(app.view(), &shandian::ui::format::sat(0)));

        // The phrase in the keyring is the one shown.
        let stored = Keyring::Os
            .load_mnemonic(&dir.load_wallet().unwrap().unwrap())
            .unwrap();
        assert_eq!(stored.to_string(), words.join(" "));

        // A new wallet's Home says where its first coins come from on this chain: the Lab,
        // one press away. The Lab funds the wallet; the home screen shows it.
        assert!(shows(app.view(), &fl!("home-start-lab-title")));
        let m = press(&mut app, &fl!("home-start-lab-button"));
        run(&mut app, m).await;
        let m = press(&mut app, &fl!("lab-fund"));
        run(&mut app, m).await;
        // The Lab also funded its peer node on first start, so the height is not fixed: the
        // panel must report the chain's new height in its sentence.
        let mined = find_text(app.view(), |t| {
            let digits: String = t.chars().filter(char::is_ascii_digit).collect();
            digits
                .parse::<u64>()
                .is_ok_and(|h| h >= 102 && t == fl!("lab-mined", height = h))
        });
        assert!(mined.is_some(), "the panel reports the new height");
        let m = press(&mut app, &fl!("nav-home"));
        run(&mut app, m).await;
        // Usually the panel's own sync already shows it; rarely the new block is not in the first
        // answer, and a person would press "Sync now".
        let funded = shandian::ui::format::sat(5_000_000_000);
        with_timeout("the funded balance on the home screen", async {
            while !shows(app.view(), &funded) {
                let m = press(&mut app, &fl!("home-sync-now"));
                run(&mut app, m).await;
            }
        })
        .await;

        // Money arrived: the first steps are done.
        assert!(!shows(app.view(), &fl!("home-start-lab-title")));

        // And it is in the activity list.
        let m = press(&mut app, &fl!("nav-activity"));
        run(&mut app, m).await;
        assert!(shows(app.view(), &fl!("activity-in")));

        // Closing the window stops the node before exiting.
        run(&mut app, vec![Message::CloseRequested]).await;
        assert!(shows(app.view(), &fl!("stopping")));
    })
}

/// The app as a package installs it without the Lab: no regtest tools. It starts on mainnet
/// (the network a person installing a wallet most likely wants) with a sentence on what that
/// network is and what its server learns; regtest is shown as unavailable with what brings it,
/// and never shows the words of a wallet it could not start. With a server of its own (the
/// test's electrs), regtest goes on to the words.
#[test]
fn ui_onboarding_without_lab_tools() {
    common::run(async {
        let (_tmp, root, _dir) = temp_root();
        let mut app = started(root, None, false).await;
        assert!(shows(app.view(), &fl!("onboard-about-mainnet")));

        run(&mut app, vec![choose(Network::Regtest)]).await;
        assert!(shows(app.view(), &fl!("onboard-regtest-unavailable")));
        let m = press(&mut app, &fl!("onboard-create"));
        assert!(m.is_empty(), "Create is not offered for the local chain");
        assert!(!shows(app.view(), &fl!("onboard-words-title")));

        // Regtest on a server of one's own: checked, then the words.
        let chain = start_chain().await;
        type_into(
            &mut app,
            |a| a.view(),
            |a, m| drop(a.update(m)),
            onboarding::ELECTRUM_INPUT.into(),
            &chain.electrum_url(),
        );
        assert!(!shows(app.view(), &fl!("onboard-regtest-unavailable")));
        let m = press(&mut app, &fl!("onboard-create"));
        run(&mut app, m).await;
        assert!(shows(app.view(), &fl!("onboard-words-title")));
        assert!(find_text(app.view(), |t| t.starts_with(" 1. ")).is_some());
    })
}

/// A server that refuses the connection: the sentence is on the first screen, with what to do
/// there, and no words are shown.
#[test]
fn ui_onboarding_server_unreachable() {
    common::run(async {
        let (_tmp, root, _dir) = temp_root();
        let mut app = started(root, Some(Network::Signet), false).await;
        // Nothing listens on this port.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("tcp://{}", listener.local_addr().unwrap());
        drop(listener);
        // The server field, edited to that address (as selecting its text and typing does).
        drop(
            app.update(Message::Onboarding(onboarding::Message::ElectrumChanged(
                url.clone(),
            ))),
        );
        let m = press(&mut app, &fl!("onboard-create"));
        run(&mut app, m).await;
        let said = fl!(
            "onboard-server-unreachable",
            url = url.clone(),
            reason = "REASON"
        );
        let before = said.split("REASON").next().unwrap().to_string();
        assert!(
            find_text(app.view(), |t| t.starts_with(&before)).is_some(),
            "the first screen says the server did not answer"
        );
        assert!(shows(app.view(), &fl!("onboard-welcome")));
        assert!(!shows(app.view(), &fl!("onboard-words-title")));
    })
}

/// The network picked on the first screen.
fn choose(network: Network) -> Message {
    Message::Onboarding(onboarding::Message::NetworkSelected(
        onboarding::NetworkChoice(network),
    ))
}

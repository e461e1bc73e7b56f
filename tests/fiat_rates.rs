//! Fiat beside sats from a rate provider: a real HTTP server on loopback answering in the prices
//! format, then gone. Home shows the fiat amounts with the rate's time while the source answers,
//! and sats alone with a sentence once it does not.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use shandian::core::fiat::{FiatError, FiatSetting, FiatSource};
use shandian::core::wallet::Snapshot;
use shandian::fl;
use shandian::ui::screen::home;
use shandian::ui::testing::{find_text, shows};

/// Answers one request with `body`, then closes: the next request finds nobody listening.
fn serve_once(body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/v1/prices", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut line = String::new();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        // The request line and headers, up to the blank line.
        while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
            line.clear();
        }
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        // The listener goes with this thread: the source is down from now on.
    });
    url
}

fn home_with(
    rate: &Result<shandian::core::fiat::Rate, String>,
) -> iced::Element<'_, home::Message> {
    let mut snapshot = Snapshot::default();
    snapshot.balances.onchain_total_sat = 1_000_000;
    snapshot.balances.lightning_sat = 250_000;
    // A leaked snapshot keeps the example short: the view borrows it.
    let snapshot: &'static Snapshot = Box::leak(Box::new(snapshot));
    home::view(&home::HomeView {
        snapshot,
        node_id: "node",
        syncing: false,
        set_aside: &[],
        backup_error: None,
        fiat: Some(rate),
        first_steps: home::FirstSteps::Receive(None),
        spin: 0,
        returning_sat: 0,
        balance_over_time: &[],
    })
}

#[test]
fn fiat_rates_source_down() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = serve_once(r#"{"time": 1800000000, "USD": 100000, "EUR": 91234.5}"#);
    let setting = FiatSetting::check("eur", FiatSource::Provider { url: url.clone() }).unwrap();

    let rate = runtime
        .block_on(setting.rate(0))
        .expect("the source answers");
    assert_eq!(rate.cents_per_btc, 9_123_450);
    assert_eq!(rate.time, 1_800_000_000);
    let shown = Ok(rate);
    let line = fl!(
        "home-fiat",
        onchain = "912.35 EUR",
        lightning = "228.09 EUR",
        time = shandian::ui::format::datetime(1_800_000_000)
    );
    assert!(shows(home_with(&shown), &line));

    // The source goes away: sats only, and why.
    let down = runtime.block_on(setting.rate(0)).unwrap_err();
    assert!(
        matches!(&down, FiatError::SourceDown { url: u, .. } if *u == url),
        "{down:?}"
    );
    let sentence = shandian::ui::errors::describe(&down.into());
    assert!(sentence.contains(&url), "{sentence}");
    let shown = Err(sentence.clone());
    assert!(shows(home_with(&shown), &sentence));
    assert!(find_text(home_with(&shown), |t| t.contains("EUR")).is_none());

    // A typed rate needs no source, and says when it was typed.
    let typed = FiatSetting::check(
        "USD",
        FiatSource::Typed {
            per_btc: "100000".into(),
        },
    )
    .unwrap();
    let rate = runtime.block_on(typed.rate(1_800_000_100)).unwrap();
    assert_eq!(
        shandian::ui::format::about_fiat(250_000, &rate),
        "≈ 250.00 USD"
    );
    assert_eq!(rate.time, 1_800_000_100);
}

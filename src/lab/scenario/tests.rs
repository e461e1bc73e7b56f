use super::*;

#[test]
fn a_scenario_reads_back_as_written() {
    let text = r#"
name = "Breach and penalty"
about = "A revoked state broadcast, and the penalty."

[[step]]
nodes = ["Alice"]

[[step]]
fund = "wallet"

[[step]]
open = { from = "wallet", to = "Alice", capacity_sat = 1_000_000 }

[[step]]
pay = { from = "wallet", to = "Alice", amount_sat = 50_000, hold = true }

[[step]]
fault = { node = "Alice", do = "breach" }

[[step]]
mine_to = "htlc_expiry"

[[step]]
expect = { claim = { with = "Alice", kind = "penalty", amount_sat = 90_000 }, within_secs = 30 }
"#;
    let s = Scenario::parse(text).unwrap();
    assert_eq!(s.steps.len(), 7);
    assert_eq!(s.steps[0], Step::Nodes(vec!["Alice".into()]));
    assert_eq!(
        s.steps[3],
        Step::Pay(Pay {
            from: WALLET.into(),
            to: "Alice".into(),
            amount_sat: 50_000,
            by: PayBy::Invoice,
            hold: true,
        })
    );
    assert_eq!(
        s.steps[4],
        Step::Fault(FaultStep {
            node: "Alice".into(),
            fault: FaultName::Breach
        })
    );
    let Step::Expect(e) = &s.steps[6] else {
        panic!("an expect step")
    };
    assert_eq!(e.within_secs, Some(30));
    assert_eq!(e.claim.as_ref().unwrap().kind, ClaimName::Penalty);
    // Written out and read again: the same steps.
    assert_eq!(Scenario::parse(&s.to_toml().unwrap()).unwrap(), s);
}

#[test]
fn a_wrong_scenario_says_where() {
    let unknown = "name = \"x\"\n[[step]]\nmine_lots = 5\n";
    let e = Scenario::parse(unknown).unwrap_err().to_string();
    assert!(e.contains("mine_lots"), "{e}");
    let two = "name = \"x\"\n[[step]]\nexpect = { payment = \"succeeded\", channel = { with = \"Alice\", state = \"active\" } }\n";
    let e = Scenario::parse(two).unwrap_err().to_string();
    assert!(
        e.contains("step 1") && e.contains("exactly one check"),
        "{e}"
    );
    let bad_state =
        "name = \"x\"\n[[step]]\nexpect = { channel = { with = \"Alice\", state = \"asleep\" } }\n";
    let e = Scenario::parse(bad_state).unwrap_err().to_string();
    assert!(e.contains("asleep"), "{e}");
}

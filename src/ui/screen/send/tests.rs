use super::*;
use crate::ui::testing::{click, shows, type_into};

const SPENDABLE: u64 = 100_000;
const REGTEST_ADDR: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
const MAINNET_ADDR: &str = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";

fn fill(address: &str, amount: &str) -> Send {
    let mut s = Send::default();
    let mut update = |s: &mut Send, m| {
        s.update(m, SPENDABLE, Network::Regtest);
    };
    type_into(
        &mut s,
        |s| s.view(SPENDABLE),
        &mut update,
        ADDRESS_INPUT.into(),
        address,
    );
    type_into(
        &mut s,
        |s| s.view(SPENDABLE),
        &mut update,
        AMOUNT_INPUT.into(),
        amount,
    );
    s
}

fn review(s: &mut Send) -> Option<Action> {
    let mut action = None;
    for m in click(s.view(SPENDABLE), &fl!("send-review")) {
        action = s.update(m, SPENDABLE, Network::Regtest).or(action);
    }
    action
}

#[test]
fn each_bad_input_gets_its_sentence() {
    let cases = [
        ("", "1000", fl!("err-empty-address")),
        ("hello", "1000", fl!("err-malformed-address")),
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
            shows(s.view(SPENDABLE), &sentence),
            "{address:?} {amount:?}: expected {sentence:?}"
        );
        assert!(matches!(s.stage, Stage::Edit));
    }
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
    assert!(shows(s.view(SPENDABLE), &format::sat(plan.total_sat())));
    let mut action = None;
    for m in click(s.view(SPENDABLE), &fl!("send-confirm")) {
        action = s.update(m, SPENDABLE, Network::Regtest).or(action);
    }
    assert!(matches!(action, Some(Action::Broadcast(p)) if p == plan));
}

#[test]
fn send_everything_needs_no_amount() {
    let mut s = fill(REGTEST_ADDR, "");
    for m in click(s.view(SPENDABLE), &fl!("send-all")) {
        s.update(m, SPENDABLE, Network::Regtest);
    }
    review(&mut s);
    let Stage::Confirm(plan) = &s.stage else {
        panic!("no confirm step: {:?}", s.error);
    };
    assert_eq!(plan.total_sat(), SPENDABLE);
}

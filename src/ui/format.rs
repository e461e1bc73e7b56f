//! How numbers, times and foreign text are shown.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::core::AmountUnit;
use crate::fl;

/// Whether amounts are written in BTC (the person's choice in Settings; sat by default). One
/// choice for the whole window, as the language is.
static IN_BTC: AtomicBool = AtomicBool::new(false);

/// Writes every amount from now on in `unit`.
pub fn set_unit(unit: AmountUnit) {
    IN_BTC.store(unit == AmountUnit::Btc, Ordering::Relaxed);
}

fn unit() -> AmountUnit {
    if IN_BTC.load(Ordering::Relaxed) {
        AmountUnit::Btc
    } else {
        AmountUnit::Sat
    }
}

/// `1234567` → "1,234,567 sat" (or "0.01234567 BTC" when amounts are in BTC).
pub fn sat(amount: u64) -> String {
    sat_in(unit(), amount)
}

/// `amount` sat written in `unit`.
pub fn sat_in(unit: AmountUnit, amount: u64) -> String {
    match unit {
        AmountUnit::Sat => fl!("unit-sat", amount = group_digits(amount)),
        AmountUnit::Btc => btc(amount),
    }
}

/// A count with its thousands grouped ("10,000").
pub fn count(n: usize) -> String {
    group_digits(n as u64)
}

/// Millisatoshis as whole satoshis when they are whole, else in msat (in BTC: eleven
/// decimals when a fraction of a satoshi is in it).
pub fn msat(m: u64) -> String {
    msat_in(unit(), m)
}

/// `m` msat written in `unit`.
pub fn msat_in(unit: AmountUnit, m: u64) -> String {
    match unit {
        _ if m.is_multiple_of(1000) => sat_in(unit, m / 1000),
        AmountUnit::Sat => fl!("unit-msat", amount = group_digits(m)),
        AmountUnit::Btc => format!(
            "{}.{:011} BTC",
            group_digits(m / 100_000_000_000),
            m % 100_000_000_000
        ),
    }
}

/// The same amount in BTC, with all eight decimals ("1.50000000 BTC").
pub fn btc(amount_sat: u64) -> String {
    format!(
        "{}.{:08} BTC",
        group_digits(amount_sat / 100_000_000),
        amount_sat % 100_000_000
    )
}

/// A fee rate given in sat per 1000 weight units (LDK's unit), in sat/vB as wallets show it.
pub fn sat_per_vb(sat_per_kw: u32) -> String {
    format!("{:.1} sat/vB", f64::from(sat_per_kw) * 4.0 / 1000.0)
}

/// `cents` hundredths of `currency`: "1,234.56 EUR".
pub fn fiat(cents: u64, currency: &str) -> String {
    format!(
        "{}.{:02} {currency}",
        group_digits(cents / 100),
        cents % 100
    )
}

/// `sat` at `rate`: "≈ 11.26 EUR".
pub fn about_fiat(sat: u64, rate: &crate::core::fiat::Rate) -> String {
    format!("≈ {}", fiat(rate.cents(sat * 1000), &rate.currency))
}

pub fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "12 s ago", "3 min ago", "2 h ago".
pub fn ago(then_unix: u64, now_unix: u64) -> String {
    let d = now_unix.saturating_sub(then_unix);
    if d < 60 {
        fl!("ago-seconds", n = d.to_string())
    } else if d < 3600 {
        fl!("ago-minutes", n = (d / 60).to_string())
    } else {
        fl!("ago-hours", n = (d / 3600).to_string())
    }
}

/// Local date and time of a Unix timestamp.
pub fn datetime(unix: u64) -> String {
    use chrono::TimeZone;
    chrono::Local
        .timestamp_opt(unix as i64, 0)
        .single()
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// "144 blocks (about 24 h)": a block count with the time it takes at ten minutes a block.
pub fn blocks(n: u32) -> String {
    let hours = n / crate::core::lightning::channels::BLOCKS_PER_HOUR;
    if hours >= 1 {
        fl!("blocks-hours", n = n.to_string(), hours = hours.to_string())
    } else {
        fl!(
            "blocks-minutes",
            n = n.to_string(),
            minutes = (n * 10).to_string()
        )
    }
}

/// The first and last characters of a long hex id: "02ab12…9f3c".
pub fn short_id(id: &str) -> String {
    if id.chars().count() <= 16 {
        return id.to_string();
    }
    let head: String = id.chars().take(8).collect();
    let tail: String = id
        .chars()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{head}…{tail}")
}

pub use crate::core::input::sanitize;

/// A node's alias as it may be shown (sanitised: it is outside text), if it has a visible one.
pub fn alias(alias: Option<&str>) -> Option<String> {
    alias.map(sanitize).filter(|a| !a.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use crate::core::AmountUnit;

    #[test]
    fn amounts_in_sat_or_btc() {
        assert_eq!(super::sat_in(AmountUnit::Sat, 1_234_567), "1,234,567 sat");
        assert_eq!(super::sat_in(AmountUnit::Btc, 1_234_567), "0.01234567 BTC");
        assert_eq!(
            super::sat_in(AmountUnit::Btc, 2_100_000_000_000_000),
            "21,000,000.00000000 BTC"
        );
        assert_eq!(
            super::msat_in(AmountUnit::Btc, 25_000_000),
            "0.00025000 BTC"
        );
        assert_eq!(super::msat_in(AmountUnit::Btc, 1_234), "0.00000001234 BTC");
        assert_eq!(super::msat_in(AmountUnit::Sat, 1_234), "1,234 msat");
    }

    use super::*;

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1000), "1,000");
        assert_eq!(group_digits(1234567), "1,234,567");
    }

    #[test]
    fn btc_has_eight_decimals() {
        assert_eq!(btc(0), "0.00000000 BTC");
        assert_eq!(btc(150_000_000), "1.50000000 BTC");
        assert_eq!(btc(2_100_000_000_000_000), "21,000,000.00000000 BTC");
    }

    #[test]
    fn sanitize_drops_controls_and_bidi() {
        assert_eq!(sanitize("ab\u{202e}cd\n\u{2066}e"), "abcde");
        assert_eq!(sanitize("闪电"), "闪电");
    }
}

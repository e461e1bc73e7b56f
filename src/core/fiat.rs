//! Fiat beside sats, only if asked: a currency and where its rate comes from — a provider URL
//! answering in the widely used prices format (`{"time": <unix seconds>, "USD": 97000, …}`, as
//! mempool.space's `/api/v1/prices`), or a rate typed by the person. The rate's time is always
//! shown with it; a source that fails leaves sats alone on screen, with a sentence. Fiat is for
//! reading only: every amount the wallet moves is decided in sats.

use serde::{Deserialize, Serialize};

/// What the person chose in Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiatSetting {
    /// ISO 4217 code, upper case (`EUR`).
    pub currency: String,
    pub source: FiatSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FiatSource {
    /// A URL answering in the prices format.
    Provider { url: String },
    /// A price of one bitcoin, typed (in the currency's units, e.g. `91234.50`).
    Typed { per_btc: String },
}

/// A price of one bitcoin, in hundredths of the currency (cents), as of `time`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub currency: String,
    pub cents_per_btc: u64,
    /// Unix seconds the source gave (or when a typed rate was saved).
    pub time: u64,
}

impl Rate {
    /// `msat` in hundredths of the currency (rounded to the cent).
    pub fn cents(&self, msat: u64) -> u64 {
        ((u128::from(msat) * u128::from(self.cents_per_btc) + 50_000_000_000) / 100_000_000_000)
            as u64
    }

    /// The sats for `cents` of the currency (rounded to the sat), for amounts typed in fiat.
    pub fn sat_for_cents(&self, cents: u64) -> u64 {
        if self.cents_per_btc == 0 {
            return 0;
        }
        let per_btc = u128::from(self.cents_per_btc);
        ((u128::from(cents) * 100_000_000 + per_btc / 2) / per_btc) as u64
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FiatError {
    #[error("a currency is three letters, like EUR")]
    BadCurrency,
    /// Not `https://` (plain `http://` only to this computer): a rate read in the clear could
    /// be changed on the way, and the counter turns fiat amounts into sats with it.
    #[error("the rate source must be an https URL")]
    BadUrl,
    #[error("a rate is a positive number, like 91234.50")]
    BadRate,
    #[error("the rate source {url} did not answer: {reason}")]
    SourceDown { url: String, reason: String },
    #[error("the rate source {url} has no {currency} price")]
    NoPrice { url: String, currency: String },
}

impl FiatSetting {
    /// Checks what a person typed in Settings.
    pub fn check(currency: &str, source: FiatSource) -> Result<FiatSetting, FiatError> {
        let currency = currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(FiatError::BadCurrency);
        }
        let source = match source {
            FiatSource::Provider { url } => {
                let url = url.trim().to_string();
                if !crate::core::shared::https_or_loopback(&url) {
                    return Err(FiatError::BadUrl);
                }
                FiatSource::Provider { url }
            }
            FiatSource::Typed { per_btc } => {
                parse_cents(&per_btc)?;
                FiatSource::Typed {
                    per_btc: per_btc.trim().to_string(),
                }
            }
        };
        Ok(FiatSetting { currency, source })
    }

    /// The current rate: asked of the provider, or the typed one (as of `now`).
    pub async fn rate(&self, now: u64) -> Result<Rate, FiatError> {
        match &self.source {
            FiatSource::Typed { per_btc } => Ok(Rate {
                currency: self.currency.clone(),
                cents_per_btc: parse_cents(per_btc)?,
                time: now,
            }),
            // A settings file edited by hand is held to the same rule.
            FiatSource::Provider { url } if !crate::core::shared::https_or_loopback(url) => {
                Err(FiatError::BadUrl)
            }
            FiatSource::Provider { url } => {
                let down = |reason: String| FiatError::SourceDown {
                    url: url.clone(),
                    reason,
                };
                let response = bitreq::get(url.as_str())
                    .with_timeout(std::time::Duration::from_secs(10))
                    .with_max_body_size(Some(64 * 1024))
                    .send_async()
                    .await
                    .map_err(|e| down(e.to_string()))?;
                if response.status_code != 200 {
                    return Err(down(format!("HTTP {}", response.status_code)));
                }
                read_prices(response.as_bytes(), &self.currency, url)
            }
        }
    }
}

/// Reads `{"time": …, "EUR": 91234.5, …}`.
fn read_prices(body: &[u8], currency: &str, url: &str) -> Result<Rate, FiatError> {
    let json: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| FiatError::SourceDown {
            url: url.to_string(),
            reason: format!("not the prices format ({e})"),
        })?;
    let no_price = || FiatError::NoPrice {
        url: url.to_string(),
        currency: currency.to_string(),
    };
    let price = json[currency]
        .as_f64()
        .filter(|p| p.is_finite() && *p > 0.0);
    let price = price.ok_or_else(no_price)?;
    Ok(Rate {
        currency: currency.to_string(),
        cents_per_btc: (price * 100.0).round() as u64,
        time: json["time"].as_u64().unwrap_or(0),
    })
}

/// `91234.50` → 9,123,450 cents.
fn parse_cents(text: &str) -> Result<u64, FiatError> {
    let t = text.trim().replace(',', "");
    let (units, fraction) = t.split_once('.').unwrap_or((&t, ""));
    if units.is_empty() || fraction.len() > 2 || !units.chars().all(|c| c.is_ascii_digit()) {
        return Err(FiatError::BadRate);
    }
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(FiatError::BadRate);
    }
    let units: u64 = units.parse().map_err(|_| FiatError::BadRate)?;
    let fraction: u64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| FiatError::BadRate)?;
    let cents = units
        .checked_mul(100)
        .and_then(|c| c.checked_add(fraction))
        .ok_or(FiatError::BadRate)?;
    if cents == 0 {
        return Err(FiatError::BadRate);
    }
    Ok(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(cents_per_btc: u64) -> Rate {
        Rate {
            currency: "EUR".into(),
            cents_per_btc,
            time: 0,
        }
    }

    #[test]
    fn sats_in_fiat_and_back() {
        let r = eur(9_123_450);
        assert_eq!(r.cents(100_000_000_000), 9_123_450);
        assert_eq!(r.cents(12_345_000), 1_126);
        assert_eq!(r.sat_for_cents(500), 5_480);
        assert_eq!(r.cents(2_000_000), 182);
        assert_eq!(r.cents(0), 0);
        assert_eq!(eur(0).sat_for_cents(500), 0);
    }

    #[test]
    fn settings_are_checked() {
        let typed = |t: &str| FiatSource::Typed {
            per_btc: t.to_string(),
        };
        assert_eq!(
            FiatSetting::check(" eur ", typed("91,234.5"))
                .unwrap()
                .currency,
            "EUR"
        );
        assert_eq!(
            FiatSetting::check("EURO", typed("1")),
            Err(FiatError::BadCurrency)
        );
        for bad in ["", "0", "-5", "1.234", "abc", "1.x"] {
            assert_eq!(
                FiatSetting::check("EUR", typed(bad)),
                Err(FiatError::BadRate),
                "{bad:?}"
            );
        }
        assert_eq!(
            FiatSetting::check(
                "EUR",
                FiatSource::Provider {
                    url: "ftp://x".into()
                }
            ),
            Err(FiatError::BadUrl)
        );
        let provider = |url: &str| {
            FiatSetting::check(
                "EUR",
                FiatSource::Provider {
                    url: url.to_string(),
                },
            )
            .map(|_| ())
        };
        // Read in the clear from another computer: refused; from this one, or over TLS: fine.
        assert_eq!(
            provider("http://prices.example.com/api/v1/prices"),
            Err(FiatError::BadUrl)
        );
        assert_eq!(
            provider("http://127.0.0.1.example.com:80/"),
            Err(FiatError::BadUrl)
        );
        assert_eq!(provider("http://127.0.0.1:8999/api/v1/prices"), Ok(()));
        assert_eq!(provider("http://localhost/prices"), Ok(()));
        assert_eq!(provider("https://prices.example.com/api/v1/prices"), Ok(()));
    }

    #[test]
    fn the_prices_format_is_read() {
        let body = br#"{"time": 1700000000, "USD": 37000, "EUR": 34000.55}"#;
        let r = read_prices(body, "EUR", "u").unwrap();
        assert_eq!((r.cents_per_btc, r.time), (3_400_055, 1_700_000_000));
        assert!(matches!(
            read_prices(body, "JPY", "u"),
            Err(FiatError::NoPrice { .. })
        ));
        assert!(matches!(
            read_prices(b"<html>", "EUR", "u"),
            Err(FiatError::SourceDown { .. })
        ));
    }
}

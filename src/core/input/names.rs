//! Paying to a name: a BIP 353 name (`₿alice@example.com`, a DNSSEC-signed `bitcoin:` URI in
//! the DNS), a Lightning Address (`alice@example.com`, LNURL-pay over HTTPS) or an LNURL-pay
//! link (`lnurl1…`). The `bitcoin-payment-instructions` crate resolves them through a resolver
//! (the app's asks DNS-over-HTTPS and the payee's web server; tests bring their own); what comes
//! back goes through the same checks as a pasted request ([`crate::core::input::paste::parse_payment`]), so a
//! name never pays what a pasted request could not.

use std::time::Duration;

use bitcoin_payment_instructions::amount::Amount;
use bitcoin_payment_instructions::hrn_resolution::{HrnResolver, HumanReadableName};
use bitcoin_payment_instructions::{
    ConfigurableAmountPaymentInstructions, ParseError, PaymentInstructions, PaymentMethod,
};

use crate::core::input::paste::{parse_payment, PasteError, PaymentTarget};
use crate::core::network::Network;

/// The app's resolver: BIP 353 names over DNS-over-HTTPS (dns.google, then Cloudflare, which
/// see the name being looked up), Lightning Addresses and LNURL-pay links from the payee's own
/// web server (which sees this computer's address).
pub fn internet_resolver() -> bitcoin_payment_instructions::http_resolver::HTTPHrnResolver {
    bitcoin_payment_instructions::http_resolver::HTTPHrnResolver::new()
}

/// How long resolving a name may take in all (DNS-over-HTTPS, the payee's web server, their
/// redirects): past it, Send says the name did not answer rather than "resolving…" for ever.
pub const RESOLVE_TIMEOUT: Duration = Duration::from_secs(15);

/// Whether `text` is a name to resolve rather than a request to read.
pub fn is_name(text: &str) -> bool {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    lower.starts_with("lnurl")
        || lower.starts_with("lightning:lnurl")
        || (t.contains('@') && HumanReadableName::from_encoded(t).is_ok())
}

/// What a name resolved to.
#[derive(Debug, Clone)]
pub enum Resolved {
    /// Something to pay, as if it had been pasted.
    Target(PaymentTarget),
    /// An LNURL-pay: the payer picks an amount within the payee's bounds, then the payee's
    /// server makes an invoice for it.
    ChooseAmount(Box<AmountChoice>),
}

/// An LNURL-pay waiting for its amount.
#[derive(Clone)]
pub struct AmountChoice {
    pub min_msat: u64,
    pub max_msat: u64,
    /// What the payee says about the payment (outside text: sanitise before showing).
    pub description: Option<String>,
    instructions: ConfigurableAmountPaymentInstructions,
}

impl std::fmt::Debug for AmountChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmountChoice")
            .field("min_msat", &self.min_msat)
            .field("max_msat", &self.max_msat)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The name could not be resolved (no such name, no answer, a proof that does not hold);
    /// the resolver's words.
    #[error("the name could not be resolved: {0}")]
    NotResolved(String),
    /// Nothing came back within [`RESOLVE_TIMEOUT`] (or the test's patience).
    #[error("the name did not resolve within {secs} s")]
    TimedOut { secs: u64 },
    #[error("the name is for another network")]
    WrongNetwork,
    #[error("what the name gave has expired")]
    Expired,
    #[error("what the name gave is not valid: {0}")]
    Invalid(String),
    #[error("the amount must be between {min_msat} and {max_msat} msat")]
    AmountOutOfRange { min_msat: u64, max_msat: u64 },
    #[error("the name gave nothing this wallet can pay")]
    NothingPayable,
    /// What the name gave was read like a paste and refused.
    #[error(transparent)]
    Request(#[from] PasteError),
}

impl From<ParseError> for NameError {
    fn from(e: ParseError) -> Self {
        match e {
            ParseError::HrnResolutionError(why) => NameError::NotResolved(why.to_string()),
            ParseError::WrongNetwork => NameError::WrongNetwork,
            ParseError::InstructionsExpired => NameError::Expired,
            ParseError::InvalidLnurl(why)
            | ParseError::InvalidInstructions(why)
            | ParseError::InconsistentInstructions(why) => NameError::Invalid(why.to_string()),
            other => NameError::Invalid(format!("{other:?}")),
        }
    }
}

/// Resolves `name` on `network`, giving up after [`RESOLVE_TIMEOUT`]: call from a task.
pub async fn resolve<R: HrnResolver + Sync>(
    name: &str,
    network: Network,
    now: Duration,
    resolver: &R,
) -> Result<Resolved, NameError> {
    resolve_within(name, network, now, resolver, RESOLVE_TIMEOUT).await
}

/// Runs `work`, or says it timed out after `patience`.
async fn within<T>(
    patience: Duration,
    work: impl std::future::Future<Output = Result<T, NameError>>,
) -> Result<T, NameError> {
    tokio::time::timeout(patience, work)
        .await
        .unwrap_or(Err(NameError::TimedOut {
            secs: patience.as_secs().max(1),
        }))
}

/// [`resolve`] with its own patience.
pub async fn resolve_within<R: HrnResolver + Sync>(
    name: &str,
    network: Network,
    now: Duration,
    resolver: &R,
    patience: Duration,
) -> Result<Resolved, NameError> {
    let instructions = within(patience, async {
        Ok(PaymentInstructions::parse(name.trim(), network.to_bitcoin(), resolver, false).await?)
    })
    .await?;
    let (methods, onchain_sat) = match &instructions {
        PaymentInstructions::ConfigurableAmount(c) => {
            if let (Some(min), Some(max)) = (c.min_amt(), c.max_amt()) {
                return Ok(Resolved::ChooseAmount(Box::new(AmountChoice {
                    min_msat: min.milli_sats(),
                    max_msat: max.milli_sats(),
                    description: c.recipient_description().map(str::to_string),
                    instructions: c.clone(),
                })));
            }
            let methods = c
                .methods()
                .filter_map(|m| match m {
                    bitcoin_payment_instructions::PossiblyResolvedPaymentMethod::Resolved(m) => {
                        Some(m.clone())
                    }
                    _ => None,
                })
                .collect::<Vec<_>>();
            (methods, None)
        }
        PaymentInstructions::FixedAmount(f) => (
            f.methods().to_vec(),
            f.onchain_payment_amount().map(|a| a.sats_rounding_up()),
        ),
    };
    target_of(&methods, onchain_sat, network, now).map(Resolved::Target)
}

/// Fetches the invoice of an LNURL-pay for `amount_msat` from the payee's server.
pub async fn choose_amount<R: HrnResolver + Sync>(
    choice: AmountChoice,
    amount_msat: u64,
    network: Network,
    now: Duration,
    resolver: &R,
) -> Result<PaymentTarget, NameError> {
    let out_of_range = NameError::AmountOutOfRange {
        min_msat: choice.min_msat,
        max_msat: choice.max_msat,
    };
    if amount_msat < choice.min_msat || amount_msat > choice.max_msat {
        return Err(out_of_range);
    }
    let amount = Amount::from_milli_sats(amount_msat).map_err(|_| out_of_range)?;
    let fixed = within(RESOLVE_TIMEOUT, async {
        choice
            .instructions
            .set_amount(amount, resolver)
            .await
            .map_err(|why| NameError::NotResolved(why.to_string()))
    })
    .await?;
    target_of(fixed.methods(), None, network, now)
}

/// The best way to pay among what the name gave (an offer, else an invoice, else an address),
/// read back through the paste checks.
fn target_of(
    methods: &[PaymentMethod],
    onchain_sat: Option<u64>,
    network: Network,
    now: Duration,
) -> Result<PaymentTarget, NameError> {
    let offer = methods.iter().find_map(|m| match m {
        PaymentMethod::LightningBolt12(o) => Some(o.to_string()),
        _ => None,
    });
    let invoice = methods.iter().find_map(|m| match m {
        PaymentMethod::LightningBolt11(i) => Some(i.to_string()),
        _ => None,
    });
    let address = methods.iter().find_map(|m| match m {
        PaymentMethod::OnChain(a) => Some(match onchain_sat {
            Some(sat) => format!(
                "bitcoin:{a}?amount={}.{:08}",
                sat / 100_000_000,
                sat % 100_000_000
            ),
            None => format!("bitcoin:{a}"),
        }),
        _ => None,
    });
    let text = offer
        .or(invoice)
        .or(address)
        .ok_or(NameError::NothingPayable)?;
    Ok(parse_payment(&text, network, now)?)
}

/// An LNURL-pay waiting for its amount (`https://example.com`), for screen tests.
#[cfg(any(test, feature = "testing"))]
pub fn sample_choice(min_msat: u64, max_msat: u64) -> AmountChoice {
    use bitcoin_payment_instructions::hrn_resolution::{
        HrnResolutionFuture, LNURLResolutionFuture,
    };
    struct Sample(u64, u64);
    impl HrnResolver for Sample {
        fn resolve_hrn<'a>(&'a self, _: &'a HumanReadableName) -> HrnResolutionFuture<'a> {
            Box::pin(async { Err("not a name") })
        }
        fn resolve_lnurl<'a>(&'a self, _: &'a str) -> HrnResolutionFuture<'a> {
            let (min, max) = (self.0, self.1);
            Box::pin(async move {
                Ok(
                    bitcoin_payment_instructions::hrn_resolution::HrnResolution::LNURLPay {
                        min_value: Amount::from_milli_sats(min).map_err(|_| "min")?,
                        max_value: Amount::from_milli_sats(max).map_err(|_| "max")?,
                        expected_description_hash: [0; 32],
                        recipient_description: Some("Tips".into()),
                        callback: "https://example.com/callback".into(),
                    },
                )
            })
        }
        fn resolve_lnurl_to_invoice<'a>(
            &'a self,
            _: String,
            _: Amount,
            _: [u8; 32],
        ) -> LNURLResolutionFuture<'a> {
            Box::pin(async { Err("no server") })
        }
    }
    let hrp = ldk_node::bitcoin::bech32::Hrp::parse("lnurl").expect("a valid prefix");
    let lnurl = ldk_node::bitcoin::bech32::encode::<ldk_node::bitcoin::bech32::Bech32>(
        hrp,
        b"https://example.com/lnurlp/tips",
    )
    .expect("a short url encodes");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let resolver = Sample(min_msat, max_msat);
    match runtime.block_on(resolve(&lnurl, Network::Regtest, Duration::ZERO, &resolver)) {
        Ok(Resolved::ChooseAmount(choice)) => *choice,
        other => panic!("the sample LNURL resolves to a choice, not {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_told_from_requests() {
        assert!(is_name("₿alice@example.com"));
        assert!(is_name(" alice@example.com "));
        assert!(is_name("LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS"));
        assert!(!is_name("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
        assert!(!is_name(
            "lnbc1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5"
        ));
        assert!(!is_name("not a name"));
    }

    /// An LNURL whose server takes the connection and never answers: resolving ends with its
    /// own sentence after the patience given, instead of "resolving…" for ever. (The app's
    /// patience is [`RESOLVE_TIMEOUT`]; a shorter one keeps the test quick.)
    #[tokio::test]
    async fn names_resolution_times_out() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/lnurlp/silent", listener.local_addr().unwrap());
        // Accepts and holds every connection, answering nothing.
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for c in listener.incoming() {
                held.push(c);
            }
        });
        let hrp = ldk_node::bitcoin::bech32::Hrp::parse("lnurl").unwrap();
        let lnurl = ldk_node::bitcoin::bech32::encode::<ldk_node::bitcoin::bech32::Bech32>(
            hrp,
            url.as_bytes(),
        )
        .unwrap();
        let started = std::time::Instant::now();
        let outcome = resolve_within(
            &lnurl,
            Network::Regtest,
            Duration::from_secs(crate::core::shared::now()),
            &internet_resolver(),
            Duration::from_secs(2),
        )
        .await;
        assert_eq!(outcome.unwrap_err(), NameError::TimedOut { secs: 2 });
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

//! Paying to names, offline: a BIP 353 name resolved by a local resolver (the crate's resolver
//! trait, standing in for the DNS, which a test machine cannot reach) to the peer's offer, and an
//! LNURL-pay link served by a real HTTP server on loopback, fetched by the app's own HTTP
//! resolver, whose invoices the peer makes. Both are paid over a real channel.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;

use bitcoin_payment_instructions::hrn_resolution::{
    HrnResolution, HrnResolutionFuture, HrnResolver, HumanReadableName, LNURLResolutionFuture,
};
use common::*;
use ldk_node::bitcoin::hashes::{sha256, Hash};
use ldk_node::lightning_invoice::{Bolt11InvoiceDescription, Sha256};
use shandian::core::input::names::{self, NameError, Resolved};
use shandian::core::input::paste::PaymentTarget;
use shandian::core::lightning::payments::PaymentState;
use shandian::core::Network;
use shandian::lab::peer::PeerNode;

/// Answers one BIP 353 name with a `bitcoin:` URI; every other name is unknown. LNURL goes to
/// the app's own HTTP resolver.
struct LocalResolver {
    name: HumanReadableName,
    uri: String,
    http: bitcoin_payment_instructions::http_resolver::HTTPHrnResolver,
}

impl HrnResolver for LocalResolver {
    fn resolve_hrn<'a>(&'a self, hrn: &'a HumanReadableName) -> HrnResolutionFuture<'a> {
        let found = (*hrn == self.name).then(|| self.uri.clone());
        Box::pin(async move {
            match found {
                Some(result) => Ok(HrnResolution::DNSSEC {
                    proof: None,
                    result,
                }),
                None => Err("no such name"),
            }
        })
    }

    fn resolve_lnurl<'a>(&'a self, url: &'a str) -> HrnResolutionFuture<'a> {
        self.http.resolve_lnurl(url)
    }

    fn resolve_lnurl_to_invoice<'a>(
        &'a self,
        callback: String,
        amount: bitcoin_payment_instructions::amount::Amount,
        expected_description_hash: [u8; 32],
    ) -> LNURLResolutionFuture<'a> {
        self.http
            .resolve_lnurl_to_invoice(callback, amount, expected_description_hash)
    }
}

const METADATA: &str = r#"[["text/plain","Tips for the coffee shop"]]"#;

/// An LNURL-pay server on loopback: the first answer names the bounds and the callback; the
/// callback has the peer make an invoice (committing to the metadata) for the amount asked.
fn lnurl_server(peer: Arc<PeerNode>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let callback = format!("{base}/callback");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut request = String::new();
            if BufReader::new(&stream).read_line(&mut request).is_err() {
                continue;
            }
            let path = request.split_whitespace().nth(1).unwrap_or("").to_string();
            let body = if let Some(q) = path.strip_prefix("/callback?amount=") {
                let amount_msat: u64 = q.parse().unwrap();
                let hash = Sha256(sha256::Hash::hash(METADATA.as_bytes()));
                let invoice = peer
                    .node()
                    .bolt11_payment()
                    .receive(amount_msat, &Bolt11InvoiceDescription::Hash(hash), 600)
                    .unwrap();
                serde_json::json!({"pr": invoice.to_string(), "routes": []})
            } else {
                serde_json::json!({
                    "tag": "payRequest",
                    "callback": callback,
                    "minSendable": 1_000_000,
                    "maxSendable": 50_000_000,
                    "metadata": METADATA,
                })
            };
            let body = body.to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let url = format!("{base}/lnurlp/tips");
    let hrp = ldk_node::bitcoin::bech32::Hrp::parse("lnurl").unwrap();
    ldk_node::bitcoin::bech32::encode::<ldk_node::bitcoin::bech32::Bech32>(hrp, url.as_bytes())
        .unwrap()
        .to_uppercase()
}

#[test]
fn pay_bip353_and_lnurl() {
    run(async {
        let s = setup().await;
        open_ready_channel(&s.chain, &s.wallet, &s.peer, 1_000_000, 0).await;
        let (wallet, peer) = (s.wallet.clone(), s.peer.clone());

        // ₿coffee@shop.example: the peer's offer for 20,000 sat.
        let p = peer.clone();
        let offer = tokio::task::spawn_blocking(move || {
            p.node()
                .bolt12_payment()
                .receive(20_000_000, "coffee", None, None)
                .unwrap()
                .to_string()
        })
        .await
        .unwrap();
        let resolver = LocalResolver {
            name: HumanReadableName::from_encoded("₿coffee@shop.example").unwrap(),
            uri: format!("bitcoin:?lno={offer}"),
            http: names::internet_resolver(),
        };
        assert!(names::is_name("₿coffee@shop.example"));
        let Resolved::Target(target) =
            names::resolve("₿coffee@shop.example", Network::Regtest, now(), &resolver)
                .await
                .expect("the name resolves")
        else {
            panic!("a fixed-amount offer needs no amount");
        };
        assert!(matches!(target, PaymentTarget::Bolt12 { .. }));
        assert_eq!(target.preview().amount_msat, Some(20_000_000));
        let id = wallet.pay(target, None, None).await.unwrap();
        let paid = wait_for_payment(&wallet, &id, PaymentState::Succeeded).await;
        assert_eq!(paid.amount_msat, Some(20_000_000));

        // An unknown name says so.
        assert!(matches!(
            names::resolve("₿nobody@shop.example", Network::Regtest, now(), &resolver).await,
            Err(NameError::NotResolved(_))
        ));

        // An LNURL-pay link: bounds first, then the invoice for the amount chosen.
        let lnurl = lnurl_server(peer.clone());
        assert!(names::is_name(&lnurl));
        let Resolved::ChooseAmount(choice) =
            names::resolve(&lnurl, Network::Regtest, now(), &resolver)
                .await
                .expect("the LNURL resolves")
        else {
            panic!("an LNURL-pay asks for an amount");
        };
        assert_eq!((choice.min_msat, choice.max_msat), (1_000_000, 50_000_000));
        assert_eq!(
            choice.description.as_deref(),
            Some("Tips for the coffee shop")
        );
        assert_eq!(
            names::choose_amount(
                *choice.clone(),
                60_000_000,
                Network::Regtest,
                now(),
                &resolver
            )
            .await
            .unwrap_err(),
            NameError::AmountOutOfRange {
                min_msat: 1_000_000,
                max_msat: 50_000_000
            }
        );
        let target = names::choose_amount(*choice, 15_000_000, Network::Regtest, now(), &resolver)
            .await
            .expect("the payee's server makes an invoice");
        assert_eq!(target.preview().amount_msat, Some(15_000_000));
        let id = wallet.pay(target, None, None).await.unwrap();
        let paid = wait_for_payment(&wallet, &id, PaymentState::Succeeded).await;
        assert_eq!(paid.amount_msat, Some(15_000_000));

        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

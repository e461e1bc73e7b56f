//! What the Electrum server does not give: fee estimates on a quiet chain, or any answer at all.
//! Each is said, never replaced by a made-up number.

mod common;

use common::*;
use shandian::core::fees::{fetch_fee_choices, FeeChoices, FeeError};

#[test]
fn drill_fee_estimates_unavailable() {
    run(async {
        // A fresh regtest chain: electrs answers, bitcoind has no estimate yet.
        let chain = start_chain().await;
        let url = chain.electrum_url();
        let read = tokio::task::spawn_blocking(move || fetch_fee_choices(&url))
            .await
            .unwrap();
        assert_eq!(read, Err(FeeError::NoEstimate), "never a silent 1 sat/vB");

        // A server that does not answer at all.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let dead = format!("tcp://127.0.0.1:{}", listener.local_addr().unwrap().port());
        drop(listener);
        let url = dead.clone();
        let read: Result<FeeChoices, FeeError> =
            tokio::task::spawn_blocking(move || fetch_fee_choices(&url))
                .await
                .unwrap();
        assert!(
            matches!(&read, Err(FeeError::Unreachable { url, .. }) if *url == dead),
            "{read:?}"
        );
    })
}

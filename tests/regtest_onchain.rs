//! On-chain wallet end to end: real bitcoind + electrs, the real system keyring, wallets driven
//! through `core` as the app drives them.

mod common;

use common::*;
use serde_json::json;
use shandian::core::input::{plan_onchain_send, SendAmount};
use shandian::core::keys::secrets::Keyring;
use shandian::core::wallet::{CreateRequest, OpenRequest, Wallet};
use shandian::core::{Error, Network, NodeError, SecretError};
use shandian::lab::chain::throwaway_address;

/// The regtest block reward at low heights: 50 BTC.
const COINBASE_SAT: u64 = 5_000_000_000;

#[test]
fn regtest_onchain_receive_and_send() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, _) = create_wallet(&dir, &chain).await;

        let address = wallet.new_address().await.unwrap();
        on_chain(&chain, move |c| c.fund(&address)).await.unwrap();
        let funded = wait_for_snapshot(&wallet, "the coinbase to be spendable", |s| {
            s.balances.onchain_spendable_sat == COINBASE_SAT
        })
        .await;
        assert_eq!(funded.balances.onchain_total_sat, COINBASE_SAT);
        assert_eq!(funded.balances.onchain_confirmed_sat(), COINBASE_SAT);
        assert_eq!(funded.balances.onchain_incoming_sat, 0);
        let received = &funded.activity[0];
        assert!(received.incoming);
        assert_eq!(received.amount_sat, COINBASE_SAT);
        assert!(received.confirmations >= 100, "{received:?}");

        // Pay 0.01 BTC to an address outside the wallet at 2 sat/vB.
        let dest = throwaway_address().to_string();
        let amount_sat = 1_000_000;
        let plan = plan_onchain_send(
            &dest,
            Ok(SendAmount::Exact { amount_sat }),
            2,
            funded.balances.onchain_spendable_sat,
            Network::Regtest,
        )
        .unwrap();
        let outcome = wallet.send_onchain(plan.clone()).await.unwrap();
        assert_eq!(outcome.sent_sat, amount_sat);

        // bitcoind sees the transaction paying exactly the amount to the destination.
        let tx = wait_for_tx(&chain, &outcome.txid).await;
        let paid: Vec<f64> = tx["vout"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["scriptPubKey"]["address"] == json!(dest))
            .map(|o| o["value"].as_f64().unwrap())
            .collect();
        assert_eq!(paid, vec![0.01]);

        let height = on_chain(&chain, |c| c.mine(1)).await.unwrap();
        let after = wait_for_snapshot(&wallet, "the send to confirm", |s| {
            s.height as u64 >= height
                && s.activity
                    .iter()
                    .any(|a| a.txid == outcome.txid && a.confirmations >= 1)
        })
        .await;
        let sent = after
            .activity
            .iter()
            .find(|a| a.txid == outcome.txid)
            .unwrap();
        assert!(!sent.incoming);
        assert_eq!(sent.amount_sat, amount_sat);
        let fee = sent
            .fee_sat
            .expect("the fee of our own transaction is known");
        assert!(fee > 0 && fee <= plan.estimated_fee_sat * 2, "fee {fee}");
        assert_eq!(
            after.balances.onchain_total_sat,
            COINBASE_SAT - amount_sat - fee,
            "the balance drops by amount + fee"
        );
        let confirmations = wait_for_tx(&chain, &outcome.txid).await["confirmations"]
            .as_u64()
            .unwrap_or(0);
        assert!(confirmations >= 1);
        wallet.stop().await.unwrap();
    })
}

#[test]
fn regtest_onchain_restart_restores_wallet() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, mnemonic) = create_wallet(&dir, &chain).await;
        let node_id = wallet.node_id().to_string();
        let address = wallet.new_address().await.unwrap();
        on_chain(&chain, move |c| c.fund(&address)).await.unwrap();
        let before = wait_for_snapshot(&wallet, "spendable funds", |s| {
            s.balances.onchain_spendable_sat == COINBASE_SAT
        })
        .await;
        wallet.stop().await.unwrap();
        drop(wallet);

        // Same data folder, same keyring: same node, same money.
        let reopened = open_wallet(&dir, &chain).await;
        assert_eq!(reopened.node_id(), node_id);
        let again = wait_for_snapshot(&reopened, "the same balance after restart", |s| {
            s.balances.onchain_spendable_sat == before.balances.onchain_spendable_sat
        })
        .await;
        assert_eq!(again.balances, before.balances);
        reopened.stop().await.unwrap();
        drop(reopened);

        // The words alone, typed into an empty folder, find the funds.
        let (_tmp2, _root2, empty) = temp_root();
        let typed = mnemonic.to_string().to_uppercase();
        let parsed = shandian::core::keys::seed::parse_phrase(&typed).unwrap();
        let restored = Wallet::create(CreateRequest {
            dir: empty.clone(),
            lock: empty.lock().unwrap(),
            mnemonic: parsed,
            electrum_url: chain.electrum_url(),
            keyring: Keyring::Os,
            restore_from: None,
        })
        .await
        .unwrap();
        assert_eq!(restored.node_id(), node_id);
        let found = wait_for_snapshot(&restored, "restored funds", |s| {
            s.balances.onchain_spendable_sat == COINBASE_SAT
        })
        .await;
        assert_eq!(found.balances, before.balances);
        assert_eq!(found.activity.len(), 1);
        restored.stop().await.unwrap();
    })
}

#[test]
fn regtest_onchain_mnemonic_never_on_disk() {
    run(async {
        let chain = start_chain().await;
        let (tmp, _root, dir) = temp_root();
        let (wallet, mnemonic) = create_wallet(&dir, &chain).await;
        let address = wallet.new_address().await.unwrap();
        on_chain(&chain, move |c| c.fund(&address)).await.unwrap();
        wait_for_snapshot(&wallet, "funds", |s| s.balances.onchain_total_sat > 0).await;
        wallet.stop().await.unwrap();

        let words: Vec<&str> = mnemonic.words().collect();
        let seed = mnemonic.to_seed("");
        let entropy = mnemonic.to_entropy();
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        let mut needles: Vec<Vec<u8>> = vec![
            mnemonic.to_string().into_bytes(),
            seed.to_vec(),
            hex(&seed).into_bytes(),
            entropy.clone(),
            hex(&entropy).into_bytes(),
        ];
        // Any three words in a row would already leak much of the phrase.
        for w in words.windows(3) {
            needles.push(w.join(" ").into_bytes());
        }

        let mut files = 0;
        let mut stack = vec![tmp.path().to_path_buf()];
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            files += 1;
            let bytes = std::fs::read(&p).unwrap();
            for n in &needles {
                assert!(
                    !bytes.windows(n.len()).any(|w| w == n.as_slice()),
                    "{} contains secret material",
                    p.display()
                );
            }
        }
        assert!(
            files >= 3,
            "expected the node's store, log and wallet file, saw {files}"
        );
    })
}

#[test]
fn regtest_onchain_refuses_what_does_not_belong_together() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, _) = create_wallet(&dir, &chain).await;
        wallet.stop().await.unwrap();
        // Something may hold the stopped wallet a moment longer (a background task finishing
        // its round): the folder is free once `stop` returns, not when the last holder lets go.
        let _still_held = wallet;

        // The data folder says another node: refuse, change nothing.
        let mut meta = dir.load_wallet().unwrap().unwrap();
        let real = meta.node_id.clone();
        meta.node_id = Some("02".to_string() + &"11".repeat(32));
        dir.save_wallet(&meta).unwrap();
        let err = Wallet::open(OpenRequest {
            dir: dir.clone(),
            lock: dir.lock().unwrap(),
            meta: meta.clone(),
            electrum_url: chain.electrum_url(),
            keyring: Keyring::Os,
        })
        .await
        .unwrap_err();
        assert!(
            matches!(err, Error::Node(NodeError::NodeIdMismatch { .. })),
            "{err:?}"
        );
        assert_eq!(
            dir.load_wallet().unwrap().unwrap(),
            meta,
            "nothing rewritten"
        );

        // A keyring entry that is not there: a clear error, nothing written.
        meta.node_id = real;
        meta.wallet_id = "0000000000000000".into();
        let err = Wallet::open(OpenRequest {
            dir: dir.clone(),
            lock: dir.lock().unwrap(),
            meta,
            electrum_url: chain.electrum_url(),
            keyring: Keyring::Os,
        })
        .await
        .unwrap_err();
        assert_eq!(err, Error::Secret(SecretError::Missing));

        // Creating over an existing wallet is refused before anything touches the keyring.
        let err = Wallet::create(CreateRequest {
            dir: dir.clone(),
            lock: dir.lock().unwrap(),
            mnemonic: shandian::core::keys::seed::generate(),
            electrum_url: chain.electrum_url(),
            keyring: Keyring::Os,
            restore_from: None,
        })
        .await
        .unwrap_err();
        assert!(matches!(
            err,
            Error::Dirs(shandian::core::DirsError::WalletExists { .. })
        ));
    })
}

#[test]
fn regtest_onchain_server_down_is_an_error_not_a_hang() {
    run(async {
        let (_tmp, _root, dir) = temp_root();
        // Nothing listens on this port.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let result = with_timeout(
            "opening against a dead server",
            Wallet::create(CreateRequest {
                dir: dir.clone(),
                lock: dir.lock().unwrap(),
                mnemonic: shandian::core::keys::seed::generate(),
                electrum_url: format!("tcp://127.0.0.1:{port}"),
                keyring: Keyring::Os,
                restore_from: None,
            }),
        )
        .await;
        let err = result.unwrap_err();
        let expected = format!("tcp://127.0.0.1:{port}");
        assert!(
            matches!(&err, Error::Node(NodeError::ServerUnreachable { url, .. }) if *url == expected),
            "{err:?}"
        );
    })
}

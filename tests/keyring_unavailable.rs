//! With no Secret Service reachable, creating a wallet stops with the keyring error and writes
//! nothing. (Its own test binary: it points this process's D-Bus address at nowhere.)

use shandian::core::keys::secrets::Keyring;
use shandian::core::store::dirs::DataRoot;
use shandian::core::wallet::{CreateRequest, Wallet};
use shandian::core::{Error, Network, SecretError};

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_service_means_a_clear_error_and_nothing_written() {
    // The only test in this binary, so no other thread reads the environment meanwhile.
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/shandian-bus",
    );
    let keyring = Keyring::Os;
    assert!(matches!(
        keyring.check_available(),
        Err(SecretError::Unavailable(_))
    ));

    let tmp = tempfile::tempdir().unwrap();
    let dir = DataRoot::at(tmp.path())
        .network_dir(Network::Regtest)
        .unwrap();
    let err = Wallet::create(CreateRequest {
        dir: dir.clone(),
        lock: dir.lock().unwrap(),
        mnemonic: shandian::core::keys::seed::generate(),
        electrum_url: "tcp://127.0.0.1:1".into(),
        keyring,
        restore_from: None,
    })
    .await
    .unwrap_err();
    assert!(
        matches!(err, Error::Secret(SecretError::Unavailable(_))),
        "{err:?}"
    );
    assert_eq!(dir.load_wallet().unwrap(), None, "no wallet recorded");
    assert!(!dir.node_dir().exists(), "no node data written");
}

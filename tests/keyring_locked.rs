//! A locked keyring: reading the phrase ends with "locked" (and what to do), within a bound,
//! instead of hanging on an unlock prompt nobody can answer; nothing is lost.
//!
//! Its own test binary with its own private D-Bus session and GNOME Keyring, so locking touches
//! neither the other tests' keyring nor a developer's real one.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use shandian::core::keys::secrets::Keyring;
use shandian::core::keys::seed;
use shandian::core::store::dirs::WalletMeta;
use shandian::core::{Network, SecretError};

const PASSWORD: &str = "locked-test";

/// Starts a private session bus and an unlocked GNOME Keyring on it, for this process.
fn private_keyring(home: &std::path::Path) -> Vec<u32> {
    // No display for this bus: the unlock prompt cannot appear, as for a person who dismisses it
    // (with a display, the system prompt would wait for the password, as it should).
    std::env::remove_var("DISPLAY");
    std::env::remove_var("WAYLAND_DISPLAY");
    let out = Command::new("dbus-daemon")
        .args(["--session", "--fork", "--print-address=1", "--print-pid=1"])
        .output()
        .expect("dbus-daemon runs");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let address = lines.next().expect("bus address").to_string();
    let bus_pid: u32 = lines.next().expect("bus pid").trim().parse().unwrap();
    let runtime = home.join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    // The only test in this binary: nothing else reads the environment meanwhile.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
    std::env::set_var("XDG_DATA_HOME", home.join("data"));
    std::env::set_var("XDG_RUNTIME_DIR", &runtime);
    let mut daemon = Command::new("gnome-keyring-daemon")
        .args(["--unlock", "--components=secrets", "--daemonize"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gnome-keyring-daemon runs");
    daemon
        .stdin
        .take()
        .unwrap()
        .write_all(PASSWORD.as_bytes())
        .unwrap();
    let out = daemon.wait_with_output().unwrap();
    let pid = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("GNOME_KEYRING_PID=")
                .map(|p| p.parse().unwrap())
        });
    vec![bus_pid].into_iter().chain(pid).collect()
}

fn gdbus(method: &str, args: &[&str]) -> bool {
    Command::new("gdbus")
        .args([
            "call",
            "--session",
            "--dest",
            "org.freedesktop.secrets",
            "--object-path",
            "/org/freedesktop/secrets",
            "--method",
            method,
        ])
        .args(args)
        .stdout(Stdio::null())
        .status()
        .expect("gdbus runs")
        .success()
}

#[test]
fn a_locked_keyring_is_reported_not_waited_on() {
    let home = tempfile::tempdir().unwrap();
    let pids = private_keyring(home.path());

    let keyring = Keyring::Os;
    let meta = WalletMeta::new(Network::Regtest);
    let phrase = seed::generate();
    keyring.store_mnemonic(&meta, &phrase).unwrap();

    assert!(gdbus(
        "org.freedesktop.Secret.Service.Lock",
        &["['/org/freedesktop/secrets/collection/login']"]
    ));

    let (tx, rx) = std::sync::mpsc::channel();
    let m = meta.clone();
    std::thread::spawn(move || {
        let _ = tx.send(Keyring::Os.load_mnemonic(&m));
    });
    let result = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("reading a locked keyring returned");
    assert!(matches!(result, Err(SecretError::Locked(_))), "{result:?}");
    // Refused while locked: nothing written over the entry either.
    assert!(matches!(
        keyring.store_mnemonic(&meta, &seed::generate()),
        Err(SecretError::Locked(_))
    ));

    for pid in pids {
        let _ = Command::new("kill").arg(pid.to_string()).status();
    }
}

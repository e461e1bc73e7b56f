//! One running wallet per data folder: a second start — another process, as a second window or
//! a second launch would be — is refused with the holder's process id and touches nothing; a
//! wallet killed with SIGKILL leaves no stale lock behind.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::child::DrillWallet;
use common::*;
use shandian::core::store::lock::LockError;

/// Every file under `dir` with its size and modification time: what "touched nothing" means.
fn listing(dir: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                out.insert(
                    e.path().strip_prefix(dir).unwrap().display().to_string(),
                    (meta.len(), meta.modified().unwrap()),
                );
            }
        }
    }
    out
}

#[test]
fn drill_second_instance_refused() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, root, dir) = temp_root();
        let url = chain.electrum_url();

        let first = DrillWallet::start(root.path(), &url, true);
        let node_id = first.expect("ready ");

        // The first wallet is running: look at what it has written, then start a second one.
        let before = listing(dir.path());
        let mut second = DrillWallet::start(root.path(), &url, false);
        let refused = second.expect("refused ");
        assert_eq!(second.wait_exit(), 3, "the second start exits");
        assert!(
            refused.contains(&format!("in process {}", first.pid())),
            "names the holder: {refused}"
        );
        // It touched nothing. (The running wallet may write its own files meanwhile; the
        // refused one would have rewritten wallet.toml, settings and the lock's text.)
        let after = listing(dir.path());
        for f in ["wallet.toml", "wallet.lock"] {
            assert_eq!(before.get(f), after.get(f), "{f} untouched");
        }

        // In this process too, the lock names the first wallet's process.
        match dir.lock() {
            Err(LockError::InUse { holder, .. }) => assert_eq!(holder.pid, Some(first.pid())),
            other => panic!("a second lock was not refused: {other:?}"),
        }

        // SIGKILL: no clean stop, yet the OS drops the lock with the process; the same wallet
        // opens again here.
        first.kill9();
        let wallet = open_wallet(&dir, &chain).await;
        assert_eq!(wallet.node_id(), node_id);
        wallet.stop().await.unwrap();
    })
}

/// Damaged files of ours are set aside (kept, named), the wallet opens with defaults and says
/// so; "try again" is never needed. The same again finds nothing to complain about.
#[test]
fn drill_damaged_files() {
    use shandian::core::Settings;
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (wallet, _, usb) = create_wallet_with_backup(&dir, &chain).await;
        let node_id = wallet.node_id().to_string();
        wallet.stop().await.unwrap();
        drop(wallet);

        let garbage: [(&str, &[u8]); 4] = [
            ("settings.toml", b"language = [[[".as_slice()),
            ("payments.json", b"{\"descriptions\": {\"ab\": 7".as_slice()),
            ("channels.json", b"\x00\x01 not json".as_slice()),
            ("channel-backup.toml", b"folder = ".as_slice()),
        ];
        for (name, bytes) in garbage {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }

        // What the app reads first: the settings, set aside, defaults in their place.
        let (settings, aside) =
            Settings::load_or_set_aside(&dir.settings_path(), dir.network()).unwrap();
        assert_eq!(settings, Settings::defaults_for(dir.network()));
        let mut set_aside = vec![aside.expect("settings set aside")];

        let wallet = open_wallet(&dir, &chain).await;
        assert_eq!(wallet.node_id(), node_id);
        set_aside.extend(wallet.set_aside_files().iter().cloned());
        let mut names: Vec<&str> = set_aside.iter().map(|a| a.file.as_str()).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "channel-backup.toml",
                "channels.json",
                "payments.json",
                "settings.toml"
            ]
        );
        for a in &set_aside {
            let original = garbage.iter().find(|(n, _)| *n == a.file).unwrap().1;
            assert_eq!(
                std::fs::read(&a.kept_as).unwrap(),
                original,
                "{} kept as it was",
                a.file
            );
            assert!(a
                .kept_as
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{}.damaged-", a.file)));
        }
        // The backup record was lost: the backup shows as not chosen (Home says so in red),
        // never as silently working. Choosing the same folder again takes the backup up
        // (it holds no channel this wallet does not know).
        assert_eq!(wallet.snapshot().await.unwrap().backup.place, None);
        let status = wallet
            .choose_backup(shandian::core::store::backup::BackupPlace::Folder {
                folder: usb.path().to_path_buf(),
            })
            .await
            .unwrap();
        assert!(status.is_working(), "{status:?}");
        wallet.stop().await.unwrap();
        drop(wallet);

        // Nothing damaged any more.
        let (_, aside) = Settings::load_or_set_aside(&dir.settings_path(), dir.network()).unwrap();
        assert_eq!(aside, None);
        let wallet = open_wallet(&dir, &chain).await;
        assert!(wallet.set_aside_files().is_empty());
        wallet.stop().await.unwrap();
    })
}

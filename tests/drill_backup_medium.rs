//! A backup medium that hangs (a network mount that stopped answering, a dying USB stick) must
//! not stall the wallet. The backup folder is a real FUSE mount (bindfs over a temporary
//! folder); stopping the bindfs process with SIGSTOP makes every access to it hang, as a dead
//! medium does, until SIGCONT. Needs root (or FUSE for the user) and bindfs
//! (scripts/install-deps.sh installs it).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::*;
use shandian::core::lightning::channels::ChannelStatus;

/// A bindfs mount of `source` on `target`, run in the foreground so its process is ours to stop.
/// Dropping it lets the process go on, unmounts and ends it.
struct FuseFolder {
    process: Child,
    target: PathBuf,
}

impl FuseFolder {
    fn mount(source: &Path, target: &Path) -> FuseFolder {
        let process = Command::new("bindfs")
            .arg("-f")
            .arg(source)
            .arg(target)
            .spawn()
            .expect("bindfs runs (scripts/install-deps.sh installs it)");
        let folder = FuseFolder {
            process,
            target: target.to_path_buf(),
        };
        // Wait for the mount to show, not a fixed time.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !folder.mounted() {
            assert!(Instant::now() < deadline, "bindfs did not mount {target:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
        folder
    }

    fn mounted(&self) -> bool {
        std::fs::read_to_string("/proc/mounts")
            .unwrap_or_default()
            .lines()
            .any(|l| l.split(' ').nth(1) == Some(self.target.to_str().unwrap()))
    }

    fn signal(&self, signal: &str) {
        let ok = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.process.id().to_string())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "kill -{signal} bindfs");
    }

    /// Every access to the folder hangs from now on.
    fn hang(&self) {
        self.signal("STOP");
    }

    /// The folder answers again.
    fn answer(&self) {
        self.signal("CONT");
    }
}

impl Drop for FuseFolder {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-CONT")
            .arg(self.process.id().to_string())
            .status();
        // fusermount from FUSE 2 (what Debian's bindfs brings), or umount as root.
        let unmounted = Command::new("fusermount")
            .arg("-u")
            .arg(&self.target)
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            let _ = Command::new("umount").arg("-l").arg(&self.target).status();
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

#[test]
fn drill_backup_medium_hangs() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let (source, target) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let medium = FuseFolder::mount(source.path(), target.path());

        let (wallet, _) = create_wallet(&dir, &chain).await;
        let status = wallet
            .choose_backup(shandian::core::store::backup::BackupPlace::Folder {
                folder: target.path().to_path_buf(),
            })
            .await
            .expect("the FUSE folder takes the backup");
        assert!(status.is_working(), "{status:?}");
        let address = wallet.new_address().await.unwrap();
        on_chain(&chain, move |c| c.fund(&address)).await.unwrap();
        wait_for_snapshot(&wallet, "the coinbase", |s| {
            s.balances.onchain_spendable_sat > 0
        })
        .await;
        let peer = start_peer(&chain).await;
        let channel = open_ready_channel(&chain, &wallet, &peer, 500_000, 0).await;
        pay_peer(&wallet, &peer, 10_000_000).await;

        // The medium stops answering. A payment goes through meanwhile, in about the time of
        // one write's timeout, and the backup says it is failing.
        medium.hang();
        let started = Instant::now();
        pay_peer(&wallet, &peer, 20_000_000).await;
        let took = started.elapsed();
        println!("a payment while the backup medium hung took {took:?}");
        let failing = wait_for_snapshot(&wallet, "the backup marked failing", |s| {
            s.backup.failing.is_some()
        })
        .await
        .backup
        .failing
        .unwrap();
        assert!(
            failing.reason.contains("did not answer"),
            "{}",
            failing.reason
        );
        // The success event comes with the preimage, a moment before the commitments drop the
        // HTLC: the channel shows the payment once both sides signed.
        let o = wait_for_channels(&wallet, "the payment settled in the channel", |o| {
            o.get(&channel.id).is_some_and(|c| {
                c.parts.theirs_sat == 30_000 && c.parts.htlc_out_sat + c.parts.htlc_in_sat == 0
            })
        })
        .await;
        assert!(
            o.get(&channel.id).unwrap().status == ChannelStatus::Active,
            "the channel goes on"
        );

        // The medium answers again: the backup catches up by itself and is whole.
        medium.answer();
        wait_for_snapshot(&wallet, "the backup whole again", |s| s.backup.is_working()).await;
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
        drop(medium);
    })
}

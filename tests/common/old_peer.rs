//! A Lightning peer on LDK Node 0.6 (LDK 0.1, without splicing) as a child process: the tool in
//! `tools/old-peer`, built once per machine by `scripts/old-peer.sh` (its own lock file: two
//! LDK Node versions cannot link into one binary), found through `SHANDIAN_OLD_PEER`. Killed
//! when dropped, so a failed test leaves no node running.

use std::io::Write;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;

use super::WAIT;

pub struct OldPeer {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
    pub node_id: String,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl OldPeer {
    /// Starts the old peer on the tests' Electrum server; panics in words when the tool is not
    /// built.
    pub fn start(electrum_url: &str) -> Self {
        let exe = std::env::var_os("SHANDIAN_OLD_PEER").expect(
            "SHANDIAN_OLD_PEER names the old peer's binary: the test command builds it with \
             scripts/old-peer.sh",
        );
        let dir = tempfile::tempdir().unwrap();
        let port = shandian::core::shared::free_loopback_port().unwrap();
        let mut child = Command::new(exe)
            .arg(dir.path())
            .arg(electrum_url)
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the old peer starts");
        let stdin = child.stdin.take().unwrap();
        let lines = super::child::read_lines(child.stdout.take().unwrap());
        let mut peer = OldPeer {
            child,
            stdin,
            lines,
            node_id: String::new(),
            port,
            _dir: dir,
        };
        peer.node_id = peer.answer("ready");
        peer
    }

    /// `pubkey@127.0.0.1:port`, as the channel form takes it.
    pub fn uri(&self) -> String {
        format!("{}@127.0.0.1:{}", self.node_id, self.port)
    }

    /// Sends `command` and returns what follows `command`'s answer word.
    pub fn ask(&mut self, command: &str) -> String {
        writeln!(self.stdin, "{command}").expect("the old peer reads");
        self.answer(command)
    }

    fn answer(&mut self, word: &str) -> String {
        let line = self
            .lines
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("the old peer did not answer {word:?} in time"));
        match line.split_once(' ') {
            Some((w, rest)) if w == word => rest.to_string(),
            _ => panic!("the old peer answered {line:?} to {word:?}"),
        }
    }
}

impl Drop for OldPeer {
    fn drop(&mut self) {
        let _ = writeln!(self.stdin, "stop");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

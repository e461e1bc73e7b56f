//! The headless wallet (`shandian-drill`) as a child process: started on a data folder, read
//! line by line with a deadline, killed with SIGKILL where a drill says.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;

use super::WAIT;

pub struct DrillWallet {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
}

impl DrillWallet {
    /// Starts the headless wallet on `data_dir` (`create`: a new wallet there).
    pub fn start(data_dir: &Path, electrum: &str, create: bool) -> Self {
        let mut cmd = Self::command(data_dir, electrum);
        if create {
            cmd.arg("--create");
        }
        Self::spawn(cmd)
    }

    /// Starts the headless wallet restoring the wallet of `words` from the backup in `backup`
    /// into `data_dir`; with `kill_at`, it stops before that step of the restore (see
    /// `shandian-drill`).
    pub fn restore(
        data_dir: &Path,
        electrum: &str,
        backup: &Path,
        words: &str,
        kill_at: Option<&str>,
    ) -> Self {
        let mut cmd = Self::command(data_dir, electrum);
        cmd.arg("--restore-from")
            .arg(backup)
            .env("SHANDIAN_DRILL_WORDS", words);
        if let Some(step) = kill_at {
            cmd.arg("--kill-at-restore").arg(step);
        }
        Self::spawn(cmd)
    }

    fn command(data_dir: &Path, electrum: &str) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_shandian-drill"));
        cmd.arg("--data-dir")
            .arg(data_dir)
            .arg("--electrum")
            .arg(electrum)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        cmd
    }

    fn spawn(mut cmd: Command) -> Self {
        let mut child = cmd.spawn().expect("the drill wallet starts");
        let stdin = child.stdin.take().unwrap();
        let lines = read_lines(child.stdout.take().unwrap());
        DrillWallet {
            child,
            stdin,
            lines,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The next line it prints, within `WAIT`; `None` when it exited first.
    pub fn next_line(&self) -> Option<String> {
        match self.lines.recv_timeout(WAIT) {
            Ok(line) => Some(line),
            Err(mpsc::RecvTimeoutError::Disconnected) => None,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("the drill wallet said nothing"),
        }
    }

    /// Waits for the line starting with `prefix` and returns the rest.
    pub fn expect(&self, prefix: &str) -> String {
        loop {
            let line = self
                .next_line()
                .unwrap_or_else(|| panic!("the drill wallet exited before {prefix:?}"));
            if let Some(rest) = line.strip_prefix(prefix) {
                return rest.trim().to_string();
            }
        }
    }

    pub fn send(&mut self, command: &str) {
        writeln!(self.stdin, "{command}").expect("the drill wallet reads commands");
        self.stdin.flush().unwrap();
    }

    /// SIGKILL: no clean stop, no flush; then reaps the process.
    pub fn kill9(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().unwrap();
    }

    /// Asks for a clean stop and waits for the exit code.
    pub fn stop(mut self) -> i32 {
        self.send("stop");
        self.expect("stopped");
        self.wait_exit()
    }

    /// Waits for a process that said it is ending (`stopped`, `refused …`) to exit; its code.
    pub fn wait_exit(&mut self) -> i32 {
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

impl Drop for DrillWallet {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A child's stdout, line by line, read on a thread of its own so a reader can wait with a
/// deadline.
pub fn read_lines(stdout: std::process::ChildStdout) -> mpsc::Receiver<String> {
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

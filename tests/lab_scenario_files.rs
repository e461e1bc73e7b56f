//! The shipped scenarios pass through `shandian lab run`, each on a Lab of its own (a local
//! chain, lab nodes and a throwaway wallet, with no window and no keyring); a scenario whose
//! expectation is wrong fails with its step's sentence and exit code 1, and a file that is not
//! a scenario with exit code 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lab_run(file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shandian"))
        .args(["lab", "run"])
        .arg(file)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .expect("shandian runs")
}

/// The scenario with a test of its own (`lab_splice_scenario`), run beside the others.
const SPLICE: &str = "splice-without-closing";

fn shipped() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn passes(file: &Path) {
    let out = lab_run(file);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.trim_end().ends_with("passed"),
        "{} did not pass:\n{stdout}\n{stderr}",
        file.display()
    );
}

/// Lab nodes and the wallet splice a channel in both directions; its capacity follows each
/// splice and the wallet's on-chain balance grows by exactly what it moved out.
#[test]
fn lab_splice_scenario() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    passes(&dir.join(format!("{SPLICE}.toml")));
}

#[test]
fn lab_scenario_files() {
    let files = shipped();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "breach-and-penalty",
            "htlc-timeout-onchain",
            "multi-hop-diamond",
            SPLICE
        ]
    );
    for file in files
        .iter()
        .filter(|f| !f.ends_with(format!("{SPLICE}.toml")))
    {
        passes(file);
    }

    // A wrong expectation: the step, what was expected and what was seen, and exit code 1.
    let dir = tempfile::tempdir().unwrap();
    let wrong = dir.path().join("wrong.toml");
    std::fs::write(
        &wrong,
        r#"
name = "A wallet that grows by itself"

[[step]]
mark = "start"

[[step]]
mine = 1

[[step]]
expect = { wallet_onchain_grew = { since = "start", at_least_sat = 1000 }, within_secs = 3 }
"#,
    )
    .unwrap();
    let out = lab_run(&wrong);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "failed: step 3 failed: expected the wallet's on-chain balance to grow by at least \
             1000 sat since mark start, but after 3 s: it grew by 0 sat (0 → 0 sat)"
        ),
        "{stderr}"
    );

    // Not a scenario at all: what is wrong, and exit code 2.
    let garbage = dir.path().join("garbage.toml");
    std::fs::write(&garbage, "name = \"x\"\n[[step]]\nmine_lots = 5\n").unwrap();
    let out = lab_run(&garbage);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("mine_lots"), "{stderr}");
}

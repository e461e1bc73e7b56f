//! A wallet whose channel state is older than its peer's (restored from a backup that missed
//! later payments). LDK proves it when the peer reconnects, and then LDK 0.2 panics on purpose
//! rather than broadcast the old state, which would hand the whole channel to the peer as a
//! penalty. The node is unusable after that (its locks are poisoned), and starting it again
//! would only repeat it. So the wallet notices that panic, writes a marker in its folder, says
//! so, and refuses to start the node from that folder again.
//!
//! What LDK Node 0.7.1 cannot do: recover the channel balance by itself. LDK's way (start with
//! an empty channel manager and the monitors, let the peer force-close, claim from its
//! commitment) is not offered by LDK Node; the person is told what is safe and what to do.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// The name of the marker file in the network folder.
const MARKER: &str = "stale-channel-state.txt";

/// What LDK says when it panics because our state is older than the peer's.
const LDK_FALLEN_BEHIND: &str = "We have fallen behind";

/// A running wallet's folder and the flag the panic hook raises for it.
type Watched = (PathBuf, Weak<std::sync::atomic::AtomicBool>);

/// The running wallets, for the panic hook.
static WATCHED: OnceLock<Mutex<Vec<Watched>>> = OnceLock::new();

pub fn marker_path(network_dir: &Path) -> PathBuf {
    network_dir.join(MARKER)
}

/// Whether a wallet in this folder was found behind its peer before.
pub fn marked(network_dir: &Path) -> bool {
    marker_path(network_dir).exists()
}

/// Watches for LDK's "fallen behind" panic on behalf of the wallet in `network_dir`; the
/// returned flag turns true when it happens.
pub fn watch(network_dir: &Path) -> Arc<std::sync::atomic::AtomicBool> {
    let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watched = WATCHED.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            if message.contains(LDK_FALLEN_BEHIND) {
                fallen_behind(&message);
            }
            previous(info);
        }));
        Mutex::new(Vec::new())
    });
    let mut list = watched.lock().unwrap_or_else(|p| p.into_inner());
    list.retain(|(_, f)| f.strong_count() > 0);
    list.push((network_dir.to_path_buf(), Arc::downgrade(&flag)));
    flag
}

/// LDK found a wallet behind its peer: every running wallet is marked (a process runs one; the
/// message does not say which).
fn fallen_behind(message: &str) {
    let Some(watched) = WATCHED.get() else { return };
    let list = watched.lock().unwrap_or_else(|p| p.into_inner());
    for (dir, flag) in list.iter() {
        let Some(flag) = flag.upgrade() else { continue };
        flag.store(true, std::sync::atomic::Ordering::SeqCst);
        let text = format!(
            "Shandian stopped this wallet at unix time {}: its channel state is older than its \
             peer's (restored from a backup that missed later payments).\nNothing was \
             broadcast. Do not start this folder's node data again; see the README (\"What \
             protects your money\").\n\nLDK said:\n{message}\n",
            crate::core::shared::now()
        );
        if let Err(e) =
            crate::core::store::files::write_atomically(&marker_path(dir), text.as_bytes())
        {
            log::error!("could not write {}: {e}", marker_path(dir).display());
        }
    }
}

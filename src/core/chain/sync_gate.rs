//! One sync of an LDK Node's wallets at a time.
//!
//! LDK Node 0.7.1 talks to the Electrum server over one connection for its on-chain sync, fee
//! estimates and broadcasts, and electrum-client lets only one caller read that connection at a
//! time. When two callers are inside at once, the one left waiting after the other's answer is
//! not woken: it hangs until LDK Node's 20 s timeout and the sync ends "timed out" — while the
//! server answers. So LDK Node's own background sync is off and every sync (a new block, Sync
//! now, the Lab, the wallet's periodic round) goes through one gate.
//!
//! A caller that had to wait while a sync ran gets the result of the next sync that *started
//! after it asked*: callers arriving together share one sync, and none is told "synced" by a
//! sync that began before what it wanted to see (a block just mined).

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The gate: one per node. Blocking; call it from a blocking thread.
pub struct SyncGate<E> {
    /// When the last sync started, and how it ended.
    last: Mutex<Option<(Instant, Result<(), E>)>>,
}

impl<E: Clone> Default for SyncGate<E> {
    fn default() -> Self {
        Self {
            last: Mutex::new(None),
        }
    }
}

impl<E: Clone> SyncGate<E> {
    /// Runs `sync`, or waits for the sync under way and then runs it, unless a sync that
    /// started after this call already ended meanwhile (then its result is this one's).
    pub fn run(&self, sync: impl FnOnce() -> Result<(), E>) -> Result<(), E> {
        self.run_asked_at(Instant::now(), sync)
    }

    /// [`SyncGate::run`] for a caller that asked at `asked`.
    fn run_asked_at(&self, asked: Instant, sync: impl FnOnce() -> Result<(), E>) -> Result<(), E> {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((started, result)) = last.as_ref() {
            if *started > asked {
                return result.clone();
            }
        }
        let started = Instant::now();
        let result = sync();
        *last = Some((started, result.clone()));
        result
    }

    /// Runs `f` while no sync runs, and lets none start meanwhile (stopping the node: LDK Node
    /// does not allow a stop under a sync).
    pub fn while_idle<T>(&self, f: impl FnOnce() -> T) -> T {
        let _last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        f()
    }

    /// How long ago the last sync started; `None` while one runs. A gate that never synced has
    /// been idle "forever".
    pub fn idle_for(&self) -> Option<Duration> {
        match self.last.try_lock() {
            Ok(last) => Some(last.as_ref().map_or(Duration::MAX, |(t, _)| t.elapsed())),
            Err(std::sync::TryLockError::Poisoned(p)) => Some(
                p.into_inner()
                    .as_ref()
                    .map_or(Duration::MAX, |(t, _)| t.elapsed()),
            ),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn callers_waiting_together_share_the_next_sync() {
        let gate = Arc::new(SyncGate::<String>::default());
        let runs = Arc::new(AtomicUsize::new(0));
        let (entered_tx, entered_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        // A first sync holds the gate until released.
        let first = {
            let (gate, runs) = (gate.clone(), runs.clone());
            std::thread::spawn(move || {
                gate.run(|| {
                    runs.fetch_add(1, Ordering::SeqCst);
                    entered_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                    Ok(())
                })
            })
        };
        entered_rx.recv().unwrap();
        assert_eq!(gate.idle_for(), None, "a sync runs");
        // Three callers ask while it runs: they must not see its result (it began before
        // they asked), and must share one sync after it.
        let asked = Instant::now();
        let waiting: Vec<_> = (0..3)
            .map(|_| {
                let (gate, runs) = (gate.clone(), runs.clone());
                std::thread::spawn(move || {
                    gate.run_asked_at(asked, || {
                        runs.fetch_add(1, Ordering::SeqCst);
                        Err("second".to_string())
                    })
                })
            })
            .collect();
        release_tx.send(()).unwrap();
        assert_eq!(first.join().unwrap(), Ok(()));
        for w in waiting {
            assert_eq!(w.join().unwrap(), Err("second".to_string()));
        }
        assert_eq!(
            runs.load(Ordering::SeqCst),
            2,
            "one sync for the three waiting callers"
        );
        assert!(gate.idle_for().is_some_and(|d| d < Duration::from_secs(5)));
    }

    #[test]
    fn a_caller_after_a_finished_sync_syncs_again() {
        let gate = SyncGate::<String>::default();
        assert_eq!(gate.idle_for(), Some(Duration::MAX));
        let mut runs = 0;
        gate.run(|| {
            runs += 1;
            Ok(())
        })
        .unwrap();
        gate.run(|| {
            runs += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(runs, 2);
    }
}

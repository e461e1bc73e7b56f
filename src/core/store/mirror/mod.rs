//! The store handed to LDK Node (`Builder::build_with_store`): LDK Node's own SQLite store, the
//! source of truth, plus the channel backup. Every write and removal reaches the backup (a
//! folder: file and folder fsynced; a VSS server: its answer) before LDK is told it is
//! persisted.
//!
//! A backup that cannot be written (the stick pulled out, a full disk) must not stop the node:
//! LDK treats a failed channel-monitor write as unrecoverable and halts. So the local write is
//! what LDK waits on; the backup is then marked failing (Home shows it in red) and, once the
//! backup can be written again, copied whole so it has everything again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};

use ldk_node::io::sqlite_store::{SqliteStore, KV_TABLE_NAME, SQLITE_DB_FILE_NAME};
use ldk_node::lightning::io;
use ldk_node::lightning::util::persist::{KVStore, KVStoreSync};

use crate::core::store::backup::freshness::ChannelStates;
mod writer;

use crate::core::store::backup::{
    BackupFailure, BackupPlace, BackupStatus, EntryName, Index, Medium, TakenOver,
};
use writer::{Job, Writer};

type AsyncResult<T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, io::Error>> + Send + 'static>>;

/// Writes to one entry are ordered across the local store and the backup by one of these locks
/// (chosen by the entry's hash); entries on different locks are written in parallel.
const STRIPES: usize = 64;

/// How long one write to the backup may take before it counts as hung (a network mount or a
/// server that stopped answering, a dying USB stick): the wallet goes on without it, as with a
/// pulled stick, and the backup is written again once that write has ended.
pub const BACKUP_WRITE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Called before each write or removal reaches the local store, with the entry's name; the
/// crash drills use it to stop the process at a chosen write. `None` in the app.
pub type WriteHook = Box<dyn Fn(&EntryName) + Send + Sync>;

pub struct MirrorStore {
    local: SqliteStore,
    db_path: PathBuf,
    backup: RwLock<Option<Arc<dyn Medium>>>,
    /// Chosen but unreachable at start: the place to try again.
    pending: Mutex<Option<BackupPlace>>,
    stripes: Vec<Mutex<()>>,
    status: Mutex<BackupStatus>,
    /// Some write or removal did not reach the backup: it needs a whole copy.
    behind: AtomicBool,
    copying: AtomicBool,
    /// The backup's index as last written: the monitors it lists.
    index: Mutex<Index>,
    writer: Writer,
    hook: RwLock<Option<WriteHook>>,
    this: Weak<MirrorStore>,
}

impl std::fmt::Debug for MirrorStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MirrorStore")
            .field("db_path", &self.db_path)
            .finish()
    }
}

impl MirrorStore {
    /// Opens LDK Node's SQLite store in `node_dir` exactly as `Builder::build` would (same file,
    /// same table), so wallets made before the backup existed keep their data.
    pub fn open(node_dir: &Path) -> io::Result<Arc<Self>> {
        std::fs::create_dir_all(node_dir).map_err(io::Error::from)?;
        let local = SqliteStore::new(
            node_dir.to_path_buf(),
            Some(SQLITE_DB_FILE_NAME.to_string()),
            Some(KV_TABLE_NAME.to_string()),
        )?;
        Ok(Arc::new_cyclic(|this| MirrorStore {
            local,
            db_path: node_dir.join(SQLITE_DB_FILE_NAME),
            backup: RwLock::new(None),
            pending: Mutex::new(None),
            stripes: (0..STRIPES).map(|_| Mutex::new(())).collect(),
            status: Mutex::new(BackupStatus::default()),
            behind: AtomicBool::new(false),
            copying: AtomicBool::new(false),
            index: Mutex::new(Index::default()),
            writer: Writer::start(),
            hook: RwLock::new(None),
            this: this.clone(),
        }))
    }

    /// The path of LDK Node's database file in `node_dir`.
    pub fn database_path(node_dir: &Path) -> PathBuf {
        node_dir.join(SQLITE_DB_FILE_NAME)
    }

    /// Each channel's newest state in the local store (see [`ChannelStates`]).
    pub fn channel_states(&self) -> io::Result<ChannelStates> {
        let names = list_entries(&self.db_path)
            .map_err(|e| io::Error::new(io::ErrorKind::Other, e.to_string()))?;
        let mut entries = Vec::new();
        for name in names {
            // A monitor's update id is in its value; an update's, and an archived monitor's
            // presence, in its name.
            if !matches!(
                name.primary.as_str(),
                "monitors" | "monitor_updates" | "archived_monitors"
            ) {
                continue;
            }
            let value = if name.primary == "monitors" && name.secondary.is_empty() {
                KVStoreSync::read(&self.local, &name.primary, &name.secondary, &name.key)?
            } else {
                Vec::new()
            };
            entries.push((name, value));
        }
        Ok(ChannelStates::read(
            entries.iter().map(|(n, v)| (n, v.as_slice())),
        ))
    }

    /// Installs a hook that sees every write before it happens (crash drills only).
    pub fn set_write_hook(&self, hook: WriteHook) {
        *self.hook.write().unwrap_or_else(|p| p.into_inner()) = Some(hook);
    }

    pub fn status(&self) -> BackupStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn edit_status(&self, f: impl FnOnce(&mut BackupStatus)) {
        f(&mut self.status.lock().unwrap_or_else(|p| p.into_inner()));
    }

    /// Starts writing every change to `medium`. What the store held before is not copied
    /// here: call [`MirrorStore::copy_all`] (or mark it behind) unless the backup has it all.
    pub fn attach(&self, medium: Box<dyn Medium>) {
        self.edit_status(|s| {
            s.place = Some(medium.place());
            s.failing = None;
        });
        *self.pending.lock().unwrap_or_else(|p| p.into_inner()) = None;
        // None yet: the next whole copy writes it (see `wallet::backup::attach_backup`).
        let index = medium.read_index().ok().flatten().unwrap_or_default();
        *self.index.lock().unwrap_or_else(|p| p.into_inner()) = index;
        *self.backup.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::from(medium));
    }

    /// The backup writes go to now, if any.
    fn medium(&self) -> Option<Arc<dyn Medium>> {
        self.backup
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Keeps the backup's index listing `name` when it is a channel's monitor (`present`: it
    /// was written; otherwise removed).
    fn index_monitor(
        &self,
        medium: &dyn Medium,
        name: &EntryName,
        present: bool,
    ) -> std::io::Result<()> {
        if name.primary != "monitors" || !name.secondary.is_empty() {
            return Ok(());
        }
        let mut index = self.index.lock().unwrap_or_else(|p| p.into_inner());
        let changed = if present {
            index.monitors.insert(name.key.clone())
        } else {
            index.monitors.remove(&name.key)
        };
        if changed {
            medium.write_index(&index)?;
        }
        Ok(())
    }

    /// The backup may lack some entries: it shows as catching up until a whole copy ran.
    pub fn mark_behind(&self) {
        self.behind.store(true, Ordering::SeqCst);
        self.edit_status(|s| s.catching_up = true);
    }

    /// Something outside the store failed that leaves the backup unsure (its record could not
    /// be written): shown as failing.
    pub fn mark_failing(&self, reason: String) {
        self.fail(reason);
    }

    /// The person chose a place that cannot be reached now: say so, and keep trying.
    pub fn attach_later(&self, chosen: BackupPlace, reason: String) {
        self.edit_status(|s| s.place = Some(chosen.clone()));
        self.fail(reason);
        *self.pending.lock().unwrap_or_else(|p| p.into_inner()) = Some(chosen);
    }

    /// The place chosen but not reachable at start, if any.
    pub fn pending_place(&self) -> Option<BackupPlace> {
        self.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Whether the backup has had everything since it was attached (nothing failed, no copy
    /// running): then the next start need not copy it whole.
    pub fn in_sync(&self) -> bool {
        self.backup.read().map(|b| b.is_some()).unwrap_or(false)
            && !self.behind.load(Ordering::SeqCst)
            && !self.copying.load(Ordering::SeqCst)
    }

    fn fail(&self, reason: String) {
        self.behind.store(true, Ordering::SeqCst);
        log::warn!("channel backup behind: {reason}");
        self.edit_status(|s| {
            if s.failing.is_none() {
                s.failing = Some(BackupFailure {
                    since: crate::core::shared::now(),
                    reason,
                    taken_over: false,
                });
            }
        });
    }

    /// Another copy of the wallet took the backup over: this one stops writing there for good
    /// (it is not looked for again) and says so.
    fn taken_over(&self) {
        log::warn!("channel backup taken over by another copy of this wallet; no longer written");
        *self.backup.write().unwrap_or_else(|p| p.into_inner()) = None;
        self.behind.store(true, Ordering::SeqCst);
        self.edit_status(|s| {
            s.failing = Some(BackupFailure {
                since: crate::core::shared::now(),
                reason: TakenOver.to_string(),
                taken_over: true,
            });
        });
    }

    fn stripe(&self, name: &EntryName) -> std::sync::MutexGuard<'_, ()> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        name.hash(&mut h);
        self.stripes[(h.finish() as usize) % STRIPES]
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn run_hook(&self, name: &EntryName) {
        if let Some(hook) = &*self.hook.read().unwrap_or_else(|p| p.into_inner()) {
            hook(name);
        }
    }

    /// Does `op` on the backup, if there is one, on the backup's own thread, waiting at most
    /// [`BACKUP_WRITE_TIMEOUT`]; records the outcome. While an earlier write hangs, nothing is
    /// queued behind it: the backup is behind, and copied whole once the folder answers.
    fn mirror(
        &self,
        op: impl FnOnce(&MirrorStore, &dyn Medium) -> std::io::Result<()> + Send + 'static,
    ) {
        let Some(medium) = self.medium() else {
            return;
        };
        let Some(this) = self.this.upgrade() else {
            return;
        };
        if self.writer.hung.load(Ordering::SeqCst) {
            self.fail(hung_reason());
            return;
        }
        let (done, outcome) = std::sync::mpsc::sync_channel(1);
        let job: Job = Box::new(move || {
            let result = op(&this, &*medium);
            if done.send(result).is_err() {
                // Nobody waits any more: this write ran past the timeout. The backup answers
                // again; it missed what was written meanwhile, so it is copied whole.
                log::info!("the channel backup answers again");
                this.writer.hung.store(false, Ordering::SeqCst);
                this.copy_in_background();
            }
        });
        let queued = self
            .writer
            .jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(job);
        if queued.is_err() {
            self.fail("the backup's writer thread is gone".into());
            return;
        }
        match outcome.recv_timeout(BACKUP_WRITE_TIMEOUT) {
            Ok(Ok(())) => {
                self.edit_status(|s| s.last_written = Some(crate::core::shared::now()));
                if self.behind.load(Ordering::SeqCst) {
                    // The backup answers again: bring it up to date in the background.
                    self.copy_in_background();
                }
            }
            Ok(Err(e)) if e.get_ref().is_some_and(|inner| inner.is::<TakenOver>()) => {
                self.taken_over();
            }
            Ok(Err(e)) => self.fail(e.to_string()),
            Err(_) => {
                self.writer.hung.store(true, Ordering::SeqCst);
                self.fail(hung_reason());
            }
        }
    }

    /// Starts a whole copy on its own thread unless one runs.
    pub fn copy_in_background(&self) {
        let Some(this) = self.this.upgrade() else {
            return;
        };
        if self.copying.load(Ordering::SeqCst) {
            return;
        }
        let _ = std::thread::Builder::new()
            .name("shandian-backup-copy".into())
            .spawn(move || {
                if let Err(e) = this.copy_all() {
                    log::warn!("channel backup copy failed: {e}");
                }
            });
    }

    /// Copies every entry of the local store to the backup and removes entries the store no
    /// longer has. Each entry is copied under its lock, so a write racing the copy can never be
    /// replaced by an older value.
    pub fn copy_all(&self) -> Result<(), String> {
        if self.copying.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        self.edit_status(|s| s.catching_up = true);
        let result = self.copy_all_inner();
        match &result {
            Ok(count) => {
                log::info!("channel backup complete: {count} entries");
                self.behind.store(false, Ordering::SeqCst);
                self.edit_status(|s| {
                    s.failing = None;
                    s.last_written = Some(crate::core::shared::now());
                });
            }
            Err(e) => self.fail(e.clone()),
        }
        self.edit_status(|s| s.catching_up = false);
        self.copying.store(false, Ordering::SeqCst);
        result.map(|_| ())
    }

    fn copy_all_inner(&self) -> Result<usize, String> {
        let Some(medium) = self.medium() else {
            return Err("no backup place".into());
        };
        // Clear the mark first: a write that fails during the copy sets it again.
        self.behind.store(false, Ordering::SeqCst);
        let names = list_entries(&self.db_path).map_err(|e| e.to_string())?;
        let mut kept = BTreeSet::new();
        let mut index = Index::default();
        for name in names.into_iter().filter(backed_up) {
            let _order = self.stripe(&name);
            match KVStoreSync::read(&self.local, &name.primary, &name.secondary, &name.key) {
                Ok(value) => medium.write(&name, &value).map_err(|e| e.to_string())?,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.to_string()),
            }
            kept.insert(medium.stored_name(&name));
            if name.primary == "monitors" && name.secondary.is_empty() {
                index.monitors.insert(name.key);
            }
        }
        {
            // A monitor written or removed since the listing changed the index under this lock
            // too: the copy's index takes those changes in.
            let mut current = self.index.lock().unwrap_or_else(|p| p.into_inner());
            for key in current
                .monitors
                .difference(&index.monitors)
                .cloned()
                .collect::<Vec<_>>()
            {
                let still_here = KVStoreSync::read(&self.local, "monitors", "", &key).is_ok();
                if still_here {
                    index.monitors.insert(key);
                }
            }
            medium.write_index(&index).map_err(|e| e.to_string())?;
            *current = index;
        }
        // Entries the store no longer has (settled monitor updates, …). One written since the
        // listing above is in the store: look before removing.
        let stale: Vec<String> = medium
            .stored_names()
            .map_err(|e| e.to_string())?
            .difference(&kept)
            .cloned()
            .collect();
        for file in stale {
            if let Some(name) = medium.entry_name_of(&file) {
                let _order = self.stripe(&name);
                let still_here =
                    KVStoreSync::read(&self.local, &name.primary, &name.secondary, &name.key)
                        .is_ok();
                if !still_here {
                    medium.remove_stored(&file).map_err(|e| e.to_string())?;
                }
            } else {
                // Not openable with our keys: not ours to keep among our entries.
                medium.remove_stored(&file).map_err(|e| e.to_string())?;
            }
        }
        if self.behind.load(Ordering::SeqCst) {
            return Err("a write failed during the copy".into());
        }
        Ok(kept.len())
    }
}

fn hung_reason() -> String {
    format!(
        "the backup did not answer a write within {} s",
        BACKUP_WRITE_TIMEOUT.as_secs()
    )
}

/// Entries LDK rebuilds by itself stay out of the backup: the network graph and the scorer are
/// large, change with every gossip message, and hold nothing of ours.
fn backed_up(name: &EntryName) -> bool {
    !(name.primary.is_empty()
        && name.secondary.is_empty()
        && matches!(name.key.as_str(), "network_graph" | "scorer"))
}

/// Every entry in LDK Node's SQLite store, read with a connection of our own (the store's
/// interface can only list one namespace it is told).
fn list_entries(db_path: &Path) -> rusqlite::Result<Vec<EntryName>> {
    let conn =
        rusqlite::Connection::open_with_flags(db_path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let mut stmt = conn.prepare(&format!(
        "SELECT primary_namespace, secondary_namespace, key FROM {KV_TABLE_NAME}"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(EntryName {
            primary: r.get(0)?,
            secondary: r.get(1)?,
            key: r.get(2)?,
        })
    })?;
    rows.collect()
}

impl KVStoreSync for MirrorStore {
    fn read(&self, primary: &str, secondary: &str, key: &str) -> io::Result<Vec<u8>> {
        KVStoreSync::read(&self.local, primary, secondary, key)
    }

    fn write(&self, primary: &str, secondary: &str, key: &str, buf: Vec<u8>) -> io::Result<()> {
        let name = EntryName::new(primary, secondary, key);
        self.run_hook(&name);
        if !backed_up(&name) {
            return KVStoreSync::write(&self.local, primary, secondary, key, buf);
        }
        let _order = self.stripe(&name);
        let has_backup = self.backup.read().map(|b| b.is_some()).unwrap_or(false);
        if !has_backup {
            return KVStoreSync::write(&self.local, primary, secondary, key, buf);
        }
        KVStoreSync::write(&self.local, primary, secondary, key, buf.clone())?;
        self.mirror(move |store, m| {
            m.write(&name, &buf)?;
            store.index_monitor(m, &name, true)
        });
        Ok(())
    }

    fn remove(&self, primary: &str, secondary: &str, key: &str, lazy: bool) -> io::Result<()> {
        let name = EntryName::new(primary, secondary, key);
        self.run_hook(&name);
        let _order = self.stripe(&name);
        KVStoreSync::remove(&self.local, primary, secondary, key, lazy)?;
        if backed_up(&name) {
            self.mirror(move |store, m| {
                m.remove(&name)?;
                store.index_monitor(m, &name, false)
            });
        }
        Ok(())
    }

    fn list(&self, primary: &str, secondary: &str) -> io::Result<Vec<String>> {
        KVStoreSync::list(&self.local, primary, secondary)
    }
}

/// LDK Node also calls the store from async code. Each call does its work before returning the
/// future (as LDK's own `KVStoreSyncWrapper` does), which keeps writes to one entry in the order
/// they were made — the ordering LDK asks of an async store.
impl KVStore for MirrorStore {
    fn read(&self, primary: &str, secondary: &str, key: &str) -> AsyncResult<Vec<u8>> {
        let r = KVStoreSync::read(self, primary, secondary, key);
        Box::pin(async move { r })
    }

    fn write(&self, primary: &str, secondary: &str, key: &str, buf: Vec<u8>) -> AsyncResult<()> {
        let r = KVStoreSync::write(self, primary, secondary, key, buf);
        Box::pin(async move { r })
    }

    fn remove(&self, primary: &str, secondary: &str, key: &str, lazy: bool) -> AsyncResult<()> {
        let r = KVStoreSync::remove(self, primary, secondary, key, lazy);
        Box::pin(async move { r })
    }

    fn list(&self, primary: &str, secondary: &str) -> AsyncResult<Vec<String>> {
        let r = KVStoreSync::list(self, primary, secondary);
        Box::pin(async move { r })
    }
}

#[cfg(test)]
mod tests;

//! A backup on a VSS server (LDK's Versioned Storage Service), through `vss-client-ng`, the
//! client LDK Node itself uses. The server holds one store per wallet and network,
//! `shandian-backup-<network>-<tag>` (the tag comes from the words): a sealed manifest (which
//! copy of the wallet writes here), a sealed check, the sealed index and one sealed value per
//! entry of LDK Node's store under `e/<keyed hash of its name>`. The server sees sizes and
//! times, never a channel id, a payment hash or an amount.
//!
//! **One writer, by the server's own versions.** Every write carries the store's global version
//! as this copy last saw it; the server refuses it when anything else wrote since. A refused
//! write reads the manifest: another writer id means another copy took the backup over
//! ([`TakenOver`]); our own means a second copy of this very data folder wrote, and the write is
//! made again on top of it.

mod auth;
mod url;

pub use url::check_url;

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use vss_client_ng::client::VssClient;
use vss_client_ng::error::VssError;
use vss_client_ng::types::{GetObjectRequest, KeyValue, ListKeyVersionsRequest, PutObjectRequest};
use vss_client_ng::util::retry::{
    ExponentialBackoffRetryPolicy, FilteredRetryPolicy, MaxAttemptsRetryPolicy, RetryPolicy,
};

use crate::core::store::backup::medium::{
    BackupPlace, Index, Manifest, Medium, TakenOver, CHECK_NAME, CHECK_VALUE, FORMAT,
};
use crate::core::store::backup::seal::{BackupKeys, EntryName, OpenFailure};
use crate::core::store::backup::{BackupError, Entries};

/// How long one request to the server may take, retries included.
pub const SERVER_TIMEOUT: Duration = Duration::from_secs(10);
const MANIFEST_KEY: &str = "manifest";
const CHECK_KEY: &str = "check";
const INDEX_KEY: &str = "index";
const ENTRY_PREFIX: &str = "e/";
/// How many entries a whole read asks for at once.
const PARALLEL_READS: usize = 16;
/// What the manifest is sealed under.
const MANIFEST_NAME: &str = "backup.toml";

type Retry = FilteredRetryPolicy<
    MaxAttemptsRetryPolicy<ExponentialBackoffRetryPolicy<VssError>>,
    fn(&VssError) -> bool,
>;

/// A key and its value (`None`: the store has no such key).
type Read = (String, Option<Vec<u8>>);

/// What the server holds of this store, as this copy last saw it.
#[derive(Debug, Default)]
struct Known {
    /// The store's global version: the next write must carry it.
    version: i64,
    keys: BTreeSet<String>,
}

/// One wallet's backup on a VSS server, opened with its keys.
pub struct BackupServer {
    url: String,
    store_id: String,
    keys: Arc<BackupKeys>,
    writer_id: String,
    client: Arc<VssClient<Retry>>,
    /// The client's own runtime: the store is called from LDK's threads, the backup's writer
    /// thread and tokio's blocking pool alike.
    runtime: Runtime,
    /// Held across each write, so writes reach the server one at a time in version order.
    known: Mutex<Known>,
}

impl std::fmt::Debug for BackupServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupServer")
            .field("url", &self.url)
            .field("store_id", &self.store_id)
            .finish()
    }
}

/// A runtime that may be dropped anywhere (tokio's own panics when dropped in async code).
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// Why a call to the server failed, in words.
fn reason(e: &VssError) -> String {
    match e {
        VssError::AuthError(m) => format!("the server refused this wallet's signature ({m})"),
        VssError::InternalError(m) => format!("the server did not answer ({m})"),
        other => other.to_string(),
    }
}

impl BackupServer {
    fn connect(url: &str, network: &str, keys: Arc<BackupKeys>) -> Result<Self, BackupError> {
        let url = &check_url(url)?;
        let unreachable = |reason: String| BackupError::Unreadable {
            folder: url.to_string(),
            reason,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("shandian-backup-server")
            .enable_all()
            .build()
            .map_err(|e| unreachable(e.to_string()))?;
        let http = vss_client_ng::reqwest::Client::builder()
            .timeout(SERVER_TIMEOUT)
            .connect_timeout(SERVER_TIMEOUT)
            .build()
            .map_err(|e| unreachable(e.to_string()))?;
        // A conflict, a refused signature or a missing key is an answer, not an outage.
        let final_answer: fn(&VssError) -> bool = |e| {
            matches!(
                e,
                VssError::ConflictError(_) | VssError::AuthError(_) | VssError::NoSuchKeyError(_)
            )
        };
        let retry = ExponentialBackoffRetryPolicy::new(Duration::from_millis(100))
            .with_max_attempts(3)
            .skip_retry_on_error(final_answer);
        let client = Arc::new(VssClient::from_client_and_headers(
            url.to_string(),
            http,
            retry,
            Arc::new(auth::SignedRequests::new(&keys)),
        ));
        Ok(BackupServer {
            url: url.to_string(),
            store_id: format!("shandian-backup-{network}-{}", keys.folder_tag()),
            keys,
            writer_id: String::new(),
            client,
            runtime: Runtime(Some(runtime)),
            known: Mutex::new(Known::default()),
        })
    }

    /// Runs one call to the server on the client's runtime, from any thread, within
    /// [`SERVER_TIMEOUT`].
    fn call<T: Send + 'static>(
        &self,
        f: impl Future<Output = Result<T, VssError>> + Send + 'static,
    ) -> Result<T, VssError> {
        self.call_within(SERVER_TIMEOUT, f)
    }

    fn call_within<T: Send + 'static>(
        &self,
        limit: Duration,
        f: impl Future<Output = Result<T, VssError>> + Send + 'static,
    ) -> Result<T, VssError> {
        let (done, outcome) = std::sync::mpsc::sync_channel(1);
        let Some(rt) = &self.runtime.0 else {
            return Err(VssError::InternalError("the client is shut down".into()));
        };
        rt.spawn(async move {
            let result = tokio::time::timeout(limit, f).await.unwrap_or_else(|_| {
                Err(VssError::InternalError(format!(
                    "no answer within {} s",
                    limit.as_secs()
                )))
            });
            let _ = done.send(result);
        });
        outcome
            .recv()
            .unwrap_or_else(|_| Err(VssError::InternalError("the client stopped".into())))
    }

    /// The values of `keys`, [`PARALLEL_READS`] requests at a time (a wallet with thousands of
    /// payments has thousands of entries, read at every start to compare channel states).
    fn get_many(&self, keys: Vec<String>) -> Result<Vec<Read>, VssError> {
        let batches = keys.len().div_ceil(PARALLEL_READS).max(1) as u32;
        let (client, store_id) = (self.client.clone(), self.store_id.clone());
        self.call_within(SERVER_TIMEOUT * batches, async move {
            let mut out = Vec::with_capacity(keys.len());
            for batch in keys.chunks(PARALLEL_READS) {
                let mut reads = tokio::task::JoinSet::new();
                for key in batch {
                    let (client, request) = (
                        client.clone(),
                        GetObjectRequest {
                            store_id: store_id.clone(),
                            key: key.clone(),
                        },
                    );
                    reads.spawn(async move {
                        let value = match client.get_object(&request).await {
                            Ok(r) => Ok(r.value.map(|kv| kv.value)),
                            Err(VssError::NoSuchKeyError(_)) => Ok(None),
                            Err(e) => Err(e),
                        };
                        value.map(|v| (request.key, v))
                    });
                }
                while let Some(read) = reads.join_next().await {
                    out.push(read.map_err(|e| VssError::InternalError(e.to_string()))??);
                }
            }
            Ok(out)
        })
    }

    /// Lists the store: its global version and every key in it.
    fn list(&self) -> Result<Known, VssError> {
        let mut known = Known::default();
        let mut token = None;
        let mut first = true;
        loop {
            let request = ListKeyVersionsRequest {
                store_id: self.store_id.clone(),
                key_prefix: None,
                page_size: None,
                page_token: token.take(),
            };
            let client = self.client.clone();
            let page = self.call(async move { client.list_key_versions(&request).await })?;
            if first {
                known.version = page.global_version.unwrap_or(0);
                first = false;
            }
            known
                .keys
                .extend(page.key_versions.into_iter().map(|kv| kv.key));
            match page.next_page_token {
                Some(t) if !t.is_empty() => token = Some(t),
                _ => return Ok(known),
            }
        }
    }

    /// The value of `key`; `None` when the store has no such key.
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, VssError> {
        let request = GetObjectRequest {
            store_id: self.store_id.clone(),
            key: key.to_string(),
        };
        let client = self.client.clone();
        match self.call(async move { client.get_object(&request).await }) {
            Ok(r) => Ok(r.value.map(|kv| kv.value)),
            Err(VssError::NoSuchKeyError(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes `puts` and removes `removes` in one transaction on top of the store's version as
    /// this copy knows it.
    fn put(&self, puts: Vec<(String, Vec<u8>)>, removes: Vec<String>) -> std::io::Result<()> {
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        let removes: Vec<String> = removes
            .into_iter()
            .filter(|k| known.keys.contains(k))
            .collect();
        if puts.is_empty() && removes.is_empty() {
            return Ok(());
        }
        let item = |key: String, value: Vec<u8>| KeyValue {
            key,
            // The store's global version orders every write: no per-key check on top.
            version: -1,
            value,
        };
        let request = PutObjectRequest {
            store_id: self.store_id.clone(),
            global_version: Some(known.version),
            transaction_items: puts
                .iter()
                .map(|(k, v)| item(k.clone(), v.clone()))
                .collect(),
            delete_items: removes
                .iter()
                .map(|k| item(k.clone(), Vec::new()))
                .collect(),
        };
        let client = self.client.clone();
        let first = request.clone();
        match self.call(async move { client.put_object(&first).await }) {
            Ok(_) => {}
            Err(VssError::ConflictError(_)) => {
                // Something else wrote since: whose write was it?
                let manifest = self.read_manifest().map_err(std::io::Error::other)?;
                if manifest.is_none_or(|m| m.writer_id != self.writer_id) {
                    return Err(std::io::Error::other(TakenOver));
                }
                log::warn!("a second copy of this data folder writes to the backup server");
                *known = self.list().map_err(|e| std::io::Error::other(reason(&e)))?;
                let again = PutObjectRequest {
                    global_version: Some(known.version),
                    delete_items: request
                        .delete_items
                        .into_iter()
                        .filter(|kv| known.keys.contains(&kv.key))
                        .collect(),
                    ..request
                };
                let client = self.client.clone();
                self.call(async move { client.put_object(&again).await })
                    .map_err(|e| std::io::Error::other(reason(&e)))?;
            }
            Err(e) => return Err(std::io::Error::other(reason(&e))),
        }
        known.version += 1;
        for (k, _) in puts {
            known.keys.insert(k);
        }
        for k in removes {
            known.keys.remove(&k);
        }
        Ok(())
    }

    fn read_manifest(&self) -> Result<Option<Manifest>, BackupError> {
        let Some(body) = self.get(MANIFEST_KEY).map_err(|e| self.unreadable(&e))? else {
            return Ok(None);
        };
        let damaged = || BackupError::Damaged {
            file: format!("{} ({MANIFEST_KEY})", self.url),
        };
        let (_, text) = self
            .keys
            .open(MANIFEST_NAME, &body)
            .map_err(|_| damaged())?;
        let text = String::from_utf8(text).map_err(|_| damaged())?;
        let manifest: Manifest = toml::from_str(&text).map_err(|_| damaged())?;
        if manifest.format != FORMAT {
            return Err(BackupError::UnknownFormat {
                folder: self.url.clone(),
                format: manifest.format,
            });
        }
        Ok(Some(manifest))
    }

    fn sealed_manifest(&self, manifest: &Manifest) -> Result<Vec<u8>, BackupError> {
        let text = toml::to_string_pretty(manifest).map_err(|e| self.unwritable(e.to_string()))?;
        let name = EntryName::new("shandian", "", "manifest");
        Ok(self.keys.seal(MANIFEST_NAME, &name, text.as_bytes()))
    }

    fn check_keys(&self) -> Result<(), BackupError> {
        let damaged = || BackupError::Damaged {
            file: format!("{} ({CHECK_KEY})", self.url),
        };
        let body = self
            .get(CHECK_KEY)
            .map_err(|e| self.unreadable(&e))?
            .ok_or_else(damaged)?;
        match self.keys.open(CHECK_NAME, &body) {
            Ok((_, value)) if value == CHECK_VALUE => Ok(()),
            _ => Err(damaged()),
        }
    }

    fn unreadable(&self, e: &VssError) -> BackupError {
        BackupError::Unreadable {
            folder: self.url.clone(),
            reason: reason(e),
        }
    }

    fn unwritable(&self, reason: String) -> BackupError {
        BackupError::Unwritable {
            folder: self.url.clone(),
            reason,
        }
    }

    fn refresh(&self) -> Result<(), BackupError> {
        let known = self.list().map_err(|e| self.unreadable(&e))?;
        *self.known.lock().unwrap_or_else(|p| p.into_inner()) = known;
        Ok(())
    }

    /// Sets up (or takes up again) the backup of the wallet whose data folder has `writer_id`
    /// on the server at `url`. Refuses a backup there that another copy of the wallet writes.
    pub fn prepare(
        url: &str,
        network: &str,
        keys: Arc<BackupKeys>,
        writer_id: &str,
    ) -> Result<Self, BackupError> {
        let mut server = Self::connect(url, network, keys)?;
        server.writer_id = writer_id.to_string();
        server.refresh()?;
        match server.read_manifest()? {
            Some(m) if m.writer_id != writer_id => Err(BackupError::OtherWriter {
                folder: url.to_string(),
            }),
            Some(_) => server.check_keys().map(|()| server),
            None => {
                let check = EntryName::new("shandian", "", "check");
                let manifest = Manifest {
                    format: FORMAT,
                    network: network.to_string(),
                    writer_id: writer_id.to_string(),
                    created_at: crate::core::shared::now(),
                };
                let puts = vec![
                    (
                        CHECK_KEY.to_string(),
                        server.keys.seal(CHECK_NAME, &check, CHECK_VALUE),
                    ),
                    (MANIFEST_KEY.to_string(), server.sealed_manifest(&manifest)?),
                ];
                server
                    .put(puts, Vec::new())
                    .map_err(|e| server.unwritable(e.to_string()))?;
                Ok(server)
            }
        }
    }

    /// Finds the wallet's backup on the server at `url` to restore from, with the words' keys.
    pub fn find(url: &str, network: &str, keys: Arc<BackupKeys>) -> Result<Self, BackupError> {
        let mut server = Self::connect(url, network, keys)?;
        server.refresh()?;
        let manifest = server
            .read_manifest()?
            .ok_or_else(|| BackupError::NotFound {
                folder: url.to_string(),
            })?;
        if manifest.network != network {
            return Err(BackupError::Damaged {
                file: format!("{url} ({MANIFEST_KEY})"),
            });
        }
        server.check_keys()?;
        server.writer_id = manifest.writer_id;
        Ok(server)
    }
}

impl Medium for BackupServer {
    fn place(&self) -> BackupPlace {
        BackupPlace::Server {
            server: self.url.clone(),
        }
    }

    fn writer_id(&self) -> &str {
        &self.writer_id
    }

    fn take_over(&mut self, writer_id: &str) -> Result<(), BackupError> {
        self.refresh()?;
        let mut manifest = self.read_manifest()?.ok_or_else(|| BackupError::NotFound {
            folder: self.url.clone(),
        })?;
        manifest.writer_id = writer_id.to_string();
        let sealed = self.sealed_manifest(&manifest)?;
        // Written as the new writer: a conflict here is someone else's write in between.
        self.writer_id = writer_id.to_string();
        self.put(vec![(MANIFEST_KEY.to_string(), sealed)], Vec::new())
            .map_err(|e| self.unwritable(e.to_string()))
    }

    fn write(&self, name: &EntryName, value: &[u8]) -> std::io::Result<()> {
        let stored = self.stored_name(name);
        let body = self.keys.seal(&stored, name, value);
        self.put(vec![(format!("{ENTRY_PREFIX}{stored}"), body)], Vec::new())
    }

    fn remove(&self, name: &EntryName) -> std::io::Result<()> {
        self.remove_stored(&self.stored_name(name))
    }

    fn write_index(&self, index: &Index) -> std::io::Result<()> {
        self.put(
            vec![(INDEX_KEY.to_string(), index.seal(&self.keys)?)],
            Vec::new(),
        )
    }

    fn read_index(&self) -> Result<Option<Index>, BackupError> {
        let Some(body) = self.get(INDEX_KEY).map_err(|e| self.unreadable(&e))? else {
            return Ok(None);
        };
        Index::open(&self.keys, &body)
            .map(Some)
            .ok_or_else(|| BackupError::Damaged {
                file: format!("{} ({INDEX_KEY})", self.url),
            })
    }

    fn read_all(&self) -> Result<Entries, BackupError> {
        let keys: Vec<String> = self
            .stored_names()
            .map_err(|e| BackupError::Unreadable {
                folder: self.url.clone(),
                reason: e.to_string(),
            })?
            .into_iter()
            .map(|stored| format!("{ENTRY_PREFIX}{stored}"))
            .collect();
        let mut entries = Vec::with_capacity(keys.len());
        for (key, body) in self.get_many(keys).map_err(|e| self.unreadable(&e))? {
            let damaged = || BackupError::Damaged {
                file: format!("{} ({key})", self.url),
            };
            // Listed a moment ago: gone now means another writer removed it.
            let body = body.ok_or_else(damaged)?;
            let stored = key.strip_prefix(ENTRY_PREFIX).unwrap_or(&key);
            match self.keys.open(stored, &body) {
                Ok(entry) => entries.push(entry),
                Err(OpenFailure::NotABackupFile | OpenFailure::WrongKeyOrDamaged) => {
                    return Err(damaged())
                }
            }
        }
        Ok(entries)
    }

    fn stored_names(&self) -> std::io::Result<BTreeSet<String>> {
        let listed = self.list().map_err(|e| std::io::Error::other(reason(&e)))?;
        let names = listed
            .keys
            .iter()
            .filter_map(|k| k.strip_prefix(ENTRY_PREFIX))
            .map(str::to_string)
            .collect();
        // Only a listing at the version this copy wrote last tells what this copy's writes left;
        // the version itself is never taken from a listing here, or another writer's write would
        // go unseen.
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        if listed.version == known.version {
            known.keys = listed.keys;
        }
        Ok(names)
    }

    fn stored_name(&self, name: &EntryName) -> String {
        self.keys.file_name(name)
    }

    fn entry_name_of(&self, stored: &str) -> Option<EntryName> {
        let body = self.get(&format!("{ENTRY_PREFIX}{stored}")).ok()??;
        self.keys.open(stored, &body).ok().map(|(name, _)| name)
    }

    fn remove_stored(&self, stored: &str) -> std::io::Result<()> {
        self.put(Vec::new(), vec![format!("{ENTRY_PREFIX}{stored}")])
    }
}

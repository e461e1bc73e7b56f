//! A VSS server of one's own on loopback, for the backup drills and a tester's Lab: LDK's
//! `vss-server` (built by `scripts/vss-server.sh`) on a PostgreSQL cluster made for it in a
//! temporary folder (Debian's PostgreSQL binaries). Dropping it stops both.
//!
//! PostgreSQL refuses to run as root: under root the cluster belongs to the `postgres` system
//! user Debian's package creates, and its processes run as that user.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::core::shared::free_loopback_port;
use crate::lab::chain::LabError;

/// The vss-server release the script builds (crates.io's `vss-server`).
pub const VSS_SERVER_VERSION: &str = "0.1.0-alpha.0";
/// How long PostgreSQL or vss-server may take to open its port.
const START_TIMEOUT: Duration = Duration::from_secs(60);
const DB_USER: &str = "vss";

/// `$SHANDIAN_VSS_SERVER` when set, else the cache the script fills.
pub fn vss_server_exe() -> Result<PathBuf, LabError> {
    let exe = match std::env::var_os("SHANDIAN_VSS_SERVER") {
        Some(p) => PathBuf::from(p),
        None => std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .unwrap_or_default()
            .join("shandian")
            .join(format!("vss-server-{VSS_SERVER_VERSION}"))
            .join("bin")
            .join("vss-server"),
    };
    if exe.is_file() {
        Ok(exe)
    } else {
        Err(LabError::ToolsMissing(exe))
    }
}

/// Debian's PostgreSQL binaries (the newest version installed).
fn postgres_bin() -> Result<PathBuf, LabError> {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(root)
        .map_err(|_| LabError::ToolsMissing(root.to_path_buf()))?
        .filter_map(|e| {
            let e = e.ok()?;
            let v = e.file_name().to_str()?.parse().ok()?;
            Some((v, e.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("postgres").is_file())
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| LabError::ToolsMissing(root.to_path_buf()))
}

fn start_err(what: &str, e: impl std::fmt::Display) -> LabError {
    LabError::Start(format!("{what}: {e}"))
}

/// Under root: the `postgres` system user's uid and gid, which the cluster belongs to.
fn cluster_owner() -> Result<Option<(u32, u32)>, LabError> {
    let root = std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false);
    if !root {
        return Ok(None);
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() > 3 && f[0] == "postgres")
                .then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))
        })
        .flatten()
        .map(Some)
        .ok_or_else(|| {
            start_err(
                "postgres",
                "runs as root only through the postgres user, and there is none",
            )
        })
}

/// A command run as the cluster's owner (itself, not through a wrapper: killing it stops it).
fn as_owner(exe: &Path, owner: Option<(u32, u32)>) -> Command {
    let mut c = Command::new(exe);
    if let Some((uid, gid)) = owner {
        std::os::unix::process::CommandExt::uid(&mut c, uid);
        std::os::unix::process::CommandExt::gid(&mut c, gid);
    }
    c
}

/// Waits until `ready` says the process answers, or it exits, or [`START_TIMEOUT`] passes.
fn wait_until(
    what: &str,
    process: &mut Child,
    log: &Path,
    mut ready: impl FnMut() -> Result<bool, LabError>,
) -> Result<(), LabError> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Ok(Some(status)) = process.try_wait() {
            let said = std::fs::read_to_string(log).unwrap_or_default();
            let last: Vec<&str> = said.lines().rev().take(5).collect();
            return Err(start_err(
                what,
                format!("exited at start ({status}): {}", last.join(" / ")),
            ));
        }
        if ready()? {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(start_err(what, "it did not answer in time"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether something listens on loopback `port`.
fn port_open(port: u16) -> Result<bool, LabError> {
    Ok(TcpStream::connect(("127.0.0.1", port)).is_ok())
}

/// Whether PostgreSQL on `port` accepts connections (`pg_isready`, which ships beside it): its
/// port opens before it does ("the database system is starting up").
fn accepting(bin: &Path, port: u16) -> Result<bool, LabError> {
    Command::new(bin.join("pg_isready"))
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .map_err(|e| start_err("pg_isready", e))
}

fn kill(process: &mut Child) {
    let _ = process.kill();
    let _ = process.wait();
}

/// A running VSS server and its database.
pub struct LocalVss {
    postgres: Child,
    server: Option<Child>,
    exe: PathBuf,
    server_port: u16,
    folder: tempfile::TempDir,
}

impl std::fmt::Debug for LocalVss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalVss")
            .field("url", &self.url())
            .finish()
    }
}

impl LocalVss {
    /// Makes a database cluster and starts PostgreSQL and vss-server on free loopback ports.
    /// Blocking: seconds.
    pub fn start() -> Result<Self, LabError> {
        let exe = vss_server_exe()?;
        let bin = postgres_bin()?;
        let mut folder = tempfile::tempdir().map_err(|e| start_err("a folder", e))?;
        // The databases' and the server's logs, kept to read after a failure.
        if std::env::var_os("SHANDIAN_KEEP_VSS_LOGS").is_some() {
            folder.disable_cleanup(true);
            log::info!(
                "the VSS server's folder is kept: {}",
                folder.path().display()
            );
        }
        let data = folder.path().join("pgdata");
        let sockets = folder.path().join("sockets");
        for d in [&data, &sockets] {
            std::fs::create_dir(d).map_err(|e| start_err("a folder", e))?;
        }
        let owner = cluster_owner()?;
        if let Some((uid, gid)) = owner {
            for d in [folder.path(), &data, &sockets] {
                std::os::unix::fs::chown(d, Some(uid), Some(gid))
                    .map_err(|e| start_err("a folder", e))?;
            }
        }
        let init = as_owner(&bin.join("initdb"), owner)
            .arg("-D")
            .arg(&data)
            .args(["-U", DB_USER, "--auth=trust", "-E", "UTF8", "--no-sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| start_err("initdb", e))?;
        if !init.status.success() {
            return Err(start_err(
                "initdb",
                String::from_utf8_lossy(&init.stderr).trim().to_string(),
            ));
        }
        let pg_port = free_loopback_port().map_err(|e| start_err("a port", e))?;
        let pg_log = folder.path().join("postgres.log");
        let mut postgres = as_owner(&bin.join("postgres"), owner)
            .arg("-D")
            .arg(&data)
            .args(["-h", "127.0.0.1", "-p", &pg_port.to_string()])
            .arg("-k")
            .arg(&sockets)
            // PostgreSQL's own defaults (fsync and synchronous commit on): a write the server
            // answered is on its disk, as on a real server, and the benchmark pays for that.
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&pg_log).map_err(|e| start_err("a log", e))?)
            .spawn()
            .map_err(|e| start_err("postgres", e))?;
        // vss-server started before PostgreSQL accepts connections exits at once.
        if let Err(e) = wait_until("postgres", &mut postgres, &pg_log, || {
            accepting(&bin, pg_port)
        }) {
            kill(&mut postgres);
            return Err(e);
        }
        let server_port = free_loopback_port().map_err(|e| start_err("a port", e))?;
        let config = format!(
            "[server_config]\nbind_address = \"127.0.0.1:{server_port}\"\n\n\
             [postgresql_config]\nusername = \"{DB_USER}\"\npassword = \"unused\"\n\
             address = \"127.0.0.1:{pg_port}\"\ndefault_database = \"postgres\"\n\
             vss_database = \"vss\"\n\n[log_config]\nlevel = \"info\"\nfile = \"{}\"\n",
            folder.path().join("vss.log").display()
        );
        std::fs::write(folder.path().join("vss.toml"), config)
            .map_err(|e| start_err("vss.toml", e))?;
        let mut vss = LocalVss {
            postgres,
            server: None,
            exe,
            server_port,
            folder,
        };
        vss.start_server()?;
        Ok(vss)
    }

    /// The server's base URL, as a person types it into Settings.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/vss", self.server_port)
    }

    fn start_server(&mut self) -> Result<(), LabError> {
        let log = self.folder.path().join("vss-server.out");
        let mut server = Command::new(&self.exe)
            .arg(self.folder.path().join("vss.toml"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).map_err(|e| start_err("a log", e))?)
            .spawn()
            .map_err(|e| start_err("vss-server", e))?;
        let port = self.server_port;
        if let Err(e) = wait_until("vss-server", &mut server, &log, || port_open(port)) {
            kill(&mut server);
            return Err(e);
        }
        self.server = Some(server);
        Ok(())
    }

    /// Stops the server (the database keeps what it holds): as a server that went down.
    pub fn stop_server(&mut self) {
        if let Some(mut s) = self.server.take() {
            kill(&mut s);
        }
    }

    /// Starts the server again on the same port, with everything it held.
    pub fn restart_server(&mut self) -> Result<(), LabError> {
        self.stop_server();
        self.start_server()
    }
}

impl Drop for LocalVss {
    fn drop(&mut self) {
        self.stop_server();
        kill(&mut self.postgres);
    }
}

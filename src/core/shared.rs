//! Small helpers every part of core uses, below all of them: the clock, random ids, loopback
//! ports, what a URL may be, running blocking calls off the async threads.

/// Unix seconds now (0 if the clock is before 1970).
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A random id of `bytes` bytes as hex, from the OS random source: names a keyring entry, a data
/// folder that writes a backup.
pub fn random_id(bytes: usize) -> String {
    use ldk_node::bitcoin::hex::DisplayHex;
    use rand::RngCore;
    let mut id = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut id);
    id.to_lower_hex_string()
}

/// A TCP port on loopback that nobody listens on right now (the OS picks it).
pub fn free_loopback_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// `https://`, or `http://` to this computer itself (a server of one's own, the tests'): what
/// Shandian reads from or writes to a server over HTTP must not cross a network in the clear.
pub fn https_or_loopback(url: &str) -> bool {
    if url.starts_with("https://") {
        return true;
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => authority,
    };
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// Runs a blocking call off the async threads (`core::blocking` for core's own error): `failed` says that the call panicked or was cancelled.
pub async fn off_thread<T: Send + 'static, E: Send + 'static>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
    failed: impl FnOnce(String) -> E,
) -> Result<T, E> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| failed(e.to_string()))?
}

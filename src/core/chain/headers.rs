//! New blocks as the Electrum server announces them. An Electrum server pushes a notification
//! to every connection that subscribed to `blockchain.headers.subscribe` as soon as it has
//! indexed a new tip, so the wallet can sync within a moment of a block instead of at LDK Node's
//! next background round (80 s by default).
//!
//! electrum-client reads the socket only while it waits for an answer to a request of its own,
//! so a notification would sit unread until the next request: this keeps one connection of its
//! own on the async runtime and reads every line as it comes.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// How long connecting (and the TLS handshake) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A ping this often keeps the connection from looking idle to the server (public servers drop
/// quiet connections after a few minutes) and finds a dead one.
const PING_INTERVAL: Duration = Duration::from_secs(60);
/// How long the server has to answer the subscription or a ping.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest line the feed reads (a header notification is a few hundred bytes): a server
/// that sends more without a newline is not read into memory without end.
const MAX_LINE: usize = 64 * 1024;

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum FeedError {
    #[error("not an Electrum server address: {0}")]
    BadUrl(String),
    #[error("could not reach the Electrum server: {0}")]
    Connect(String),
    #[error("the Electrum server closed the connection")]
    Closed,
    #[error("the Electrum server did not answer in time")]
    Silent,
    #[error("the Electrum server sent something that is not JSON-RPC: {0}")]
    Garbled(String),
}

/// Follows the server's tip: connects to `url` (`tcp://host:port` or `ssl://host:port`),
/// subscribes to new headers and calls `tip` with the height of the tip at subscription and of
/// every tip announced after. Returns only when the connection fails (the caller connects again).
pub async fn follow(url: &str, mut tip: impl FnMut(u32)) -> FeedError {
    let (tls, host, port) = match parse(url) {
        Ok(parts) => parts,
        Err(e) => return e,
    };
    let tcp = match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect((host, port))).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return FeedError::Connect(e.to_string()),
        Err(_) => return FeedError::Connect("timed out".into()),
    };
    let _ = tcp.set_nodelay(true);
    if !tls {
        return run(tcp, &mut tip).await;
    }
    let name = match rustls::pki_types::ServerName::try_from(host.to_string()) {
        Ok(n) => n,
        Err(_) => return FeedError::BadUrl(url.to_string()),
    };
    let handshake = tls_connector().connect(name, tcp);
    match tokio::time::timeout(CONNECT_TIMEOUT, handshake).await {
        Ok(Ok(s)) => run(s, &mut tip).await,
        Ok(Err(e)) => FeedError::Connect(e.to_string()),
        Err(_) => FeedError::Connect("the TLS handshake timed out".into()),
    }
}

/// The server's certificate is checked against the same web roots electrum-client (and so LDK
/// Node's own chain source) trusts.
fn tls_connector() -> tokio_rustls::TlsConnector {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

fn parse(url: &str) -> Result<(bool, &str, u16), FeedError> {
    let bad = || FeedError::BadUrl(url.to_string());
    let (tls, rest) = if let Some(rest) = url.strip_prefix("ssl://") {
        (true, rest)
    } else {
        (false, url.strip_prefix("tcp://").unwrap_or(url))
    };
    let (host, port) = rest.rsplit_once(':').ok_or_else(bad)?;
    let port = port.parse().map_err(|_| bad())?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    Ok((tls, host, port))
}

const SUBSCRIBE_ID: u64 = 0;

async fn run<S: AsyncRead + AsyncWrite + Unpin>(stream: S, tip: &mut impl FnMut(u32)) -> FeedError {
    let (read, mut write) = tokio::io::split(stream);
    let mut reader = BufReader::new(read);
    // The line being read; what a cancelled read got so far stays in it.
    let mut buf = Vec::new();
    let mut next_id = SUBSCRIBE_ID;
    let mut request = |method: &str| {
        let line = serde_json::json!({
            "jsonrpc": "2.0", "id": next_id, "method": method, "params": []
        });
        next_id += 1;
        format!("{line}\n")
    };
    if let Err(e) = write
        .write_all(request("blockchain.headers.subscribe").as_bytes())
        .await
    {
        return FeedError::Connect(e.to_string());
    }
    // An answer owed by the server, and since when.
    let mut awaiting = Some(tokio::time::Instant::now());
    let mut ping =
        tokio::time::interval_at(tokio::time::Instant::now() + PING_INTERVAL, PING_INTERVAL);
    loop {
        let deadline = awaiting.map(|since| since + ANSWER_TIMEOUT);
        let mut capped = (&mut reader).take(MAX_LINE as u64 + 1);
        tokio::select! {
            read = capped.read_until(b'\n', &mut buf) => {
                match read {
                    Ok(0) => return FeedError::Closed,
                    Ok(_) => {}
                    Err(e) => return FeedError::Connect(e.to_string()),
                }
                if buf.len() > MAX_LINE {
                    return FeedError::Garbled(format!("a line longer than {MAX_LINE} bytes"));
                }
                if buf.last() != Some(&b'\n') {
                    continue;
                }
                let line = String::from_utf8_lossy(&buf).into_owned();
                buf.clear();
                match read_line(line.trim_end()) {
                    Ok(Line::Tip(height)) => {
                        awaiting = None;
                        tip(height);
                    }
                    Ok(Line::Answer) => awaiting = None,
                    Err(e) => return e,
                }
            }
            _ = ping.tick() => {
                if let Err(e) = write.write_all(request("server.ping").as_bytes()).await {
                    return FeedError::Connect(e.to_string());
                }
                awaiting.get_or_insert_with(tokio::time::Instant::now);
            }
            _ = async {
                match deadline {
                    Some(d) => tokio::time::sleep_until(d).await,
                    None => std::future::pending().await,
                }
            } => return FeedError::Silent,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// The subscription's answer or a notification: the server's tip height.
    Tip(u32),
    /// Any other answer (a ping's).
    Answer,
}

fn read_line(line: &str) -> Result<Line, FeedError> {
    let garbled = || FeedError::Garbled(line.chars().take(120).collect());
    let v: serde_json::Value = serde_json::from_str(line).map_err(|_| garbled())?;
    let header = if v.get("method").and_then(|m| m.as_str()) == Some("blockchain.headers.subscribe")
    {
        v.get("params").and_then(|p| p.get(0))
    } else if v.get("id").and_then(|i| i.as_u64()) == Some(SUBSCRIBE_ID) {
        if let Some(e) = v.get("error") {
            return Err(FeedError::Garbled(e.to_string()));
        }
        v.get("result")
    } else if v.get("id").is_some() {
        return Ok(Line::Answer);
    } else {
        // A notification of something we did not subscribe to.
        return Ok(Line::Answer);
    };
    header
        .and_then(|h| h.get("height"))
        .and_then(|h| h.as_u64())
        .and_then(|h| u32::try_from(h).ok())
        .map(Line::Tip)
        .ok_or_else(garbled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subscription_answer_and_notifications_carry_the_tip() {
        assert_eq!(
            read_line(r#"{"jsonrpc":"2.0","id":0,"result":{"height":101,"hex":"00"}}"#),
            Ok(Line::Tip(101))
        );
        assert_eq!(
            read_line(
                r#"{"jsonrpc":"2.0","method":"blockchain.headers.subscribe","params":[{"height":102,"hex":"00"}]}"#
            ),
            Ok(Line::Tip(102))
        );
        assert_eq!(
            read_line(r#"{"jsonrpc":"2.0","id":1,"result":null}"#),
            Ok(Line::Answer)
        );
        assert!(matches!(read_line("not json"), Err(FeedError::Garbled(_))));
        assert!(matches!(
            read_line(r#"{"id":0,"error":{"code":1,"message":"no"}}"#),
            Err(FeedError::Garbled(_))
        ));
    }

    #[test]
    fn urls_say_whether_tls_is_used() {
        assert_eq!(
            parse("tcp://127.0.0.1:50001"),
            Ok((false, "127.0.0.1", 50001))
        );
        assert_eq!(
            parse("ssl://example.org:50002"),
            Ok((true, "example.org", 50002))
        );
        assert_eq!(parse("[::1]:50001"), Ok((false, "::1", 50001)));
        assert!(parse("tcp://nohost").is_err());
    }

    /// A server that answers the subscription, then announces two tips and hangs up: every tip
    /// reaches the caller in order, then the feed says the connection closed.
    #[tokio::test]
    async fn a_fake_server_pushes_tips() {
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("tcp://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let (s, _) = listener.accept().await.unwrap();
            let (r, mut w) = tokio::io::split(s);
            let mut lines = BufReader::new(r).lines();
            let req = lines.next_line().await.unwrap().unwrap();
            assert!(req.contains("blockchain.headers.subscribe"), "{req}");
            for line in [
                r#"{"jsonrpc":"2.0","id":0,"result":{"height":7,"hex":""}}"#,
                r#"{"jsonrpc":"2.0","method":"blockchain.headers.subscribe","params":[{"height":8,"hex":""}]}"#,
                r#"{"jsonrpc":"2.0","method":"blockchain.headers.subscribe","params":[{"height":9,"hex":""}]}"#,
            ] {
                w.write_all(format!("{line}\n").as_bytes()).await.unwrap();
            }
        });
        let mut seen = Vec::new();
        let end = follow(&url, |h| seen.push(h)).await;
        server.await.unwrap();
        assert_eq!(seen, vec![7, 8, 9]);
        assert_eq!(end, FeedError::Closed);
    }

    /// A server that answers with a line that never ends: the feed stops at its cap and says
    /// so, rather than reading it into memory without end.
    #[tokio::test]
    async fn an_endless_line_is_cut_at_the_cap() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("tcp://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let chunk = vec![b'x'; 16 * 1024];
            // More than the cap, without a newline; the feed hangs up first.
            for _ in 0..(MAX_LINE / chunk.len() + 4) {
                if s.write_all(&chunk).await.is_err() {
                    return;
                }
            }
        });
        let end = follow(&url, |_| {}).await;
        assert!(
            matches!(&end, FeedError::Garbled(why) if why.contains("longer than")),
            "{end:?}"
        );
        server.abort();
    }
}

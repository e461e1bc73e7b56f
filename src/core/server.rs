//! Whether the Electrum server answers, watched over a connection of our own: LDK Node only logs
//! a failed background sync, so without this a person would see stale balances and no reason.
//! A server that comes back is noticed within a few seconds and the wallet syncs at once.

use std::sync::Mutex;
use std::time::Duration;

use electrum_client::{Client, ConfigBuilder, ElectrumApi};

/// How often the server is asked whether it is there.
pub const CHECK_INTERVAL: Duration = Duration::from_secs(2);
/// How long one check may wait for an answer (seconds).
const TIMEOUT_SECS: u8 = 3;

/// What Home shows about the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerStatus {
    /// The server's address, as configured.
    pub url: String,
    /// Unix seconds since when the server has not answered; `None` while it answers.
    pub unreachable_since: Option<u64>,
}

/// What a check found, when it differs from the check before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    WentAway,
    CameBack,
}

pub struct ServerWatch {
    url: String,
    client: Mutex<Option<Client>>,
    status: Mutex<ServerStatus>,
}

impl std::fmt::Debug for ServerWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerWatch")
            .field("url", &self.url)
            .finish()
    }
}

impl ServerWatch {
    pub fn new(url: &str) -> Self {
        ServerWatch {
            url: url.to_string(),
            client: Mutex::new(None),
            status: Mutex::new(ServerStatus {
                url: url.to_string(),
                unreachable_since: None,
            }),
        }
    }

    pub fn status(&self) -> ServerStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Asks the server for a ping (connecting again if the last connection broke). Blocks for
    /// at most a few seconds: call from `spawn_blocking`.
    pub fn check(&self) -> Option<Change> {
        let mut client = self.client.lock().unwrap_or_else(|p| p.into_inner());
        if client.is_none() {
            let config = ConfigBuilder::new()
                .timeout(Some(TIMEOUT_SECS))
                .retry(0)
                .build();
            *client = Client::from_config(&self.url, config).ok();
        }
        let answered = client.as_ref().is_some_and(|c| c.ping().is_ok());
        if !answered {
            // A broken connection is not reused: the next check connects afresh.
            *client = None;
        }
        let mut status = self.status.lock().unwrap_or_else(|p| p.into_inner());
        match (answered, status.unreachable_since) {
            (false, None) => {
                log::warn!("the Electrum server {} does not answer", self.url);
                status.unreachable_since = Some(super::now());
                Some(Change::WentAway)
            }
            (true, Some(_)) => {
                log::info!("the Electrum server {} answers again", self.url);
                status.unreachable_since = None;
                Some(Change::CameBack)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_that_never_answers_is_unreachable_since_the_first_check() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("tcp://127.0.0.1:{}", listener.local_addr().unwrap().port());
        drop(listener);
        let watch = ServerWatch::new(&url);
        assert_eq!(watch.check(), Some(Change::WentAway));
        let since = watch.status().unreachable_since.expect("unreachable");
        // Still away: no new change, the first moment is kept.
        assert_eq!(watch.check(), None);
        assert_eq!(watch.status().unreachable_since, Some(since));
    }
}

//! Which Electrum server a wallet talks to: a given URL, or on regtest without one, the local
//! playground chain that Shandian starts (and stops) itself.

use std::sync::Arc;

use super::config::Network;
use super::dirs::NetworkDir;
use super::playground::LocalChain;
use super::Error;

#[derive(Debug, Clone)]
pub enum Backend {
    Remote(String),
    Local(Arc<LocalChain>),
}

impl Backend {
    pub fn electrum_url(&self) -> String {
        match self {
            Backend::Remote(url) => url.clone(),
            Backend::Local(chain) => chain.electrum_url(),
        }
    }

    pub fn local_chain(&self) -> Option<&Arc<LocalChain>> {
        match self {
            Backend::Local(chain) => Some(chain),
            Backend::Remote(_) => None,
        }
    }

    /// Starts what `electrum_url` asks for: `None` on regtest means the playground chain, kept
    /// in the network folder so it survives restarts.
    pub async fn start(dir: &NetworkDir, electrum_url: Option<String>) -> Result<Backend, Error> {
        match (electrum_url, dir.network()) {
            (Some(url), _) => Ok(Backend::Remote(super::config::validate_electrum_url(&url)?)),
            (None, Network::Regtest) => {
                let chain_dir = dir.chain_dir();
                let chain =
                    tokio::task::spawn_blocking(move || LocalChain::start(Some(&chain_dir)))
                        .await
                        .map_err(|e| Error::Internal(e.to_string()))??;
                Ok(Backend::Local(Arc::new(chain)))
            }
            (None, network) => Ok(Backend::Remote(
                network
                    .default_electrum_url()
                    .unwrap_or_default()
                    .to_string(),
            )),
        }
    }
}

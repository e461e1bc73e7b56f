//! The bitcoin network a wallet lives on (not the Lightning graph, which is `lightning::graph`).
//! Below every other part of core: storage, the paste parser and the keyring all name it.

use std::fmt;
use std::str::FromStr;

use ldk_node::bitcoin::Network as BtcNetwork;
use serde::{Deserialize, Serialize};

/// The networks Shandian runs on. Regtest is the embedded default: a local chain the app starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    Regtest,
    Signet,
    Testnet,
    Mainnet,
}

impl Network {
    pub const ALL: [Network; 4] = [
        Network::Regtest,
        Network::Signet,
        Network::Testnet,
        Network::Mainnet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Network::Regtest => "regtest",
            Network::Signet => "signet",
            Network::Testnet => "testnet",
            Network::Mainnet => "mainnet",
        }
    }

    pub fn to_bitcoin(self) -> BtcNetwork {
        match self {
            Network::Regtest => BtcNetwork::Regtest,
            Network::Signet => BtcNetwork::Signet,
            Network::Testnet => BtcNetwork::Testnet,
            Network::Mainnet => BtcNetwork::Bitcoin,
        }
    }

    /// A public Electrum server to start from; regtest has none (the Lab's chain supplies
    /// its own URL).
    pub fn default_electrum_url(self) -> Option<&'static str> {
        match self {
            Network::Regtest => None,
            Network::Signet => Some("ssl://mempool.space:60602"),
            Network::Testnet => Some("ssl://electrum.blockstream.info:60002"),
            Network::Mainnet => Some("ssl://electrum.blockstream.info:50002"),
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Network {
    type Err = UnknownNetwork;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "regtest" => Ok(Network::Regtest),
            "signet" => Ok(Network::Signet),
            "testnet" | "testnet3" => Ok(Network::Testnet),
            "mainnet" | "bitcoin" | "main" => Ok(Network::Mainnet),
            _ => Err(UnknownNetwork(s.to_string())),
        }
    }
}

/// A name that is none of Shandian's networks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown network {0:?}")]
pub struct UnknownNetwork(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_names_round_trip() {
        for n in Network::ALL {
            assert_eq!(n.as_str().parse::<Network>().unwrap(), n);
        }
        assert_eq!("bitcoin".parse::<Network>().unwrap(), Network::Mainnet);
        assert!(matches!(
            "litecoin".parse::<Network>(),
            Err(UnknownNetwork(_))
        ));
    }
}

//! Which network, which Electrum server, which language and theme: the choices a person makes,
//! stored per network as TOML next to the wallet's data.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::core::network::Network;
use crate::core::store::files::{set_aside, write_atomically, SetAside};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Language {
    #[default]
    #[serde(rename = "en")]
    English,
    #[serde(rename = "zh-CN")]
    SimplifiedChinese,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::SimplifiedChinese];

    /// The BCP 47 tag of the Fluent folder under `i18n/`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::SimplifiedChinese => "zh-CN",
        }
    }

    /// The language's own name, shown in the picker whatever the current language is.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::SimplifiedChinese => "简体中文",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.native_name())
    }
}

/// How amounts are written: in satoshis ("150,000 sat") or in bitcoin ("0.00150000 BTC").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AmountUnit {
    #[default]
    Sat,
    Btc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    #[default]
    Light,
    Dark,
}

/// What a person chose in Settings, kept in `settings.toml` of the network's data folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `None` on regtest means "the Lab's chain Shandian starts itself".
    pub electrum_url: Option<String>,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub theme: ThemeChoice,
    #[serde(default)]
    pub unit: AmountUnit,
    /// A Rapid Gossip Sync server: the graph comes from its snapshots instead of from peers'
    /// gossip (faster on a fresh mainnet wallet). `None`: peer-to-peer gossip.
    #[serde(default)]
    pub rapid_gossip_url: Option<String>,
    /// A Lightning Service Provider that opens a channel to this wallet as a payment arrives
    /// (LSPS2 just-in-time channels), so a wallet without channels can be paid. Read when the
    /// wallet opens.
    #[serde(default)]
    pub lsp: Option<LspSetting>,
    /// Fiat beside sats: a currency and where its rate comes from. `None`: sats only.
    #[serde(default)]
    pub fiat: Option<crate::core::fiat::FiatSetting>,
}

/// The LSP: its node (`pubkey@host:port`) and the token it may ask of its users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LspSetting {
    pub node: String,
    #[serde(default)]
    pub token: Option<String>,
}

impl Settings {
    pub fn defaults_for(network: Network) -> Self {
        Settings {
            electrum_url: network.default_electrum_url().map(str::to_string),
            language: Language::default(),
            theme: ThemeChoice::default(),
            unit: AmountUnit::default(),
            rapid_gossip_url: None,
            lsp: None,
            fiat: None,
        }
    }

    /// Reads the settings file, or the network's defaults when there is none yet.
    pub fn load(path: &Path, network: Network) -> Result<Self, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| ConfigError::Corrupt {
                path: path.display().to_string(),
                reason: e.message().to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::defaults_for(network)),
            Err(e) => Err(ConfigError::Io(e.to_string())),
        }
    }

    /// Reads the settings file for opening a wallet: a damaged one is set aside (kept as
    /// `settings.toml.damaged-<time>`) and the network's defaults are used, and the second value
    /// says so. A file that cannot be read at all (permissions) is still an error.
    pub fn load_or_set_aside(
        path: &Path,
        network: Network,
    ) -> Result<(Self, Option<SetAside>), ConfigError> {
        match Self::load(path, network) {
            Ok(s) => Ok((s, None)),
            Err(ConfigError::Corrupt { reason, .. }) => {
                Ok((Self::defaults_for(network), Some(set_aside(path, reason))))
            }
            Err(e) => Err(e),
        }
    }

    /// Writes atomically (own temp file, fsync, rename, folder fsync) so a crash never leaves
    /// half a file.
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let text = toml::to_string_pretty(self).map_err(|e| ConfigError::Io(e.to_string()))?;
        write_atomically(path, text.as_bytes()).map_err(|e| ConfigError::Io(e.to_string()))
    }
}

/// Checks what a person typed as an Electrum server: `tcp://host:port` or `ssl://host:port`.
pub fn validate_electrum_url(url: &str) -> Result<String, ConfigError> {
    let url = url.trim();
    let rest = url
        .strip_prefix("tcp://")
        .or_else(|| url.strip_prefix("ssl://"))
        .ok_or_else(|| ConfigError::BadElectrumUrl(url.to_string()))?;
    let (host, port) = rest
        .rsplit_once(':')
        .ok_or_else(|| ConfigError::BadElectrumUrl(url.to_string()))?;
    let port_ok = port.parse::<u16>().map(|p| p != 0).unwrap_or(false);
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
    if port_ok && host_ok {
        Ok(url.to_string())
    } else {
        Err(ConfigError::BadElectrumUrl(url.to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("not an Electrum server address: {0:?}")]
    BadElectrumUrl(String),
    #[error("settings file {path} is damaged: {reason}")]
    Corrupt { path: String, reason: String },
    #[error("settings could not be read or written: {0}")]
    Io(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regtest_has_no_public_server_and_others_do() {
        assert_eq!(Network::Regtest.default_electrum_url(), None);
        for n in [Network::Signet, Network::Testnet, Network::Mainnet] {
            let url = n.default_electrum_url().unwrap();
            assert_eq!(validate_electrum_url(url).unwrap(), url);
        }
    }

    #[test]
    fn electrum_url_validation() {
        assert!(validate_electrum_url("tcp://127.0.0.1:50001").is_ok());
        assert!(validate_electrum_url(" ssl://example.org:50002 ").is_ok());
        for bad in [
            "",
            "127.0.0.1:50001",
            "http://x:1",
            "tcp://:50001",
            "tcp://host",
            "tcp://host:0",
            "tcp://host:99999",
            "tcp://ho st:1",
        ] {
            assert!(validate_electrum_url(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn settings_save_and_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        let missing = Settings::load(&path, Network::Signet).unwrap();
        assert_eq!(missing, Settings::defaults_for(Network::Signet));
        let mut s = Settings::defaults_for(Network::Regtest);
        s.language = Language::SimplifiedChinese;
        s.theme = ThemeChoice::Dark;
        s.electrum_url = Some("tcp://127.0.0.1:1234".into());
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path, Network::Regtest).unwrap(), s);
        std::fs::write(&path, "language = 5").unwrap();
        assert!(matches!(
            Settings::load(&path, Network::Regtest),
            Err(ConfigError::Corrupt { .. })
        ));
        // Opening a wallet sets the damaged file aside and goes on with the defaults.
        let (s, aside) = Settings::load_or_set_aside(&path, Network::Regtest).unwrap();
        assert_eq!(s, Settings::defaults_for(Network::Regtest));
        let aside = aside.unwrap();
        assert_eq!(
            std::fs::read_to_string(aside.kept_as).unwrap(),
            "language = 5"
        );
        assert_eq!(
            Settings::load_or_set_aside(&path, Network::Regtest).unwrap(),
            (Settings::defaults_for(Network::Regtest), None)
        );
    }
}

//! The address of a VSS server, as a person types it.

use crate::core::shared::https_or_loopback;
use crate::core::store::backup::BackupError;

/// A VSS server's base URL as a person typed it, checked: `https://` (plain `http://` only to
/// this computer), no spaces, no trailing slash.
pub fn check_url(typed: &str) -> Result<String, BackupError> {
    let url = typed.trim().trim_end_matches('/');
    let host = url
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .unwrap_or("");
    if host.is_empty() || url.contains(char::is_whitespace) || !https_or_loopback(url) {
        return Err(BackupError::BadServerUrl {
            url: typed.trim().to_string(),
        });
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_url_is_https_or_this_computer() {
        assert_eq!(
            check_url(" https://vss.example.com/vss/ "),
            Ok("https://vss.example.com/vss".into())
        );
        assert_eq!(
            check_url("http://127.0.0.1:8080/vss"),
            Ok("http://127.0.0.1:8080/vss".into())
        );
        for bad in [
            "http://vss.example.com/vss",
            "vss.example.com",
            "https://",
            "https://a b",
        ] {
            assert!(
                matches!(check_url(bad), Err(BackupError::BadServerUrl { .. })),
                "{bad}"
            );
        }
    }
}

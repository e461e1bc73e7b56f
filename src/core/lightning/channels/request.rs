//! What a person asks for when opening a channel, checked before anything moves: the peer's
//! address (`pubkey@host:port`), the capacity and the push.

use std::str::FromStr;

use ldk_node::bitcoin::secp256k1::PublicKey;
use ldk_node::lightning::ln::msgs::SocketAddress;

use crate::core::input::{parse_amount_sat, InputError};
use crate::core::lightning::channels::ChannelError;
use crate::core::Error;

/// Smallest channel Shandian opens. Below this, the commitment fee and both reserves eat most
/// of the channel, and many peers refuse it.
pub const MIN_CHANNEL_SAT: u64 = 20_000;

/// Largest channel without the "large channel" (wumbo) extension, which LDK does not
/// negotiate by default.
pub const MAX_CHANNEL_SAT: u64 = (1 << 24) - 1;

/// A peer's address as a person pastes it: `pubkey@host:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerUri {
    pub node_id: PublicKey,
    pub address: SocketAddress,
}

impl PeerUri {
    pub fn parse(text: &str) -> Result<Self, ChannelError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ChannelError::EmptyUri);
        }
        let (key, address) = text.split_once('@').ok_or(ChannelError::MalformedUri)?;
        let node_id = PublicKey::from_str(key.trim()).map_err(|_| ChannelError::BadNodeId)?;
        let address =
            SocketAddress::from_str(address.trim()).map_err(|_| ChannelError::BadPeerAddress)?;
        Ok(PeerUri { node_id, address })
    }
}

impl std::fmt::Display for PeerUri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.node_id, self.address)
    }
}

/// A checked request to open a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenChannelRequest {
    pub peer: PeerUri,
    pub capacity_sat: u64,
    /// Given to the peer at opening (a gift, or a payment made by opening).
    pub push_sat: u64,
    /// Announce the channel for routing.
    pub public: bool,
}

impl OpenChannelRequest {
    /// Checks what a person typed against what the wallet can spend. `push` may be empty.
    pub fn check(
        uri: &str,
        capacity: &str,
        push: &str,
        public: bool,
        spendable_sat: u64,
    ) -> Result<Self, Error> {
        let peer = PeerUri::parse(uri)?;
        let capacity_sat = parse_amount_sat(capacity)?;
        if capacity_sat < MIN_CHANNEL_SAT {
            return Err(ChannelError::TooSmall {
                minimum_sat: MIN_CHANNEL_SAT,
            }
            .into());
        }
        if capacity_sat > MAX_CHANNEL_SAT {
            return Err(ChannelError::TooLarge {
                maximum_sat: MAX_CHANNEL_SAT,
            }
            .into());
        }
        if capacity_sat > spendable_sat {
            return Err(ChannelError::AboveSpendable { spendable_sat }.into());
        }
        let push_sat = match parse_amount_sat(push) {
            Ok(v) => v,
            Err(InputError::EmptyAmount | InputError::ZeroAmount) => 0,
            Err(e) => return Err(e.into()),
        };
        if push_sat >= capacity_sat {
            return Err(ChannelError::PushTooLarge.into());
        }
        Ok(OpenChannelRequest {
            peer,
            capacity_sat,
            push_sat,
            public,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619";

    #[test]
    fn node_uris_are_checked_piece_by_piece() {
        let ok = PeerUri::parse(&format!(" {KEY}@127.0.0.1:9735 ")).unwrap();
        assert_eq!(ok.to_string(), format!("{KEY}@127.0.0.1:9735"));
        assert!(PeerUri::parse(&format!("{KEY}@example.com:9735")).is_ok());
        assert_eq!(PeerUri::parse(""), Err(ChannelError::EmptyUri));
        assert_eq!(PeerUri::parse(KEY), Err(ChannelError::MalformedUri));
        assert_eq!(
            PeerUri::parse("02abc@127.0.0.1:9735"),
            Err(ChannelError::BadNodeId)
        );
        assert_eq!(
            PeerUri::parse(&format!("{KEY}@127.0.0.1")),
            Err(ChannelError::BadPeerAddress)
        );
        assert_eq!(
            PeerUri::parse(&format!("{KEY}@127.0.0.1:notaport")),
            Err(ChannelError::BadPeerAddress)
        );
    }

    #[test]
    fn open_requests_are_checked_before_anything_moves() {
        let uri = format!("{KEY}@127.0.0.1:9735");
        let spendable = 100_000_000;
        let ok = OpenChannelRequest::check(&uri, "100,000", "", false, spendable).unwrap();
        assert_eq!((ok.capacity_sat, ok.push_sat), (100_000, 0));
        assert_eq!(
            OpenChannelRequest::check(&uri, "19999", "", false, spendable),
            Err(ChannelError::TooSmall {
                minimum_sat: MIN_CHANNEL_SAT
            }
            .into())
        );
        assert_eq!(
            OpenChannelRequest::check(&uri, "16777216", "", false, spendable),
            Err(ChannelError::TooLarge {
                maximum_sat: MAX_CHANNEL_SAT
            }
            .into())
        );
        assert_eq!(
            OpenChannelRequest::check(&uri, "100000", "", false, 99_999),
            Err(ChannelError::AboveSpendable {
                spendable_sat: 99_999
            }
            .into())
        );
        assert_eq!(
            OpenChannelRequest::check(&uri, "50000", "50000", false, spendable),
            Err(ChannelError::PushTooLarge.into())
        );
        assert!(matches!(
            OpenChannelRequest::check(&uri, "lots", "", false, spendable),
            Err(Error::Input(_))
        ));
    }
}

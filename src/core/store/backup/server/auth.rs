//! How Shandian proves itself to a VSS server: the server's signature scheme (vss-server's
//! default, `SignatureValidatingAuthorizer`). Each request carries, in its `Authorization`
//! header, the wallet's public key, an ECDSA signature over SHA-256 of a fixed constant, that
//! key and the time, and the time itself. The server keeps one user per key; the key comes from
//! the words (`BackupKeys::server_key`), so a restore on a new computer is the same user.

use std::collections::HashMap;

use ldk_node::bitcoin::hashes::{sha256, Hash, HashEngine};
use ldk_node::bitcoin::hex::DisplayHex;
use ldk_node::bitcoin::secp256k1::{Message, PublicKey, Secp256k1, SecretKey};
use vss_client_ng::headers::{VssHeaderProvider, VssHeaderProviderError};

use crate::core::store::backup::BackupKeys;

/// The 64 bytes the scheme signs before the key and the time (vss-server's documented
/// constant).
const SIGNING_CONSTANT: &[u8; 64] =
    b"VSS Signature Authorizer Signing Salt Constant..................";

/// Signs every request with the wallet's server key.
pub(super) struct SignedRequests {
    secret: SecretKey,
    public: PublicKey,
}

impl SignedRequests {
    pub(super) fn new(keys: &BackupKeys) -> Self {
        let secret = SecretKey::from_slice(keys.server_key().as_ref())
            .expect("an HKDF output is a valid secp256k1 key but with negligible odds");
        let public = secret.public_key(&Secp256k1::signing_only());
        SignedRequests { secret, public }
    }

    /// The header's value at `time` (Unix seconds).
    fn authorization(&self, time: u64) -> String {
        let time = time.to_string();
        let key = self.public.serialize();
        let mut engine = sha256::Hash::engine();
        engine.input(SIGNING_CONSTANT);
        engine.input(&key);
        engine.input(time.as_bytes());
        let digest = sha256::Hash::from_engine(engine);
        let signature = Secp256k1::signing_only()
            .sign_ecdsa(&Message::from_digest(digest.to_byte_array()), &self.secret);
        format!(
            "{}{}{time}",
            key.to_lower_hex_string(),
            signature.serialize_compact().to_lower_hex_string()
        )
    }
}

#[async_trait::async_trait]
impl VssHeaderProvider for SignedRequests {
    async fn get_headers(
        &self,
        _request: &[u8],
    ) -> Result<HashMap<String, String>, VssHeaderProviderError> {
        Ok(HashMap::from([(
            "Authorization".to_string(),
            self.authorization(crate::core::shared::now()),
        )]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ldk_node::bitcoin::secp256k1::ecdsa::Signature;

    #[test]
    fn the_header_verifies_as_the_server_checks_it() {
        let keys = BackupKeys::from_seed(&[7; 64]);
        let signer = SignedRequests::new(&keys);
        let header = signer.authorization(1_800_000_000);
        // As the server reads it: 33-byte key, 64-byte signature, then the time.
        let key_hex = &header[..66];
        let sig_hex = &header[66..66 + 128];
        assert_eq!(&header[66 + 128..], "1800000000");
        let key: [u8; 33] = ldk_node::bitcoin::hex::FromHex::from_hex(key_hex).unwrap();
        let sig: [u8; 64] = ldk_node::bitcoin::hex::FromHex::from_hex(sig_hex).unwrap();
        let mut signed = SIGNING_CONSTANT.to_vec();
        signed.extend_from_slice(&key);
        signed.extend_from_slice(b"1800000000");
        let digest = sha256::Hash::hash(&signed);
        Secp256k1::verification_only()
            .verify_ecdsa(
                &Message::from_digest(digest.to_byte_array()),
                &Signature::from_compact(&sig).unwrap(),
                &PublicKey::from_slice(&key).unwrap(),
            )
            .expect("the server accepts the signature");
        // The same words, the same user; other words, another.
        let again = SignedRequests::new(&BackupKeys::from_seed(&[7; 64]));
        assert_eq!(again.public, signer.public);
        let other = SignedRequests::new(&BackupKeys::from_seed(&[8; 64]));
        assert_ne!(other.public, signer.public);
    }
}

//! The backup's cryptography, all of it from well-kept crates: HKDF-SHA256 derives keys from the
//! BIP39 seed, XChaCha20-Poly1305 seals each entry (random 24-byte nonces, so no nonce
//! bookkeeping), and each file's name is a keyed hash of the entry's name, so the folder shows
//! neither channel ids nor payment hashes.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use ldk_node::bitcoin::hex::DisplayHex;
use sha2::Sha256;
use zeroize::Zeroizing;

/// First bytes of every sealed file: what it is and which format.
const MAGIC: &[u8; 4] = b"SDB1";
const NONCE_LEN: usize = 24;
const SALT: &[u8] = b"shandian channel backup";

/// Where an entry lives in LDK Node's store.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryName {
    pub primary: String,
    pub secondary: String,
    pub key: String,
}

impl EntryName {
    pub fn new(primary: &str, secondary: &str, key: &str) -> Self {
        EntryName {
            primary: primary.to_string(),
            secondary: secondary.to_string(),
            key: key.to_string(),
        }
    }
}

/// The keys of one wallet's backup, derived from its seed. Held only while the wallet runs, and
/// wiped from memory when dropped.
pub struct BackupKeys {
    seal: Zeroizing<[u8; 32]>,
    /// HKDF's pseudorandom key, from which the names are derived; an HKDF state is made from it
    /// for each name and dropped at once (the `hkdf` crate does not wipe its own).
    prk: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for BackupKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BackupKeys(..)")
    }
}

/// Why a sealed file could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenFailure {
    /// Not one of our files, or cut short.
    NotABackupFile,
    /// The seal does not check out: other words, or the bytes were changed.
    WrongKeyOrDamaged,
}

impl BackupKeys {
    /// From the 64-byte BIP39 seed (words plus the empty passphrase).
    pub fn from_seed(seed: &[u8; 64]) -> Self {
        let (prk_bytes, hkdf) = Hkdf::<Sha256>::extract(Some(SALT), seed);
        let mut prk = Zeroizing::new([0u8; 32]);
        prk.copy_from_slice(&prk_bytes);
        let mut seal = Zeroizing::new([0u8; 32]);
        hkdf.expand(b"v1 seal key", seal.as_mut())
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        BackupKeys { seal, prk }
    }

    /// HKDF-Expand of `info` into `out`, from the kept pseudorandom key.
    fn expand(&self, info: &[u8], out: &mut [u8]) {
        Hkdf::<Sha256>::from_prk(self.prk.as_ref())
            .expect("32 bytes is a valid HKDF-SHA256 pseudorandom key")
            .expand(info, out)
            .expect("a short output is a valid HKDF-SHA256 output length");
    }

    /// A short tag of these keys: names the wallet's folder inside a chosen backup folder, so
    /// the words alone find it, and it says nothing about the wallet to anyone without them.
    pub fn folder_tag(&self) -> String {
        let mut tag = [0u8; 8];
        self.expand(b"v1 folder tag", &mut tag);
        tag.to_lower_hex_string()
    }

    /// The secret key this wallet signs its requests to a VSS server with (the server knows
    /// the wallet by its public key, and learns nothing else from it).
    pub fn server_key(&self) -> Zeroizing<[u8; 32]> {
        let mut key = Zeroizing::new([0u8; 32]);
        self.expand(b"v1 vss auth key", key.as_mut());
        key
    }

    /// The file name of an entry: a keyed hash of its place in the store.
    pub fn file_name(&self, name: &EntryName) -> String {
        let mut info = b"v1 entry name\0".to_vec();
        for part in [&name.primary, &name.secondary, &name.key] {
            info.extend_from_slice(part.as_bytes());
            info.push(0);
        }
        let mut out = [0u8; 16];
        self.expand(&info, &mut out);
        format!("{}.bin", out.to_lower_hex_string())
    }

    /// Seals an entry (its name and value) into a file body bound to `file_name`.
    pub fn seal(&self, file_name: &str, name: &EntryName, value: &[u8]) -> Vec<u8> {
        let mut plain = Zeroizing::new(Vec::with_capacity(value.len() + 64));
        for part in [&name.primary, &name.secondary, &name.key] {
            plain.extend_from_slice(&(part.len() as u16).to_be_bytes());
            plain.extend_from_slice(part.as_bytes());
        }
        plain.extend_from_slice(value);
        let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(self.seal.as_ref()));
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: &plain,
                    aad: file_name.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 encrypts any message under 256 GiB");
        let mut out = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens a file body sealed by [`BackupKeys::seal`] under the same `file_name`.
    pub fn open(&self, file_name: &str, body: &[u8]) -> Result<(EntryName, Vec<u8>), OpenFailure> {
        if body.len() < MAGIC.len() + NONCE_LEN + 16 || &body[..MAGIC.len()] != MAGIC {
            return Err(OpenFailure::NotABackupFile);
        }
        let (nonce, sealed) = body[MAGIC.len()..].split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(self.seal.as_ref()));
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(nonce),
                    Payload {
                        msg: sealed,
                        aad: file_name.as_bytes(),
                    },
                )
                .map_err(|_| OpenFailure::WrongKeyOrDamaged)?,
        );
        let mut rest: &[u8] = &plain;
        let mut parts = Vec::with_capacity(3);
        for _ in 0..3 {
            if rest.len() < 2 {
                return Err(OpenFailure::NotABackupFile);
            }
            let len = u16::from_be_bytes([rest[0], rest[1]]) as usize;
            rest = &rest[2..];
            if rest.len() < len {
                return Err(OpenFailure::NotABackupFile);
            }
            let part =
                String::from_utf8(rest[..len].to_vec()).map_err(|_| OpenFailure::NotABackupFile)?;
            parts.push(part);
            rest = &rest[len..];
        }
        let key = parts.pop().unwrap_or_default();
        let secondary = parts.pop().unwrap_or_default();
        let primary = parts.pop().unwrap_or_default();
        Ok((
            EntryName {
                primary,
                secondary,
                key,
            },
            rest.to_vec(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(byte: u8) -> BackupKeys {
        BackupKeys::from_seed(&[byte; 64])
    }

    #[test]
    fn a_sealed_entry_opens_with_the_same_keys_only() {
        let k = keys(7);
        let name = EntryName::new("monitors", "", "abcd_0");
        let file = k.file_name(&name);
        let body = k.seal(&file, &name, b"channel state");
        assert_eq!(
            k.open(&file, &body).unwrap(),
            (name.clone(), b"channel state".to_vec())
        );
        // Other words: the seal does not check out.
        assert_eq!(
            keys(8).open(&file, &body),
            Err(OpenFailure::WrongKeyOrDamaged)
        );
        // One flipped bit anywhere after the header: refused, never half-read.
        for i in MAGIC.len()..body.len() {
            let mut bad = body.clone();
            bad[i] ^= 1;
            assert_eq!(k.open(&file, &bad), Err(OpenFailure::WrongKeyOrDamaged));
        }
        // Moved under another entry's name: refused.
        let other = k.file_name(&EntryName::new("monitors", "", "ffff_1"));
        assert_eq!(k.open(&other, &body), Err(OpenFailure::WrongKeyOrDamaged));
        // Cut short or not ours at all.
        assert_eq!(k.open(&file, &body[..20]), Err(OpenFailure::NotABackupFile));
        assert_eq!(k.open(&file, &[0u8; 100]), Err(OpenFailure::NotABackupFile));
    }

    #[test]
    fn names_hide_the_entry_and_differ_per_wallet() {
        let name = EntryName::new("payments", "", "00ff");
        let a = keys(1).file_name(&name);
        assert_eq!(a, keys(1).file_name(&name));
        assert_ne!(a, keys(2).file_name(&name));
        assert!(!a.contains("00ff") && a.ends_with(".bin") && a.len() == 36);
        // Parts cannot run into each other: ("a", "bc") and ("ab", "c") are different entries.
        assert_ne!(
            keys(1).file_name(&EntryName::new("a", "bc", "k")),
            keys(1).file_name(&EntryName::new("ab", "c", "k"))
        );
        assert_ne!(keys(1).folder_tag(), keys(2).folder_tag());
        // Two seals of one entry use different nonces.
        let k = keys(1);
        assert_ne!(k.seal(&a, &name, b"x"), k.seal(&a, &name, b"x"));
    }

    /// Names are HKDF-SHA256 (salted) of the seed, as backups already written were named:
    /// keeping only the pseudorandom key (to wipe it) must not move any backup.
    #[test]
    fn names_are_derived_as_before() {
        let hkdf = Hkdf::<Sha256>::new(Some(SALT), &[1; 64]);
        let mut tag = [0u8; 8];
        hkdf.expand(b"v1 folder tag", &mut tag).unwrap();
        assert_eq!(keys(1).folder_tag(), tag.to_lower_hex_string());
        let mut out = [0u8; 16];
        let info = [&b"v1 entry name\0payments\0\0"[..], b"00ff\0"].concat();
        hkdf.expand(&info, &mut out).unwrap();
        assert_eq!(
            keys(1).file_name(&EntryName::new("payments", "", "00ff")),
            format!("{}.bin", out.to_lower_hex_string())
        );
    }
}

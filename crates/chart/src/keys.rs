//! The chart's encryption key: where it comes from and how it reaches SQLCipher.
//!
//! Every chart file is a SQLCipher database whose first 16 bytes are its salt, stored in
//! the clear by SQLCipher. The 32-byte key is either
//!
//! - **kept in the OS keychain** (service `stride-chart`, account = the salt in hex): a
//!   random key made when the chart is created; or
//! - **derived from a passphrase** with Argon2id (64 MiB, 3 passes) and that salt, where no
//!   keychain exists (headless Linux, CI, servers) or the clinic prefers a passphrase.
//!
//! SQLCipher is given the raw key and the salt (`x'<key><salt>'`), so its own slow KDF is
//! skipped: the Argon2id derivation above is the only stretching.
//!
//! Opening a chart only ever reads the keychain: a key that cannot be read (keychain
//! locked, entry missing) is an error ([`ChartError::KeychainLocked`],
//! [`ChartError::KeyNotInKeychain`]), never a reason to make a new key, which would
//! not open the file anyway. Only [`KeySource::create_key`] writes to the keychain.

use crate::error::{ChartError, Result};
use argon2::{Algorithm, Argon2, Params, Version};
use std::fmt;

/// Bytes in a key.
pub const KEY_LEN: usize = 32;
/// Bytes in a SQLCipher salt.
pub const SALT_LEN: usize = 16;

const KEYCHAIN_SERVICE: &str = "stride-chart";

/// Where the chart's key comes from.
#[derive(Clone)]
pub enum KeySource {
    /// A passphrase, stretched with Argon2id.
    Passphrase(String),
    /// The OS keychain.
    Keychain,
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::Passphrase(_) => f.write_str("Passphrase(..)"),
            KeySource::Keychain => f.write_str("Keychain"),
        }
    }
}

/// A raw key and the salt it goes with; zeroed when dropped (every copy).
#[derive(Clone)]
pub struct ChartKey {
    key: [u8; KEY_LEN],
    salt: [u8; SALT_LEN],
}

impl Drop for ChartKey {
    fn drop(&mut self) {
        self.key.fill(0);
    }
}

impl ChartKey {
    /// The `PRAGMA key` value: `x'<key hex><salt hex>'`.
    pub(crate) fn pragma_value(&self) -> String {
        format!("x'{}{}'", hex::encode(self.key), hex::encode(self.salt))
    }

    /// The salt.
    pub fn salt(&self) -> [u8; SALT_LEN] {
        self.salt
    }
}

/// Fresh random bytes from the OS.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| {
        ChartError::io(
            "could not get random bytes from the OS",
            std::io::Error::other(e.to_string()),
        )
    })?;
    Ok(bytes)
}

impl KeySource {
    /// Makes the key for a new chart with a fresh salt: derives it from the passphrase, or
    /// makes a random one and stores it in the keychain.
    pub fn create_key(&self) -> Result<ChartKey> {
        let salt = random_bytes::<SALT_LEN>()?;
        match self {
            KeySource::Passphrase(p) => derive(p, salt),
            KeySource::Keychain => {
                let key = random_bytes::<KEY_LEN>()?;
                keychain_entry(&salt)?
                    .set_password(&hex::encode(key))
                    .map_err(keychain_error)?;
                Ok(ChartKey { key, salt })
            }
        }
    }

    /// The key for an existing chart with this salt. Reads the keychain, never writes it:
    /// a locked keychain or a missing entry is an error, not a new key.
    pub fn key_for(&self, salt: [u8; SALT_LEN]) -> Result<ChartKey> {
        match self {
            KeySource::Passphrase(p) => derive(p, salt),
            KeySource::Keychain => {
                let stored = keychain_entry(&salt)?.get_password().map_err(keychain_error)?;
                let bytes = hex::decode(stored.trim()).map_err(|_| ChartError::WrongKey)?;
                let key: [u8; KEY_LEN] = bytes.try_into().map_err(|_| ChartError::WrongKey)?;
                Ok(ChartKey { key, salt })
            }
        }
    }
}

fn keychain_entry(salt: &[u8; SALT_LEN]) -> Result<keyring::Entry> {
    keyring::Entry::new(KEYCHAIN_SERVICE, &hex::encode(salt)).map_err(keychain_error)
}

/// What a keychain failure means for the chart: the entry is missing, the keychain is
/// locked (or refused access), or there is no usable keychain at all.
fn keychain_error(e: keyring::Error) -> ChartError {
    match e {
        keyring::Error::NoEntry => ChartError::KeyNotInKeychain,
        keyring::Error::NoStorageAccess(_) => ChartError::KeychainLocked,
        // The store could not be set up (on Linux: no D-Bus session, or no Secret Service
        // on it); the reason is kept by `store_status`, not in this error.
        keyring::Error::NoDefaultStore => match keyring::Entry::store_status() {
            Err(why) => ChartError::NoKeychain(why.to_string()),
            Ok(()) => ChartError::NoKeychain(e.to_string()),
        },
        other => ChartError::NoKeychain(other.to_string()),
    }
}

/// Argon2id parameters for chart keys: 64 MiB, 3 passes, 1 lane.
fn argon2() -> Result<Argon2<'static>> {
    let params = Params::new(64 * 1024, 3, 1, Some(KEY_LEN))
        .map_err(|e| ChartError::State(format!("bad key-derivation parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Derives a chart key from a passphrase and salt.
pub fn derive(passphrase: &str, salt: [u8; SALT_LEN]) -> Result<ChartKey> {
    if passphrase.is_empty() {
        return Err(ChartError::invalid("passphrase", "must not be empty"));
    }
    let mut key = [0u8; KEY_LEN];
    argon2()?
        .hash_password_into(passphrase.as_bytes(), &salt, &mut key)
        .map_err(|e| ChartError::State(format!("could not derive the chart key: {e}")))?;
    Ok(ChartKey { key, salt })
}

/// Reads the salt from the first bytes of a chart file.
pub fn read_salt(path: &std::path::Path) -> Result<[u8; SALT_LEN]> {
    use std::io::Read;
    let mut file =
        std::fs::File::open(path).map_err(|e| ChartError::io(format!("could not open {}", path.display()), e))?;
    let mut salt = [0u8; SALT_LEN];
    file.read_exact(&mut salt).map_err(|_| ChartError::WrongKey)?;
    Ok(salt)
}

//! API keys for remote servers, kept in the OS keyring (Secret Service on
//! Linux desktops, the Keychain on macOS, Credential Manager on Windows)
//! under the service "deskpilot" and the server's URL; never in the
//! database, the settings file or a log. `DESKPILOT_REMOTE_KEY` overrides
//! for scripts. On a Linux machine where no Secret Service runs (a server,
//! a container), the kernel's per-user keyring holds the key until the
//! user's last session ends or the machine restarts, and whoever stored it
//! is told so.

use serde::Serialize;

const SERVICE: &str = "deskpilot";
/// The environment variable that overrides the keyring.
pub const KEY_VAR: &str = "DESKPILOT_REMOTE_KEY";

/// Where a key was found or put.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeySource {
    /// `$DESKPILOT_REMOTE_KEY`.
    Environment,
    /// The OS keyring: kept until deleted.
    OsKeyring,
    /// Linux's kernel keyring: kept until logout or restart.
    KernelKeyring,
}

impl KeySource {
    pub fn describe(self) -> &'static str {
        match self {
            KeySource::Environment => "the environment ($DESKPILOT_REMOTE_KEY)",
            KeySource::OsKeyring => "the OS keyring",
            KeySource::KernelKeyring => {
                "the kernel keyring (no Secret Service is running here: kept until you log out \
                 or restart)"
            }
        }
    }
}

/// What went wrong with a keyring.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("an empty API key cannot be stored")]
    Empty,
    #[error("no keyring could {action} the API key for {url}: {detail}")]
    Keyring {
        action: &'static str,
        url: String,
        detail: String,
    },
}

impl KeyError {
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::Empty => "invalid_key",
            KeyError::Keyring { .. } => "keyring",
        }
    }
}

/// The OS keyring's entry for a server.
fn os_entry(url: &str) -> Result<keyring::Entry, keyring::Error> {
    #[cfg(target_os = "linux")]
    {
        keyring::secret_service::SsCredential::new_with_target(None, SERVICE, url)
            .map(|c| keyring::Entry::new_with_credential(Box::new(c)))
    }
    #[cfg(not(target_os = "linux"))]
    {
        keyring::Entry::new(SERVICE, url)
    }
}

/// What the kernel keyring said when it failed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct KernelFailure(String);

/// Linux's per-user kernel keyring: there on every Linux system, even with
/// no desktop session; forgotten at logout or restart.
#[cfg(target_os = "linux")]
mod kernel {
    use super::KernelFailure as F;
    use linux_keyutils::{KeyError as Ke, KeyRing, KeyRingIdentifier};

    fn ring() -> Result<KeyRing, F> {
        KeyRing::from_special_id(KeyRingIdentifier::User, true).map_err(|e| F(format!("{e:?}")))
    }

    fn description(url: &str) -> String {
        format!("{}:{url}", super::SERVICE)
    }

    fn absent(e: &Ke) -> bool {
        matches!(
            e,
            Ke::KeyDoesNotExist | Ke::KeyRevoked | Ke::KeyExpired | Ke::AccessDenied
        )
    }

    pub fn get(url: &str) -> Result<Option<String>, F> {
        match ring()?.search(&description(url)) {
            Ok(key) => {
                let bytes = key.read_to_vec().map_err(|e| F(format!("{e:?}")))?;
                String::from_utf8(bytes)
                    .map(Some)
                    .map_err(|_| F("the stored key is not text".into()))
            }
            Err(e) if absent(&e) => Ok(None),
            Err(e) => Err(F(format!("{e:?}"))),
        }
    }

    pub fn set(url: &str, key: &str) -> Result<(), F> {
        ring()?
            .add_key(&description(url), key)
            .map(|_| ())
            .map_err(|e| F(format!("{e:?}")))
    }

    pub fn delete(url: &str) -> Result<bool, F> {
        match ring()?.search(&description(url)) {
            Ok(key) => key
                .invalidate()
                .map(|_| true)
                .map_err(|e| F(format!("{e:?}"))),
            Err(e) if absent(&e) => Ok(false),
            Err(e) => Err(F(format!("{e:?}"))),
        }
    }
}

/// Elsewhere the OS keyring is the only store.
#[cfg(not(target_os = "linux"))]
mod kernel {
    use super::KernelFailure as F;

    const NONE: &str = "no other keyring on this system";

    pub fn get(_url: &str) -> Result<Option<String>, F> {
        Err(F(NONE.into()))
    }

    pub fn set(_url: &str, _key: &str) -> Result<(), F> {
        Err(F(NONE.into()))
    }

    pub fn delete(_url: &str) -> Result<bool, F> {
        Ok(false)
    }
}

fn fail(action: &'static str, url: &str, detail: impl std::fmt::Display) -> KeyError {
    KeyError::Keyring {
        action,
        url: url.to_owned(),
        detail: detail.to_string(),
    }
}

/// The key for a server: `$DESKPILOT_REMOTE_KEY`, else the keyring's;
/// None when there is none (a server without keys is fine).
pub fn remote_key(url: &str) -> Result<Option<(String, KeySource)>, KeyError> {
    if let Some(k) = std::env::var(KEY_VAR).ok().filter(|k| !k.is_empty()) {
        return Ok(Some((k, KeySource::Environment)));
    }
    let os_error = match os_entry(url).and_then(|e| e.get_password()) {
        Ok(key) => return Ok(Some((key, KeySource::OsKeyring))),
        Err(keyring::Error::NoEntry) => None,
        // No Secret Service here: the kernel keyring may hold it.
        Err(e) => Some(e.to_string()),
    };
    match (kernel::get(url), os_error) {
        (Ok(found), _) => Ok(found.map(|key| (key, KeySource::KernelKeyring))),
        (Err(_), None) => Ok(None),
        (Err(e), Some(os)) => Err(fail("read", url, format!("{os}; {e}"))),
    }
}

/// Whether a key is stored for the server, and where (for showing its
/// state without handing the key out).
pub fn key_source(url: &str) -> Result<Option<KeySource>, KeyError> {
    Ok(remote_key(url)?.map(|(_, source)| source))
}

/// Stores a server's key in the most durable store that works, and says
/// which.
pub fn store_remote_key(url: &str, key: &str) -> Result<KeySource, KeyError> {
    let key = key.trim();
    if key.is_empty() {
        return Err(KeyError::Empty);
    }
    match os_entry(url).and_then(|e| e.set_password(key)) {
        Ok(()) => {
            // A key stored durably replaces any stop-gap copy.
            let _ = kernel::delete(url);
            Ok(KeySource::OsKeyring)
        }
        Err(os) => {
            tracing::info!("no OS keyring ({os}); trying the kernel keyring");
            kernel::set(url, key)
                .map(|()| KeySource::KernelKeyring)
                .map_err(|e| fail("store", url, format!("{os}; {e}")))
        }
    }
}

/// Removes a server's key from every store; true when one was there.
pub fn forget_remote_key(url: &str) -> Result<bool, KeyError> {
    let os = match os_entry(url).and_then(|e| e.delete_credential()) {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(e),
    };
    match (os, kernel::delete(url)) {
        (Ok(a), Ok(b)) => Ok(a || b),
        (Ok(a), Err(_)) => Ok(a),
        (Err(_), Ok(b)) => Ok(b),
        (Err(os), Err(e)) => Err(fail("remove", url, format!("{os}; {e}"))),
    }
}

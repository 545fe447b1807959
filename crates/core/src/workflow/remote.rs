//! Files go to a remote server only once the user has allowed that server:
//! asked once per server, remembered in the store. A workflow that would
//! send files checks here first and stops with
//! [`WorkflowError::NeedsConfirmation`] instead of sending them.

use crate::store::{Store, StoreError};

use super::WorkflowError;

/// Ok when `files` may go where the engine sends text: nowhere (a local
/// model), no files at all, or a server already allowed.
pub async fn check_remote(
    store: &Store,
    remote: Option<&str>,
    files: &[String],
) -> Result<(), WorkflowError> {
    let Some(url) = remote else {
        return Ok(());
    };
    if files.is_empty() || store.remote_confirmed(url).await? {
        return Ok(());
    }
    Err(WorkflowError::NeedsConfirmation {
        url: url.to_owned(),
        files: files.to_vec(),
    })
}

/// Remembers that files may be sent to `url` from now on.
pub async fn allow_remote(store: &Store, url: &str) -> Result<(), StoreError> {
    store.confirm_remote(url).await
}

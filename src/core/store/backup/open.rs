//! Opens the backup at a place a person chose: a folder or a VSS server.

use std::sync::Arc;

use crate::core::store::backup::{
    BackupError, BackupFolder, BackupKeys, BackupPlace, BackupServer, Medium,
};

/// Sets up (or takes up again) the backup of the wallet whose data folder has `writer_id` at
/// `place`. Refuses a backup there that another copy of the wallet writes.
pub fn prepare(
    place: &BackupPlace,
    network: &str,
    keys: Arc<BackupKeys>,
    writer_id: &str,
) -> Result<Box<dyn Medium>, BackupError> {
    Ok(match place {
        BackupPlace::Folder { folder } => {
            Box::new(BackupFolder::prepare(folder, network, keys, writer_id)?)
        }
        BackupPlace::Server { server } => {
            Box::new(BackupServer::prepare(server, network, keys, writer_id)?)
        }
    })
}

/// Finds the wallet's backup at `place` to restore from (or to take over), with the words' keys.
pub fn find(
    place: &BackupPlace,
    network: &str,
    keys: Arc<BackupKeys>,
) -> Result<Box<dyn Medium>, BackupError> {
    Ok(match place {
        BackupPlace::Folder { folder } => Box::new(BackupFolder::find(folder, network, keys)?),
        BackupPlace::Server { server } => Box::new(BackupServer::find(server, network, keys)?),
    })
}

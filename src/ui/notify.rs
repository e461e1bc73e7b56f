//! Desktop notifications: a merchant at the counter hears and sees that a payment arrived even
//! with the window behind another. The sound is the desktop's own ("complete" from the
//! freedesktop sound theme), played by the notification server.

use crate::fl;
use crate::ui::format;

#[cfg(any(target_os = "macos", target_os = "windows"))]
const SOUND: &str = "Default";
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
const SOUND: &str = "complete";

/// Shows "payment received" (blocking D-Bus call: run it off the UI thread). Without a
/// notification server it fails; that is logged, the PAID screen is the real signal.
pub async fn payment_received(amount_msat: u64, sound: bool) {
    let body = fl!(
        "counter-notification-body",
        amount = format::msat(amount_msat)
    );
    show(fl!("counter-notification-title"), body, sound).await;
}

/// Shows that the channel backup started failing (the medium is gone or hangs, or another copy
/// of the wallet took it over): a person away from Home must hear of it before a lost disk
/// costs their channel balances. Home says the same, in red, with what to do.
pub async fn backup_failing(failure: &crate::core::store::backup::BackupFailure, folder: String) {
    let body = if failure.taken_over {
        fl!("backup-taken-over", folder = folder)
    } else {
        fl!(
            "backup-failing",
            folder = folder,
            since = format::datetime(failure.since),
            reason = failure.reason.clone()
        )
    };
    show(fl!("backup-notification-title"), body, false).await;
}

/// One desktop notification; a failure (no notification server) is logged.
async fn show(summary: String, body: String, sound: bool) {
    let shown = crate::core::blocking(move || {
        let mut n = notify_rust::Notification::new();
        n.appname("Shandian")
            .summary(&summary)
            .body(&body)
            .icon("shandian");
        if sound {
            n.sound_name(SOUND);
        }
        n.show()
            .map(|_| ())
            .map_err(|e| crate::core::Error::Internal(e.to_string()))
    })
    .await;
    if let Err(e) = shown {
        log::warn!("no desktop notification: {e}");
    }
}

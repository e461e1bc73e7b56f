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
    let summary = fl!("counter-notification-title");
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

//! Reads the text of a QR code in an image file (PNG or JPEG) — a screenshot of an invoice, a
//! photo of a shop's sticker — so it goes through the same paste parser as typed text.

use std::path::Path;

/// Images larger than this are refused before decoding (a QR code needs far fewer pixels).
const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// The text of the first readable QR code in the image at `path`. Blocks: call it from
/// `spawn_blocking`.
pub fn read_qr(path: &Path) -> Result<String, QrError> {
    let size = std::fs::metadata(path)
        .map_err(|e| QrError::CannotOpen {
            reason: e.to_string(),
        })?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(QrError::TooLarge);
    }
    let image = image::ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| QrError::CannotOpen {
            reason: e.to_string(),
        })?
        .decode()
        .map_err(|_| QrError::NotAnImage)?
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    if grids.is_empty() {
        return Err(QrError::NoCode);
    }
    grids
        .iter()
        .find_map(|g| g.decode().ok().map(|(_, text)| text))
        .ok_or(QrError::Unreadable)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error("cannot open the file: {reason}")]
    CannotOpen { reason: String },
    #[error("the file is too large for a QR image")]
    TooLarge,
    #[error("the file is not a PNG or JPEG image")]
    NotAnImage,
    #[error("no QR code found in the image")]
    NoCode,
    #[error("the QR code in the image cannot be read")]
    Unreadable,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG of `text` as a QR code, four pixels a module, with a quiet zone.
    fn qr_png(text: &str, dir: &Path) -> std::path::PathBuf {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let width = code.width();
        let colors = code.to_colors();
        let (scale, quiet) = (4u32, 4u32);
        let side = (width as u32 + 2 * quiet) * scale;
        let img = image::GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            let dark = mx >= quiet
                && my >= quiet
                && mx < quiet + width as u32
                && my < quiet + width as u32
                && colors[((my - quiet) * width as u32 + (mx - quiet)) as usize]
                    == qrcode::Color::Dark;
            image::Luma([if dark { 0 } else { 255 }])
        });
        let path = dir.join("qr.png");
        img.save(&path).unwrap();
        path
    }

    #[test]
    fn reads_back_an_invoice_from_a_png() {
        let dir = tempfile::tempdir().unwrap();
        let invoice = crate::core::input::paste::samples::invoice(
            ldk_node::lightning_invoice::Currency::Regtest,
            Some(25_000_000),
            "coffee",
        )
        .to_ascii_uppercase();
        let path = qr_png(&invoice, dir.path());
        assert_eq!(read_qr(&path).unwrap(), invoice);
    }

    #[test]
    fn says_what_is_wrong_with_other_files() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_qr(&dir.path().join("missing.png")),
            Err(QrError::CannotOpen { .. })
        ));
        let text = dir.path().join("notes.png");
        std::fs::write(&text, "just some text").unwrap();
        assert_eq!(read_qr(&text), Err(QrError::NotAnImage));
        let blank = dir.path().join("blank.png");
        image::GrayImage::from_pixel(200, 200, image::Luma([255]))
            .save(&blank)
            .unwrap();
        assert_eq!(read_qr(&blank), Err(QrError::NoCode));
    }
}

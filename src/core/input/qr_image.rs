//! Reads the text of a QR code in an image file (PNG or JPEG) — a screenshot of an invoice, a
//! photo of a shop's sticker — so it goes through the same paste parser as typed text.

use std::path::Path;

/// Images larger than this are refused before decoding (a QR code needs far fewer pixels).
const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Images with more pixels than this are refused from their header, before decoding: a PNG of
/// one colour compresses a 16,384 × 16,384 image (1 GB decoded) into a small file. 50 million
/// is above any phone camera's photo.
const MAX_PIXELS: u64 = 50_000_000;
/// Decoded images are made at most this many pixels a side before the QR search (a code
/// never needs more, and the search's time grows with the pixels).
const MAX_SIDE: u32 = 4096;
/// What decoding may allocate at most.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

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
    let open = || {
        image::ImageReader::open(path)
            .and_then(|r| r.with_guessed_format())
            .map_err(|e| QrError::CannotOpen {
                reason: e.to_string(),
            })
    };
    let (width, height) = open()?.into_dimensions().map_err(|_| QrError::NotAnImage)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(QrError::TooManyPixels { width, height });
    }
    let mut reader = open()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut image = reader.decode().map_err(|_| QrError::NotAnImage)?;
    if width > MAX_SIDE || height > MAX_SIDE {
        image = image.thumbnail(MAX_SIDE, MAX_SIDE);
    }
    let image = image.to_luma8();
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
    /// More pixels than any photo of a code: refused from the header, before decoding.
    #[error("the image has too many pixels ({width} x {height})")]
    TooManyPixels { width: u32, height: u32 },
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

    /// A PNG whose header declares `width` × `height` 8-bit grey pixels, with a token of image
    /// data: enough for any reader to learn its size.
    fn png_declaring(width: u32, height: u32, path: &Path) {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = 0xFFFF_FFFFu32;
            for &b in bytes {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 != 0 {
                        (crc >> 1) ^ 0xEDB8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let start = out.len();
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            let crc = crc32(&out[start..]);
            out.extend_from_slice(&crc.to_be_bytes());
        }
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        chunk(&mut png, b"IHDR", &ihdr);
        // A zlib stream's start: what follows would inflate to the rows.
        chunk(&mut png, b"IDAT", &[0x78, 0x9c, 0x03, 0x00]);
        chunk(&mut png, b"IEND", &[]);
        std::fs::write(path, png).unwrap();
    }

    /// A small file that would decode to a gigabyte (16,384 × 16,384 pixels) is refused from
    /// its header, with its size in the sentence, before anything is decoded.
    #[test]
    fn qr_image_pixel_bomb() {
        let dir = tempfile::tempdir().unwrap();
        let bomb = dir.path().join("bomb.png");
        png_declaring(16_384, 16_384, &bomb);
        assert!(std::fs::metadata(&bomb).unwrap().len() < 100);
        assert_eq!(
            read_qr(&bomb),
            Err(QrError::TooManyPixels {
                width: 16_384,
                height: 16_384
            })
        );
    }

    /// A large photo (more than 4096 pixels a side) is made smaller before the search, and its
    /// code still reads.
    #[test]
    fn a_large_photo_is_downscaled_and_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let code = qrcode::QrCode::new(b"bc1qexample").unwrap();
        let (width, colors) = (code.width() as u32, code.to_colors());
        let (side, scale, at) = (4400u32, 150u32, 400u32);
        let img = image::GrayImage::from_fn(side, 2000, |x, y| {
            let inside = x >= at && y >= at / 4 && x < at + width * scale / 2;
            let (mx, my) = (
                (x.wrapping_sub(at)) / (scale / 2),
                (y.wrapping_sub(at / 4)) / (scale / 2),
            );
            let dark = inside
                && mx < width
                && my < width
                && colors[(my * width + mx) as usize] == qrcode::Color::Dark;
            image::Luma([if dark { 0 } else { 255 }])
        });
        let path = dir.path().join("photo.png");
        img.save(&path).unwrap();
        assert_eq!(read_qr(&path).unwrap(), "bc1qexample");
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

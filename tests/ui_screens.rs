//! Every screen, in light and dark, in English and Simplified Chinese, drawn by the same
//! renderer a window without a GPU uses (tiny-skia) and compared pixel for pixel with its
//! reference image in `docs/screens/`. A screen that changed fails until its reference is
//! updated on purpose: run with `SHANDIAN_UPDATE_SCREENS=1`, look at the new images, commit them.
//!
//! The images are compared at the window's logical size (the simulator draws at scale 2; both
//! sides are reduced the same way), which keeps the references small.
//!
//! Text is drawn with the fonts the app ships (Fira Sans, the icon font) and, for Chinese and
//! monospace, WenQuanYi Micro Hei from the system (the Debian package the test command installs):
//! the test sees only that folder, so other fonts on a machine cannot change the pictures.

use std::path::{Path, PathBuf};

use image::codecs::png::{CompressionType, PngEncoder};
use image::imageops::FilterType;
use image::{ImageEncoder, RgbImage};
use shandian::core::{Language, ThemeChoice};
use shandian::ui::gallery::{shots, SIZE};
use shandian::ui::i18n::set_language;
use shandian::ui::theme;

const SYSTEM_CJK_FONTS: &str = "/usr/share/fonts/truetype/wqy";

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screens")
}

/// Only the fonts named above, and times in UTC, for every render of this process.
fn pin_fonts_and_time(scratch: &Path) {
    assert!(
        Path::new(SYSTEM_CJK_FONTS).is_dir(),
        "{SYSTEM_CJK_FONTS} is missing: install the fonts-wqy-microhei package (scripts/install-deps.sh does)"
    );
    let conf = scratch.join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<fontconfig>\n  <dir>{SYSTEM_CJK_FONTS}</dir>\n  \
             <alias><family>monospace</family><prefer><family>WenQuanYi Micro Hei Mono</family></prefer></alias>\n\
             </fontconfig>\n"
        ),
    )
    .unwrap();
    std::env::set_var("FONTCONFIG_FILE", &conf);
    std::env::set_var("TZ", "UTC");
}

/// Draws `element` as the window would and returns it at logical size.
fn draw(
    element: iced::Element<'_, shandian::ui::shell::Message>,
    choice: ThemeChoice,
    scratch: &Path,
) -> RgbImage {
    let settings = iced::Settings {
        fonts: vec![theme::ICON_FONT_BYTES.into()],
        ..iced::Settings::default()
    };
    let mut ui = iced_test::Simulator::with_size(settings, SIZE, element);
    let snapshot = ui.snapshot(&theme::of(choice)).expect("snapshot");
    // The simulator writes its PNG (named after the renderer) where it is told.
    let stem = scratch.join("shot.png");
    for entry in std::fs::read_dir(scratch).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with("shot-") {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    snapshot.matches_image(&stem).expect("write the snapshot");
    let written = std::fs::read_dir(scratch)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("shot-"))
        .expect("the snapshot's file")
        .path();
    // The window is opaque: no alpha to keep.
    let full = image::open(&written)
        .expect("read the snapshot")
        .into_rgb8();
    image::imageops::resize(&full, SIZE.0 as u32, SIZE.1 as u32, FilterType::Triangle)
}

/// Writes `image` as a PNG squeezed as small as the encoder can.
fn save(image: &RgbImage, path: &Path) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    PngEncoder::new_with_quality(
        file,
        CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(
        image,
        image.width(),
        image.height(),
        image::ExtendedColorType::Rgb8,
    )
    .unwrap();
}

#[test]
fn every_screen_matches_its_reference_image() {
    let scratch = tempfile::tempdir().unwrap();
    pin_fonts_and_time(scratch.path());
    let update = std::env::var_os("SHANDIAN_UPDATE_SCREENS").is_some();
    let out = reference_dir();
    let changed_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screens-changed");
    let _ = std::fs::remove_dir_all(&changed_dir);
    let mut problems = Vec::new();
    let mut count = 0;
    for (lang, language) in [
        ("en", Language::English),
        ("zh-CN", Language::SimplifiedChinese),
    ] {
        set_language(language);
        for (look, choice) in [("light", ThemeChoice::Light), ("dark", ThemeChoice::Dark)] {
            for shot in shots() {
                let name = format!("{}-{look}-{lang}.png", shot.name);
                let mut drawn = None;
                (shot.draw)(&mut |element| drawn = Some(draw(element, choice, scratch.path())));
                let drawn = drawn.expect("the shot drew nothing");
                count += 1;
                let reference = out.join(&name);
                if update {
                    std::fs::create_dir_all(&out).unwrap();
                    save(&drawn, &reference);
                    continue;
                }
                let same = match image::open(&reference) {
                    Ok(r) => r.into_rgb8() == drawn,
                    Err(e) => {
                        problems.push(format!("{name}: no reference image ({e})"));
                        false
                    }
                };
                if !same {
                    std::fs::create_dir_all(&changed_dir).unwrap();
                    save(&drawn, &changed_dir.join(&name));
                    if reference.exists() {
                        problems.push(format!("{name}: differs from its reference"));
                    }
                }
            }
        }
    }
    assert_eq!(
        count,
        4 * shots().len(),
        "each screen in 2 themes × 2 languages"
    );
    assert!(
        problems.is_empty(),
        "{} of {count} screens do not match (the new images are in {}; if the change is \
         meant, run again with SHANDIAN_UPDATE_SCREENS=1 and commit docs/screens):\n{}",
        problems.len(),
        changed_dir.display(),
        problems.join("\n")
    );
}

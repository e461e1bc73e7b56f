//! Where the window was and how big, so the next start opens it the same way. Kept in the root
//! folder (`window.toml`), shared by every network: it is the desk's, not the wallet's.

use serde::{Deserialize, Serialize};

use crate::core::store::dirs::{create_private_dir, DataRoot};
use crate::core::store::files::write_atomically;

const FILE: &str = "window.toml";

/// The window's size in logical pixels and its position on the desktop, if the system told.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WindowPlace {
    pub width: f32,
    pub height: f32,
    pub x: Option<f32>,
    pub y: Option<f32>,
}

impl WindowPlace {
    /// Smaller than this and the sidebar and a section no longer fit side by side.
    pub const MIN: (f32, f32) = (800.0, 560.0);

    /// The size a first start opens with.
    pub const DEFAULT: WindowPlace = WindowPlace {
        width: 1100.0,
        height: 760.0,
        x: None,
        y: None,
    };

    /// The place saved last time; `None` when there is none. A damaged file is said in the log
    /// and the window opens at the default place (nothing of value is in it).
    pub fn load(root: &DataRoot) -> Option<Self> {
        let path = root.path().join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                log::warn!(
                    "cannot read {}: {e}; the window opens at its default size",
                    path.display()
                );
                return None;
            }
        };
        match toml::from_str::<WindowPlace>(&text) {
            Ok(p) if p.width >= Self::MIN.0 && p.height >= Self::MIN.1 => Some(p),
            Ok(p) => {
                log::warn!(
                    "saved window size {}x{} is too small; using the default",
                    p.width,
                    p.height
                );
                None
            }
            Err(e) => {
                log::warn!(
                    "{} is damaged ({}); the window opens at its default size",
                    path.display(),
                    e.message()
                );
                None
            }
        }
    }

    /// Writes the place atomically.
    pub fn save(&self, root: &DataRoot) -> std::io::Result<()> {
        create_private_dir(root.path()).map_err(|e| std::io::Error::other(e.to_string()))?;
        let text = toml::to_string(self).map_err(std::io::Error::other)?;
        write_atomically(&root.path().join(FILE), text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_place_comes_back_and_a_bad_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = DataRoot::at(dir.path());
        assert_eq!(WindowPlace::load(&root), None);
        let place = WindowPlace {
            width: 1280.0,
            height: 800.0,
            x: Some(40.0),
            y: Some(-20.0),
        };
        place.save(&root).unwrap();
        assert_eq!(WindowPlace::load(&root), Some(place));
        std::fs::write(dir.path().join(FILE), "width = \"wide\"").unwrap();
        assert_eq!(WindowPlace::load(&root), None);
        WindowPlace {
            width: 200.0,
            ..place
        }
        .save(&root)
        .unwrap();
        assert_eq!(WindowPlace::load(&root), None);
    }
}

//! Our neighbourhood in the channel graph, drawn: our node in the middle, our peers on a ring
//! around it (a solid line for a peer with a channel of ours, green when connected), and the
//! nodes each peer has announced channels to on an outer ring beside it.

use std::f32::consts::{FRAC_PI_2, TAU};

use iced::widget::canvas::{self, Frame, Geometry, Path, Stroke, Text};
use iced::{mouse, Color, Point, Rectangle, Renderer, Size, Theme};

use crate::core::lightning::graph::GraphView;
use crate::ui::format;

/// Outer nodes drawn per peer at most; the list below the map names them all.
const MAX_OUTER_PER_PEER: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dot {
    Us,
    Peer { connected: bool },
    Remote,
}

/// A node placed on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub at: Point,
    pub label: String,
    pub dot: Dot,
}

/// A line between two placed nodes (indices into the placed list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub from: usize,
    pub to: usize,
    /// One of our channels (not only a gossip link).
    pub ours: bool,
}

/// Where everything goes inside `size`: pure, so it can be checked without a window.
pub fn layout(view: &GraphView, size: Size) -> (Vec<Placed>, Vec<Line>) {
    let centre = Point::new(size.width / 2.0, size.height / 2.0);
    let radius = (size.width.min(size.height) / 2.0 - 24.0).max(10.0);
    let (inner, outer) = (radius * 0.5, radius * 0.95);
    let mut placed = vec![Placed {
        at: centre,
        label: String::new(),
        dot: Dot::Us,
    }];
    let mut lines = Vec::new();
    let count = view.neighbours.len().max(1) as f32;
    let slice = TAU / count;
    for (i, n) in view.neighbours.iter().enumerate() {
        let angle = -FRAC_PI_2 + slice * i as f32;
        let at = Point::new(
            centre.x + inner * angle.cos(),
            centre.y + inner * angle.sin(),
        );
        let peer = placed.len();
        placed.push(Placed {
            at,
            label: label(n.alias.as_deref(), &n.node_id),
            dot: Dot::Peer {
                connected: n.connected,
            },
        });
        lines.push(Line {
            from: 0,
            to: peer,
            ours: n.our_channels > 0,
        });
        // The peer's other nodes fan out within its slice of the circle.
        let shown = n.links.len().min(MAX_OUTER_PER_PEER);
        for (j, link) in n.links.iter().take(shown).enumerate() {
            let spread = slice * 0.8;
            let a = angle - spread / 2.0 + spread * (j as f32 + 0.5) / shown as f32;
            let remote = placed.len();
            placed.push(Placed {
                at: Point::new(centre.x + outer * a.cos(), centre.y + outer * a.sin()),
                label: label(link.to_alias.as_deref(), &link.to),
                dot: Dot::Remote,
            });
            lines.push(Line {
                from: peer,
                to: remote,
                ours: false,
            });
        }
    }
    (placed, lines)
}

/// An alias (sanitised, it is outside text) or the start of the node id.
fn label(alias: Option<&str>, node_id: &str) -> String {
    match format::alias(alias) {
        Some(a) => a.chars().take(20).collect(),
        None => node_id.chars().take(8).collect(),
    }
}

/// The canvas program; `us` is the label of our own node.
pub struct GraphMap<'a> {
    pub view: &'a GraphView,
    pub us: String,
}

impl<M> canvas::Program<M> for GraphMap<'_> {
    type State = ();

    fn draw(
        &self,
        _state: &(),
        renderer: &Renderer,
        theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<Geometry> {
        let mut frame = Frame::new(renderer, bounds.size());
        let palette = theme.extended_palette();
        let (placed, lines) = layout(self.view, bounds.size());
        for line in &lines {
            let (a, b) = (placed[line.from].at, placed[line.to].at);
            let (color, width) = match (line.ours, placed[line.to].dot) {
                (true, Dot::Peer { connected: true }) => (palette.success.base.color, 3.0),
                (true, _) => (palette.background.strong.color, 3.0),
                (false, Dot::Remote) => (Color::from_rgb8(0x4a, 0x90, 0xd9), 1.5),
                (false, _) => (palette.background.strong.color, 1.0),
            };
            frame.stroke(
                &Path::line(a, b),
                Stroke::default().with_color(color).with_width(width),
            );
        }
        for p in &placed {
            let (r, color, text) = match p.dot {
                Dot::Us => (12.0, palette.primary.base.color, self.us.clone()),
                Dot::Peer { connected: true } => (9.0, palette.success.base.color, p.label.clone()),
                Dot::Peer { connected: false } => {
                    (9.0, palette.background.strong.color, p.label.clone())
                }
                Dot::Remote => (6.0, Color::from_rgb8(0x4a, 0x90, 0xd9), p.label.clone()),
            };
            frame.fill(&Path::circle(p.at, r), color);
            frame.fill_text(Text {
                content: text,
                position: Point::new(p.at.x + r + 4.0, p.at.y - 8.0),
                color: palette.background.base.text,
                size: iced::Pixels(13.0),
                ..Text::default()
            });
        }
        vec![frame.into_geometry()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lightning::graph::{GossipState, GraphLink, Neighbour};

    fn neighbour(id: &str, links: usize) -> Neighbour {
        Neighbour {
            node_id: id.repeat(33),
            alias: Some(format!("{id}\u{202e}lia")),
            connected: true,
            our_channels: 1,
            links: (0..links)
                .map(|i| GraphLink {
                    short_channel_id: i as u64,
                    to: format!("{i:02}").repeat(33),
                    to_alias: None,
                    capacity_sat: None,
                    policy: None,
                })
                .collect(),
        }
    }

    #[test]
    fn everything_is_placed_inside_the_map_and_linked() {
        let view = GraphView {
            our_id: "aa".repeat(33),
            nodes: 30,
            channels: 40,
            gossip: GossipState::PeerToPeer,
            neighbours: vec![neighbour("bb", 3), neighbour("cc", 20), neighbour("dd", 0)],
        };
        let size = Size::new(600.0, 380.0);
        let (placed, lines) = layout(&view, size);
        assert_eq!(placed.len(), 1 + 3 + 3 + MAX_OUTER_PER_PEER);
        assert_eq!(
            lines.len(),
            placed.len() - 1,
            "every node but ours hangs on one line"
        );
        for p in &placed {
            assert!(p.at.x >= 0.0 && p.at.x <= size.width, "{p:?}");
            assert!(p.at.y >= 0.0 && p.at.y <= size.height, "{p:?}");
        }
        assert_eq!(lines.iter().filter(|l| l.ours).count(), 3);
        // An alias is outside text: the bidi override is gone.
        assert_eq!(placed[1].label, "bblia");
        // Without an alias, the start of the node id.
        assert_eq!(placed[2].label, "00000000");
    }
}

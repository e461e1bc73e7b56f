//! The Lab's network, drawn: the wallet and each lab node on a ring, each channel a line split
//! where its balance splits — each side's share drawn from that side's end in its colour, with
//! the amount beside it. Offline nodes are hollow, channels that cannot carry a payment now are
//! thin and grey.

use std::f32::consts::{PI, TAU};

use iced::widget::canvas::{self, Frame, Geometry, Path, Stroke, Text};
use iced::{mouse, Color, Point, Rectangle, Renderer, Size, Theme};

use crate::core::lightning::channels::ChannelsOverview;
use crate::lab::{Counterparty, NodeSummary};
use crate::ui::format;

/// A node on the map: the wallet first, then the lab nodes in order.
#[derive(Debug, Clone, PartialEq)]
pub struct MapNode {
    pub at: Point,
    pub label: String,
    pub online: bool,
    pub wallet: bool,
}

/// A channel on the map, between two placed nodes (indices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapChannel {
    pub channel_id: String,
    pub a: usize,
    pub b: usize,
    pub capacity_sat: u64,
    /// What each end would get on a close now, when known.
    pub a_sat: u64,
    pub b_sat: Option<u64>,
    pub usable: bool,
}

impl MapChannel {
    /// Where along the line (0 at `a`, 1 at `b`) `a`'s share ends.
    pub fn split(&self) -> f32 {
        let whole = match self.b_sat {
            Some(b) => self.a_sat + b,
            None => self.capacity_sat,
        };
        if whole == 0 {
            return 0.5;
        }
        (self.a_sat as f32 / whole as f32).clamp(0.0, 1.0)
    }
}

/// Where everything goes inside `size`: pure, so it can be checked without a window.
/// `wallet` supplies the wallet's own side of its channels with lab nodes.
pub fn layout(
    nodes: &[NodeSummary],
    wallet: &ChannelsOverview,
    you: &str,
    offline: &dyn Fn(&str) -> String,
    size: Size,
) -> (Vec<MapNode>, Vec<MapChannel>) {
    let centre = Point::new(size.width / 2.0, size.height / 2.0);
    // An ellipse as wide as the map allows, leaving room for the labels.
    let (rx, ry) = (
        (size.width / 2.0 - 70.0).max(10.0),
        (size.height / 2.0 - 36.0).max(10.0),
    );
    let count = (nodes.len() + 1) as f32;
    let order = ring_order(nodes);
    let at = |i: usize| {
        // The wallet on the left, the lab nodes around the ring from there.
        let angle = PI + TAU * i as f32 / count;
        Point::new(centre.x + rx * angle.cos(), centre.y + ry * angle.sin())
    };
    let mut placed = vec![MapNode {
        at: at(0),
        label: you.to_string(),
        online: true,
        wallet: true,
    }];
    for (i, n) in nodes.iter().enumerate() {
        let slot = order.iter().position(|&o| o == i).unwrap_or(i);
        placed.push(MapNode {
            at: at(slot + 1),
            label: if n.online.is_some() {
                n.name.clone()
            } else {
                offline(&n.name)
            },
            online: n.online.is_some(),
            wallet: false,
        });
    }
    let index = |c: &Counterparty| match c {
        Counterparty::Wallet => Some(0),
        Counterparty::Node(name) => nodes.iter().position(|n| &n.name == name).map(|i| i + 1),
        Counterparty::Outside(_) => None,
    };
    let mut channels: Vec<MapChannel> = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let Some(online) = &n.online else { continue };
        for c in &online.channels {
            let Some(far) = index(&c.counterparty) else {
                continue;
            };
            if let Some(seen) = channels.iter_mut().find(|m| m.channel_id == c.channel_id) {
                // Listed by its other end too: that end's own share.
                seen.b_sat = Some(c.node_sat);
                continue;
            }
            let b_sat = match far {
                0 => wallet
                    .channels
                    .iter()
                    .find(|w| w.channel_id == c.channel_id)
                    .map(|w| w.parts.ours_sat),
                _ => None,
            };
            channels.push(MapChannel {
                channel_id: c.channel_id.clone(),
                a: i + 1,
                b: far,
                capacity_sat: c.capacity_sat,
                a_sat: c.node_sat,
                b_sat,
                usable: c.usable,
            });
        }
    }
    (placed, channels)
}

/// The lab nodes' places around the ring: following channels from the wallet (depth first, so
/// a chain of channels runs round the ring instead of across it), then the rest in order.
fn ring_order(nodes: &[NodeSummary]) -> Vec<usize> {
    let far_ends = |i: Option<usize>| -> Vec<usize> {
        let mut ends: Vec<usize> = nodes
            .iter()
            .enumerate()
            .filter(|(j, n)| {
                n.online.as_ref().is_some_and(|o| {
                    o.channels.iter().any(|c| match (&c.counterparty, i) {
                        (Counterparty::Wallet, None) => true,
                        (Counterparty::Node(name), Some(i)) => *name == nodes[i].name,
                        _ => false,
                    })
                }) || i.is_some_and(|i| {
                    nodes[i].online.as_ref().is_some_and(|o| {
                        o.channels
                            .iter()
                            .any(|c| c.counterparty == Counterparty::Node(nodes[*j].name.clone()))
                    })
                })
            })
            .map(|(j, _)| j)
            .collect();
        ends.sort_unstable();
        ends
    };
    let mut order = Vec::new();
    // From the wallet's neighbours first, then from any node not reached yet.
    let starts: Vec<usize> = far_ends(None).into_iter().chain(0..nodes.len()).collect();
    for start in starts {
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if order.contains(&i) {
                continue;
            }
            order.push(i);
            stack.extend(far_ends(Some(i)).into_iter().rev());
        }
    }
    order
}

/// A colour per place on the map: the wallet's is the theme's primary.
fn colour(i: usize, theme: &Theme) -> Color {
    const NODES: [Color; 8] = [
        Color::from_rgb(0.85, 0.45, 0.10),
        Color::from_rgb(0.20, 0.60, 0.35),
        Color::from_rgb(0.60, 0.30, 0.70),
        Color::from_rgb(0.10, 0.55, 0.70),
        Color::from_rgb(0.75, 0.25, 0.35),
        Color::from_rgb(0.45, 0.50, 0.15),
        Color::from_rgb(0.35, 0.35, 0.75),
        Color::from_rgb(0.55, 0.40, 0.25),
    ];
    match i {
        0 => theme.extended_palette().primary.base.color,
        i => NODES[(i - 1) % NODES.len()],
    }
}

/// The canvas program.
pub struct LabMap<'a> {
    pub nodes: &'a [NodeSummary],
    pub wallet: &'a ChannelsOverview,
    /// The wallet's label ("You").
    pub you: String,
    /// An offline node's label, from its name.
    pub offline: Box<dyn Fn(&str) -> String + 'a>,
}

impl<M> canvas::Program<M> for LabMap<'_> {
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
        let text_colour = palette.background.base.text;
        let (placed, channels) = layout(
            self.nodes,
            self.wallet,
            &self.you,
            &*self.offline,
            bounds.size(),
        );
        let label = |frame: &mut Frame, content: String, at: Point, size: f32| {
            frame.fill_text(Text {
                content,
                position: at,
                color: text_colour,
                size: iced::Pixels(size),
                align_x: iced::widget::text::Alignment::Center,
                align_y: iced::alignment::Vertical::Center,
                ..Text::default()
            });
        };
        for c in &channels {
            let (a, b) = (placed[c.a].at, placed[c.b].at);
            let along = |t: f32| Point::new(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
            if !c.usable {
                frame.stroke(
                    &Path::line(a, b),
                    Stroke::default()
                        .with_color(palette.background.strong.color)
                        .with_width(2.0),
                );
            } else {
                let split = along(c.split());
                for (from, to, who) in [(a, split, c.a), (split, b, c.b)] {
                    frame.stroke(
                        &Path::line(from, to),
                        Stroke::default()
                            .with_color(colour(who, theme))
                            .with_width(6.0),
                    );
                }
            }
            // Each side's amount near its own end, lifted off the line.
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let len = (dx * dx + dy * dy).sqrt().max(1.0);
            let lift = Point::new(-dy / len * 11.0, dx / len * 11.0);
            let near = |t: f32| {
                let p = along(t);
                Point::new(p.x + lift.x, p.y + lift.y)
            };
            label(&mut frame, format::group_digits(c.a_sat), near(0.28), 11.0);
            if let Some(b_sat) = c.b_sat {
                label(&mut frame, format::group_digits(b_sat), near(0.72), 11.0);
            }
        }
        for (i, p) in placed.iter().enumerate() {
            let r = if p.wallet { 13.0 } else { 11.0 };
            let circle = Path::circle(p.at, r);
            if p.online {
                frame.fill(&circle, colour(i, theme));
            } else {
                frame.fill(&circle, palette.background.base.color);
                frame.stroke(
                    &circle,
                    Stroke::default()
                        .with_color(palette.background.strong.color)
                        .with_width(2.0),
                );
            }
            label(
                &mut frame,
                p.label.clone(),
                Point::new(p.at.x, p.at.y + r + 10.0),
                13.0,
            );
        }
        vec![frame.into_geometry()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::{NodeChannel, OnlineNode};

    fn node(name: &str, channels: Vec<NodeChannel>) -> NodeSummary {
        NodeSummary {
            name: name.into(),
            node_id: String::new(),
            online: Some(OnlineNode {
                uri: String::new(),
                onchain_sat: 0,
                channels,
            }),
            kept: None,
        }
    }

    fn channel(id: &str, to: Counterparty, node_sat: u64) -> NodeChannel {
        NodeChannel {
            channel_id: id.into(),
            counterparty: to,
            capacity_sat: 1_000_000,
            node_sat,
            usable: true,
            ready: true,
        }
    }

    #[test]
    fn every_node_placed_inside_and_each_channel_once_with_both_sides() {
        let nodes = vec![
            node(
                "Alice",
                vec![
                    channel("ab", Counterparty::Node("Bob".into()), 960_000),
                    channel("aw", Counterparty::Wallet, 500_000),
                    channel("ax", Counterparty::Outside("02ff".into()), 1),
                ],
            ),
            node(
                "Bob",
                vec![channel("ab", Counterparty::Node("Alice".into()), 40_000)],
            ),
            NodeSummary {
                name: "Carol".into(),
                node_id: String::new(),
                online: None,
                kept: None,
            },
        ];
        let size = Size::new(860.0, 300.0);
        let offline = |n: &str| format!("{n} (offline)");
        let (placed, channels) =
            layout(&nodes, &ChannelsOverview::default(), "You", &offline, size);
        assert_eq!(placed.len(), 4);
        assert!(placed[0].wallet);
        assert_eq!(placed[3].label, "Carol (offline)");
        assert!(!placed[3].online);
        for p in &placed {
            assert!(p.at.x >= 0.0 && p.at.x <= size.width, "{p:?}");
            assert!(p.at.y >= 0.0 && p.at.y <= size.height, "{p:?}");
        }
        // Alice—Bob once, with both ends' own shares; the wallet's channel; nothing outside.
        assert_eq!(channels.len(), 2, "{channels:?}");
        let ab = &channels[0];
        assert_eq!(
            (ab.a, ab.b, ab.a_sat, ab.b_sat),
            (1, 2, 960_000, Some(40_000))
        );
        assert!((ab.split() - 0.96).abs() < 1e-6);
        let aw = &channels[1];
        assert_eq!((aw.a, aw.b, aw.b_sat), (1, 0, None));
        assert!((aw.split() - 0.5).abs() < 1e-6, "half of the capacity");
    }

    #[test]
    fn a_diamond_runs_round_the_ring() {
        let n = |s: &str| Counterparty::Node(s.into());
        let nodes = vec![
            node(
                "Alice",
                vec![
                    channel("aw", Counterparty::Wallet, 1),
                    channel("ab", n("Bob"), 1),
                    channel("ac", n("Carol"), 1),
                ],
            ),
            node(
                "Bob",
                vec![channel("ab", n("Alice"), 1), channel("bd", n("Dave"), 1)],
            ),
            node(
                "Carol",
                vec![channel("ac", n("Alice"), 1), channel("cd", n("Dave"), 1)],
            ),
            node(
                "Dave",
                vec![channel("bd", n("Bob"), 1), channel("cd", n("Carol"), 1)],
            ),
        ];
        // Alice, Bob, Dave, Carol: every channel but Carol's to Alice joins ring neighbours.
        assert_eq!(ring_order(&nodes), vec![0, 1, 3, 2]);
        // The same once the wallet's channel is gone (closed after a breach).
        let mut without = nodes.clone();
        if let Some(o) = without[0].online.as_mut() {
            o.channels.remove(0);
        }
        assert_eq!(ring_order(&without), vec![0, 1, 3, 2]);
    }
}

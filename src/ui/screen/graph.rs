//! The Network tab: what the embedded router knows — where the graph comes from, how many nodes and
//! public channels it holds — and our neighbourhood in it, drawn and listed with each peer's
//! forwarding terms.

use crate::ui::theme;
use iced::widget::{button, canvas, column, row, text, Space};
use iced::{Element, Length};

use crate::core::lightning::graph::{GossipState, GraphLink, GraphView, Neighbour};
use crate::fl;
use crate::ui::format;
use crate::ui::widget::graph_map::GraphMap;
use crate::ui::widget::{card, error_text, field, title};

#[derive(Debug, Default)]
pub struct Graph {
    view: Option<GraphView>,
    error: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    RefreshPressed,
}

/// What the Network tab asks its parent to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Refresh,
}

impl Graph {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::RefreshPressed => Action::Refresh,
        }
    }

    pub fn read(&mut self, result: Result<GraphView, String>) {
        match result {
            Ok(v) => {
                self.view = Some(v);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    pub fn view(&self, now_unix: u64) -> Element<'_, Message> {
        let mut page = column![row![
            title(fl!("net-title")),
            Space::new().width(Length::Fill),
            button(text(fl!("net-refresh")))
                .on_press(Message::RefreshPressed)
                .style(theme::primary),
        ]
        .align_y(iced::Alignment::Center)]
        .spacing(theme::space::L);
        if let Some(e) = &self.error {
            page = page.push(error_text(e.clone()));
        }
        let Some(v) = &self.view else {
            return page.push(text(fl!("net-reading"))).into();
        };
        let gossip = match v.gossip {
            GossipState::PeerToPeer => fl!("net-gossip-p2p"),
            GossipState::Rapid {
                last_snapshot: Some(t),
            } => fl!("net-gossip-rgs", ago = format::ago(t, now_unix)),
            GossipState::Rapid {
                last_snapshot: None,
            } => fl!("net-gossip-rgs-waiting"),
        };
        page = page.push(card(
            column![
                field(fl!("net-gossip"), gossip),
                field(fl!("net-nodes"), format::group_digits(v.nodes as u64)),
                field(fl!("net-channels"), format::group_digits(v.channels as u64)),
                text(fl!("net-explain")).size(theme::size::SMALL),
            ]
            .spacing(theme::space::S),
        ));
        if v.neighbours.is_empty() {
            return page.push(text(fl!("net-no-peers"))).into();
        }
        let map = canvas(GraphMap {
            view: v,
            us: fl!("net-us"),
        })
        .width(Length::Fill)
        .height(Length::Fixed(380.0));
        page = page.push(card(map));
        for n in &v.neighbours {
            page = page.push(neighbour(n));
        }
        page.into()
    }
}

fn name(alias: Option<&str>, node_id: &str) -> String {
    match format::alias(alias) {
        Some(a) => format!("{a} ({})", format::short_id(node_id)),
        None => format::short_id(node_id),
    }
}

fn neighbour(n: &Neighbour) -> Element<'_, Message> {
    let state = if n.connected {
        fl!("net-connected")
    } else {
        fl!("net-offline")
    };
    let mut c = column![
        row![
            text(name(n.alias.as_deref(), &n.node_id)).size(theme::size::BODY),
            Space::new().width(Length::Fill),
            text(state).size(theme::size::SMALL),
        ],
        text(fl!(
            "net-peer-channels",
            ours = n.our_channels.to_string(),
            public = n.links.len().to_string()
        ))
        .size(theme::size::SMALL),
    ]
    .spacing(theme::space::XS);
    for l in &n.links {
        c = c.push(
            text(link(l))
                .size(theme::size::SMALL)
                .font(iced::Font::MONOSPACE),
        );
    }
    card(c)
}

fn link(l: &GraphLink) -> String {
    let to = name(l.to_alias.as_deref(), &l.to);
    match l.policy {
        Some(p) if p.enabled => fl!(
            "net-link",
            to = to,
            base = format::msat(u64::from(p.base_msat)),
            ppm = p.ppm.to_string(),
            cltv = p.cltv_delta.to_string()
        ),
        Some(_) => fl!("net-link-disabled", to = to),
        None => fl!("net-link-unknown", to = to),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::{click, shows};

    #[test]
    fn shows_counts_gossip_and_each_peers_terms() {
        let mut s = Graph::default();
        assert!(shows(s.view(0), &fl!("net-reading")));
        s.read(Ok(crate::core::lightning::graph::samples::graph()));
        let v = || s.view(0);
        assert!(shows(v(), &fl!("net-gossip-p2p")));
        assert!(shows(
            v(),
            &fl!("net-peer-channels", ours = "1", public = "1")
        ));
        let carol = format!("carol ({})", format::short_id(&"04".repeat(33)));
        assert!(shows(
            v(),
            &fl!(
                "net-link",
                to = carol,
                base = "1 sat",
                ppm = "250",
                cltv = "72"
            )
        ));
        assert!(matches!(
            click(v(), &fl!("net-refresh"))[..],
            [Message::RefreshPressed]
        ));
    }

    #[test]
    fn rapid_gossip_says_how_old_its_snapshot_is() {
        let mut s = Graph::default();
        let mut view = crate::core::lightning::graph::samples::graph();
        view.gossip = GossipState::Rapid {
            last_snapshot: None,
        };
        s.read(Ok(view.clone()));
        assert!(shows(s.view(0), &fl!("net-gossip-rgs-waiting")));
        view.gossip = GossipState::Rapid {
            last_snapshot: Some(1_000),
        };
        s.read(Ok(view));
        assert!(shows(
            s.view(1_120),
            &fl!("net-gossip-rgs", ago = format::ago(1_000, 1_120))
        ));
    }
}

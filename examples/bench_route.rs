//! Benchmark, not a test: the route preview on a channel graph of mainnet's size.
//!
//! `cargo run --release --example bench_route`
//!
//! A synthetic graph of 15,000 nodes and 60,000 channels: grown by preferential attachment (each
//! new node opens four channels, to nodes picked in proportion to how many channels they have
//! already), so a few hubs have hundreds of channels and most nodes a handful, as on mainnet.
//! Terms spread as on mainnet: base fees mostly 1 sat or none, proportional fees from 1 to a few
//! thousand ppm (most below 500), CLTV deltas of 18 to 144, capacities from 20,000 sat to
//! 0.5 BTC (log-uniform), a few directions disabled or never announced. Fixed seed: every run
//! builds the same graph.
//!
//! Figures, each side by side with LDK alone in the same run:
//! - building LDK's graph from the view (`route::graph::build_graph`, what the preview does
//!   when its cached graph is stale) beside LDK reading the same graph from its own
//!   serialisation (what LDK Node does at start), 5 runs each;
//! - the preview (`route::first_route`: LDK's `find_route` and the conversion to what Send
//!   shows) for 1,000 random payer/payee pairs and 50,000 sat, beside `find_route` alone on the
//!   same pairs, interleaved.

mod bench_common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ldk_node::bitcoin::secp256k1::{PublicKey, Secp256k1, SecretKey};
use ldk_node::lightning::routing::gossip::{NetworkGraph, NodeId};
use ldk_node::lightning::routing::router::{find_route, PaymentParameters, RouteParameters};
use ldk_node::lightning::routing::scoring::ProbabilisticScoringFeeParameters;
use ldk_node::lightning::util::ser::{ReadableArgs, Writeable};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use shandian::core::lightning::graph::ForwardPolicy;
use shandian::core::lightning::route::first_route;
use shandian::core::lightning::route::graph::{
    build_graph, fresh_scorer, GraphChannel, RouterLog, RoutingGraph, Terms,
};

use bench_common::{machine, ms, percentile};

const NODES: usize = 15_000;
/// Channels each new node opens (NODES × this ≈ 60,000 channels).
const CHANNELS_PER_NODE: usize = 4;
const PAIRS: usize = 1_000;
const AMOUNT_MSAT: u64 = 50_000_000;
const BUILD_RUNS: usize = 5;

fn main() -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let secp = Secp256k1::new();
    let keys: Vec<PublicKey> = (0..NODES)
        .map(|i| {
            let mut secret = [0u8; 32];
            secret[..8].copy_from_slice(&(i as u64 + 1).to_be_bytes());
            secret[31] = 1;
            PublicKey::from_secret_key(&secp, &SecretKey::from_slice(&secret).expect("valid"))
        })
        .collect();
    let channels = grow(&keys, &mut rng);
    let network = ldk_node::bitcoin::Network::Bitcoin;

    // Building the graph: ours from the view, beside LDK reading its own serialisation.
    let (mut ours_build, mut ldk_read) = (Vec::new(), Vec::new());
    let mut built = None;
    for _ in 0..BUILD_RUNS {
        let t = Instant::now();
        let g = build_graph(network, channels.iter().cloned());
        ours_build.push(t.elapsed());
        let bytes = g.encode();
        let t = Instant::now();
        let read = NetworkGraph::read(&mut &bytes[..], Arc::new(RouterLog))
            .map_err(|e| anyhow::anyhow!("LDK could not read its graph: {e:?}"))?;
        ldk_read.push(t.elapsed());
        anyhow::ensure!(
            read.read_only().channels().len() == g.read_only().channels().len(),
            "LDK reads back what it wrote"
        );
        built = Some(g);
    }
    let graph = Arc::new(built.expect("built"));
    let in_graph = graph.read_only().channels().len();
    let routing = RoutingGraph {
        scorer: fresh_scorer(graph.clone()),
        graph: graph.clone(),
        channels: in_graph,
        built: Instant::now(),
    };

    let (mut ours, mut bare) = (Vec::new(), Vec::new());
    let (mut found, mut hops_total, mut split) = (0usize, 0usize, 0usize);
    for i in 0..PAIRS {
        let payer = rng.random_range(0..NODES);
        let mut payee = rng.random_range(0..NODES);
        while payee == payer {
            payee = rng.random_range(0..NODES);
        }
        let seed: [u8; 32] = rng.random();
        let params = PaymentParameters::from_node_id(keys[payee], 40);
        // Alternate which goes first, so neither always finds the caches warm.
        let run_ours = || {
            let t = Instant::now();
            let r = first_route(
                &routing,
                &keys[payer],
                None,
                params.clone(),
                AMOUNT_MSAT,
                &seed,
            );
            (t.elapsed(), r)
        };
        let run_bare = || {
            let t = Instant::now();
            let route_params =
                RouteParameters::from_payment_params_and_value(params.clone(), AMOUNT_MSAT);
            let r = find_route(
                &keys[payer],
                &route_params,
                &graph,
                None,
                Arc::new(RouterLog),
                &routing.scorer,
                &ProbabilisticScoringFeeParameters::default(),
                &seed,
            );
            (t.elapsed(), r.is_ok())
        };
        let ((a, r), (b, ok)) = if i % 2 == 0 {
            let a = run_ours();
            (a, run_bare())
        } else {
            let b = run_bare();
            (run_ours(), b)
        };
        anyhow::ensure!(r.is_some() == ok, "the preview finds what LDK finds");
        ours.push(a);
        bare.push(b);
        if let Some(r) = r {
            found += 1;
            hops_total += r.hops.len();
            split += usize::from(r.parts > 1);
        }
    }

    println!(
        "route preview on a synthetic mainnet-size graph: {NODES} nodes, {in_graph} channels; {}",
        machine()
    );
    let cell = |v: &mut Vec<Duration>| {
        let (p50, p99) = (percentile(v, 50.0), percentile(v, 99.0));
        let max = *v.iter().max().expect("runs");
        format!("{:.1} / {:.1} / {:.1}", ms(p50), ms(p99), ms(max))
    };
    println!("in ms (p50 / p99 / max)");
    println!("{:<44}{:>24}{:>24}", "", "Shandian", "LDK alone");
    println!(
        "{:<44}{:>24}{:>24}",
        format!("graph built ({BUILD_RUNS} runs; LDK: read back)"),
        cell(&mut ours_build),
        cell(&mut ldk_read)
    );
    println!(
        "{:<44}{:>24}{:>24}",
        format!("route, {PAIRS} random pairs, 50,000 sat"),
        cell(&mut ours),
        cell(&mut bare)
    );
    println!(
        "ratio of p50s (Shandian / LDK alone): route {:.3}",
        ms(percentile(&mut ours, 50.0)) / ms(percentile(&mut bare, 50.0))
    );
    println!(
        "routes found: {found} of {PAIRS}; {:.1} hops on average; {split} split into parts",
        hops_total as f64 / found.max(1) as f64
    );
    Ok(())
}

/// Grows the graph by preferential attachment and gives every channel terms.
fn grow(keys: &[PublicKey], rng: &mut StdRng) -> Vec<GraphChannel> {
    // Each node appears here once per channel end: picking uniformly from it picks nodes in
    // proportion to their channels.
    let mut ends: Vec<usize> = Vec::new();
    let mut channels = Vec::new();
    let seed_nodes = CHANNELS_PER_NODE + 1;
    for a in 0..seed_nodes {
        for b in (a + 1)..seed_nodes {
            channels.push(channel(keys, a, b, channels.len(), rng));
            ends.extend([a, b]);
        }
    }
    for new in seed_nodes..keys.len() {
        let mut peers: Vec<usize> = Vec::new();
        while peers.len() < CHANNELS_PER_NODE {
            let p = ends[rng.random_range(0..ends.len())];
            if !peers.contains(&p) {
                peers.push(p);
            }
        }
        for p in peers {
            channels.push(channel(keys, new, p, channels.len(), rng));
            ends.extend([new, p]);
        }
    }
    channels
}

fn channel(keys: &[PublicKey], a: usize, b: usize, n: usize, rng: &mut StdRng) -> GraphChannel {
    let (x, y) = (NodeId::from_pubkey(&keys[a]), NodeId::from_pubkey(&keys[b]));
    let (node_one, node_two) = if x < y { (x, y) } else { (y, x) };
    // Log-uniform from 20,000 sat to 50,000,000 sat.
    let capacity_sats = (20_000f64 * (2_500f64).powf(rng.random::<f64>())) as u64;
    let mut terms = || -> Option<Terms> {
        let roll: f64 = rng.random();
        if roll < 0.03 {
            return None;
        }
        let base_msat = match rng.random_range(0..10) {
            0..=6 => 1_000,
            7 | 8 => 0,
            _ => rng.random_range(0..5_000),
        };
        // Most below 500 ppm, a long tail to a few thousand.
        let ppm = (2f64.powf(rng.random::<f64>() * 11.5)) as u32;
        let cltv_delta = [18u16, 34, 40, 72, 80, 144][rng.random_range(0..6)];
        Some(Terms {
            last_update: shandian::core::now() as u32 - rng.random_range(0..86_400),
            htlc_minimum_msat: 1_000,
            htlc_maximum_msat: capacity_sats * 990,
            policy: ForwardPolicy {
                base_msat,
                ppm,
                cltv_delta,
                enabled: roll >= 0.06,
            },
        })
    };
    GraphChannel {
        // Block, transaction index and output as a real short channel id packs them.
        short_channel_id: ((700_000 + n as u64 / 1_000) << 40) | ((n as u64 % 1_000) << 16),
        node_one,
        node_two,
        capacity_sats: Some(capacity_sats),
        one_to_two: terms(),
        two_to_one: terms(),
    }
}

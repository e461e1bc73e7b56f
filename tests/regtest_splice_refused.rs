//! A peer whose node cannot splice (LDK Node 0.6, LDK 0.1: a real, older LDK node as a child
//! process, see `tests/common/old_peer.rs`): the wallet's splice in and splice out are refused
//! with a sentence that says so, before anything is signed, and nothing is spent.

mod common;

use common::old_peer::OldPeer;
use common::*;
use shandian::core::lightning::channels::ChannelError;
use shandian::core::Error;

#[test]
fn regtest_splice_refused_by_peer() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let wallet = funded_wallet(&chain, &dir).await;
        let mut old = OldPeer::start(&chain.electrum_url());
        // Coins of its own, which LDK wants for the fees of an anchor channel's close.
        let address = old.ask("address");
        let c = chain.clone();
        on_chain(&chain, move |_| c.fund(&address)).await.unwrap();
        let funded = with_timeout("the old peer to see its coins", async {
            loop {
                let sat: u64 = old.ask("balance").parse().unwrap();
                if sat > 0 {
                    return sat;
                }
                mine(&chain, 1).await;
            }
        })
        .await;
        eprintln!("the old peer holds {funded} sat");
        let channel = open_ready_channel_to(&chain, &wallet, &old.uri(), 500_000, 0).await;
        let before = wallet.snapshot().await.unwrap().balances;

        let refused = wallet.splice_in(channel.id.clone(), 100_000).await;
        assert_eq!(
            refused,
            Err(Error::Channel(ChannelError::PeerCannotSplice)),
            "a splice in with a peer that cannot splice"
        );
        let sentence = shandian::ui::errors::describe(&refused.unwrap_err());
        assert!(sentence.contains("splic"), "{sentence}");
        let refused = wallet.splice_out(channel.id.clone(), None, 100_000).await;
        assert_eq!(refused, Err(Error::Channel(ChannelError::PeerCannotSplice)));

        // Nothing signed, nothing spent: the coins and the channel as they were.
        sync_tolerantly(&wallet).await;
        let after = wallet.snapshot().await.unwrap().balances;
        assert_eq!(after.onchain_total_sat, before.onchain_total_sat);
        assert_eq!(after.onchain_spendable_sat, before.onchain_spendable_sat);
        let now = wallet.channels().await.unwrap();
        let same = now.get(&channel.id).expect("the channel is still there");
        assert_eq!(same.capacity_sat, channel.capacity_sat);
        assert!(same.history.splices.is_empty(), "{:#?}", same.history);
        wallet.stop().await.unwrap();
    })
}

//! A backup restored in the middle of a splice: the wallet splices 200,000 sat into its channel,
//! the splice's transaction is out but not confirmed, and the disk is lost. The words and the
//! backup folder bring back the channel with the splice under way; once the splice confirms the
//! channel stands at its new size, the money is where it was, to the sat, and it pays again.

mod common;

use common::backup::{backed_up_channel, restore, CAPACITY_SAT};
use common::*;
use shandian::core::lightning::channels::{ChannelStatus, SpliceDirection, SpliceState};

const SPLICE_SAT: u64 = 200_000;

#[test]
fn drill_backup_restore_mid_splice() {
    run(async {
        let chain = start_chain().await;
        let (tmp, root, dir) = temp_root();
        let (wallet, mnemonic, usb, peer, channel) = backed_up_channel(&chain, &dir).await;
        let before = wallet.snapshot().await.unwrap().balances;
        wallet
            .splice_in(channel.id.clone(), SPLICE_SAT)
            .await
            .expect("the splice starts");
        let pending = wait_for_channels(&wallet, "the splice's transaction out", |o| {
            o.get(&channel.id).is_some_and(|c| {
                c.history.splices.last().is_some_and(|s| {
                    s.direction == SpliceDirection::In
                        && s.state == SpliceState::Pending
                        && s.funding_outpoint.is_some()
                })
            })
        })
        .await;
        let outpoint = pending.get(&channel.id).unwrap().history.splices[0]
            .funding_outpoint
            .clone()
            .unwrap();
        let splice_txid = outpoint.split(':').next().unwrap().to_string();
        wait_for_tx(&chain, &splice_txid).await;
        let fee_sat = tx_fee_sat(&chain, &splice_txid).await;
        let ours_before = channel.parts.ours_sat;
        wait_for_snapshot(&wallet, "the backup written after the splice", |s| {
            s.backup.is_working()
        })
        .await;
        wallet.stop().await.unwrap();
        drop(wallet);

        // The disk is lost while the splice waits for its first confirmation.
        std::fs::remove_dir_all(root.path()).unwrap();
        drop(tmp);
        let (_tmp, _root, empty) = temp_root();
        let restored = restore(&empty, mnemonic, &chain, usb.path()).await.unwrap();

        // The splice confirms after the restore: the channel follows it to its new size.
        mine(&chain, 6).await;
        let back = wait_for_channels(&restored, "the restored channel at its new size", |o| {
            o.get(&channel.id).is_some_and(|c| {
                c.status == ChannelStatus::Active && c.capacity_sat == CAPACITY_SAT + SPLICE_SAT
            })
        })
        .await;
        let c = back.get(&channel.id).unwrap();
        assert_eq!(
            c.funding_outpoint.as_deref(),
            Some(outpoint.as_str()),
            "the channel stands on the splice's output"
        );
        let grown = c.parts.ours_sat as i64 - ours_before as i64;
        // Our side grew by the amount, less any change in the commitment's fee we pay as opener.
        assert!(
            (SPLICE_SAT as i64 - 2_000..=SPLICE_SAT as i64).contains(&grown),
            "our side grew by {grown} sat"
        );
        let after = wait_for_snapshot(
            &restored,
            "the splice's coins gone from the chain side",
            |s| s.balances.onchain_total_sat + SPLICE_SAT + fee_sat == before.onchain_total_sat,
        )
        .await;
        assert_eq!(
            before.onchain_total_sat - after.balances.onchain_total_sat,
            SPLICE_SAT + fee_sat,
            "the chain side paid the amount and the splice's fee, nothing more"
        );

        // The channel pays again, from the restored wallet.
        let paid = pay_peer(&restored, &peer, 100_000_000).await;
        assert_eq!(paid.amount_msat, Some(100_000_000));
        restored.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

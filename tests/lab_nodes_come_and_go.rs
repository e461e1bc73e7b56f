//! Lab nodes are added by name in order, removed with their folder (only while they have no
//! channel, and only online, where that can be checked), and a name given again is a new node.

mod common;

use common::lab::TestLab;
use common::*;
use shandian::lab::LabError;

#[test]
fn lab_nodes_come_and_go() {
    run(async {
        let chain = start_chain().await;
        let lab = TestLab::new(&chain);
        assert_eq!(lab.add().await, "Alice");
        assert_eq!(lab.add().await, "Bob");
        let bob = lab.lab.node("Bob").unwrap();
        let (old_id, dir) = (bob.node_id(), bob.dir().to_path_buf());
        assert!(dir.is_dir());
        // Funded on its first start: it can accept and open channels.
        assert!(
            lab.node("Bob")
                .node()
                .list_balances()
                .total_onchain_balance_sats
                > 0
        );

        // Offline, whether it has channels cannot be seen: refused.
        let offline = {
            let b = bob.clone();
            tokio::task::spawn_blocking(move || b.go_offline())
                .await
                .unwrap();
            lab.lab.remove_node("Bob").await
        };
        assert_eq!(offline, Err(LabError::NodeOffline("Bob".into())));
        drop(bob);
        let b = lab.lab.node("Bob").unwrap();
        tokio::task::spawn_blocking(move || b.come_back(None).map(|_| ()))
            .await
            .unwrap()
            .unwrap();

        lab.lab.remove_node("Bob").await.expect("Bob leaves");
        assert!(!dir.exists(), "its folder is gone");
        let names: Vec<String> = lab
            .lab
            .nodes()
            .iter()
            .map(|n| n.name().to_string())
            .collect();
        assert_eq!(names, ["Alice"]);
        assert_eq!(lab.add().await, "Bob");
        assert_ne!(lab.lab.node("Bob").unwrap().node_id(), old_id, "new keys");
        lab.stop().await;
    });
}

//! The Lab's chain controls on a real local chain: mining to a timelock's height reaches it
//! exactly (and a height already passed mines nothing), as the Lab panel asks.

mod common;

use std::sync::Arc;

use common::*;
use shandian::lab::Lab;

#[test]
fn lab_mines_to_a_height() {
    run(async {
        let chain = start_chain().await;
        let nodes = tempfile::tempdir().unwrap();
        let lab = Arc::new(Lab::new(chain.clone(), nodes.path().to_path_buf()));
        let start = on_chain(&chain, |c| c.height()).await.unwrap();
        let target = u32::try_from(start).unwrap() + 12;
        assert_eq!(lab.mine_to(target).await.unwrap(), u64::from(target));
        assert_eq!(
            on_chain(&chain, |c| c.height()).await.unwrap(),
            u64::from(target)
        );
        // Already there (or past it): nothing is mined.
        assert_eq!(lab.mine_to(target - 5).await.unwrap(), u64::from(target));
        assert_eq!(lab.mine(3).await.unwrap(), u64::from(target) + 3);
    });
}

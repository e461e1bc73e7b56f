use super::*;
use crate::core::store::backup::{BackupFolder, BackupKeys};

fn keys() -> Arc<BackupKeys> {
    Arc::new(BackupKeys::from_seed(&[3; 64]))
}

fn restored(usb: &Path) -> Vec<(EntryName, Vec<u8>)> {
    BackupFolder::find(usb, "regtest", keys())
        .unwrap()
        .read_all()
        .unwrap()
}

#[test]
fn every_write_reaches_the_backup_and_a_late_folder_gets_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let usb = tmp.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let store = MirrorStore::open(&tmp.path().join("node")).unwrap();
    // Written before any backup was chosen.
    KVStoreSync::write(&*store, "", "", "manager", b"m1".to_vec()).unwrap();
    KVStoreSync::write(&*store, "", "", "network_graph", b"big".to_vec()).unwrap();
    let folder = BackupFolder::prepare(&usb, "regtest", keys(), "w").unwrap();
    store.attach(Box::new(folder));
    store.copy_all().unwrap();
    assert!(store.in_sync());
    assert_eq!(
        restored(&usb),
        vec![(EntryName::new("", "", "manager"), b"m1".to_vec())]
    );
    // Written and removed afterwards, through both interfaces.
    KVStoreSync::write(&*store, "monitors", "", "c1", b"mon".to_vec()).unwrap();
    futures_lite_block_on(KVStore::write(&*store, "", "", "manager", b"m2".to_vec())).unwrap();
    KVStoreSync::write(&*store, "payments", "", "p1", b"pay".to_vec()).unwrap();
    KVStoreSync::remove(&*store, "payments", "", "p1", false).unwrap();
    let mut got = restored(&usb);
    got.sort();
    assert_eq!(
        got,
        vec![
            (EntryName::new("", "", "manager"), b"m2".to_vec()),
            (EntryName::new("monitors", "", "c1"), b"mon".to_vec()),
        ]
    );
    assert!(store.status().is_working());
}

#[test]
fn a_folder_gone_missing_is_failing_until_it_is_back_and_whole_again() {
    let tmp = tempfile::tempdir().unwrap();
    let usb = tmp.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let store = MirrorStore::open(&tmp.path().join("node")).unwrap();
    store.attach(Box::new(
        BackupFolder::prepare(&usb, "regtest", keys(), "w").unwrap(),
    ));
    KVStoreSync::write(&*store, "monitors", "", "c1", b"v1".to_vec()).unwrap();
    // The stick is pulled out: the wallet goes on, the backup says it is behind.
    let away = tmp.path().join("away");
    std::fs::rename(&usb, &away).unwrap();
    KVStoreSync::write(&*store, "monitors", "", "c1", b"v2".to_vec()).unwrap();
    KVStoreSync::write(&*store, "monitors", "", "c2", b"new".to_vec()).unwrap();
    assert_eq!(
        KVStoreSync::read(&*store, "monitors", "", "c1").unwrap(),
        b"v2"
    );
    let s = store.status();
    assert!(s.failing.is_some() && !s.is_working(), "{s:?}");
    assert!(!store.in_sync());
    // Back in: the whole store is copied again.
    std::fs::rename(&away, &usb).unwrap();
    store.copy_all().unwrap();
    assert!(store.status().is_working() && store.in_sync());
    let mut got = restored(&usb);
    got.sort();
    assert_eq!(
        got,
        vec![
            (EntryName::new("monitors", "", "c1"), b"v2".to_vec()),
            (EntryName::new("monitors", "", "c2"), b"new".to_vec()),
        ]
    );
}

/// Drives a future that is ready at once (the store's async calls do their work eagerly).
fn futures_lite_block_on<T>(fut: AsyncResult<T>) -> io::Result<T> {
    let mut fut = fut;
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    match fut.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(r) => r,
        std::task::Poll::Pending => panic!("the store's futures are ready at once"),
    }
}

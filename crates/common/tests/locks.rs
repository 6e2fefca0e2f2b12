//! The deploy lock and app lock read their paths from the environment, so they are tested in
//! this separate test binary with a single test function owning the environment.

use dokku_common::lock::{app_lock, DeployLock, DeployLockMode};

#[test]
fn deploy_and_app_locks() {
    let root = std::env::temp_dir().join(format!("dokku-common-locks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("plugins/enabled")).unwrap();
    std::env::set_var("DOKKU_LIB_ROOT", &root);
    std::env::set_var("PLUGIN_PATH", root.join("plugins"));
    std::env::set_var("DOKKU_BUILD_ID", "abc123");

    let lock_file = root.join("data/apps/web/.deploy.lock");
    let held = DeployLock::acquire("web", DeployLockMode::Exclusive).unwrap();
    assert_eq!(std::fs::read_to_string(&lock_file).unwrap(), "abc123\n");
    let err = DeployLock::acquire("web", DeployLockMode::Exclusive).unwrap_err();
    assert_eq!(
        err.message(),
        "Run 'apps:unlock' to release the existing deploy lock"
    );
    assert_eq!(err.code(), 1);
    held.release(0);
    assert!(!lock_file.exists());
    let again = DeployLock::acquire("web", DeployLockMode::Waiting).unwrap();
    again.release(0);

    assert!(DeployLock::acquire("../x", DeployLockMode::Exclusive).is_err());
    assert!(!root.join("data/apps/../x").exists());

    let guard = app_lock("web").unwrap();
    assert_eq!(guard.path(), root.join("data/apps/web/.lock"));
    drop(guard);
    assert!(app_lock("a/b").is_err());

    let _ = std::fs::remove_dir_all(&root);
}

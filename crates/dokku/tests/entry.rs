//! The entry point against a real installed tree in a temporary root.

use dokku_rs_testkit::Root;

#[test]
fn version_reads_the_version_file() {
    let root = Root::new();
    let expected = format!("dokku version {}\n", env!("CARGO_PKG_VERSION"));
    root.dokku(&["version"]).ok().stdout(&expected);
    root.dokku(&["-v"]).ok().stdout(&expected);
    root.dokku(&["--version"]).ok().stdout(&expected);
}

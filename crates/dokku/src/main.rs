fn main() {
    // SAFETY: restoring the default SIGPIPE disposition before any thread exists, so a closed
    // pipe ends `dokku help | head` quietly, as with the shell entry point.
    unsafe {
        nix::libc::signal(nix::libc::SIGPIPE, nix::libc::SIG_DFL);
    }
    std::process::exit(dokku::run(std::env::args_os().skip(1).collect()));
}

fn main() {
    // Die quietly on a closed stdout (`plugn list | head -1`) like a C tool would.
    // SAFETY: resetting a signal disposition before any thread exists.
    unsafe {
        nix::libc::signal(nix::libc::SIGPIPE, nix::libc::SIG_DFL);
    }
    let code = plugn::cli::main(std::env::args_os().skip(1).collect());
    std::process::exit(code);
}

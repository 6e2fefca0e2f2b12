fn main() {
    core_plugin_certs::main()
}

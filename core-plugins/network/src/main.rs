fn main() {
    core_plugin_network::main()
}

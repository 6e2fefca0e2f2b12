fn main() {
    core_plugin_proxy::main()
}

fn main() {
    core_plugin_domains::main()
}

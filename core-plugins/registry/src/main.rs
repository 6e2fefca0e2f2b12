fn main() {
    core_plugin_registry::main()
}

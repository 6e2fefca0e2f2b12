fn main() {
    core_plugin_builder_railpack::main()
}

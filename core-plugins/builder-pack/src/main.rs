fn main() {
    core_plugin_builder_pack::main()
}

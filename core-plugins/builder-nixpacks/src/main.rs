fn main() {
    core_plugin_builder_nixpacks::main()
}

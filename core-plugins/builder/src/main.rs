fn main() {
    core_plugin_builder::main()
}

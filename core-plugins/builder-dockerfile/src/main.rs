fn main() {
    core_plugin_builder_dockerfile::main()
}

fn main() {
    core_plugin_builder_lambda::main()
}

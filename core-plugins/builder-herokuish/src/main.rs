fn main() {
    core_plugin_builder_herokuish::main()
}

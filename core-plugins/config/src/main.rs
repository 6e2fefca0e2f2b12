fn main() {
    core_plugin_config::main()
}

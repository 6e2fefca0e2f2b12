fn main() {
    core_plugin_plugin::main()
}

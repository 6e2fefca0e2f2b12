fn main() {
    core_plugin_events::main()
}

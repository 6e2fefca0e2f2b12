fn main() {
    core_plugin_logs::main()
}

fn main() {
    core_plugin_ports::main()
}

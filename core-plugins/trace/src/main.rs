fn main() {
    core_plugin_trace::main()
}

fn main() {
    core_plugin_common::main()
}

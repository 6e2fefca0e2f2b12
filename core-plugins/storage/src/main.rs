fn main() {
    core_plugin_storage::main()
}

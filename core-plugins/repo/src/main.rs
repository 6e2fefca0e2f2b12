fn main() {
    core_plugin_repo::main()
}

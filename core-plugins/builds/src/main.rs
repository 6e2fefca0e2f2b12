fn main() {
    core_plugin_builds::main()
}

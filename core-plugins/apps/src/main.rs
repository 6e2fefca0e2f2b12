fn main() {
    core_plugin_apps::main()
}

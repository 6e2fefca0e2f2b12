fn main() {
    core_plugin_app_json::main()
}

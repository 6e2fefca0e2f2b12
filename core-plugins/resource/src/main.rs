fn main() {
    core_plugin_resource::main()
}

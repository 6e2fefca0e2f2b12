fn main() {
    core_plugin_checks::main()
}

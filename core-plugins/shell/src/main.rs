fn main() {
    core_plugin_shell::main()
}

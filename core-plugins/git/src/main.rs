fn main() {
    core_plugin_git::main()
}

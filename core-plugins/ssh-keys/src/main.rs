fn main() {
    core_plugin_ssh_keys::main()
}

fn main() {
    core_plugin_dokku_standard::main()
}

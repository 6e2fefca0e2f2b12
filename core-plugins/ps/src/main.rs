fn main() {
    core_plugin_ps::main()
}

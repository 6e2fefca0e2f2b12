fn main() {
    core_plugin_scheduler::main()
}

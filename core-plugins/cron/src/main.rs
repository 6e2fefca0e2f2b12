fn main() {
    core_plugin_cron::main()
}

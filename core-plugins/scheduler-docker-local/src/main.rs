fn main() {
    core_plugin_scheduler_docker_local::main()
}

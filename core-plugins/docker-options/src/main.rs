fn main() {
    core_plugin_docker_options::main()
}

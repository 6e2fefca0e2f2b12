fn main() {
    core_plugin_traefik_vhosts::main()
}

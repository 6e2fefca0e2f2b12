fn main() {
    core_plugin_caddy_vhosts::main()
}

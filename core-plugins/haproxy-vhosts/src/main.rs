fn main() {
    core_plugin_haproxy_vhosts::main()
}

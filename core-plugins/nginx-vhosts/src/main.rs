fn main() {
    core_plugin_nginx_vhosts::main()
}

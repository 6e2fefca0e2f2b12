fn main() {
    core_plugin_openresty_vhosts::main()
}

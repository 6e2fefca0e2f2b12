fn main() {
    core_plugin_buildpacks::main()
}

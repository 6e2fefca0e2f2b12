//! The image lookups and removals of the builder plugin, as upstream's Go helpers
//! (`DockerFilterImages`, `RemoveImages`, `IsImageCnbBased`, `IsImageHerokuishBased`) make them,
//! through `dokku_common::docker`.

use dokku_common::docker;

/// Trimmed docker stdout split into ids, or the failure's message.
fn ids(args: &[&str]) -> Result<Vec<String>, String> {
    match docker::run_ok(args) {
        Ok(out) => Ok(out
            .stdout
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()),
        Err(e) => Err(e.message().trim().to_string()),
    }
}

/// `docker image ls --quiet --all --filter <f>…`: image ids.
pub fn filter_images(filters: &[String]) -> Result<Vec<String>, String> {
    let mut args = vec!["image", "ls", "--quiet", "--all"];
    for filter in filters {
        args.extend(["--filter", filter.as_str()]);
    }
    ids(&args).map_err(|e| format!("Unable to filter images: {e}"))
}

/// `docker image ls --quiet <repo>`: ids of the repository's images.
pub fn images_of_repo(repo: &str) -> Result<Vec<String>, String> {
    ids(&["image", "ls", "--quiet", repo]).map_err(|e| format!("Unable to list images: {e}"))
}

/// `docker image rm <id>…`; nothing to do without ids.
pub fn remove_images(image_ids: &[String]) -> Result<(), String> {
    if image_ids.is_empty() {
        return Ok(());
    }
    let mut args = vec!["image", "rm"];
    args.extend(image_ids.iter().map(String::as_str));
    ids(&args)
        .map(|_| ())
        .map_err(|e| format!("Unable to remove images: {e}"))
}

/// An image built by Cloud Native Buildpacks carries `io.buildpacks.stack.id`.
pub fn is_cnb(image: &str) -> bool {
    !image.is_empty()
        && docker::inspect(
            image,
            r#"{{index .Config.Labels "io.buildpacks.stack.id" }}"#,
        )
        .is_ok_and(|v| !v.is_empty())
}

/// Whether the image's environment sets `USER=<user>` (how herokuish images are told
/// apart). The environment is compared here rather than templated into docker's format.
pub fn has_env_user(image: &str, user: &str) -> bool {
    let Ok(json) = docker::inspect(image, "{{json .Config.Env}}") else {
        return false;
    };
    let wanted = format!("USER={user}");
    serde_json::from_str::<Vec<String>>(&json)
        .map(|env| env.contains(&wanted))
        .unwrap_or(false)
}

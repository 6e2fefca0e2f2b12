//! The subcommands' flag sets, as upstream declares them (names, kinds, usage texts). Parsing
//! and the usage output are `dokku_common::pflag`'s.

use dokku_common::pflag::{Flag, FlagSet, Kind};

const fn switch(name: &'static str, usage: &'static str) -> Flag {
    Flag {
        name,
        kind: Kind::Bool,
        usage,
    }
}

const SKIP_DEPLOY: Flag = switch("skip-deploy", "--skip-deploy: skip deploy of the new app");
const FORMAT: Flag = Flag {
    name: "format",
    kind: Kind::Str("stdout"),
    usage: "format: [ stdout | json ]",
};

const fn set(name: &'static str, flags: &'static [Flag]) -> FlagSet<'static> {
    FlagSet { name, flags }
}

pub const CLONE: FlagSet = set(
    "apps:clone",
    &[
        SKIP_DEPLOY,
        switch(
            "ignore-existing",
            "--ignore-existing: exit 0 if new app already exists",
        ),
    ],
);
pub const CREATE: FlagSet = set("apps:create", &[]);
pub const DESTROY: FlagSet = set(
    "apps:destroy",
    &[switch(
        "force",
        "--force: force destroy without confirmation",
    )],
);
pub const EXISTS: FlagSet = set("apps:exists", &[]);
pub const LIST: FlagSet = set("apps:list", &[FORMAT]);
pub const LOCK: FlagSet = set("apps:lock", &[]);
pub const LOCKED: FlagSet = set("apps:locked", &[]);
pub const RENAME: FlagSet = set("apps:rename", &[SKIP_DEPLOY]);
pub const SET: FlagSet = set(
    "apps:set",
    &[switch("global", "--global: set a global property")],
);
pub const UNLOCK: FlagSet = set("apps:unlock", &[]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_tables() {
        assert_eq!(
            CLONE.usage(),
            "Usage of apps:clone:\n      --ignore-existing   --ignore-existing: exit 0 if new app already exists\n      --skip-deploy       --skip-deploy: skip deploy of the new app\n"
        );
        assert_eq!(
            LIST.usage(),
            "Usage of apps:list:\n      --format string   format: [ stdout | json ] (default \"stdout\")\n"
        );
        assert_eq!(CREATE.usage(), "Usage of apps:create:\n");
    }
}

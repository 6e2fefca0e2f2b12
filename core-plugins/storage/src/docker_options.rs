//! The part of the docker-options plugin's state the legacy-mount migration needs: the
//! default-scope option lists `config/docker-options/<app>/_default_.<phase>`.

use dokku_common::property::Store;
use dokku_common::Result;

use crate::attachment::DEFAULT_PROCESS_TYPE;

const PLUGIN: &str = "docker-options";

fn key(phase: &str) -> String {
    format!("{DEFAULT_PROCESS_TYPE}.{phase}")
}

/// The app's default-scope options for a phase, trimmed, blanks dropped.
pub fn for_phase(app: &str, phase: &str) -> Result<Vec<String>> {
    Ok(Store::from_env()
        .list_get(PLUGIN, app, &key(phase))?
        .into_iter()
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty())
        .collect())
}

/// Remove `option` from the phases' default-scope lists, matching stored options word for
/// word as the shell would split them (nothing is expanded); the rest is kept sorted.
pub fn remove_from_phases(app: &str, phases: &[String], option: &str) -> Result<()> {
    let store = Store::from_env();
    for phase in phases {
        let mut kept: Vec<String> = for_phase(app, phase)?
            .into_iter()
            .filter(|stored| !options_equal(stored, option))
            .collect();
        kept.sort();
        store.list_write(PLUGIN, app, &key(phase), &kept)?;
    }
    Ok(())
}

fn options_equal(stored: &str, option: &str) -> bool {
    stored == option
        || matches!((shell_words(stored), shell_words(option)), (Some(a), Some(b)) if a == b)
}

/// Split into words with the shell's quoting rules and no expansion; `None` when a quote is
/// left open.
fn shell_words(input: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => word.push(c),
                            '\n' => {}
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') | None => {}
                    Some(c) => word.push(c),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_matching() {
        assert!(options_equal("-v /a:/b", "-v /a:/b"));
        assert!(options_equal("-v  '/a:/b'", "-v /a:/b"));
        assert!(options_equal("-v \"/a:/b\"", "-v /a:/b"));
        assert!(!options_equal("-v /a:/c", "-v /a:/b"));
        assert!(!options_equal("-v '/a:/b", "-v /a:/b"));
        assert_eq!(
            shell_words("a\\ b \"c\\\"d\" $X").unwrap(),
            ["a b", "c\"d", "$X"]
        );
    }
}

//! Small helpers for raw argument lists. Flag parsing is [`crate::pflag`]'s.

/// Positional argument `i` of a raw list, or `""` (Go's `flag.Arg(i)`).
pub fn nth(args: &[String], i: usize) -> &str {
    args.get(i).map(String::as_str).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_arguments_are_empty() {
        let args = vec!["web".to_string()];
        assert_eq!(nth(&args, 0), "web");
        assert_eq!(nth(&args, 1), "");
    }
}

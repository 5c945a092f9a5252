//! The linker scripts that lay out the release builds' running code
//! (`build-support/hot_text.rs`): a broken one would fail only the release link, which the
//! tests do not run, so their shape is checked here.

use std::path::Path;

/// The patterns of a `hot-text.ld`, one per function, after checking the script around them.
fn patterns(relative: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body = text
        .split_once("SECTIONS {\n  .text.hot : {\n")
        .and_then(|(head, rest)| head.starts_with("/*").then_some(rest))
        .and_then(|rest| rest.strip_suffix("  }\n}\nINSERT BEFORE .text;\n"))
        .unwrap_or_else(|| panic!("{relative}: not one .text.hot section inserted before .text"));
    body.lines()
        .map(|line| {
            line.strip_prefix("    *(")
                .and_then(|l| l.strip_suffix(')'))
                .unwrap_or_else(|| panic!("{relative}: not an input section description: {line}"))
                .to_string()
        })
        .collect()
}

/// Checks every section name a pattern gives: the function sections of `-ffunction-sections`,
/// with no glob but the `*` the generator writes (`[`, `?` or `\` would change its meaning).
fn assert_function_sections(relative: &str, patterns: &[String]) {
    for pattern in patterns {
        for section in pattern.split(' ') {
            assert!(
                section.starts_with(".text."),
                "{relative}: {section} is not a code section"
            );
            assert!(
                section.chars().all(|c| c.is_ascii_alphanumeric() || "_.$*".contains(c)),
                "{relative}: {section} has a character a linker script would read as a glob"
            );
        }
    }
}

#[test]
fn stride_s_running_code_is_listed_from_its_entry_point_on() {
    let patterns = patterns("hot-text.ld");
    assert!(
        patterns.len() > 1000,
        "a working session runs thousands of functions: {}",
        patterns.len()
    );
    assert_function_sections("hot-text.ld", &patterns);
    assert!(patterns.iter().any(|p| p.contains("_ZN14stride_desktop4main17h")));
    let unique: std::collections::HashSet<_> = patterns.iter().collect();
    assert_eq!(unique.len(), patterns.len(), "a function is listed twice");
}

#[test]
fn the_template_app_is_laid_out_the_same_way() {
    let patterns = patterns("../crates/blank-window/hot-text.ld");
    assert!(patterns.len() > 100, "{}", patterns.len());
    assert_function_sections("crates/blank-window/hot-text.ld", &patterns);
    assert!(patterns.iter().any(|p| p.contains("_ZN19stride_blank_window4main17h")));
}

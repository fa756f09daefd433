//! Every string the window asks for exists in both locale files, under the right section
//! (a key appended to the wrong section shows the raw key to the planner).

use std::collections::BTreeSet;
use std::path::Path;

/// `section.key` of every entry of a two-level locale file (the only shape ours have).
fn keys(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut section = String::new();
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let name = line
            .trim()
            .split(':')
            .next()
            .unwrap_or_default()
            .to_string();
        if line.starts_with("  ") {
            out.insert(format!("{section}.{name}"));
        } else {
            section = name;
        }
    }
    out
}

/// `t!("section.key"` literals in the sources.
fn used() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let is_key = |k: &str| {
                    k.split('.').count() == 2
                        && k.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'
                        })
                };
                // `t!("` not preceded by an identifier character (`format!("` also ends so).
                for (at, _) in text.match_indices("t!(\"") {
                    let before = text[..at].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    let rest = &text[at + 4..];
                    if let Some(key) = rest.split('"').next()
                        && is_key(key)
                    {
                        out.insert(key.to_string());
                    }
                }
                // Keys listed as plain literals for column headers: "classify.village" …
                for part in text.split('"').skip(1).step_by(2) {
                    let looks_like_key = part.split('.').count() == 2
                        && ["classify.", "checks."].iter().any(|p| part.starts_with(p))
                        && part
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_');
                    if looks_like_key {
                        out.insert(part.to_string());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_ui_string_is_in_both_languages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/locales");
    let zh = keys(&dir.join("zh-CN.yml"));
    let en = keys(&dir.join("en.yml"));
    let used = used();
    assert!(used.len() > 100, "the scan finds the keys ({})", used.len());
    let missing_zh: Vec<&String> = used.iter().filter(|k| !zh.contains(*k)).collect();
    let missing_en: Vec<&String> = used.iter().filter(|k| !en.contains(*k)).collect();
    assert!(
        missing_zh.is_empty(),
        "missing in zh-CN.yml: {missing_zh:?}"
    );
    assert!(missing_en.is_empty(), "missing in en.yml: {missing_en:?}");
    let only_zh: Vec<&String> = zh.difference(&en).collect();
    let only_en: Vec<&String> = en.difference(&zh).collect();
    assert!(
        only_zh.is_empty() && only_en.is_empty(),
        "{only_zh:?} {only_en:?}"
    );
}

//! Guards for the house's shape (docs/architecture.md): which crate may depend on which, and
//! inside gazette-web, that surfaces stand on the kernel and the newsroom, never on each other,
//! and leave units of work to the newsroom.
//!
//! The arrows are read from `cargo metadata`, so a new `gazette-*` dependency in any
//! `Cargo.toml` that the design does not allow fails here, with the arrow named. A crate's
//! tests may reach further down (the binary's integration tests drive the whole journal), so
//! dev-dependencies are held only to one rule: together with the rest, they form no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// The arrows the design allows, from ARCHITECTURE.md's workspace table.
const ALLOWED: &[(&str, &[&str])] = &[
    ("gazette-core", &[]),
    ("gazette-render", &["gazette-core"]),
    ("gazette-media", &["gazette-core"]),
    ("gazette-search", &["gazette-core"]),
    ("gazette-wxr", &["gazette-core"]),
    ("gazette-store", &["gazette-core"]),
    (
        "gazette-newsroom",
        &[
            "gazette-core",
            "gazette-render",
            "gazette-store",
            "gazette-media",
        ],
    ),
    (
        "gazette-web",
        &[
            "gazette-core",
            "gazette-render",
            "gazette-store",
            "gazette-search",
            "gazette-media",
            "gazette-newsroom",
        ],
    ),
    (
        "gazette-wordpress",
        &[
            "gazette-core",
            "gazette-wxr",
            "gazette-newsroom",
            "gazette-store",
            "gazette-media",
            "gazette-render",
        ],
    ),
    (
        "gazette-node",
        &[
            "gazette-web",
            "gazette-newsroom",
            "gazette-store",
            "gazette-search",
            "gazette-media",
            "gazette-render",
            "gazette-core",
        ],
    ),
    (
        "gazette",
        &[
            "gazette-node",
            "gazette-wordpress",
            "gazette-newsroom",
            "gazette-core",
        ],
    ),
    (
        "gazette-testkit",
        &["gazette-node", "gazette-store", "gazette-core"],
    ),
];

/// Arrows the design does not have yet that remain on purpose, each with its reason in
/// docs/decisions.md ("The house, first step ([R2 3/8])"). The test fails when one is no
/// longer used, so this list only shrinks.
const DEPARTURES: &[(&str, &str)] = &[
    // The corpus generator and the benchmarks (dev tools) write the store and WXR directly,
    // and the commands still hold the store themselves.
    ("gazette", "gazette-store"),
    ("gazette", "gazette-render"),
    ("gazette", "gazette-search"),
    ("gazette", "gazette-wxr"),
];

#[derive(Debug, Default)]
struct Arrows {
    normal: BTreeMap<String, BTreeSet<String>>,
    dev: BTreeMap<String, BTreeSet<String>>,
}

fn workspace_arrows() -> Arrows {
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let mut arrows = Arrows::default();
    for package in metadata["packages"].as_array().expect("a package list") {
        let name = package["name"].as_str().expect("a package name").to_owned();
        arrows.normal.entry(name.clone()).or_default();
        for dependency in package["dependencies"].as_array().expect("dependencies") {
            let target = dependency["name"].as_str().expect("a dependency name");
            if !target.starts_with("gazette") || target == name {
                continue;
            }
            let kind = match dependency["kind"].as_str() {
                Some("dev") => &mut arrows.dev,
                // Normal and build dependencies both end up in the crate.
                _ => &mut arrows.normal,
            };
            kind.entry(name.clone())
                .or_default()
                .insert(target.to_owned());
        }
    }
    arrows
}

fn allowed(from: &str) -> BTreeSet<&'static str> {
    ALLOWED
        .iter()
        .find(|(crate_name, _)| *crate_name == from)
        .map(|(_, to)| to.iter().copied().collect())
        .unwrap_or_default()
}

fn is_departure(from: &str, to: &str) -> bool {
    DEPARTURES.contains(&(from, to))
}

#[test]
fn every_crate_is_in_the_design() {
    let arrows = workspace_arrows();
    let known: BTreeSet<&str> = ALLOWED.iter().map(|(name, _)| *name).collect();
    let unknown: Vec<&String> = arrows
        .normal
        .keys()
        .filter(|name| !known.contains(name.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "crates the design does not place (add them to ALLOWED and docs/architecture.md): {unknown:?}"
    );
}

#[test]
fn crates_depend_only_along_the_designs_arrows() {
    let arrows = workspace_arrows();
    let mut refused = Vec::new();
    for (from, targets) in &arrows.normal {
        let allowed = allowed(from);
        for to in targets {
            if !allowed.contains(to.as_str()) && !is_departure(from, to) {
                refused.push(format!("{from} → {to}"));
            }
        }
    }
    assert!(
        refused.is_empty(),
        "arrows the design does not allow: {refused:?}"
    );
}

#[test]
fn every_departure_is_still_needed() {
    let arrows = workspace_arrows();
    let stale: Vec<_> = DEPARTURES
        .iter()
        .filter(|(from, to)| {
            !arrows
                .normal
                .get(*from)
                .is_some_and(|targets| targets.contains(*to))
        })
        .collect();
    assert!(
        stale.is_empty(),
        "departures no longer used: remove them from DEPARTURES and docs/decisions.md: {stale:?}"
    );
}

#[test]
fn no_crate_depends_on_itself_through_tests() {
    let arrows = workspace_arrows();
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for map in [&arrows.normal, &arrows.dev] {
        for (from, targets) in map {
            graph
                .entry(from.as_str())
                .or_default()
                .extend(targets.iter().map(String::as_str));
        }
    }
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<Vec<&str>> = vec![vec![start]];
        while let Some(path) = stack.pop() {
            let last = path.last().copied().unwrap_or(start);
            for next in graph.get(last).into_iter().flatten() {
                assert!(
                    next != start,
                    "a cycle through dependencies and dev-dependencies: {} → {next}",
                    path.join(" → ")
                );
                if seen.insert(*next) {
                    let mut longer = path.clone();
                    longer.push(next);
                    stack.push(longer);
                }
            }
        }
    }
}

/// The web layer's surfaces, which stand on `kernel` and the newsroom and never on each other.
const SURFACES: &[&str] = &["public", "admin", "api", "feeds", "seo", "comments"];

/// Every `.rs` file under `dir`, as (path relative to `root`, text).
fn rust_files(root: &Path, dir: &Path, found: &mut Vec<(String, String)>) {
    let entries = std::fs::read_dir(dir).expect("a readable source directory");
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(root, &path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path
                .strip_prefix(root)
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            found.push((relative, text));
        }
    }
}

fn web_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../gazette-web/src");
    let mut found = Vec::new();
    rust_files(&root, &root, &mut found);
    found
}

/// The surface a source file belongs to: `admin.rs` and everything under `admin/`.
fn surface_of(file: &str) -> Option<&'static str> {
    SURFACES
        .iter()
        .copied()
        .find(|surface| file == format!("{surface}.rs") || file.starts_with(&format!("{surface}/")))
}

/// Whether `text` names the module `crate::{surface}`, in a path or in a grouped import.
fn names_surface(text: &str, surface: &str) -> bool {
    let path = format!("crate::{surface}");
    let direct = text.match_indices(&path).any(|(at, _)| {
        !text[at + path.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    });
    let grouped = text.match_indices("crate::{").any(|(at, _)| {
        let group = &text[at..];
        let group = &group[..group.find('}').unwrap_or(group.len())];
        group
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == surface)
    });
    direct || grouped
}

#[test]
fn surfaces_never_import_each_other() {
    let mut found = BTreeSet::new();
    for (file, text) in web_sources() {
        let Some(from) = surface_of(&file) else {
            continue;
        };
        for to in SURFACES.iter().copied().filter(|to| *to != from) {
            if names_surface(&text, to) {
                found.insert((from, to, file.clone()));
            }
        }
    }
    let refused: Vec<String> = found
        .iter()
        .map(|(from, to, file)| format!("{file}: {from} → {to}"))
        .collect();
    assert!(
        refused.is_empty(),
        "a surface imports another (move what it needs into kernel/ or the newsroom): {refused:?}"
    );
}

#[test]
fn the_kernel_imports_no_surface() {
    let leaks: Vec<String> = web_sources()
        .into_iter()
        .filter(|(file, _)| file == "kernel.rs" || file.starts_with("kernel/"))
        .flat_map(|(file, text)| {
            SURFACES
                .iter()
                .filter(|surface| names_surface(&text, surface))
                .map(|surface| format!("{file} → {surface}"))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        leaks.is_empty(),
        "the kernel reaches into a surface: {leaks:?}"
    );
}

/// Whether a source opens a unit of work or handles one: `store.write(|tx| …)` in any
/// spelling, or the write transaction's type.
fn opens_unit_of_work(text: &str) -> bool {
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    squeezed.contains(".write(|") || squeezed.contains(".write(move|") || text.contains("WriteTx")
}

#[test]
fn units_of_work_live_in_the_newsroom() {
    let opening: Vec<String> = web_sources()
        .into_iter()
        .filter(|(_, text)| opens_unit_of_work(text))
        .map(|(file, _)| file)
        .collect();
    assert!(
        opening.is_empty(),
        "gazette-web files that open a unit of work (write it as a newsroom use case): {opening:?}"
    );
}

#[test]
fn the_guards_see_what_they_guard() {
    // A guard reading nothing would pass for ever.
    let sources = web_sources();
    assert!(sources.len() > 50, "{} files read", sources.len());
    assert!(names_surface("use crate::{AppError, public};", "public"));
    assert!(names_surface("crate::public::load_site", "public"));
    assert!(!names_surface("crate::public_files::x", "public"));
    assert!(!names_surface("use crate::{kernel, AppError};", "public"));
    assert!(opens_unit_of_work(
        "store\n    .write(|tx| Box::pin(async {}))"
    ));
    assert!(opens_unit_of_work("store.write( move |tx| x)"));
    assert!(opens_unit_of_work("async fn f(tx: &mut WriteTx) {}"));
    assert!(!opens_unit_of_work(
        "self.0.site.write().unwrap_or_else(|p| p)"
    ));
}

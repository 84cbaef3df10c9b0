//! The house's arrows run one way: domain ← store ← projections ← app ← {cli, tui}. These
//! tests read the source to keep it so (a layer importing one above it fails here), and check
//! that the benchmarks stay out of the app's binary.

use std::path::{Path, PathBuf};
use std::process::Command;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::LAYER` a layer's files name.
fn imports_of(layer: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let mut files = Vec::new();
    sources(&root, &mut files);
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for layer in [
            "domain",
            "store",
            "projections",
            "app",
            "cli",
            "tui",
            "bench",
        ] {
            if text.contains(&format!("crate::{layer}")) {
                found.push((file.clone(), layer.to_string()));
            }
        }
    }
    found
}

#[test]
fn no_layer_imports_one_above_it() {
    let allowed: &[(&str, &[&str])] = &[
        ("domain", &["domain"]),
        ("store", &["domain", "store"]),
        ("projections", &["domain", "store", "projections"]),
        ("app", &["domain", "store", "projections", "app"]),
        ("tui", &["domain", "store", "projections", "app", "tui"]),
        (
            "cli",
            &["domain", "store", "projections", "app", "tui", "cli"],
        ),
    ];
    let mut wrong = Vec::new();
    for (layer, may) in allowed {
        for (file, target) in imports_of(layer) {
            if !may.contains(&target.as_str()) {
                wrong.push(format!("{} imports crate::{target}", file.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows running the wrong way:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_library_carries_no_benchmark_code() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    assert!(
        !lib.contains("mod bench"),
        "src/lib.rs declares a bench module"
    );
    assert!(!Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/bench")
        .exists());
}

#[test]
fn bench_without_its_binary_says_how_to_build_it() {
    // A copy of the app alone in a folder: `brigade bench` cannot find `brigade-bench`.
    let dir = tempfile::tempdir().unwrap();
    let exe = dir.path().join("brigade");
    std::fs::copy(env!("CARGO_BIN_EXE_brigade"), &exe).unwrap();
    let out = Command::new(&exe)
        .args(["bench", "--only", "memory"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("brigade: BENCH_NOT_BUILT: "), "{err}");
    assert!(err.contains("cargo build --release --workspace"), "{err}");
}

/// The files under `dir` (relative to the crate) whose text contains any of `needles`, with
/// the needle found; files under `except` are not read.
fn naming(dir: &str, needles: &[&str], except: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join(dir), &mut files);
    let mut found = Vec::new();
    for file in files {
        let shown = file.strip_prefix(root).unwrap().display().to_string();
        if except.iter().any(|e| shown.starts_with(e)) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for needle in needles {
            if text.contains(needle) {
                found.push(format!("{shown} names {needle}"));
            }
        }
    }
    found
}

#[test]
fn stored_events_are_decoded_only_by_the_codec() {
    // One decoder: everything outside the domain goes through `domain::codec`, so a new event
    // version is taught in one place.
    let mut found = naming("src", &["from_payload(", "upcast_str("], &["src/domain/"]);
    found.extend(naming("bench", &["from_payload(", "upcast_str("], &[]));
    assert!(
        found.is_empty(),
        "decoders outside the codec:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_app_and_the_screens_never_touch_sqlite() {
    // Backend-neutral seams: the app, the CLI and the TUI talk to the store through its traits
    // (`EventStore`, `LogChecks`, `ReadModelStore`) and plain data, never a connection.
    let mut found = Vec::new();
    for dir in ["src/app", "src/tui", "src/cli"] {
        found.extend(naming(
            dir,
            &["rusqlite", ".connection(", ".connection_mut("],
            &[],
        ));
    }
    assert!(
        found.is_empty(),
        "SQLite outside the store:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_read_models_logic_is_shared_and_only_their_storage_is_sqlite() {
    // Everything under src/projections but its sqlite/ folder is what a second backend reuses:
    // it names no SQLite type and nothing of the SQLite store.
    let found = naming(
        "src/projections",
        &["rusqlite", "store::sqlite", "Connection"],
        &["src/projections/sqlite/"],
    );
    assert!(
        found.is_empty(),
        "SQLite in the shared read-model logic:\n{}",
        found.join("\n")
    );
}

/// The house rule: small files named for what they hold. A file past this many lines is split
/// by role (into a folder, or sibling files) rather than let grow.
const MAX_LINES: usize = 450;

#[test]
fn no_source_file_exceeds_the_line_limit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    files.sort();
    let mut over = Vec::new();
    for file in files {
        let lines = std::fs::read_to_string(&file).unwrap().lines().count();
        if lines > MAX_LINES {
            let shown = file.strip_prefix(root).unwrap().display().to_string();
            over.push(format!("{shown}: {lines} lines"));
        }
    }
    assert!(
        over.is_empty(),
        "files over {MAX_LINES} lines (split them by role):\n{}",
        over.join("\n")
    );
}

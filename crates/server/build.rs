//! Names the git commit the binary is built from, for `vitas --version` and the
//! `vitas_build_info` metric (issue 11 §1). A build outside a git checkout (a container's
//! build stage that copied the sources) passes it in `VITAS_GIT_COMMIT`; without either the
//! commit is "ukendt".

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let ud = Command::new("git").args(args).output().ok()?;
    if !ud.status.success() {
        return None;
    }
    let s = String::from_utf8(ud.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn main() {
    println!("cargo:rerun-if-env-changed=VITAS_GIT_COMMIT");
    // A new commit moves HEAD or the branch it points at; rerun then. Only files that exist
    // are named (cargo reruns on every build for a missing one). In a worktree HEAD is in its
    // own git dir and the branches in the common one.
    let mut kilder = Vec::new();
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        kilder.push(format!("{dir}/HEAD"));
        let faelles = git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]).unwrap_or(dir);
        if let Some(gren) = git(&["symbolic-ref", "-q", "HEAD"]) {
            kilder.push(format!("{faelles}/{gren}"));
        }
        kilder.push(format!("{faelles}/packed-refs"));
    }
    for k in kilder.iter().filter(|k| std::path::Path::new(k).exists()) {
        println!("cargo:rerun-if-changed={k}");
    }
    let commit = std::env::var("VITAS_GIT_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "ukendt".into());
    println!("cargo:rustc-env=VITAS_GIT_COMMIT={commit}");
}

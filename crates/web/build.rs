//! Installs Det Fælles Designsystem from npm (frontend/package-lock.json) when it is
//! missing, so the README's first command needs nothing else. Nothing is copied into git.

use std::path::Path;
use std::process::Command;

fn main() {
    // Read at run time, not compiled in: a build script's binary can be reused by another
    // checkout of the same workspace (a shared target folder), and must look in its own.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let frontend = Path::new(&manifest).join("../../frontend");
    println!("cargo:rerun-if-changed={}", frontend.join("package-lock.json").display());
    println!("cargo:rerun-if-changed={}", frontend.join("node_modules/dkfds/package.json").display());
    println!("cargo:rerun-if-changed={}", frontend.join("node_modules/swagger-ui-dist/package.json").display());
    // Det Fælles Designsystem for the pages; axe-core and the Nu Html Checker (vnu-jar) for
    // the browser tests' checks; Swagger UI for the API docs (/api/docs). Reinstall when any
    // is missing (a new package, a fresh clone).
    let paakraevet = [
        "node_modules/dkfds/dist/css/dkfds-virkdk.min.css",
        "node_modules/axe-core/axe.min.js",
        "node_modules/vnu-jar/build/dist/vnu.jar",
        "node_modules/swagger-ui-dist/swagger-ui-bundle.js",
    ];
    if paakraevet.iter().all(|f| frontend.join(f).exists()) {
        return;
    }
    let status =
        Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&frontend).status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            panic!("npm ci i {} fejlede ({s}); Det Fælles Designsystem kunne ikke installeres", frontend.display())
        }
        Err(e) => panic!("npm blev ikke fundet ({e}); installer Node.js og npm for at bygge VITAS"),
    }
}

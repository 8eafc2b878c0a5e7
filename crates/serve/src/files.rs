//! The opened directory: the only place the server reads or writes. A file is named relative to
//! it, as plain path components ending in `.toml`; `..`, absolute paths and links leading out of
//! it are refused. Writes go to a temporary file beside the target, then a rename, so a file is
//! either the old one or the new one, never half-written.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// The opened directory.
#[derive(Debug, Clone)]
pub struct Root {
    dir: PathBuf,
}

impl Root {
    /// The directory (canonicalised: the check that a file is inside compares real paths).
    pub fn new(dir: &Path) -> Result<Root, Error> {
        let dir = dir
            .canonicalize()
            .map_err(|e| Error::Start(format!("{}: {e}", dir.display())))?;
        if !dir.is_dir() {
            return Err(Error::Start(format!("{}: not a directory", dir.display())));
        }
        Ok(Root { dir })
    }

    /// The directory's real path.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Checks a file name given by a request and returns its path inside the directory.
    fn checked(&self, name: &str) -> Result<PathBuf, Error> {
        let refuse = |why: &str| Error::OutsideRoot(format!("`{name}`: {why}"));
        if name.is_empty() || name.len() > 255 || name.contains('\0') || name.contains('\\') {
            return Err(refuse("not a file name"));
        }
        let rel = Path::new(name);
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(refuse(
                "only files inside the opened directory can be read or written",
            ));
        }
        if rel.extension().and_then(|e| e.to_str()) != Some("toml") {
            return Err(refuse("only `.toml` files can be read or written"));
        }
        Ok(self.dir.join(rel))
    }

    /// Reads a `.toml` file of the directory.
    pub fn read(&self, name: &str) -> Result<String, Error> {
        let p = self.checked(name)?;
        let real = p
            .canonicalize()
            .map_err(|_| Error::NotFound(format!("`{name}`: no such file")))?;
        if !real.starts_with(&self.dir) {
            return Err(Error::OutsideRoot(format!(
                "`{name}`: leads out of the opened directory"
            )));
        }
        std::fs::read_to_string(&real).map_err(|e| Error::Io(format!("`{name}`: {e}")))
    }

    /// Writes a `.toml` file of the directory: a temporary file, then a rename.
    pub fn write(&self, name: &str, text: &str) -> Result<(), Error> {
        let p = self.checked(name)?;
        let parent = p
            .parent()
            .and_then(|d| d.canonicalize().ok())
            .ok_or_else(|| Error::NotFound(format!("`{name}`: no such directory")))?;
        if !parent.starts_with(&self.dir) {
            return Err(Error::OutsideRoot(format!(
                "`{name}`: leads out of the opened directory"
            )));
        }
        if let Ok(real) = p.canonicalize() {
            if !real.starts_with(&self.dir) {
                return Err(Error::OutsideRoot(format!(
                    "`{name}`: leads out of the opened directory"
                )));
            }
        }
        let file = p
            .file_name()
            .ok_or_else(|| Error::BadRequest("no file name".into()))?;
        let tmp = parent.join(format!(
            ".{}.{}.tmp",
            file.to_string_lossy(),
            std::process::id()
        ));
        let io = |e: std::io::Error| Error::Io(format!("writing `{name}`: {e}"));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, parent.join(file))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result.map_err(io)
    }

    /// The `.toml` files directly in the directory, by name.
    pub fn list(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".toml") && !n.starts_with('.'))
            .collect();
        names.sort();
        names
    }
}

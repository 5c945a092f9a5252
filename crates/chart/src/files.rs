//! Files saved beside the chart (claim batches, superbills, remittances): on disk whole
//! or not at all, and readable by the user alone (they hold patient data outside the
//! encrypted chart).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` so that a crash or a power cut leaves the old file (or none)
/// or the whole new one, never a part: a temporary file beside it, flushed to disk, then
/// renamed into place, and the folder flushed so the rename lasts too. The file is made
/// readable and writable by its owner alone (mode 0600 on Unix), whatever the umask.
pub fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&partial, path)?;
    #[cfg(unix)]
    if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
        File::open(folder)?.sync_all()?;
    }
    Ok(())
}

/// Makes a folder (and its parents) for such files, open to its owner alone (0700).
pub fn private_dir(path: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(path)?;
    #[cfg(unix)]
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::write_durably;

    #[test]
    fn a_file_is_replaced_whole_and_no_partial_file_stays() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("claims.837");
        write_durably(&path, b"first").expect("write");
        write_durably(&path, b"second").expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"second");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("metadata").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "only the user reads it");
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["claims.837"]);
        assert!(
            write_durably(&dir.path().join("missing/claims.837"), b"x").is_err(),
            "a missing folder is an error"
        );
    }
}

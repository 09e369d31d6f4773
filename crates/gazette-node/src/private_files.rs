//! Directories and files that hold a journal's data (the database, media, the search index,
//! backups, exports with commenters' emails and addresses) belong to the account Gazette
//! runs as: directories Gazette creates are 0700 and such files 0600 on Unix, set explicitly,
//! so a permissive umask does not open them to other accounts. A directory that exists
//! already keeps its mode: the operator chose it.

use std::fs::File;
use std::io;
use std::path::Path;

/// Creates `path`, and any missing parents, for the owner only; existing ones are left alone.
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_private_dir(parent)?;
    }
    match new_dir(path) {
        Ok(()) => owner_only(path, 0o700),
        // Another process made it between the check and now: theirs to have chosen.
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        Err(error) => Err(error),
    }
}

/// Creates `path` anew for writing, readable and writable by the owner only. A file already
/// there (a leftover of an earlier run, perhaps readable by all, perhaps held open by another
/// account) is removed first rather than reused.
pub fn private_file(path: &Path) -> io::Result<File> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    let file = new_file(path)?;
    owner_only(path, 0o600)?;
    Ok(file)
}

/// The mode is given at creation, so the entry is never open to others, even for a moment;
/// the umask may still take bits away, which `owner_only` then puts back.
#[cfg(unix)]
fn new_dir(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new().mode(0o700).create(path)
}

#[cfg(unix)]
fn new_file(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn new_dir(path: &Path) -> io::Result<()> {
    std::fs::create_dir(path)
}

#[cfg(not(unix))]
fn new_file(path: &Path) -> io::Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn owner_only(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn owner_only(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn mode(path: &Path) -> u32 {
        let metadata = std::fs::metadata(path);
        metadata.map_or_else(
            |e| panic!("{}: {e}", path.display()),
            |m| m.permissions().mode(),
        ) & 0o777
    }

    #[test]
    fn new_directories_are_private_and_existing_ones_keep_their_mode() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("a/b");
        create_private_dir(&deep).unwrap();
        assert_eq!((mode(&root.path().join("a")), mode(&deep)), (0o700, 0o700));
        std::fs::set_permissions(&deep, std::fs::Permissions::from_mode(0o750)).unwrap();
        create_private_dir(&deep).unwrap();
        assert_eq!(mode(&deep), 0o750);
    }

    #[test]
    fn a_leftover_file_is_replaced_by_a_private_one() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("export.xml");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        private_file(&path).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(std::fs::read(&path).unwrap(), b"");
    }
}

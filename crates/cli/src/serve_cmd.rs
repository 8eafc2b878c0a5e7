//! `brink serve`: starts the local web workbench (`brink_serve`) and prints its URL.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Args;

use super::Failure;

/// `brink serve`'s arguments.
#[derive(Args)]
pub struct ServeArgs {
    /// A scenario file to open, or a directory whose scenarios may be opened. Omitted: the
    /// built-in scenario, with the current directory's files.
    path: Option<PathBuf>,
    /// The port (0: any free port).
    #[arg(long, default_value_t = 8040)]
    port: u16,
    /// The address to listen on. Anything but the loopback address lets other machines edit
    /// your files.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
}

/// `brink serve`.
pub fn serve(a: ServeArgs) -> Result<(), Failure> {
    let (root, open) = match &a.path {
        None => (PathBuf::from("."), None),
        Some(p) if p.is_dir() => (p.clone(), None),
        Some(p) if p.is_file() => {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| Failure::Input(format!("{}: not a file name", p.display())))?;
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            (dir, Some(name))
        }
        Some(p) => {
            return Err(Failure::Input(format!(
                "{}: no such file or directory",
                p.display()
            )))
        }
    };
    let config = brink_serve::Config {
        open,
        host: a.host,
        port: a.port,
        ..brink_serve::Config::new(root)
    };
    let server = brink_serve::Server::start(config).map_err(|e| Failure::Input(e.to_string()))?;
    if !a.host.is_loopback() {
        eprintln!("warning: listening on {}: any machine that reaches it can read and write the directory's .toml files", a.host);
    }
    println!("brink workbench: {}", server.url());
    println!("(Ctrl-C stops it)");
    server.run();
    Ok(())
}

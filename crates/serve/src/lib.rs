//! brink-serve: `brink serve`, a local web workbench. It opens a scenario (the built-in one, a
//! file of a directory, or a new one), shows every field with its evidence, applies the page's
//! edits to the TOML text keeping its comments and layout, and answers each edit with the
//! engine's documents (the same `Forecast` JSON as `brink run --format json`), streamed with
//! progress and stoppable. It does no forecasting of its own: every number comes from
//! `brink_engine`, so the page, the command line and the JSON cannot disagree.
//!
//! The HTTP stack is `tiny_http`: a small synchronous server (four small dependencies, no async
//! runtime), enough for one local user; each request gets a thread, and a forecast run streams
//! its events as chunked NDJSON on the request's socket.
//!
//! Safety as a local server:
//! - it binds 127.0.0.1 unless told otherwise;
//! - requests whose `Host` is not the server's own address, or whose `Origin` (when sent) is not
//!   the server's own origin, are refused with 403 (DNS rebinding, other sites' pages);
//! - only `.toml` files inside the opened directory are read or written, named by relative paths
//!   of plain components (no `..`, no absolute paths, no links leading out): 403 otherwise;
//! - request bodies are limited ([`Config::max_body`]): 413 beyond;
//! - malformed JSON or an unknown field: 400; nothing is changed by a refused request;
//! - a file is written to a temporary file and renamed over the old one, and only when the
//!   scenario validates.
//!
//! # API
//! | method and path | body | answer |
//! |---|---|---|
//! | `GET /`, `/app.js`, `/app.css` | | the page (bundled in the binary) |
//! | `GET /api/state` | | the session's state: `name`, `file`, `version`, `can_undo`, `can_redo`, `dirty`, `doc` (the TOML as JSON), `problems` |
//! | `GET /api/files` | | the `.toml` files of the opened directory |
//! | `POST /api/open` | `{"file": NAME}`, `{"builtin": true}` or `{"new": true}` | the state |
//! | `POST /api/edit` | `{"edits": [{"path": P, "value": V} or {"path": P, "remove": true} or {"path": P, "append": {...}}]}` | the state |
//! | `POST /api/undo`, `/api/redo` | `{}` | the state |
//! | `POST /api/save` | `{"file": NAME}` (optional once a file is known) | the state |
//! | `POST /api/run` | [`run::RunRequest`] | NDJSON events: `started`, `problems`, `point`, `progress`, `forecast`, `given`, `sensitivity`, `done`, `error` |
//! | `POST /api/cancel` | `{"run": ID}` or `{}` (every run) | `{"cancelled": N}` |
//! | `GET /api/report?draws=N&seed=S` | | the HTML report of `brink report`, as a download |

#![warn(missing_docs)]

pub mod edit;
mod error;
pub mod files;
pub mod run;
pub mod session;

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use serde_json::{json, Value as Json};
use tiny_http::{Header, Method, Request, Response};

pub use error::Error;
use files::Root;
use session::Session;

/// The page, bundled in the binary: no network access, no build step.
const INDEX_HTML: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const APP_CSS: &str = include_str!("../assets/app.css");

/// The default limit of a request body.
pub const MAX_BODY: usize = 1 << 20;

/// The text of a new, empty scenario.
pub const NEW_SCENARIO: &str = include_str!("../assets/new.toml");

/// How to start the server.
#[derive(Debug, Clone)]
pub struct Config {
    /// The directory whose `.toml` files may be opened and saved.
    pub root: PathBuf,
    /// A file of that directory to open (relative to it); none: the built-in scenario.
    pub open: Option<String>,
    /// The address to bind (default 127.0.0.1).
    pub host: IpAddr,
    /// The port (0: any free port).
    pub port: u16,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
}

impl Config {
    /// The defaults for a directory: 127.0.0.1, any free port, the built-in scenario.
    pub fn new(root: PathBuf) -> Config {
        Config {
            root,
            open: None,
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            max_body: MAX_BODY,
        }
    }
}

/// Shared by every request.
pub(crate) struct App {
    pub(crate) root: Root,
    hosts: Vec<String>,
    max_body: usize,
    pub(crate) session: Mutex<Session>,
    pub(crate) runs: run::Runs,
}

/// A started server.
pub struct Server {
    http: Arc<tiny_http::Server>,
    app: Arc<App>,
    addr: SocketAddr,
}

impl Server {
    /// Binds the address and opens the scenario; the server answers once [`Server::run`] or
    /// [`Server::spawn`] is called.
    pub fn start(config: Config) -> Result<Server, Error> {
        let root = Root::new(&config.root)?;
        let session = match &config.open {
            Some(name) => {
                let text = root.read(name).map_err(|e| Error::Start(e.to_string()))?;
                Session::new(name.clone(), Some(name.clone()), text)
            }
            None => builtin(),
        };
        let http =
            tiny_http::Server::http(SocketAddr::new(config.host, config.port)).map_err(|e| {
                Error::Start(format!(
                    "cannot listen on {}:{}: {e}",
                    config.host, config.port
                ))
            })?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| Error::Start("not an IP address".into()))?;
        let port = addr.port();
        let mut hosts = vec![format!("{}:{port}", host_text(config.host))];
        if config.host.is_loopback() || config.host.is_unspecified() {
            hosts.extend([
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                format!("[::1]:{port}"),
            ]);
        }
        hosts.dedup();
        Ok(Server {
            http: Arc::new(http),
            app: Arc::new(App {
                root,
                hosts,
                max_body: config.max_body,
                session: Mutex::new(session),
                runs: run::Runs::default(),
            }),
            addr,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The page's URL.
    pub fn url(&self) -> String {
        format!("http://{}:{}/", host_text(self.addr.ip()), self.addr.port())
    }

    /// Answers requests until the process ends (a thread per request).
    pub fn run(self) {
        for req in self.http.incoming_requests() {
            let app = self.app.clone();
            std::thread::spawn(move || handle(&app, req));
        }
    }

    /// Answers requests on a thread of its own; the handle stops it.
    pub fn spawn(self) -> Handle {
        let http = self.http.clone();
        let url = self.url();
        let addr = self.addr;
        let thread = std::thread::spawn(move || self.run());
        Handle {
            http,
            url,
            addr,
            thread: Some(thread),
        }
    }
}

/// A server running on its own thread.
pub struct Handle {
    http: Arc<tiny_http::Server>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// The page's URL.
    pub url: String,
    /// The address it listens on.
    pub addr: SocketAddr,
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.http.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn host_text(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    }
}

fn builtin() -> Session {
    Session::new(
        brink_scenario::BUILTIN_NAME.to_string(),
        None,
        brink_scenario::BUILTIN_TOML.to_string(),
    )
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// Refuses a request whose Host or Origin is not this server's own.
fn check_origin(app: &App, req: &Request) -> Result<(), Error> {
    let host = header(req, "Host").unwrap_or("");
    if !app.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Err(Error::Forbidden(format!(
            "Host `{host}` is not this server's address"
        )));
    }
    if let Some(origin) = header(req, "Origin") {
        let own = app
            .hosts
            .iter()
            .any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")));
        if !own {
            return Err(Error::Forbidden(format!(
                "Origin `{origin}` is not this server's page"
            )));
        }
    }
    Ok(())
}

/// Reads a JSON body of at most `max_body` bytes.
fn body<T: for<'de> Deserialize<'de>>(app: &App, req: &mut Request) -> Result<T, Error> {
    if req.body_length().is_some_and(|n| n > app.max_body) {
        return Err(Error::TooLarge(app.max_body));
    }
    let mut buf = Vec::new();
    req.as_reader()
        .take(app.max_body as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::BadRequest(format!("reading the body: {e}")))?;
    if buf.len() > app.max_body {
        return Err(Error::TooLarge(app.max_body));
    }
    let buf = if buf.iter().all(u8::is_ascii_whitespace) {
        b"{}".to_vec()
    } else {
        buf
    };
    serde_json::from_slice(&buf).map_err(|e| Error::BadRequest(format!("malformed JSON: {e}")))
}

fn h(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

/// Headers every answer carries.
fn common() -> Vec<Header> {
    vec![
        h("Cache-Control", "no-store"),
        h("X-Content-Type-Options", "nosniff"),
        h("X-Frame-Options", "DENY"),
        h("Referrer-Policy", "no-referrer"),
        h(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
        ),
    ]
}

fn respond(req: Request, status: u16, content_type: &str, body: Vec<u8>, extra: Vec<Header>) {
    let mut headers = common();
    headers.push(h("Content-Type", content_type));
    headers.extend(extra);
    let n = body.len();
    let resp = Response::new(
        status.into(),
        headers,
        std::io::Cursor::new(body),
        Some(n),
        None,
    );
    let _ = req.respond(resp);
}

fn respond_json(req: Request, status: u16, value: &Json) {
    respond(
        req,
        status,
        "application/json; charset=utf-8",
        value.to_string().into_bytes(),
        Vec::new(),
    );
}

fn respond_error(req: Request, e: &Error) {
    respond_json(req, e.status(), &json!({ "error": e.to_string() }));
}

fn handle(app: &App, mut req: Request) {
    if let Err(e) = check_origin(app, &req) {
        return respond_error(req, &e);
    }
    let url = req.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let method = req.method().clone();
    let result = match (&method, path) {
        (Method::Get, "/" | "/index.html") => {
            return respond(
                req,
                200,
                "text/html; charset=utf-8",
                INDEX_HTML.into(),
                vec![],
            )
        }
        (Method::Get, "/app.js") => {
            return respond(
                req,
                200,
                "text/javascript; charset=utf-8",
                APP_JS.into(),
                vec![],
            )
        }
        (Method::Get, "/app.css") => {
            return respond(req, 200, "text/css; charset=utf-8", APP_CSS.into(), vec![])
        }
        (Method::Get, "/favicon.ico") => return respond(req, 204, "image/x-icon", vec![], vec![]),
        (Method::Get, "/api/state") => state(app),
        (Method::Get, "/api/files") => Ok(json!({ "files": app.root.list() }).to_string()),
        (Method::Post, "/api/open") => body(app, &mut req).and_then(|b| open(app, b)),
        (Method::Post, "/api/edit") => body(app, &mut req).and_then(|b| edit(app, b)),
        (Method::Post, "/api/undo") => body::<Empty>(app, &mut req).and_then(|_| step(app, true)),
        (Method::Post, "/api/redo") => body::<Empty>(app, &mut req).and_then(|_| step(app, false)),
        (Method::Post, "/api/save") => body(app, &mut req).and_then(|b| save(app, b)),
        (Method::Post, "/api/cancel") => {
            body(app, &mut req).map(|b| app.runs.cancel(b).to_string())
        }
        (Method::Post, "/api/run") => match body(app, &mut req) {
            Ok(b) => return run::stream(app, req, b),
            Err(e) => Err(e),
        },
        (Method::Get, "/api/report") => match run::report(app, query) {
            Ok((name, html)) => {
                let disposition = format!("attachment; filename=\"{name}\"");
                return respond(
                    req,
                    200,
                    "text/html; charset=utf-8",
                    html.into_bytes(),
                    vec![h("Content-Disposition", &disposition)],
                );
            }
            Err(e) => Err(e),
        },
        (_, p) if p == "/" || p.starts_with("/api/") || p.starts_with("/app.") => Err(
            Error::NotFound(format!("{} {p}: no such request", req.method())),
        ),
        (_, p) => Err(Error::NotFound(format!("{p}: no such page"))),
    };
    match result {
        Ok(v) => respond(
            req,
            200,
            "application/json; charset=utf-8",
            v.into_bytes(),
            Vec::new(),
        ),
        Err(e) => respond_error(req, &e),
    }
}

/// A body with no fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Empty {}

fn state(app: &App) -> Result<String, Error> {
    app.session.lock().expect("session lock").state()
}

/// What to open.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Open {
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    builtin: bool,
    #[serde(default)]
    new: bool,
}

fn open(app: &App, o: Open) -> Result<String, Error> {
    let s = match (o.file, o.builtin, o.new) {
        (Some(name), false, false) => {
            let text = app.root.read(&name)?;
            Session::new(name.clone(), Some(name), text)
        }
        (None, true, false) => builtin(),
        (None, false, true) => Session::new("new.toml".into(), None, NEW_SCENARIO.into()),
        _ => {
            return Err(Error::BadRequest(
                "open one of: {\"file\": NAME}, {\"builtin\": true}, {\"new\": true}".into(),
            ))
        }
    };
    app.runs.cancel_all();
    let mut session = app.session.lock().expect("session lock");
    *session = s;
    session.state()
}

/// Edits.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edits {
    edits: Vec<edit::Edit>,
}

fn edit(app: &App, e: Edits) -> Result<String, Error> {
    let mut session = app.session.lock().expect("session lock");
    let text = edit::apply(session.text(), &e.edits)?;
    session.push(text);
    session.state()
}

fn step(app: &App, back: bool) -> Result<String, Error> {
    let mut session = app.session.lock().expect("session lock");
    let _ = if back { session.undo() } else { session.redo() };
    session.state()
}

/// Where to save.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Save {
    #[serde(default)]
    file: Option<String>,
}

fn save(app: &App, s: Save) -> Result<String, Error> {
    let mut session = app.session.lock().expect("session lock");
    let name = s
        .file
        .or_else(|| session.file.clone())
        .ok_or_else(|| Error::BadRequest("save as which file? (`file`)".into()))?;
    let text = session.text().to_string();
    if let Err(problems) = session::load(&text, &name) {
        return Err(Error::Unprocessable(format!(
            "not saved: the scenario does not validate ({} problem{}; first: {})",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            problems[0].text
        )));
    }
    app.root.write(&name, &text)?;
    session.file = Some(name.clone());
    session.name = name;
    session.given = text;
    session.version += 1;
    session.state()
}

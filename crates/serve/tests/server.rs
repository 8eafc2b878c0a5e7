//! The server over real sockets: its safety as a local server (path traversal, a foreign Host or
//! Origin, an oversized body, malformed JSON: each a 4xx answer that changes no file and no
//! state), and its answers against the engine called directly (the page's numbers are the
//! engine's; its problems are the validator's words; a save keeps the file's comments).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};

use brink_engine::{Forecast, Loaded, Options};
use brink_serve::{Config, Handle, Server};
use serde_json::{json, Value};

const SCENARIO: &str = include_str!("../../../scenarios/ukraine-2021-12.toml");

/// A temporary directory: `root` (opened by the server, holding `u.toml`) inside `outer`
/// (holding `outside.toml`, which the server must never read or write).
struct Dirs {
    outer: PathBuf,
    root: PathBuf,
}

impl Dirs {
    fn new(tag: &str) -> Dirs {
        let outer = std::env::temp_dir().join(format!("brink-serve-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&outer);
        let root = outer.join("root");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("u.toml"), SCENARIO).unwrap();
        std::fs::write(outer.join("outside.toml"), "secret = 1\n").unwrap();
        Dirs { outer, root }
    }

    /// Every file under the outer directory with its contents.
    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(p: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for e in std::fs::read_dir(p).unwrap().flatten() {
                let path = e.path();
                let t = e.file_type().unwrap();
                if t.is_dir() {
                    walk(&path, out);
                } else if t.is_file() {
                    out.insert(path.clone(), std::fs::read(&path).unwrap());
                } else {
                    out.insert(path.clone(), b"<link>".to_vec());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.outer, &mut out);
        out
    }
}

impl Drop for Dirs {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.outer);
    }
}

fn start(dirs: &Dirs, open: Option<&str>, max_body: Option<usize>) -> Handle {
    let mut c = Config::new(dirs.root.clone());
    c.open = open.map(str::to_string);
    if let Some(m) = max_body {
        c.max_body = m;
    }
    Server::start(c).unwrap().spawn()
}

/// An answer: status, headers (lowercase names), body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The NDJSON events of a streamed answer.
    fn events(&self) -> Vec<Value> {
        String::from_utf8_lossy(&self.body)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

/// One request on its own connection; `host` and `extra` headers as given (no Host is added
/// when `host` is None).
fn raw(
    addr: SocketAddr,
    method: &str,
    path: &str,
    host: Option<&str>,
    extra: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if let Some(h) = host {
        head.push_str(&format!("Host: {h}\r\n"));
    }
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    s.write_all(head.as_bytes()).unwrap();
    // A refused body may not be read: a failed write is not the test's concern.
    let _ = s.write_all(body);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    parse(&buf)
}

fn parse(buf: &[u8]) -> Answer {
    let end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(buf)));
    let head = String::from_utf8_lossy(&buf[..end]).to_string();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = buf[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).unwrap().trim(), 16)
                .unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + n]);
            rest = &rest[nl + 2 + n + 2..];
        }
        body = out;
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn own(h: &Handle) -> String {
    format!("127.0.0.1:{}", h.addr.port())
}

fn get(h: &Handle, path: &str) -> Answer {
    raw(h.addr, "GET", path, Some(&own(h)), &[], b"")
}

fn post(h: &Handle, path: &str, body: &Value) -> Answer {
    raw(
        h.addr,
        "POST",
        path,
        Some(&own(h)),
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
}

fn version(h: &Handle) -> u64 {
    get(h, "/api/state").json()["version"].as_u64().unwrap()
}

/// The line of the United States' position on NATO enlargement, and the stance's index.
const USA_POSITION: &str = "position = { triangular = [10, 20, 35] }";
const USA_MODE: &str = "stances[5].position.triangular[1]";

#[test]
fn path_traversal_is_refused_and_touches_nothing() {
    let d = Dirs::new("traversal");
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.outer.join("outside.toml"), d.root.join("link.toml")).unwrap();
    let h = start(&d, Some("u.toml"), None);
    let before = d.snapshot();
    let v = version(&h);
    for name in [
        "../outside.toml",
        "sub/../../outside.toml",
        "./../outside.toml",
        "/etc/passwd",
        "..\\outside.toml",
        "link.toml",
        "u.txt",
        "",
    ] {
        let a = post(&h, "/api/open", &json!({ "file": name }));
        assert!(
            (400..500).contains(&a.status),
            "open {name}: {} {}",
            a.status,
            String::from_utf8_lossy(&a.body)
        );
        assert!(
            !String::from_utf8_lossy(&a.body).contains("secret"),
            "{name}"
        );
        let a = post(&h, "/api/save", &json!({ "file": name }));
        assert!((400..500).contains(&a.status), "save {name}: {}", a.status);
    }
    for path in [
        "/../outside.toml",
        "/%2e%2e/outside.toml",
        "/../../etc/passwd",
        "/api/../../outside.toml",
    ] {
        let a = get(&h, path);
        assert_eq!(a.status, 404, "{path}");
    }
    assert_eq!(d.snapshot(), before, "no file changed or appeared");
    assert_eq!(version(&h), v, "the session did not change");
    assert_eq!(get(&h, "/api/state").json()["file"], "u.toml");
}

#[test]
fn a_foreign_host_or_origin_is_refused() {
    let d = Dirs::new("host");
    let h = start(&d, Some("u.toml"), None);
    let before = d.snapshot();
    let port = h.addr.port();
    let edit = json!({ "edits": [{ "path": USA_MODE, "value": 30 }] }).to_string();
    let v = version(&h);
    for host in [
        Some(format!("evil.example:{port}")),
        Some("evil.example".to_string()),
        Some(format!("127.0.0.1:{}", port.wrapping_add(1))),
        Some(format!("127.0.0.1.evil.example:{port}")),
        None,
    ] {
        for (method, path, body) in [
            ("GET", "/", ""),
            ("GET", "/api/state", ""),
            ("POST", "/api/edit", edit.as_str()),
            ("POST", "/api/save", "{}"),
        ] {
            let a = raw(h.addr, method, path, host.as_deref(), &[], body.as_bytes());
            assert_eq!(a.status, 403, "{method} {path} Host {host:?}");
        }
    }
    for origin in [
        "http://evil.example",
        "null",
        &format!("http://evil.example:{port}"),
        &format!("https://127.0.0.1:{port}"),
    ] {
        let a = raw(
            h.addr,
            "POST",
            "/api/edit",
            Some(&own(&h)),
            &[("Origin", origin)],
            edit.as_bytes(),
        );
        assert_eq!(a.status, 403, "Origin {origin}");
    }
    assert_eq!(version(&h), v, "no edit was applied");
    assert_eq!(d.snapshot(), before);
    // The server's own origin, under each of its names, is answered.
    for host in [own(&h), format!("localhost:{port}")] {
        let a = raw(
            h.addr,
            "GET",
            "/api/state",
            Some(&host),
            &[("Origin", &format!("http://{host}"))],
            b"",
        );
        assert_eq!(a.status, 200, "{host}");
    }
}

#[test]
fn an_oversized_body_is_refused() {
    let d = Dirs::new("size");
    let h = start(&d, Some("u.toml"), Some(64 * 1024));
    let before = d.snapshot();
    let v = version(&h);
    let long = "x".repeat(200 * 1024);
    let body = json!({ "edits": [{ "path": "scenario.title", "value": long }] }).to_string();
    let a = post(&h, "/api/edit", &serde_json::from_str(&body).unwrap());
    assert_eq!(a.status, 413);
    let a = post(&h, "/api/save", &json!({ "file": long }));
    assert_eq!(a.status, 413);
    assert_eq!(version(&h), v);
    assert_eq!(d.snapshot(), before);
}

#[test]
fn malformed_json_is_refused() {
    let d = Dirs::new("json");
    let h = start(&d, Some("u.toml"), None);
    let before = d.snapshot();
    let v = version(&h);
    for (path, body) in [
        ("/api/edit", "{not json"),
        ("/api/edit", "[1, 2"),
        ("/api/edit", "{\"edits\": 3}"),
        (
            "/api/edit",
            "{\"edits\": [{\"path\": \"stances[5]..x\", \"value\": 1}]}",
        ),
        (
            "/api/edit",
            "{\"edits\": [{\"path\": \"stances[99].salience\", \"value\": 1}]}",
        ),
        ("/api/edit", "{\"edits\": [], \"extra\": 1}"),
        ("/api/save", "{\"file\": 3}"),
        ("/api/open", "\u{0}\u{1}"),
        ("/api/run", "{\"draws\": -1}"),
        ("/api/run", "{\"draws\": 1e20}"),
        ("/api/cancel", "{\"run\": \"x\"}"),
    ] {
        let a = raw(
            h.addr,
            "POST",
            path,
            Some(&own(&h)),
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        );
        assert_eq!(
            a.status,
            400,
            "{path} {body}: {}",
            String::from_utf8_lossy(&a.body)
        );
        assert!(a.json()["error"].is_string());
    }
    assert_eq!(version(&h), v);
    assert_eq!(d.snapshot(), before);
}

/// The forecast the engine gives for a text, as JSON.
fn engine(text: &str, name: &str, draws: u64) -> Value {
    let loaded = Loaded::from_toml(text, name).unwrap();
    let opts = Options {
        draws,
        ..Options::default()
    };
    // Through text, as the server's answer comes (serde_json's float parsing may round a
    // written double differently from the value serialised directly).
    let text = serde_json::to_string(&Forecast::run(&loaded, &opts).unwrap()).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The first place two JSON values differ, or None.
fn differs(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                let (p, q) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                if let Some(d) = differs(p, q, &format!("{at}.{k}")) {
                    return Some(d);
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| differs(p, q, &format!("{at}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {} vs {}", short(a), short(b))),
    }
}

fn short(v: &Value) -> String {
    v.to_string().chars().take(200).collect()
}

fn same(a: &Value, b: &Value) {
    if let Some(d) = differs(a, b, "") {
        panic!("the documents differ at {d}");
    }
}

fn event<'a>(events: &'a [Value], name: &str) -> Option<&'a Value> {
    events.iter().find(|e| e["event"] == name)
}

#[test]
fn an_edit_gives_the_engines_forecast_and_saves_keeping_comments() {
    let d = Dirs::new("edit");
    let h = start(&d, Some("u.toml"), None);
    let a = post(
        &h,
        "/api/edit",
        &json!({ "edits": [{ "path": USA_MODE, "value": 30 }] }),
    );
    assert_eq!(a.status, 200);
    let st = a.json();
    assert_eq!(st["dirty"], true);
    assert_eq!(st["can_undo"], true);
    assert_eq!(st["doc"]["stances"][5]["actor"], "usa");
    assert_eq!(st["doc"]["stances"][5]["position"]["triangular"][1], 30);
    let edited = SCENARIO.replacen(USA_POSITION, "position = { triangular = [10, 30, 35] }", 1);

    let a = post(&h, "/api/run", &json!({ "draws": 300, "given": true }));
    assert_eq!(a.status, 200);
    assert_eq!(a.header("transfer-encoding"), Some("chunked"));
    let ev = a.events();
    assert_eq!(ev[0]["event"], "started");
    same(
        &event(&ev, "point").unwrap()["forecast"],
        &engine(&edited, "u.toml", 0),
    );
    same(
        &event(&ev, "forecast").unwrap()["forecast"],
        &engine(&edited, "u.toml", 300),
    );
    same(
        &event(&ev, "given").unwrap()["forecast"],
        &engine(SCENARIO, "u.toml", 300),
    );
    assert_eq!(ev.last().unwrap()["event"], "done");
    assert_eq!(ev.last().unwrap()["stopped"], false);

    // Undo, redo.
    assert_eq!(post(&h, "/api/undo", &json!({})).json()["dirty"], false);
    let st = post(&h, "/api/redo", &json!({})).json();
    assert_eq!(st["doc"]["stances"][5]["position"]["triangular"][1], 30);

    // Save: the file is the edited text, byte for byte (comments and layout kept).
    let a = post(&h, "/api/save", &json!({}));
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(
        std::fs::read_to_string(d.root.join("u.toml")).unwrap(),
        edited
    );
    assert_eq!(a.json()["dirty"], false);
    let names: Vec<String> = std::fs::read_dir(&d.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["u.toml"], "no temporary file is left");
}

#[test]
fn problems_have_the_validators_words_and_block_saving() {
    let d = Dirs::new("problems");
    let h = start(&d, Some("u.toml"), None);
    let before = d.snapshot();
    let a = post(
        &h,
        "/api/edit",
        &json!({ "edits": [{ "path": "stances[5].salience.triangular[2]", "value": 1.5 }] }),
    );
    assert_eq!(a.status, 200);
    let broken = SCENARIO.replacen(
        "salience = { triangular = [0.4, 0.55, 0.75] }",
        "salience = { triangular = [0.4, 0.55, 1.5] }",
        1,
    );
    let brink_engine::Error::Load(err) = Loaded::from_toml(&broken, "u.toml").unwrap_err() else {
        panic!("not a load error");
    };
    let want: Vec<String> = err.diagnostics().iter().map(|d| d.to_string()).collect();
    let got: Vec<String> = a.json()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, want);
    assert!(got[0].starts_with("u.toml:"), "{got:?}");
    assert_eq!(
        a.json()["problems"][0]["path"],
        "stances[5].salience.triangular"
    );

    let a = post(&h, "/api/save", &json!({}));
    assert_eq!(a.status, 422);
    let a = post(&h, "/api/run", &json!({}));
    assert_eq!(
        event(&a.events(), "problems").unwrap()["problems"]
            .as_array()
            .unwrap()
            .len(),
        want.len()
    );
    assert_eq!(
        d.snapshot(),
        before,
        "a scenario that does not validate is not written"
    );
}

#[test]
fn a_long_run_is_cancelled_and_returns_its_partial_document() {
    let d = Dirs::new("cancel");
    let h = start(&d, Some("u.toml"), None);
    let addr = h.addr;
    let host = own(&h);
    let runner = std::thread::spawn(move || {
        raw(
            addr,
            "POST",
            "/api/run",
            Some(&host),
            &[],
            json!({ "draws": 1_000_000, "models": ["compromise"] })
                .to_string()
                .as_bytes(),
        )
    });
    // Cancel once the run has started.
    let mut cancelled = 0;
    for _ in 0..600 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        cancelled = post(&h, "/api/cancel", &json!({})).json()["cancelled"]
            .as_u64()
            .unwrap();
        if cancelled > 0 {
            break;
        }
    }
    assert_eq!(cancelled, 1);
    let ev = runner.join().unwrap().events();
    let done = ev.last().unwrap();
    assert_eq!(done["event"], "done");
    assert_eq!(done["stopped"], true);
    let f = &event(&ev, "forecast").unwrap()["forecast"];
    assert_eq!(f["montecarlo"]["stopped"], true);
    assert!(f["montecarlo"]["draws_done"].as_u64().unwrap() < 1_000_000);
}

#[test]
fn the_page_and_the_report_are_served() {
    let d = Dirs::new("page");
    let h = start(&d, None, None);
    let a = get(&h, "/");
    assert_eq!(a.status, 200);
    assert!(a.header("content-security-policy").is_some());
    assert!(String::from_utf8_lossy(&a.body).contains("/app.js"));
    assert_eq!(get(&h, "/app.js").status, 200);
    assert_eq!(get(&h, "/api/files").json()["files"], json!(["u.toml"]));
    assert_eq!(
        get(&h, "/api/state").json()["name"],
        brink_scenario::BUILTIN_NAME
    );
    let a = get(&h, "/api/report?draws=0");
    assert_eq!(a.status, 200);
    assert!(a
        .header("content-disposition")
        .unwrap()
        .contains("ukraine-2021-12-report.html"));
    assert!(String::from_utf8_lossy(&a.body).contains("<html"));
    assert_eq!(get(&h, "/api/report?draws=x").status, 400);
    // A new scenario validates and forecasts.
    let st = post(&h, "/api/open", &json!({ "new": true })).json();
    assert_eq!(st["problems"], json!([]), "{st}");
    let a = post(&h, "/api/run", &json!({}));
    assert!(event(&a.events(), "point").is_some());
}

#[test]
fn the_built_in_scenario_shows_its_reference_class_as_the_command_line_does() {
    let d = Dirs::new("builtin");
    let h = start(&d, None, None);
    let a = post(&h, "/api/run", &json!({ "draws": 0 }));
    assert_eq!(a.status, 200);
    let ev = a.events();
    let page = &event(&ev, "point").unwrap()["forecast"];
    // The engine's built-in input applies the onset addendum, as `brink run` does.
    let text = serde_json::to_string(
        &Forecast::run(&Loaded::builtin().unwrap(), &Options::default()).unwrap(),
    )
    .unwrap();
    let cli: Value = serde_json::from_str(&text).unwrap();
    same(&page["crises"], &cli["crises"]);
    assert!(page["crises"][0]["reference_class"].is_object());
    assert!(page["crises"][0]["combined"].is_object());
    assert_eq!(page["input"], cli["input"]);
}

//! The server's answer to one edit of the built-in scenario, over a real socket: the edit
//! (`POST /api/edit`, one position moved) and the run (`POST /api/run`) read to its end.
//!
//! - `point`: the run on the point estimates only (every default model and the crisis);
//! - `first answer, 2000 draws`: the time until the page has the point forecast of a 2,000-draw
//!   run (its `point` event), every default model;
//! - `2000 draws, MODELS`: the whole 2,000-draw run, for the three fast models and for every
//!   default model.
//!
//! Run: `cargo bench -p brink-serve --bench edit`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use brink_serve::{Config, Server};
use criterion::{criterion_group, criterion_main, Criterion};

fn post(addr: SocketAddr, path: &str, body: &str) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_nodelay(true).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        addr.port(),
        body.len()
    )
    .unwrap();
    BufReader::new(s)
}

fn read_all(mut r: BufReader<TcpStream>) -> usize {
    let mut buf = Vec::new();
    r.read_to_end(&mut buf).unwrap();
    assert!(
        buf.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&buf[..buf.len().min(300)])
    );
    buf.len()
}

/// One edit: the United States' position on NATO enlargement moved (alternating, so that every
/// edit changes the text).
fn edit(addr: SocketAddr, i: u64) {
    let v = 25 + (i % 2) * 5;
    let body =
        format!(r#"{{"edits":[{{"path":"stances[5].position.triangular[1]","value":{v}}}]}}"#);
    read_all(post(addr, "/api/edit", &body));
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("brink-serve-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let handle = Server::start(Config::new(dir.clone())).unwrap().spawn();
    let addr = handle.addr;
    let mut i = 0u64;

    let mut g = c.benchmark_group("serve edit");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("point", |b| {
        b.iter(|| {
            i += 1;
            edit(addr, i);
            read_all(post(addr, "/api/run", r#"{"draws":0}"#))
        })
    });
    g.bench_function("first answer, 2000 draws, default models", |b| {
        b.iter_custom(|n| {
            let mut total = Duration::ZERO;
            for _ in 0..n {
                i += 1;
                let t = Instant::now();
                edit(addr, i);
                let mut r = post(addr, "/api/run", r#"{"draws":2000}"#);
                let mut line = String::new();
                while !line.contains(r#""event":"point""#) {
                    line.clear();
                    assert!(r.read_line(&mut line).unwrap() > 0, "no point event");
                }
                total += t.elapsed();
                let mut rest = Vec::new();
                r.read_to_end(&mut rest).unwrap();
            }
            total
        })
    });
    g.bench_function("2000 draws, compromise median nash", |b| {
        b.iter(|| {
            i += 1;
            edit(addr, i);
            read_all(post(
                addr,
                "/api/run",
                r#"{"draws":2000,"models":["compromise","median","nash"]}"#,
            ))
        })
    });
    g.bench_function("2000 draws, default models", |b| {
        b.iter(|| {
            i += 1;
            edit(addr, i);
            read_all(post(addr, "/api/run", r#"{"draws":2000}"#))
        })
    });
    g.finish();
    drop(handle);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);

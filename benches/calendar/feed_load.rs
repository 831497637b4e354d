//! The feed half of the calendar benchmark: render time of a 5,000-event feed, and requests per
//! second for full responses and for 304s from clerk's own HTTP listener, measured with `wrk`.

use std::process::Command;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use clerk::calendar::feed::{self, Heading, Stamped, Window};
use clerk::config::FeedSettings;
use clerk::feeds::publish::Publisher;
use clerk::office::Office;
use clerk::store::{Db, Store};

/// Rendering rounds measured; each renders the whole feed.
const RENDERS: usize = 20;
/// How long each wrk run lasts.
const LOAD: &str = "10s";

pub fn run() {
    let zone = chrono_tz::Europe::Rome;
    let now = zone.with_ymd_and_hms(2027, 1, 4, 8, 0, 0).unwrap().with_timezone(&Utc);
    let events = five_thousand(now);
    let window = Window { from: now - TimeDelta::days(30), to: now + TimeDelta::days(366) };
    let heading = Heading { title: "Giulia".into(), timezone: zone, refresh: Duration::from_secs(3600) };
    let stamped: Vec<Stamped> =
        events.iter().map(|e| Stamped { event: e.clone(), changed: now, description: None }).collect();

    println!("== feed: {} events ({} recurring) in the window", events.len(), 10);
    let body = feed::events(&heading, &stamped, window);
    let busy = feed::free_busy(&heading, &stamped, window);
    assert!(body.cuts.is_empty() && busy.cuts.is_empty(), "the bench feed renders whole");
    let (body, busy) = (body.text, busy.text);
    let render = super::median(RENDERS, || {
        std::hint::black_box(feed::events(&heading, &stamped, window));
    });
    let render_busy = super::median(RENDERS, || {
        std::hint::black_box(feed::free_busy(&heading, &stamped, window));
    });
    println!(
        "  render, events feed:    {:>8.1} ms, {} bytes (median of {RENDERS})",
        millis(render),
        body.len()
    );
    println!(
        "  render, free/busy feed: {:>8.1} ms, {} bytes (median of {RENDERS})",
        millis(render_busy),
        busy.len()
    );

    if Command::new("wrk").arg("--version").output().is_err() {
        println!("  HTTP load: skipped, `wrk` is not installed (apt-get install wrk)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("clerk-feed-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("creating the bench directory");
    let mut store = Store::open(&dir.join("clerk.db")).expect("opening the bench database");
    for event in &events {
        store.put_event(event).expect("storing an event");
    }
    let office = office(&dir);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (link, etag) = runtime.block_on(async {
        let db = Db::new(store);
        let settings = FeedSettings { ahead: Duration::from_secs(366 * 86_400), ..FeedSettings::default() };
        let mut publisher = Publisher::new(db.clone(), settings);
        publisher.refresh(&office, Utc::now()).await.expect("publishing the bench feed");
        let shelf = publisher.shelf();
        let token = db
            .run(|store| store.feed_tokens())
            .await
            .expect("reading the tokens")
            .remove("calendar:giulia")
            .expect("the calendar's token");
        let rendered = shelf.get(&token).expect("the rendered feed");
        println!("  gzipped once per change: {} bytes", rendered.gzipped.len());
        let etag = rendered.etag.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (_stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            clerk::http::serve(listener, db, shelf, stopped).await;
            drop(_stop);
        });
        (format!("http://127.0.0.1:{port}/feeds/{token}/giulia.ics"), etag)
    });
    let _server = runtime.enter();
    let gzip = ("Accept-Encoding", "gzip");
    let current = ("If-None-Match", etag.as_str());
    println!("  HTTP load, wrk -t1 -c32 -d{LOAD} on loopback, wrk and clerk sharing the machine:");
    println!(
        "    200 gzipped (Accept-Encoding: gzip, as calendar clients send): {} requests/s",
        wrk_rate(&link, &[gzip])
    );
    println!("    200 uncompressed ({} bytes each): {} requests/s", body.len(), wrk_rate(&link, &[]));
    println!("    304 Not Modified (If-None-Match): {} requests/s", wrk_rate(&link, &[current]));
    drop(runtime);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Requests per second wrk measured with `headers`, as it printed them; socket errors are shown (a
/// 304 counts as a non-2xx answer, so that is no error here).
fn wrk_rate(link: &str, headers: &[(&str, &str)]) -> String {
    let mut wrk = Command::new("wrk");
    wrk.args(["-t1", "-c32", "-d", LOAD]);
    for (name, value) in headers {
        wrk.args(["-H", &format!("{name}: {value}")]);
    }
    let out = wrk.arg(link).output().expect("running wrk");
    let text = String::from_utf8_lossy(&out.stdout);
    let rate = text.lines().find_map(|line| line.strip_prefix("Requests/sec:")).map(str::trim);
    let errors = text.lines().find(|line| line.contains("Socket errors"));
    match (rate, errors) {
        (Some(rate), None) => rate.to_owned(),
        _ => format!("? (wrk said: {text})"),
    }
}

/// 4,990 one-hour meetings spread over the window, and ten weekly series.
fn five_thousand(now: DateTime<Utc>) -> Vec<clerk::calendar::event::Event> {
    let mut events = Vec::new();
    for n in 0..4_990i64 {
        let day = n % 390 - 25;
        let hour = 8 + n % 10;
        let start = now + TimeDelta::days(day) + TimeDelta::hours(hour - 8);
        let mut event = super::event(&format!("meeting-{n}@office.example"), start, 60, None);
        event.summary = format!("Meeting {n} with a client about the project");
        event.location = Some("Sala Verde".into());
        events.push(event);
    }
    for n in 0..10i64 {
        let start = now - TimeDelta::days(60) + TimeDelta::hours(n);
        events.push(super::event(&format!("series-{n}@office.example"), start, 30, Some("FREQ=WEEKLY")));
    }
    events
}

/// An office with Giulia's calendar and no rules, from an office.toml written into `dir`.
fn office(dir: &std::path::Path) -> Office {
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).expect("creating the bench rules");
    std::fs::write(
        rules.join("office.toml"),
        "[office]\nname = \"Bench\"\ntimezone = \"Europe/Rome\"\n[assistant]\naddress = \"a@office.example\"\n\
         [[owner]]\nname = \"Giulia\"\naddress = \"giulia@office.example\"\n\
         [[calendar]]\nname = \"giulia\"\nowner = \"giulia@office.example\"\n\
         [rules]\nallow_empty = true\n",
    )
    .expect("writing the bench office.toml");
    clerk::rules::RuleSet::load(&rules).unwrap_or_else(|e| panic!("the bench office: {e}")).office
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

//! `clerk demo`: a self-contained example office in one directory — a Maildir inbox, a file outbox, the
//! shipped rules — with sample mail dropped in, so a newcomer sees clerk answer within seconds without
//! any mail server.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};

use crate::calendar::CalendarConfig;
use crate::calendar::availability::{Busy, Slot};
use crate::config::Config;
use crate::daemon::Office;

/// The shipped example office (`rules/` in the source tree), built into the binary so the demo works
/// from an installed `clerk` alone.
pub const SHIPPED_RULES: &[(&str, &str)] = &[
    ("office.toml", include_str!("../rules/office.toml")),
    ("catalog.toml", include_str!("../rules/catalog.toml")),
    ("10-filing.rules.toml", include_str!("../rules/10-filing.rules.toml")),
    ("20-desks.rules.toml", include_str!("../rules/20-desks.rules.toml")),
    ("90-fallback.rules.toml", include_str!("../rules/90-fallback.rules.toml")),
    ("templates/acknowledgment.txt", include_str!("../rules/templates/acknowledgment.txt")),
    ("templates/acknowledgment.it.txt", include_str!("../rules/templates/acknowledgment.it.txt")),
    ("templates/faq/opening-hours.txt", include_str!("../rules/templates/faq/opening-hours.txt")),
    ("templates/faq/opening-hours.it.txt", include_str!("../rules/templates/faq/opening-hours.it.txt")),
    ("templates/unsure.txt", include_str!("../rules/templates/unsure.txt")),
    ("samples/inquiry-opening-hours.eml", include_str!("../rules/samples/inquiry-opening-hours.eml")),
    ("samples/supply-toner.eml", include_str!("../rules/samples/supply-toner.eml")),
    ("samples/meeting-request.eml", include_str!("../rules/samples/meeting-request.eml")),
    ("samples/invitation.eml", include_str!("../rules/samples/invitation.eml")),
    ("samples/vendor-invoice.eml", include_str!("../rules/samples/vendor-invoice.eml")),
    ("samples/newsletter.eml", include_str!("../rules/samples/newsletter.eml")),
    ("samples/out-of-office.eml", include_str!("../rules/samples/out-of-office.eml")),
    ("samples/general-question.eml", include_str!("../rules/samples/general-question.eml")),
];

const DEMO_CONFIG: &str = r#"# The clerk demo office: mail arrives in the Maildir `mail/`, replies are written to `outbox/` as .eml
# files, and nothing leaves this directory. Drop more .eml files into mail/new/ to see them handled.
# The calendars are served on http://127.0.0.1:8080 (`clerk feeds` prints the links) and written to
# `published/`.

[database]
path = "clerk.db"

[rules]
dir = "rules"

[[mailbox]]
name = "demo"
url = "maildir:mail"
poll_interval = "1s"
backfill = "all"

[outbox]
dir = "outbox"

[http]
listen = "127.0.0.1:8080"

[feeds]
dir = "published"
"#;

/// Creates the demo office in `dir` if missing, drops the sample messages into its inbox, and runs it:
/// until Ctrl-C, or (`once`) just long enough to handle the samples, then prints a summary.
pub async fn run(dir: &Path, once: bool) -> anyhow::Result<()> {
    let config_path = create(dir)?;
    let config = Config::load(&config_path)?;
    let office = Office::open(config.clone())?;
    let dropped = drop_samples(&dir.join("mail"), &office.rules.get().office, chrono::Utc::now())?;
    let outbox = match &config.delivery {
        crate::config::Delivery::Directory(d) => d.clone(),
        crate::config::Delivery::Smtp(_) => dir.join("outbox"),
    };
    println!("clerk demo office in {}", dir.display());
    println!("  config:  {}", config_path.display());
    println!("  rules:   {}", config.rules_dir.display());
    println!("  inbox:   {} ({dropped} sample messages dropped into new/)", dir.join("mail").display());
    println!("  outbox:  {}  <- replies and forwards appear here", outbox.display());
    println!();
    fill_the_cupboard(&office).await?;
    let before =
        office.db.run(|store| store.journal_after(0).map(|r| r.last().map(|r| r.id).unwrap_or(0))).await?;
    if once {
        office.run_once().await?;
        print_summary(&office, before, &outbox).await?;
        Ok(())
    } else {
        let (rules, settings, listen) =
            (office.rules.get(), office.config.feeds.clone(), office.config.http_listen);
        let feeds = office
            .db
            .run(move |store| crate::feeds::report(store, &rules.office, &settings, listen, None))
            .await?;
        println!("The calendar feeds (subscribe to a link in a calendar program):\n{feeds}");
        println!("Watching the inbox; press Ctrl-C to stop.");
        office.run().await
    }
}

/// Writes the config and the shipped rules unless the directory already holds a config.
fn create(dir: &Path) -> anyhow::Result<PathBuf> {
    let config_path = dir.join("clerk.toml");
    if config_path.exists() {
        return Ok(config_path);
    }
    for (name, text) in SHIPPED_RULES {
        let path = dir.join("rules").join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    crate::sources::maildir::create(&dir.join("mail"))?;
    std::fs::write(&config_path, DEMO_CONFIG)
        .with_context(|| format!("writing {}", config_path.display()))?;
    Ok(config_path)
}

/// Counts every item of the demo's catalog at its order-up-to level the first time, as an office
/// counts its cupboard before clerk keeps it: the sample order is then handed out from the shelf.
async fn fill_the_cupboard(office: &Office) -> anyhow::Result<()> {
    let rules = office.rules.get();
    let Some(catalog) = rules.catalog.clone() else { return Ok(()) };
    office
        .db
        .run(move |store| -> anyhow::Result<()> {
            if !store.stock_levels()?.is_empty() {
                return Ok(());
            }
            let now = chrono::Utc::now().timestamp();
            for item in &catalog.items {
                crate::reports::stock::set(store, &catalog, &item.sku, item.order_up_to, "demo", now)?;
            }
            Ok(())
        })
        .await
}

/// Delivers the sample messages into the Maildir the way an MTA would (tmp/, then new/), the request
/// in words dated for today (see [`dated_request`]).
fn drop_samples(maildir: &Path, office: &crate::office::Office, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let stamp = now.timestamp();
    let mut n = 0;
    for (name, text) in SHIPPED_RULES.iter().filter(|(name, _)| name.starts_with("samples/")) {
        let unique =
            format!("{stamp}.demo{n}.{}", name.trim_start_matches("samples/").trim_end_matches(".eml"));
        let tmp = maildir.join("tmp").join(&unique);
        let text = match (*name == REQUEST_SAMPLE, office.calendars.first()) {
            (true, Some(calendar)) => dated_request(text, calendar, now),
            _ => (*text).to_owned(),
        };
        std::fs::write(&tmp, text.replace('\n', "\r\n"))
            .with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, maildir.join("new").join(&unique))?;
        n += 1;
    }
    Ok(n)
}

/// The sample request in words.
const REQUEST_SAMPLE: &str = "samples/meeting-request.eml";

/// What the sample request asks for, and the words it asks in.
const REQUEST_ASKS: &str = "on Tuesday at 3pm";

/// The sample request as sent now: the shipped file asks for "Tuesday at 3pm" of the week it was
/// written in, which is past (or a holiday) on most days the demo runs. Dated now and asking for the
/// first day from tomorrow on which 15:00–16:00 is within `calendar`'s working hours, notice and
/// horizon (not a weekend, holiday or closure), it asks for a time the demo can book on any day.
fn dated_request(text: &str, calendar: &CalendarConfig, now: DateTime<Utc>) -> String {
    let zone = calendar.policy.timezone;
    let today = now.with_timezone(&zone).date_naive();
    let bookable = (1..=60).filter_map(|n| today.checked_add_days(chrono::Days::new(n))).find_map(|day| {
        let start = crate::calendar::zones::resolve_local(zone, day.and_hms_opt(15, 0, 0)?);
        let slot = Slot { start, end: start + chrono::TimeDelta::hours(1) };
        calendar.policy.check(&Busy::default(), now, slot).is_ok().then_some(day)
    });
    let Some(day) = bookable else { return text.to_owned() };
    let asks = format!("on {} at 3pm", day.format("%A %-d %B"));
    let sent = now.with_timezone(&zone).to_rfc2822();
    text.lines()
        .map(|line| match line.strip_prefix("Date: ") {
            Some(_) => format!("Date: {sent}"),
            None => line.replace(REQUEST_ASKS, &asks),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

async fn print_summary(office: &Office, after: i64, outbox: &Path) -> anyhow::Result<()> {
    let rows = office.db.run(move |store| store.journal_after(after)).await?;
    println!("{:<48} {:<32} {:<9} note", "message", "rule", "desk");
    for row in &rows {
        let subject: String = row.subject.chars().take(46).collect();
        let rule =
            row.rule.as_deref().unwrap_or(if row.status == "processed" { "(no rule)" } else { &row.status });
        println!(
            "{:<48} {:<32} {:<9} {}",
            subject,
            rule.chars().take(31).collect::<String>(),
            row.desk.as_deref().unwrap_or("-"),
            row.detail.as_deref().unwrap_or("")
        );
    }
    let mut sent: Vec<_> = std::fs::read_dir(outbox)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect()
        })
        .unwrap_or_default();
    sent.sort();
    println!();
    println!("{} messages in the outbox ({}):", sent.len(), outbox.display());
    for path in sent {
        println!("  {}", path.display());
    }
    if let Some(dir) = &office.config.feeds.dir {
        println!();
        println!("The calendars, as published feeds, in {}:", dir.display());
        for feed in crate::feeds::catalogue(&office.rules.get().office) {
            println!("  {}  ({})", dir.join(&feed.file).display(), feed.title);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_sample_request_is_dated_today_and_asks_for_the_next_bookable_day_past_a_holiday() {
        let dir = crate::rules::tests::Dir::new();
        for (name, text) in SHIPPED_RULES {
            dir.write(name, text);
        }
        let office = dir.load().office;
        let (_, sample) = SHIPPED_RULES.iter().find(|(name, _)| *name == REQUEST_SAMPLE).unwrap();
        assert!(sample.contains(REQUEST_ASKS), "the shipped sample asks as the demo expects");
        // Monday 7 December 2026: Tuesday the 8th is the Immacolata, a holiday in Rome.
        let now =
            chrono_tz::Europe::Rome.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap().with_timezone(&Utc);
        let dated = dated_request(sample, &office.calendars[0], now);
        assert!(dated.contains("could we meet on Wednesday 9 December at 3pm"), "{dated}");
        assert!(dated.contains("\nDate: Mon, 7 Dec 2026 10:00:00 +0100\n"), "{dated}");
        assert!(!dated.contains("23 Nov 2026"), "{dated}");
    }
}

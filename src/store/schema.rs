//! The database schema as an ordered list of migrations, applied once each.
//!
//! Why hand-rolled: no release of `rusqlite_migration` builds against rusqlite 0.41 (the newest rusqlite
//! that resolves here), and the job is small: SQLite's `user_version` counts the migrations applied, and
//! each migration runs in the same transaction that bumps it, so a crash never leaves half a migration.
//! Migrations are append-only: never edit one that has shipped, add the next.

use rusqlite::Connection;

/// Every migration in order; `user_version` = how many have been applied.
const MIGRATIONS: &[&str] = &[
    // 1: the journal, folder positions, the outbox, pending mailbox changes and the reply log.
    r#"
    CREATE TABLE messages (
        id            INTEGER PRIMARY KEY,
        mailbox       TEXT NOT NULL,
        folder        TEXT NOT NULL,
        item          TEXT NOT NULL,     -- 'UIDVALIDITY:UID' for IMAP, the unique file name for Maildir
        message_id    TEXT,
        content_hash  TEXT NOT NULL,
        sender        TEXT,
        subject       TEXT NOT NULL DEFAULT '',
        seen_at       INTEGER NOT NULL,  -- unix seconds
        status        TEXT NOT NULL,     -- processed | duplicate | too_large | failed
        rule          TEXT,
        desk          TEXT,
        desk_options  TEXT,              -- JSON object
        detail        TEXT,              -- error text, or why a reply was suppressed
        UNIQUE (mailbox, folder, item)
    );
    -- One row per distinct message handled: how a copy in another folder, or the same message after a
    -- UIDVALIDITY reset, is recognised. A primary-key lookup, so SQLite never re-plans it per value.
    CREATE TABLE identities (
        content_hash  TEXT PRIMARY KEY,
        message_id    TEXT,
        journal_id    INTEGER NOT NULL REFERENCES messages(id)
    ) WITHOUT ROWID;
    CREATE INDEX messages_seen_at ON messages (seen_at);

    CREATE TABLE folders (
        mailbox      TEXT NOT NULL,
        folder       TEXT NOT NULL,
        uidvalidity  INTEGER NOT NULL,
        last_uid     INTEGER NOT NULL,
        watch_since  INTEGER NOT NULL,   -- unix seconds: mail older than this predates clerk
        backlog_until INTEGER NOT NULL DEFAULT 0,  -- UIDs up to here are checked against watch_since
        PRIMARY KEY (mailbox, folder)
    );

    CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY,
        message_id       TEXT NOT NULL UNIQUE,
        journal_id       INTEGER REFERENCES messages(id),
        kind             TEXT NOT NULL,  -- reply | forward
        rule             TEXT,
        envelope_from    TEXT,           -- NULL is the null sender <>
        recipients       TEXT NOT NULL,  -- JSON array
        raw              BLOB NOT NULL,
        status           TEXT NOT NULL DEFAULT 'pending',  -- pending | sending | sent | failed
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER NOT NULL,
        last_error       TEXT,
        created_at       INTEGER NOT NULL,
        sent_at          INTEGER
    );
    CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

    CREATE TABLE mailbox_ops (
        id          INTEGER PRIMARY KEY,
        journal_id  INTEGER REFERENCES messages(id),
        mailbox     TEXT NOT NULL,
        folder      TEXT NOT NULL,
        item        TEXT NOT NULL,
        op          TEXT NOT NULL,       -- move | flag
        arg         TEXT NOT NULL,       -- destination folder, or space-separated flags
        status      TEXT NOT NULL DEFAULT 'pending',  -- pending | done | failed
        attempts    INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        created_at  INTEGER NOT NULL,
        done_at     INTEGER
    );
    CREATE INDEX mailbox_ops_pending ON mailbox_ops (mailbox, folder, status);

    CREATE TABLE reply_log (
        sender        TEXT NOT NULL,     -- lower-case address
        rule          TEXT NOT NULL,
        last_sent_at  INTEGER NOT NULL,
        PRIMARY KEY (sender, rule)
    );
    "#,
    // 2: when a move was sent to the server. Set until the server's answer is recorded: a move sent and
    // never confirmed (a crash, a dropped connection) may have been done, not done, or half done (Dovecot
    // copies, then removes the original; a client that disconnects in between leaves both), so before it
    // is sent again the destination is searched for the message.
    r#"
    ALTER TABLE mailbox_ops ADD COLUMN sent_at_ms INTEGER;  -- unix milliseconds
    "#,
    // 3: what each folder watcher is doing, for `clerk status` (written by the daemon, read by anyone).
    r#"
    CREATE TABLE watch_status (
        mailbox       TEXT NOT NULL,
        folder        TEXT NOT NULL,
        state         TEXT NOT NULL,     -- connected | reconnecting | stopped
        detail        TEXT,              -- why it is reconnecting
        changed_at    INTEGER NOT NULL,  -- when it entered this state
        last_sync_at  INTEGER,           -- when it last looked for new mail
        PRIMARY KEY (mailbox, folder)
    );
    "#,
    // 4: scheduled jobs: the last slot (cron time) each `[[schedule]]` ran for, or was first seen at.
    r#"
    CREATE TABLE schedule_runs (
        name       TEXT PRIMARY KEY,   -- the [[schedule]] name
        last_slot  INTEGER NOT NULL,   -- unix seconds of the last cron time handled
        ran_at     INTEGER             -- when it last really ran; NULL if it never has
    );
    "#,
    // 5: how often each watcher has had to reconnect since clerk started, for /metrics.
    r#"
    ALTER TABLE watch_status ADD COLUMN reconnects INTEGER NOT NULL DEFAULT 0;
    "#,
    // 6: the events of the office's calendars and rooms (`[[calendar]]`, `[[room]]`).
    r#"
    CREATE TABLE events (
        calendar       TEXT NOT NULL,     -- a [[calendar]] or [[room]] name
        uid            TEXT NOT NULL,     -- iCalendar UID
        recurrence_id  INTEGER NOT NULL,  -- 0 for an event or a series; else the unix seconds of the
                                          -- instance of the series this row overrides
        sequence       INTEGER NOT NULL,
        summary        TEXT NOT NULL,
        location       TEXT,
        start_at       INTEGER NOT NULL,  -- unix seconds
        end_at         INTEGER NOT NULL,
        timezone       TEXT NOT NULL,     -- IANA name: the zone it is written and recurs in
        rrule          TEXT,              -- RRULE value, on a series only
        exdates        TEXT NOT NULL,     -- unix seconds, comma-separated
        status         TEXT NOT NULL,     -- confirmed | tentative | cancelled
        transparent    INTEGER NOT NULL,  -- 1: does not make the time busy
        organizer      TEXT,
        updated_at     INTEGER NOT NULL,
        PRIMARY KEY (calendar, uid, recurrence_id)
    ) WITHOUT ROWID;
    CREATE INDEX events_by_time ON events (calendar, end_at, start_at);
    "#,
    // 7: who is invited to an event, with their answers (meetings clerk organises).
    r#"
    ALTER TABLE events ADD COLUMN attendees TEXT NOT NULL DEFAULT '[]';  -- JSON list
    "#,
    // 8: published feeds. A calendar's version rises with every change to its events, so a feed is
    // rendered again only when it moved; each feed has its secret token, and the ETag and
    // Last-Modified it was last published with, so Last-Modified survives restarts and never goes back.
    r#"
    CREATE TABLE calendar_versions (
        calendar  TEXT PRIMARY KEY,
        version   INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE feeds (
        feed         TEXT PRIMARY KEY,     -- calendar:NAME, busy:NAME or room:NAME
        token        TEXT NOT NULL UNIQUE, -- the secret part of its URL
        etag         TEXT,                 -- of the body last published
        modified_at  INTEGER               -- unix seconds: when that body was first published
    ) WITHOUT ROWID;
    "#,
    // 9: the free times the meeting desk offered for a thread, until chosen, closed or expired.
    r#"
    CREATE TABLE proposals (
        message_id      TEXT PRIMARY KEY,  -- of clerk's mail offering the times
        calendar        TEXT NOT NULL,
        requester       TEXT NOT NULL,     -- JSON party
        participants    TEXT NOT NULL,     -- JSON list of parties
        summary         TEXT NOT NULL,
        slots           TEXT NOT NULL,     -- JSON list of [start, end] unix seconds
        language        TEXT NOT NULL,     -- en | it
        created_at      INTEGER NOT NULL,
        expires_at      INTEGER NOT NULL,
        replaces        TEXT,              -- UID of the booked meeting a choice moves
        room            INTEGER NOT NULL,  -- 1: the request asked for a room
        followed_up_at  INTEGER,           -- when the one follow-up was queued
        closed_at       INTEGER            -- chosen, replaced or expired
    ) WITHOUT ROWID;
    "#,
    // 10: the inquiry desk's tickets, and every message of each (incoming ones by their journal row,
    // clerk's own by the Message-ID it sent them with), which is how a reply finds its ticket.
    r#"
    CREATE TABLE tickets (
        number         INTEGER PRIMARY KEY,  -- without its check digit
        state          TEXT NOT NULL,        -- new | waiting | answered | closed
        customer       TEXT NOT NULL,        -- lower-case address
        customer_name  TEXT,
        department     TEXT,
        priority       TEXT NOT NULL,        -- low | normal | high | urgent
        subject        TEXT NOT NULL,
        language       TEXT NOT NULL,
        opened_at      INTEGER NOT NULL,     -- unix seconds
        updated_at     INTEGER NOT NULL,
        due_at         INTEGER,              -- an answer is owed by then
        escalate_at    INTEGER,              -- the owners hear of it then
        answered_at    INTEGER,
        acknowledged   INTEGER NOT NULL,     -- 1: the customer had the acknowledgment or an answer
        escalation     INTEGER NOT NULL,     -- 0, 1 (department reminded), 2 (owners told)
        rating         TEXT,                 -- good | ok | bad: the customer's word on the answer
        rated_at       INTEGER
    );
    CREATE INDEX tickets_by_state ON tickets (state, department);
    CREATE TABLE ticket_messages (
        message_id  TEXT NOT NULL,
        ticket      INTEGER NOT NULL REFERENCES tickets(number),
        journal_id  INTEGER REFERENCES messages(id),  -- the message received, or what caused clerk's
        role        TEXT NOT NULL,                    -- customer | staff | clerk
        author      TEXT NOT NULL,
        at          INTEGER NOT NULL,
        text        TEXT NOT NULL,
        UNIQUE (message_id, ticket)
    );
    CREATE INDEX ticket_messages_by_ticket ON ticket_messages (ticket);
    "#,
    // 11: the supply cupboard. Stock is a ledger (levels are sums of its rows); requests and purchase
    // orders keep their lines as JSON; every message of their conversations is indexed so replies
    // find them; an item below its reorder point is remembered so the alert fires once.
    r#"
    CREATE TABLE stock_moves (
        id          INTEGER PRIMARY KEY,
        sku         TEXT NOT NULL COLLATE NOCASE,
        on_hand     INTEGER NOT NULL,      -- change to what is on the shelf
        promised    INTEGER NOT NULL,      -- change to what is promised to waiting requests
        reason      TEXT NOT NULL,         -- issued | promised | released | delivered | counted
        reference   TEXT,                  -- REQ-2026-0007, PO-2026-0042
        person      TEXT,
        journal_id  INTEGER REFERENCES messages(id),
        at          INTEGER NOT NULL       -- unix seconds
    );
    CREATE INDEX stock_moves_by_sku ON stock_moves (sku);
    CREATE TABLE stock_low (
        sku    TEXT PRIMARY KEY COLLATE NOCASE,
        since  INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE supply_requests (
        year            INTEGER NOT NULL,
        sequence        INTEGER NOT NULL,
        state           TEXT NOT NULL,     -- awaiting_approval | waiting | done | rejected
        requester       TEXT NOT NULL,
        requester_name  TEXT,
        language        TEXT NOT NULL,
        subject         TEXT NOT NULL,
        urgent          INTEGER NOT NULL,
        lines           TEXT NOT NULL,     -- JSON list
        opened_at       INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        PRIMARY KEY (year, sequence)
    );
    CREATE INDEX supply_requests_by_state ON supply_requests (state);
    CREATE TABLE purchase_orders (
        year               INTEGER NOT NULL,
        sequence           INTEGER NOT NULL,
        vendor             TEXT NOT NULL,
        state              TEXT NOT NULL,  -- draft | approved | sent | acknowledged | partly_received | received | cancelled
        currency           TEXT NOT NULL,
        lines              TEXT NOT NULL,  -- JSON list, with the prices ordered at
        urgent             INTEGER NOT NULL,
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL,
        approval_asked_at  INTEGER,
        sent_at            INTEGER,
        expected_at        INTEGER,
        acknowledged_at    INTEGER,
        reminded_at        INTEGER,
        received_at        INTEGER,
        message_id         TEXT,
        note               TEXT,
        PRIMARY KEY (year, sequence)
    );
    CREATE INDEX purchase_orders_by_state ON purchase_orders (state, vendor);
    CREATE TABLE supply_threads (
        message_id  TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,         -- request | order
        year        INTEGER NOT NULL,
        sequence    INTEGER NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 12: messages in hand, the text of failed ones and the decision clock. A batch writes down its
    // messages before it decides them and strikes them off in the transaction that records them, so a
    // message clerk was holding when it stopped (a crash, a panic, a message that ran past its time) is
    // known at the next try; `alone` counts the clerk processes that held it alone. A failed message
    // keeps its text so that `clerk retry` can handle it again after a fix.
    r#"
    CREATE TABLE in_hand (
        mailbox  TEXT NOT NULL,
        folder   TEXT NOT NULL,
        item     TEXT NOT NULL,
        alone    INTEGER NOT NULL DEFAULT 0,
        run      INTEGER,                   -- the clerk process of the last alone try
        since    INTEGER NOT NULL,          -- unix seconds
        PRIMARY KEY (mailbox, folder, item)
    ) WITHOUT ROWID;
    CREATE TABLE failed_mail (
        journal_id  INTEGER PRIMARY KEY REFERENCES messages(id),
        raw         BLOB NOT NULL
    );
    -- Moved by every recorded decision, so a decision made on a snapshot knows whether another was
    -- recorded since (store/decision.rs).
    CREATE TABLE decision_clock (
        id  INTEGER PRIMARY KEY CHECK (id = 0),
        n   INTEGER NOT NULL
    );
    INSERT INTO decision_clock (id, n) VALUES (0, 0);
    "#,
    // 13: new times attendees proposed (iTIP COUNTER) for meetings the office organises, each put to
    // the calendar's owner in a note and held until she answers it.
    r#"
    CREATE TABLE counters (
        message_id  TEXT PRIMARY KEY,   -- of clerk's note asking the owner
        reference   TEXT NOT NULL,      -- NT-1a2b3c4d, in the note's subject
        calendar    TEXT NOT NULL,
        uid         TEXT NOT NULL,      -- the meeting's
        sequence    INTEGER NOT NULL,   -- the meeting's SEQUENCE when the owner was asked
        proposer    TEXT NOT NULL,      -- JSON party
        start_at    INTEGER NOT NULL,   -- the time proposed, unix seconds
        end_at      INTEGER NOT NULL,
        created_at  INTEGER NOT NULL,
        closed_at   INTEGER             -- answered
    ) WITHOUT ROWID;
    CREATE INDEX counters_by_reference ON counters (reference);
    "#,
    // 14: a vendor's bad news has states of its own, backordered and partly_confirmed (and a line's
    // JSON may say how many the vendor `confirmed`). The table is rebuilt to check every state it
    // holds, and the new version keeps a clerk from before them off this database: it would not
    // know what they mean.
    r#"
    CREATE TABLE purchase_orders_checked (
        year               INTEGER NOT NULL,
        sequence           INTEGER NOT NULL,
        vendor             TEXT NOT NULL,
        state              TEXT NOT NULL CHECK (state IN ('draft', 'approved', 'sent', 'acknowledged',
                               'backordered', 'partly_confirmed', 'partly_received', 'received', 'cancelled')),
        currency           TEXT NOT NULL,
        lines              TEXT NOT NULL,  -- JSON list, with the prices ordered at
        urgent             INTEGER NOT NULL,
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL,
        approval_asked_at  INTEGER,
        sent_at            INTEGER,
        expected_at        INTEGER,        -- what the vendor last promised; none when it gave no date
        acknowledged_at    INTEGER,
        reminded_at        INTEGER,
        received_at        INTEGER,
        message_id         TEXT,
        note               TEXT,           -- the substance of the vendor's last news a person should know
        PRIMARY KEY (year, sequence)
    );
    INSERT INTO purchase_orders_checked SELECT year, sequence, vendor, state, currency, lines, urgent,
        created_at, updated_at, approval_asked_at, sent_at, expected_at, acknowledged_at, reminded_at,
        received_at, message_id, note FROM purchase_orders;
    DROP TABLE purchase_orders;
    ALTER TABLE purchase_orders_checked RENAME TO purchase_orders;
    CREATE INDEX purchase_orders_by_state ON purchase_orders (state, vendor);
    "#,
    // 15: what a request named that invites no one (addresses not written to, names no one or
    // several have), kept with the times offered so that the booking from the time chosen says it
    // again. An offer made before it reads as leaving nothing out: its own answer had said so.
    r#"
    ALTER TABLE proposals ADD COLUMN left_out TEXT NOT NULL
        DEFAULT '{"addresses":[],"unknown":[],"ambiguous":[]}';  -- JSON object
    "#,
    // 16: the office's events (#20) as the event desk reads them from their organisers' requests,
    // their guests, and every message of their conversations so that a reply finds its event.
    r#"
    CREATE TABLE planned_events (
        year            INTEGER NOT NULL,
        sequence        INTEGER NOT NULL,
        organiser       TEXT NOT NULL,
        organiser_name  TEXT,
        title           TEXT,
        state           TEXT NOT NULL CHECK (state IN ('asking', 'planning', 'cancelled')),
        when_kind       TEXT NOT NULL CHECK (when_kind IN ('days', 'window', 'unknown')),
        first_day       TEXT,              -- YYYY-MM-DD, the office's date; a window's first day
        last_day        TEXT,
        start_time      TEXT,              -- HH:MM, the office's clock
        end_time        TEXT,
        days            INTEGER,
        headcount       INTEGER,
        approximate     INTEGER NOT NULL,  -- the headcount is a round figure
        place_kind      TEXT CHECK (place_kind IN ('known', 'office', 'wish')),
        place           TEXT,
        meals           TEXT NOT NULL,     -- JSON list of meal names
        no_catering     INTEGER NOT NULL,
        diets           TEXT NOT NULL,     -- JSON list of [need, people or null]
        everyone        INTEGER NOT NULL,
        groups          TEXT NOT NULL,     -- JSON list of staff groups
        language        TEXT NOT NULL,
        message_id      TEXT,              -- the request's
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        PRIMARY KEY (year, sequence)
    );
    CREATE TABLE event_guests (
        year      INTEGER NOT NULL,
        sequence  INTEGER NOT NULL,
        address   TEXT NOT NULL COLLATE NOCASE,
        name      TEXT,
        answer    TEXT NOT NULL CHECK (answer IN ('none', 'yes', 'no')),
        UNIQUE (year, sequence, address),
        FOREIGN KEY (year, sequence) REFERENCES planned_events (year, sequence)
    );  -- with a rowid: a list is rewritten whole, so its rowids keep the guests in its order
    CREATE TABLE event_threads (
        message_id  TEXT PRIMARY KEY,
        year        INTEGER NOT NULL,
        sequence    INTEGER NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 17: the guests' invitations (#20): when each went out and was reminded, and the diet a guest
    // told in their answer. Apart from event_guests, which an event's writer rewrites whole.
    r#"
    CREATE TABLE event_invitations (
        year         INTEGER NOT NULL,
        sequence     INTEGER NOT NULL,
        address      TEXT NOT NULL COLLATE NOCASE,
        invited_at   INTEGER,
        reminded_at  INTEGER,
        diet         TEXT,
        PRIMARY KEY (year, sequence, address)
    ) WITHOUT ROWID;
    "#,
    // 18: events' catering (#20): the caterer, the headcount it was sent, the cost, and the mails that
    // carried the order, so a new headcount goes in the order's thread and the final one goes once.
    r#"
    CREATE TABLE event_catering (
        year             INTEGER NOT NULL,
        sequence         INTEGER NOT NULL,
        caterer          TEXT NOT NULL,
        state            TEXT NOT NULL CHECK (state IN ('proposed', 'ordered', 'amended', 'final sent')),
        headcount        INTEGER NOT NULL,
        cost             TEXT,              -- a decimal amount, exact
        currency         TEXT,
        order_id         TEXT,
        last_id          TEXT,
        final_headcount  INTEGER,
        ordered_at       INTEGER,           -- when the order first went out
        updated_at       INTEGER NOT NULL,
        PRIMARY KEY (year, sequence),
        FOREIGN KEY (year, sequence) REFERENCES planned_events (year, sequence)
    ) WITHOUT ROWID;
    "#,
    // 19: the places asked or booked for the office's events (#20): an office room booked in its
    // calendar, or an external venue asked for a day and a quote, its answer, the confirmation.
    r#"
    CREATE TABLE event_venues (
        year          INTEGER NOT NULL,
        sequence      INTEGER NOT NULL,
        place         TEXT NOT NULL,     -- the [[venue]]'s or [[room]]'s name
        room          INTEGER NOT NULL,  -- an office room rather than an external venue
        day           TEXT NOT NULL,     -- YYYY-MM-DD, the event's first day as asked
        state         TEXT NOT NULL
                      CHECK (state IN ('asked', 'offered', 'declined', 'unclear', 'confirmed', 'booked',
                                        'released')),
        price         TEXT,              -- decimal, in currency
        basis         TEXT CHECK (basis IN ('total', 'person', 'day')),
        cost          TEXT,              -- decimal, for the headcount, in currency
        currency      TEXT,
        option_until  TEXT,              -- YYYY-MM-DD
        sent_id       TEXT,              -- clerk's last mail to the venue
        answer_id     TEXT,              -- the venue's last answer
        committed_at  INTEGER,           -- when it was booked or confirmed
        updated_at    INTEGER NOT NULL,
        PRIMARY KEY (year, sequence, place, day),
        FOREIGN KEY (year, sequence) REFERENCES planned_events (year, sequence)
    );  -- with a rowid: an event's places are rewritten whole, in the order they were asked
    "#,
    // 20: where each of the office's events (#20) is in a calendar: its row among the calendars'
    // events (calendar, UID), and the DESCRIPTION the feeds give it, which those rows do not keep.
    r#"
    CREATE TABLE event_entries (
        year         INTEGER NOT NULL,
        sequence     INTEGER NOT NULL,
        calendar     TEXT NOT NULL,
        uid          TEXT NOT NULL,
        description  TEXT NOT NULL,
        PRIMARY KEY (year, sequence),
        UNIQUE (calendar, uid)
    ) WITHOUT ROWID;
    "#,
];

/// Brings the database up to the newest schema. Refuses a database written by a newer clerk, because
/// running old code over a newer schema could silently misread it.
pub fn migrate(conn: &mut Connection) -> Result<(), super::StoreError> {
    migrate_to(conn, MIGRATIONS.len())
}

/// Applies the migrations the database lacks up to the `count`th: [`migrate`] takes it to the
/// newest, the store's tests to an older schema, to write what an older clerk wrote.
pub(super) fn migrate_to(conn: &mut Connection, count: usize) -> Result<(), super::StoreError> {
    let applied = applied(conn)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().take(count).skip(applied) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (index + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// How many migrations the database has had; a database written by a newer clerk is refused.
pub fn applied(conn: &Connection) -> Result<usize, super::StoreError> {
    let applied = conn.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))? as usize;
    if applied > MIGRATIONS.len() {
        return Err(super::StoreError::TooNew { found: applied, known: MIGRATIONS.len() });
    }
    Ok(applied)
}

/// How many migrations this build knows; a fresh database ends at this version.
pub fn latest_version() -> usize {
    MIGRATIONS.len()
}

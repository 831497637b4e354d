//! Rendering templates, strict undefined variables, and subjects that stay one line.

use super::{A_RULE, Dir, addr};
use crate::mail::message::{Address, Attachment, Message};
use crate::rules::{RuleSet, TemplateContext, TemplateError};

fn set_with(templates: &[(&str, &str)]) -> (Dir, RuleSet) {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"X\"\n");
    for (name, text) in templates {
        dir.write(&format!("templates/{name}.txt"), text);
    }
    let set = dir.load();
    (dir, set)
}

fn message() -> Message {
    Message {
        from: vec![Address { name: Some("Anna Verdi".into()), email: "anna@client.example".into() }],
        to: vec![addr("assistant@office.example")],
        subject: "Opening hours".into(),
        text: "When are you open?".into(),
        message_id: Some("1@client.example".into()),
        attachments: vec![Attachment {
            name: "map.pdf".into(),
            content_type: "application/pdf".into(),
            size: 1234,
        }],
        ..Default::default()
    }
}

#[test]
fn templates_see_the_message_the_office_and_the_rule() {
    let (_dir, set) = set_with(&[(
        "ack",
        "Dear {{ message.from_name }} <{{ message.from.email }}>,\n\
         re \"{{ message.subject }}\" ({{ message.attachments[0].name }}, {{ message.attachments[0].type }}),\n\
         {{ office.assistant.name }} of {{ office.name }} ({{ office.timezone }}), by {{ rule.name }}.\n\
         Accounts: {{ office.departments.accounts }}\n",
    )]);
    let msg = message();
    let context = TemplateContext::new(&msg, &set.office, "faq");
    assert_eq!(
        set.templates.render("ack", &context),
        Ok("Dear Anna Verdi <anna@client.example>,\n\
            re \"Opening hours\" (map.pdf, application/pdf),\n\
            Office Assistant of Rossi & Bianchi Studio (Europe/Rome), by faq.\n\
            Accounts: accounts@office.example\n"
            .to_owned())
    );
}

#[test]
fn from_name_falls_back_to_the_local_part() {
    let (_dir, set) = set_with(&[("hi", "Hi {{ message.from_name }}")]);
    let msg = Message { from: vec![addr("mario.bianchi@client.example")], ..Default::default() };
    let context = TemplateContext::new(&msg, &set.office, "r");
    assert_eq!(set.templates.render("hi", &context), Ok("Hi mario.bianchi".to_owned()));
}

#[test]
fn templates_in_folders_are_named_by_path_and_can_include_each_other() {
    let (_dir, set) = set_with(&[
        ("faq/opening-hours", "Open 9-17.\n{% include \"faq/footer\" %}"),
        ("faq/footer", "-- {{ office.name }}\n"),
    ]);
    let msg = message();
    let context = TemplateContext::new(&msg, &set.office, "r");
    assert_eq!(
        set.templates.render("faq/opening-hours", &context),
        Ok("Open 9-17.\n-- Rossi & Bianchi Studio\n".to_owned())
    );
}

#[test]
fn a_template_that_fails_on_one_message_is_an_error_naming_the_file_and_line() {
    // Fine on the sample message the rules are checked against, which has an attachment.
    let (dir, set) = set_with(&[("ack", "Hello\n{{ message.attachments[0].name }}\n")]);
    let msg = Message { attachments: vec![], ..message() };
    let context = TemplateContext::new(&msg, &set.office, "r");
    let file = dir.path().join("templates/ack.txt");
    assert!(matches!(
        set.templates.render("ack", &context),
        Err(TemplateError::Render { template, line: Some(2), .. }) if template == file.display().to_string()
    ));
}

#[test]
fn a_template_with_an_unknown_variable_refuses_the_rule_set() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nreply = \"ack\"\n");
    dir.write("templates/ack.txt", "Dear {{ message.from_name }},\n{{ message.sendr }}\n");
    assert_eq!(
        dir.errors(),
        [
            "templates/ack.txt:2:4: undefined value: `message.sendr` is undefined (as the reply of rule \"r\", \
             which is given `message`, `office` and `rule`, and no ticket)"
        ]
    );
}

#[test]
fn a_ticket_in_a_plain_reply_template_refuses_the_rule_set() {
    let dir = Dir::with_rules("[[rule]]\nname = \"thanks\"\nreply = \"thanks\"\n");
    dir.write("templates/thanks.txt", "Thank you.\nYour number is {{ ticket.number }}.\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("templates/thanks.txt:2:"), "{errors:?}");
    assert!(errors[0].contains("`ticket"), "names the variable: {errors:?}");
    assert!(errors[0].contains("as the reply of rule \"thanks\""), "names the use: {errors:?}");
}

#[test]
fn the_inquiry_desks_answer_may_use_the_ticket() {
    let dir = Dir::with_rules(
        "[[rule]]\nname = \"hours\"\ndesk = \"inquiry\"\nanswer = \"faq/hours\"\ndepartment = \"front-desk\"\n",
    );
    dir.write("templates/faq/hours.txt", "We open at 9. Your request is {{ ticket.tag }}.\n");
    dir.write("templates/faq/hours.it.txt", "Apriamo alle 9. La pratica è {{ ticket.tag }}.\n");
    assert_eq!(dir.errors(), Vec::<String>::new());
}

#[test]
fn a_template_used_as_a_reply_and_as_an_answer_is_checked_as_both() {
    let dir = Dir::with_rules(
        "[[rule]]\nname = \"hours\"\ndesk = \"inquiry\"\nanswer = \"hours\"\n\n\
         [[rule]]\nname = \"hours again\"\nreply = \"hours\"\n",
    );
    dir.write("templates/hours.txt", "We open at 9 ({{ ticket.tag }}).\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("as the reply of rule \"hours again\""), "{errors:?}");
}

#[test]
fn a_forward_note_may_say_what_clerk_read_but_a_reply_may_not() {
    let dir = Dir::with_rules(
        "[[rule]]\nname = \"to a person\"\nforward = { to = \"giulia@office.example\", note = \"note\" }\n\
         continue = true\n\n[[rule]]\nname = \"answer\"\nreply = \"answer\"\n",
    );
    dir.write("templates/note.txt", "{{ reading }}\n");
    dir.write("templates/answer.txt", "We read: {{ reading }}\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("templates/answer.txt:1:"), "{errors:?}");
    assert!(errors[0].contains("`reading`"), "{errors:?}");
}

#[test]
fn a_part_included_in_a_reply_is_checked_as_part_of_the_reply() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nreply = \"ack\"\n");
    dir.write("templates/ack.txt", "Hello.\n{% include \"footer\" %}\n");
    dir.write("templates/footer.txt", "--\nRequest {{ ticket.tag }}\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("templates/footer.txt:2:"), "{errors:?}");
}

#[test]
fn a_template_no_rule_names_is_checked_against_every_value() {
    let dir = Dir::with_rules(A_RULE);
    dir.write("templates/spare.txt", "{{ ticket.tag }} {{ reading }} {{ message.subject }}\n");
    assert_eq!(dir.errors(), Vec::<String>::new());
    dir.write("templates/spare.txt", "{{ message.subjcet }}\n");
    assert_eq!(dir.errors().len(), 1);
}

#[test]
fn a_subject_template_is_checked_when_the_rules_load() {
    let dir = Dir::with_rules(
        "[[rule]]\nname = \"a\"\nreply = { template = \"ack\", subject = \"Re: {{ message.subjct }}\" }\n\n\
         [[rule]]\nname = \"b\"\nreply = { template = \"ack\", subject = \"Hi\\nBcc: all@example.com\" }\n",
    );
    dir.write("templates/ack.txt", "Thanks.\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("10.rules.toml:3:39: the subject template fails on a sample message:"),
        "{errors:?}"
    );
    assert_eq!(
        errors[1],
        "10.rules.toml:7:39: a subject must be one line: this template writes a line break"
    );
}

#[test]
fn templates_keep_their_trailing_newline() {
    let (_dir, set) = set_with(&[("t", "line\n")]);
    let msg = message();
    let context = TemplateContext::new(&msg, &set.office, "r");
    assert_eq!(set.templates.render("t", &context), Ok("line\n".to_owned()));
}

/// The error of rendering `name` of `set` for a message whose text is `text`.
fn render_error(set: &RuleSet, name: &str, text: &str) -> String {
    let msg = Message { text: text.into(), ..message() };
    let context = TemplateContext::new(&msg, &set.office, "r");
    match set.templates.render(name, &context) {
        Err(error) => error.to_string(),
        Ok(text) => panic!("rendered {} bytes", text.len()),
    }
}

#[test]
fn a_template_that_runs_out_of_fuel_on_one_message_stops_with_an_error_naming_it() {
    // A few hundred steps on the sample message; millions on a long one.
    let (dir, set) = set_with(&[(
        "ack",
        "Hello\n{% for a in message.text|list %}{% for b in message.text|list %}.{% endfor %}{% endfor %}\n",
    )]);
    let error = render_error(&set, "ack", &"word ".repeat(2_000));
    let file = dir.path().join("templates/ack.txt");
    assert!(error.starts_with(&format!("{}:2: ", file.display())), "{error}");
    assert!(error.contains("ran out of fuel"), "{error}");
}

#[test]
fn a_template_that_writes_more_than_a_megabyte_stops_with_an_error_naming_it() {
    let (dir, set) = set_with(&[("quote", "You wrote:\n{{ message.text }}\n")]);
    let error = render_error(&set, "quote", &"a".repeat(1_500_000));
    let file = dir.path().join("templates/quote.txt");
    assert!(error.starts_with(&format!("{}: ", file.display())), "{error}");
    assert!(error.contains("passed 1 MB"), "{error}");
}

#[test]
fn a_subject_template_is_bounded_too() {
    let (_dir, set) = set_with(&[]);
    let msg = Message { subject: "s".repeat(1_500_000), ..message() };
    let context = TemplateContext::new(&msg, &set.office, "r");
    let error = set.templates.render_str("Re: {{ message.subject }}", &context).map_err(|e| e.to_string());
    assert!(error.as_ref().is_err_and(|e| e.contains("passed 1 MB")), "{error:?}");
}

#[test]
fn a_template_that_loops_far_past_its_fuel_refuses_the_rule_set() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nreply = \"ack\"\n");
    dir.write(
        "templates/ack.txt",
        "Dear {{ message.from_name }},\n\
         {% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}\n",
    );
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("templates/ack.txt:2:"), "{errors:?}");
    assert!(errors[0].contains("ran out of fuel"), "{errors:?}");
}

#[test]
fn a_text_multiplied_past_the_limits_refuses_the_rule_set() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nreply = \"ack\"\n");
    dir.write("templates/ack.txt", "{{ \"spam \" * 100000000 }}\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("templates/ack.txt:1:"), "{errors:?}");
    assert!(errors[0].contains("ran out of fuel"), "{errors:?}");
}

#[test]
fn a_long_text_within_the_fuel_but_past_a_megabyte_refuses_the_rule_set() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nreply = \"ack\"\n");
    dir.write("templates/ack.txt", "{% for i in range(3) %}{{ \"x\" * 400000 }}{% endfor %}\n");
    assert_eq!(
        dir.errors(),
        ["templates/ack.txt: the text passed 1 MB and was stopped (the output limit of a template): \
          look for a loop that runs too long (as the reply of rule \"r\", which is given `message`, \
          `office` and `rule`, and no ticket)"]
    );
}

#[test]
fn a_macro_that_calls_itself_forever_refuses_the_rule_set() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nreply = \"ack\"\n");
    dir.write("templates/ack.txt", "{% macro again(n) %}{{ again(n + 1) }}{% endmacro %}\n{{ again(1) }}\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("nest deeper than 100 levels"), "{errors:?}");
}

#[test]
fn a_template_that_includes_itself_refuses_the_rule_set() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nreply = \"ack\"\n");
    dir.write("templates/ack.txt", "Hi\n{% include \"ack\" %}\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("templates/ack.txt:2:"), "{errors:?}");
    assert!(errors[0].contains("nest deeper than 100 levels"), "{errors:?}");
}

#[test]
fn the_shipped_templates_need_less_than_a_hundredth_of_the_fuel_and_output() {
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut set = RuleSet::load(&shipped).expect("the shipped rules load");
    set.templates.limit_fuel(crate::rules::template::FUEL / 100);
    let msg = Message { text: "Good morning, when are you open?\n".repeat(200), ..message() };
    let context = TemplateContext::new(&msg, &set.office, "r")
        .with_ticket(crate::rules::template::sample_ticket())
        .with_reading("clerk read: inquiry".to_owned());
    let names: Vec<String> = set.templates.names().into_iter().map(str::to_owned).collect();
    assert!(!names.is_empty());
    // The letters are given their own values (see the letters' tests below).
    for name in names.iter().filter(|name| !name.starts_with("letters/")) {
        let text = set.templates.render(name, &context);
        assert!(
            text.as_ref().is_ok_and(|t| t.len() < crate::rules::template::MAX_OUTPUT / 100),
            "{name}: {text:?}"
        );
    }
}

#[test]
fn a_built_in_letter_is_written_in_the_language_asked_for() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n");
    let set = dir.load();
    let values =
        serde_json::json!({"summary": "Visit", "when": "mar 24 nov", "location": null, "signature": "A"});
    let italian =
        set.templates.letter("meeting/reminder-subject", crate::language::Language::Italian, &values);
    assert_eq!(italian.as_deref(), Ok("Promemoria: Visit, mar 24 nov"));
    let english = set.templates.letter("meeting/reminder", crate::language::Language::English, &values);
    assert_eq!(english.as_deref(), Ok("This is a reminder of \"Visit\".\n\nWhen: mar 24 nov\n\nA\n"));
}

#[test]
fn an_offices_letter_replaces_the_built_in_one() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n");
    dir.write("templates/letters/meeting/reminder-subject.it.txt", "Ricordati: {{ summary }}");
    let set = dir.load();
    let values = serde_json::json!({"summary": "Visit", "when": "x", "location": null, "signature": "A"});
    let subject =
        set.templates.letter("meeting/reminder-subject", crate::language::Language::Italian, &values);
    assert_eq!(subject.as_deref(), Ok("Ricordati: Visit"));
}

#[test]
fn an_offices_letter_using_a_value_it_is_not_given_refuses_the_rule_set() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n");
    dir.write("templates/letters/meeting/reminder.txt", "Dear {{ customer }},\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("templates/letters/meeting/reminder.txt:1:"), "{errors:?}");
}

#[test]
fn a_follow_up_greets_by_name_or_says_hello_and_lists_the_times_held() {
    let set = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n").load();
    let values = serde_json::json!({"name": null, "times": "1. Tue 10:00\n2. Wed 11:00\n", "signature": "A"});
    let english = set.templates.letter("meeting/follow-up", crate::language::Language::English, &values);
    assert_eq!(
        english.as_deref(),
        Ok("Hello,\n\nthese times to meet are held for you a little longer:\n\n1. Tue 10:00\n2. Wed 11:00\n\
            \nReply with the number of the time that suits you (for example \"2\") and I will send the invitation.\
            \n\nA\n")
    );
    let named = serde_json::json!({"name": "Anna", "times": "1. x\n", "signature": "A"});
    let italian = set.templates.letter("meeting/follow-up", crate::language::Language::Italian, &named);
    assert!(italian.as_deref().is_ok_and(|t| t.starts_with("Gentile Anna,\n\nquesti orari")), "{italian:?}");
}

#[test]
fn news_of_what_arrived_lists_the_items_and_says_whether_more_is_coming() {
    let set = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n").load();
    let values = serde_json::json!({
        "name": "Marco", "request": "REQ-2026-0007", "items": ["15 reams of paper (PAP)", "2 pens (PEN)"],
        "still_waiting": true, "signature": "A\n",
    });
    let english = set.templates.letter("supply/arrived", crate::language::Language::English, &values);
    assert_eq!(
        english.as_deref(),
        Ok(
            "Hello Marco,\n\nthe items of your request REQ-2026-0007 have arrived; they are in the supply cupboard:\
            \n\n  - 15 reams of paper (PAP)\n  - 2 pens (PEN)\n\nThe rest will come with a later delivery.\n\nA\n"
        )
    );
}

/// A rules directory whose office writes in Italian.
fn italian_office() -> Dir {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n");
    dir.write("office.toml", &super::OFFICE.replace("language = \"en\"", "language = \"it\""));
    dir
}

/// The digest the office's owners get for Tuesday 24 November 2026, 07:00 in Rome, read back (its text
/// with plain line ends).
fn digest_of(set: &RuleSet) -> Message {
    let store = crate::store::Store::open_in_memory().expect("a store");
    let slot = 1_795_500_000;
    let mail = crate::schedule::office_digest::mail(set, &store, "digest", slot - 86_400, slot);
    let mail = mail.expect("the store reads").expect("the office has an owner").expect("it is written");
    let digest = Message::parse(&mail.raw).expect("the digest parses");
    Message { text: digest.text.replace("\r\n", "\n"), ..digest }
}

#[test]
fn the_digest_is_written_in_italian_for_an_italian_office() {
    let digest = digest_of(&italian_office().load());
    assert!(
        digest.subject.starts_with("Rossi & Bianchi Studio: cosa ha fatto clerk dal "),
        "{}",
        digest.subject
    );
    assert!(digest.text.contains("\nMessaggi trattati: 0\n"), "{}", digest.text);
    assert!(digest.text.contains("\nNon riusciti: nessuno\n"), "{}", digest.text);
}

#[test]
fn an_offices_digest_letter_replaces_the_built_in_one() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n");
    dir.write("templates/letters/office/digest.txt", "{{ office }}: {{ total }} handled, {{ held }} held.\n");
    let digest = digest_of(&dir.load());
    assert_eq!(digest.text, "Rossi & Bianchi Studio: 0 handled, 0 held.\n");
}

#[test]
fn clerks_acknowledgment_promises_the_answer_time_or_an_answer_as_soon_as_possible() {
    let set = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n").load();
    let english = crate::language::Language::English;
    let values = serde_json::json!({"name": "Anna", "tag": "[#1001-9]", "due": "Thursday 3 December at 14:00", "signature": "A"});
    let promised = set.templates.letter("inquiry/acknowledgment", english, &values);
    assert!(
        promised
            .as_deref()
            .is_ok_and(|t| t.contains("A colleague will answer you by Thursday 3 December at 14:00.")),
        "{promised:?}"
    );
    let values = serde_json::json!({"name": null, "tag": "[#1001-9]", "due": null, "signature": "A"});
    let unpromised = set.templates.letter("inquiry/acknowledgment", english, &values);
    assert_eq!(
        unpromised.as_deref(),
        Ok(
            "Hello,\n\nthank you for your message. We have registered it as request [#1001-9]. A colleague will \
            answer you as soon as possible.\n\nIf you write again, keep the number in the subject so that your \
            message joins the same request.\n\nA\n"
        )
    );
}

#[test]
fn the_forward_note_in_italian_names_the_priority_in_italian_and_the_departments_to_route_to() {
    let set = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n").load();
    let values = serde_json::json!({
        "tag": "[#1001-9]", "department": "front-desk", "customer": "Anna <anna@example.com>",
        "priority": "high", "due": null, "departments": ["accounts", "front-desk"],
    });
    let note = set.templates.letter("inquiry/forward-note", crate::language::Language::Italian, &values);
    assert!(
        note.as_deref().is_ok_and(|t| t
            .starts_with("Pratica [#1001-9] per front-desk, da Anna <anna@example.com>, priorità alta.\n\n")
            && t.contains("  #route REPARTO   (uno di: accounts, front-desk)\n  #close\n")),
        "{note:?}"
    );
}

#[test]
fn an_escalation_to_the_owners_says_the_ticket_is_still_unanswered() {
    let set = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n").load();
    let values = serde_json::json!({
        "owners": true, "tag": "[#1001-9]", "number": "1001-9", "subject": "Invoice copy",
        "customer": "anna@example.com", "customer_address": "anna@example.com", "opened": "lun 23 nov 2026 09:30",
        "due": "", "department": null, "priority": "normal", "last_words": [], "assistant": "a@office.example",
        "signature": "A",
    });
    let italian = crate::language::Language::Italian;
    let subject = set.templates.letter("office/escalation-subject", italian, &values);
    assert_eq!(subject.as_deref(), Ok("Ancora senza risposta: Invoice copy [#1001-9]"));
    let english =
        set.templates.letter("office/escalation-subject", crate::language::Language::English, &values);
    assert_eq!(english.as_deref(), Ok("Still unanswered: Invoice copy [#1001-9]"));
}

#[test]
fn the_owners_note_of_a_conflict_says_why_the_time_does_not_fit_in_the_offices_language() {
    let set = italian_office().load();
    let values = serde_json::json!({
        "organizer": null, "owner": "Giulia Rossi", "title": "", "when": "mar 24 nov 2026 09:30–10:30 (Europe/Rome)",
        "unfit": {"reason": "too-soon", "notice": "1 ora", "horizon": "60 giorni"},
    });
    let note = set.templates.letter("office/meeting-conflict", crate::language::Language::Italian, &values);
    assert!(
        note.as_deref().is_ok_and(|t| t.starts_with(
            "Qualcuno ha invitato Giulia Rossi a \"(senza titolo)\", mar 24 nov 2026 09:30–10:30 (Europe/Rome), ma \
             gli appuntamenti vanno fissati con almeno 1 ora di preavviso.\n"
        )),
        "{note:?}"
    );
}

#[test]
fn a_confirmation_says_where_each_line_stands_and_asks_about_the_lines_not_understood() {
    let set = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n").load();
    let values = serde_json::json!({
        "name": "Marco", "request": "REQ-2026-0007",
        "lines": [
            {"item": "15 reams of paper (PAP)", "from_stock": 15, "waiting": 0, "expected": null, "assumed": false},
            {"item": "3 toners (TON)", "from_stock": 1, "waiting": 2, "expected": "Fri 11 December", "assumed": false},
            {"item": "1 pen (PEN)", "from_stock": 0, "waiting": 1, "expected": null, "assumed": true},
        ],
        "approver": null, "all_ready": false, "some_ready": true, "awaited": true, "earlier": [],
        "questions": [
            {"written": "10 pens", "doubt": "several", "closest": ["Blue pen (PEN-BLU)", "Red pen (PEN-RED)"],
             "item": "Blue pen", "unit": "pieces"},
            {"written": "24 bottles", "doubt": "unit", "closest": [], "item": null, "unit": null},
        ],
        "signature": "A",
    });
    let english = set.templates.letter("supply/confirmation", crate::language::Language::English, &values);
    assert_eq!(
        english.as_deref(),
        Ok("Hello Marco,\n\nyour request REQ-2026-0007 is recorded:\n\n\
            \x20 - 15 reams of paper (PAP): ready in the cupboard\n\
            \x20 - 3 toners (TON): 1 ready in the cupboard, 2 ordered, expected by Fri 11 December\n\
            \x20 - 1 pen (PEN): ordered (no quantity given: I counted 1)\n\n\
            What is ready can be collected from the supply cupboard; I will write when the rest arrives.\n\n\
            I did not understand these lines; reply to this message with them written again, with the code if you know it:\n\n\
            \x20 - \"10 pens\": which one: Blue pen (PEN-BLU) or Red pen (PEN-RED)?\n\
            \x20 - \"24 bottles\": in which unit?\n\nA")
    );
}

#[test]
fn a_confirmation_of_a_request_over_the_limit_says_who_must_approve_it() {
    let set = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n").load();
    let values = serde_json::json!({
        "name": null, "request": "REQ-2026-0007",
        "lines": [{"item": "2 toner (TON)", "from_stock": 0, "waiting": 2, "expected": null, "assumed": false}],
        "approver": "Giulia Rossi", "all_ready": false, "questions": [], "signature": "A",
    });
    let italian = set.templates.letter("supply/confirmation", crate::language::Language::Italian, &values);
    assert_eq!(
        italian.as_deref(),
        Ok("Buongiorno,\n\nho registrato la tua richiesta REQ-2026-0007:\n\n\
            \x20 - 2 toner (TON): in attesa di approvazione\n\n\
            Supera il limite di spesa, quindi aspetta l'approvazione di Giulia Rossi: ti scrivo appena arriva.\n\nA")
    );
}

#[test]
fn a_rejected_request_is_told_the_managers_reason() {
    let set = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n").load();
    let values = serde_json::json!({
        "name": "Marco", "request": "REQ-2026-0007", "approved": false,
        "reason": "we have two in the archive", "lines": [], "signature": "A",
    });
    let english = set.templates.letter("supply/decided", crate::language::Language::English, &values);
    assert_eq!(
        english.as_deref(),
        Ok(
            "Hello Marco,\n\nyour request REQ-2026-0007 was not approved.\nReason: we have two in the archive\n\nA"
        )
    );
}

/// The values of an order's table: two lines and the totals.
fn order_table() -> serde_json::Value {
    serde_json::json!({
        "lines": [
            {"vendor_sku": "CC-80500", "description": "Carta A4", "quantity": 35, "unit": "risme",
             "unit_price": "EUR 4,20", "total": "EUR 147,00"},
            {"vendor_sku": "BP-50", "description": "Penna blu <fine>", "quantity": 100, "unit": "pezzi",
             "unit_price": "EUR 0,35", "total": "EUR 35,00"},
        ],
        "subtotal": "EUR 182,00", "vat_rate": "22", "vat": "EUR 40,04", "total": "EUR 222,04",
    })
}

#[test]
fn the_table_of_an_orders_lines_fits_its_columns_to_the_widest_cell_with_the_totals_on_the_right() {
    let set = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n").load();
    let table =
        set.templates.letter("supply/order-lines", crate::language::Language::Italian, &order_table());
    // Each total ends where the table's lines end.
    let total = |line: &str| format!("{line:>66}\n");
    let expected = format!(
        "Codice    Descrizione       Q.tà  Unità  Prezzo unit.  Totale riga\n\
         --------  ----------------  ----  -----  ------------  -----------\n\
         CC-80500  Carta A4            35  risme      EUR 4,20   EUR 147,00\n\
         BP-50     Penna blu <fine>   100  pezzi      EUR 0,35    EUR 35,00\n{}{}{}\n",
        total("Imponibile  EUR 182,00"),
        total("IVA 22%  EUR 40,04"),
        total("Totale  EUR 222,04")
    );
    assert_eq!(table, Ok(expected));
}

#[test]
fn the_html_table_of_an_orders_lines_escapes_each_value_once() {
    let set = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n").load();
    let html =
        set.templates.letter("supply/order-lines-html", crate::language::Language::English, &order_table());
    let html = html.unwrap_or_default();
    assert!(
        html.starts_with("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">\n<tr><th>Vendor SKU</th>"),
        "{html}"
    );
    assert!(
        html.contains("<td>Penna blu &lt;fine&gt;</td><td align=\"right\">100</td>"),
        "escaped as clerk escapes HTML, once: {html}"
    );
    assert!(
        html.ends_with("<b>Total</b></td><td align=\"right\"><b>EUR 222,04</b></td></tr>\n</table>\n"),
        "{html}"
    );
}

#[test]
fn an_offices_italian_purchase_order_replaces_the_built_in_one_and_leaves_the_english_one() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n");
    dir.write(
        "templates/letters/supply/purchase-order.it.txt",
        "Spettabile {{ vendor }},\nordine {{ number }}:\n\n{{ table }}Grazie.\n",
    );
    let set = dir.load();
    let values = serde_json::json!({
        "vendor": "Cartoleria", "number": "PO-2026-0042", "customer_number": null,
        "order_date": "7 December 2026", "delivery": "9 December 2026", "ship_to": ["Via Roma 1"],
        "bill_to": ["Via Roma 1"], "table": "(table)\n\n", "assistant": "A", "office": "O",
    });
    let italian = set.templates.letter("supply/purchase-order", crate::language::Language::Italian, &values);
    assert_eq!(
        italian.as_deref(),
        Ok("Spettabile Cartoleria,\nordine PO-2026-0042:\n\n(table)\n\nGrazie.\n")
    );
    let english = set.templates.letter("supply/purchase-order", crate::language::Language::English, &values);
    assert!(
        english.as_deref().is_ok_and(|t| t.starts_with("Dear Cartoleria,\n\nplease supply the following")
            && t.contains("Customer number:     -\n")),
        "{english:?}"
    );
}

#[test]
fn only_a_template_named_html_escapes_what_it_writes() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"Archive\"\n");
    dir.write("templates/letters/office/digest-html.txt", "<p>{{ office }}</p>");
    dir.write("templates/letters/office/digest-html.it.txt", "<p>{{ office }}</p>");
    dir.write("templates/letters/office/digest.txt", "{{ office }}");
    let set = dir.load();
    let values = serde_json::json!({"office": "Rossi & <Bianchi> \"Srl\" l'ufficio"});
    let render = |name: &str, language| set.templates.letter(name, language, &values).unwrap_or_default();
    let escaped = "<p>Rossi &amp; &lt;Bianchi&gt; &quot;Srl&quot; l'ufficio</p>";
    assert_eq!(render("office/digest-html", crate::language::Language::English), escaped);
    assert_eq!(render("office/digest-html", crate::language::Language::Italian), escaped);
    let text = render("office/digest", crate::language::Language::English);
    assert_eq!(text, "Rossi & <Bianchi> \"Srl\" l'ufficio");
}

#[test]
fn an_approval_request_says_why_in_the_offices_language() {
    let set = italian_office().load();
    let values = serde_json::json!({
        "request": "REQ-2026-0007", "requester": "marco@office.example", "requester_name": null,
        "lines": [{"item": "12 toner", "cost": "EUR 960,00"}], "total": "EUR 960,00",
        "why": {"limit": null, "quantity": 12, "item": "Toner HP 26A", "most": 4},
    });
    let italian = set.templates.letter("supply/approve-request", crate::language::Language::Italian, &values);
    assert!(
        italian.as_deref().is_ok_and(|t| t.contains(
            "Totale: EUR 960,00 (IVA esclusa). 12 di Toner HP 26A sono più dei 4 che una richiesta può chiedere."
        )),
        "{italian:?}"
    );
    let english = set.templates.letter("supply/approve-request", crate::language::Language::English, &values);
    assert!(
        english
            .as_deref()
            .is_ok_and(|t| t.contains("12 of Toner HP 26A is more than the 4 one request may take.")),
        "{english:?}"
    );
}

#[test]
fn the_digests_cupboard_lines_are_written_in_the_offices_language() {
    let set = italian_office().load();
    let values = serde_json::json!({
        "low": [{"sku": "PAP-A4", "name": "Carta A4", "available": 8, "reorder_point": 10, "on_order": 35, "drafted": 0}],
        "waiting_delivery": 1, "waiting_approval": 0,
        "orders": [{"number": "PO-2026-0001", "vendor": "Cartoleria", "state": "sent", "waiting_approval": false,
                    "expected": "mer 9 dic", "total": "EUR 147,00"}],
        "spent": [],
    });
    let lines = set.templates.letter("office/digest-supply", crate::language::Language::Italian, &values);
    assert_eq!(
        lines.as_deref(),
        Ok(
            "Scorte basse: 1 articolo\n  PAP-A4 Carta A4: 8 disponibili (punto di riordino 10), 35 in ordine, 0 in bozza\n\
            Richieste in attesa: 1 di una consegna, 0 dell'approvazione del responsabile\n\
            Ordini d'acquisto aperti: 1\n  PO-2026-0001 a Cartoleria: sent, previsto mer 9 dic, EUR 147,00\n\
            Speso questo mese (ordini inviati ed eventi, IVA esclusa): nulla\n"
        )
    );
}

#[test]
fn an_agenda_line_of_the_digest_marks_a_tentative_meeting_in_the_offices_language() {
    let set = italian_office().load();
    let values = serde_json::json!({"start": "15:00", "end": "16:00", "summary": "Sopralluogo", "status": "tentative", "free": false});
    let italian = set.templates.letter("office/digest-event", crate::language::Language::Italian, &values);
    assert_eq!(italian.as_deref(), Ok("15:00–16:00  Sopralluogo  [provvisorio]"));
    let english = set.templates.letter("office/digest-event", crate::language::Language::English, &values);
    assert_eq!(english.as_deref(), Ok("15:00–16:00  Sopralluogo  [tentative]"));
}

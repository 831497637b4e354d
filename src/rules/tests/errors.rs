//! Every class of error, each at its exact line and column.

use super::{Dir, OFFICE, errors};

#[test]
fn misspelt_rule_key_suggests_the_close_one() {
    let found = errors("[[rule]]\nname = \"r\"\nwhne.from = \"a@x.example\"\ndesk = \"inquiry\"\n");
    assert_eq!(found, ["10.rules.toml:3:1: unknown key `whne`, did you mean `when`?"]);
}

#[test]
fn misspelt_condition_field_suggests_the_close_one() {
    let found = errors("[[rule]]\nname = \"r\"\nwhen.sbject = \"toner\"\ndesk = \"supply\"\n");
    assert_eq!(found, ["10.rules.toml:3:6: unknown key `when.sbject`, did you mean `when.subject`?"]);
}

#[test]
fn misspelt_action_suggests_the_close_one() {
    let found = errors("[[rule]]\nname = \"r\"\nforwad = \"a@x.example\"\nmove = \"X\"\n");
    assert_eq!(found, ["10.rules.toml:3:1: unknown key `forwad`, did you mean `forward`?"]);
}

#[test]
fn misspelt_value_form_suggests_the_close_one() {
    let found = errors("[[rule]]\nname = \"r\"\nwhen.subject = { anyy = [\"a\"] }\ndesk = \"supply\"\n");
    assert_eq!(
        found,
        ["10.rules.toml:3:18: unknown key `when.subject.anyy`, did you mean `when.subject.any`?"]
    );
}

#[test]
fn wrong_type_says_what_was_expected() {
    let found = errors("[[rule]]\nname = \"r\"\nwhen.from = 12\ndesk = \"supply\"\n");
    assert_eq!(
        found,
        ["10.rules.toml:3:13: expected a string or a list of strings for `when.from`, found an integer"]
    );
}

#[test]
fn a_table_where_a_value_belongs_is_a_type_error() {
    let found = errors("[[rule]]\nname = \"r\"\nwhen.from = { address = \"a@x\" }\ndesk = \"supply\"\n");
    assert_eq!(
        found,
        ["10.rules.toml:3:13: expected a string or a list of strings for `when.from`, found a table"]
    );
}

#[test]
fn two_forms_in_one_table_are_refused() {
    let found =
        errors("[[rule]]\nname = \"r\"\nwhen.subject = { any = [\"a\"], not = \"b\" }\ndesk = \"supply\"\n");
    assert_eq!(
        found,
        [
            "10.rules.toml:3:16: `when.subject` has `any` and `not`: use one per table, and nest tables to combine them"
        ]
    );
}

#[test]
fn duplicate_rule_names_are_reported_at_the_second() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n");
    dir.write("20.rules.toml", "\n[[rule]]\nname = \"r\"\ndesk = \"supply\"\n");
    let first = dir.path().join("10.rules.toml");
    assert_eq!(
        dir.errors(),
        [format!("20.rules.toml:3:8: duplicate rule name `r` (first used at {}:1)", first.display())]
    );
}

#[test]
fn missing_template_is_reported_at_the_reference() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nreply = \"ack\"\n");
    dir.write("templates/acks.txt", "hi\n");
    let file = dir.path().join("templates/ack.txt");
    assert_eq!(
        dir.errors(),
        [format!(
            "10.rules.toml:3:9: template `ack` not found (no file {}), did you mean `acks`?",
            file.display()
        )]
    );
}

#[test]
fn template_names_cannot_leave_the_templates_folder() {
    let found = errors("[[rule]]\nname = \"r\"\nreply = \"../office\"\n");
    assert_eq!(
        found,
        [
            "10.rules.toml:3:9: bad template name `../office`: a template name must stay inside templates/: no `..`, `.` or empty parts"
        ]
    );
    let found = errors("[[rule]]\nname = \"r\"\nreply = \"/etc/passwd\"\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("10.rules.toml:3:9: bad template name `/etc/passwd`"), "{found:?}");
}

#[test]
fn template_syntax_error_is_reported_at_its_own_line() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\nreply = \"ack\"\n");
    dir.write("templates/ack.txt", "Dear {{ message.from_name }},\n\nthanks {% if %}\n");
    assert_eq!(dir.errors(), ["templates/ack.txt:3:14: syntax error: unexpected end of block"]);
}

#[test]
fn bad_subject_template_is_reported_at_the_subject() {
    let dir =
        Dir::with_rules("[[rule]]\nname = \"r\"\nreply = { template = \"ack\", subject = \"Re: {{ x \" }\n");
    dir.write("templates/ack.txt", "hi\n");
    let found = dir.errors();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("10.rules.toml:3:39: bad subject template: syntax error"), "{found:?}");
}

#[test]
fn bad_regex_is_reported_at_the_regex() {
    let found = errors("[[rule]]\nname = \"r\"\nwhen.subject = { regex = \"a(b\" }\ndesk = \"inquiry\"\n");
    assert_eq!(found, ["10.rules.toml:3:26: invalid regex `a(b`: unclosed group"]);
}

#[test]
fn a_calendar_office_toml_does_not_keep_is_reported() {
    let found = errors("[[rule]]\nname = \"r\"\ndesk = \"meeting\"\ncalendar = \"office\"\n");
    assert_eq!(found, ["10.rules.toml:4:12: unknown calendar `office`"]);
}

#[test]
fn the_meeting_desk_without_any_calendar_is_refused_at_load() {
    let found = errors("[[rule]]\nname = \"r\"\ndesk = \"meeting\"\n");
    assert_eq!(
        found,
        ["10.rules.toml:3:8: the meeting desk books into a calendar: add a [[calendar]] to office.toml"]
    );
}

#[test]
fn on_conflict_names_its_choices() {
    let found = errors("[[rule]]\nname = \"r\"\ndesk = \"meeting\"\non_conflict = \"maybe\"\n");
    assert_eq!(
        found,
        ["10.rules.toml:4:15: unknown on_conflict choice `maybe` (one of: decline, tentative)"]
    );
}

#[test]
fn unknown_department_suggests_the_close_one() {
    let found = errors("[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\ndepartment = \"acounts\"\n");
    assert_eq!(found, ["10.rules.toml:4:14: unknown department `acounts`, did you mean `accounts`?"]);
}

#[test]
fn unknown_desk_suggests_the_close_one_or_lists_them() {
    let found = errors("[[rule]]\nname = \"r\"\ndesk = \"suply\"\n");
    assert_eq!(found, ["10.rules.toml:3:8: unknown desk `suply`, did you mean `supply`?"]);
    let found = errors("[[rule]]\nname = \"r\"\ndesk = \"zzz\"\n");
    assert_eq!(found, ["10.rules.toml:3:8: unknown desk `zzz` (one of: inquiry, meeting, supply, event)"]);
}

#[test]
fn a_rule_that_does_nothing_is_refused() {
    let found = errors("[[rule]]\nname = \"idle\"\nwhen.from = \"*@x.example\"\n");
    assert_eq!(
        found,
        [
            "10.rules.toml:1:1: rule `idle` does nothing: give it a `desk`, `reply`, `forward`, `move` or `flag`"
        ]
    );
}

#[test]
fn desk_options_need_a_desk() {
    let found = errors("[[rule]]\nname = \"r\"\nmove = \"X\"\npriority = \"high\"\n");
    assert_eq!(found, ["10.rules.toml:4:12: `priority` is an option of a desk, but this rule has no `desk`"]);
}

#[test]
fn a_rule_needs_a_name() {
    let found = errors("\n[[rule]]\ndesk = \"inquiry\"\n");
    assert_eq!(found, ["10.rules.toml:2:1: missing `name`"]);
}

#[test]
fn toml_syntax_errors_have_line_and_column() {
    let found = errors("[[rule]]\nname = \"r\"\ndesk = inquiry\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("10.rules.toml:3:8: TOML syntax error"), "{found:?}");
}

#[test]
fn forward_addresses_must_be_bare_mailboxes() {
    let found = errors("[[rule]]\nname = \"r\"\nforward = [\"ok@x.example\", \"Anna <a@x.example>\"]\n");
    assert_eq!(
        found,
        [
            "10.rules.toml:3:28: `Anna <a@x.example>` is not a mail address: write the bare address, without name, angle brackets or quotes"
        ]
    );
}

#[test]
fn folder_names_cannot_hold_wildcards_or_line_breaks() {
    let found = errors("[[rule]]\nname = \"r\"\nmove = \"Inbox/*\"\n");
    assert_eq!(found, ["10.rules.toml:3:8: folder name `Inbox/*` cannot contain `*` or `%`"]);
    let found = errors("[[rule]]\nname = \"r\"\nmove = \"A\\r\\nB\"\n");
    assert_eq!(
        found,
        ["10.rules.toml:3:8: folder name `A\\r\\nB` cannot contain line breaks or control characters"]
    );
}

#[test]
fn address_pattern_without_at_sign_or_wildcard_is_refused() {
    let found = errors("[[rule]]\nname = \"r\"\nwhen.from = \"Giulia Rossi\"\ndesk = \"inquiry\"\n");
    assert_eq!(
        found,
        [
            "10.rules.toml:3:13: `Giulia Rossi` can never match an address: write `name@domain`, or a pattern like `*@domain`"
        ]
    );
}

#[test]
fn unclosed_glob_class_and_empty_phrase_are_refused() {
    let found = errors(
        "[[rule]]\nname = \"r\"\nwhen.from = \"[ab@x.example\"\nwhen.subject = \"?!\"\ndesk = \"inquiry\"\n",
    );
    assert_eq!(
        found,
        [
            "10.rules.toml:3:13: unclosed `[` in pattern `[ab@x.example`",
            "10.rules.toml:4:16: `?!` has no letters or digits to match; use { regex = \"…\" } to match punctuation",
        ]
    );
}

#[test]
fn all_errors_of_a_file_are_reported_at_once() {
    let found = errors(
        r#"[[rule]]
name = "one"
whne.from = "a@x.example"
desk = "suply"

[[rule]]
name = "two"
when.subject = { regex = "(" }
forwad = "a@x.example"
"#,
    );
    assert_eq!(
        found,
        [
            "10.rules.toml:3:1: unknown key `whne`, did you mean `when`?",
            "10.rules.toml:4:8: unknown desk `suply`, did you mean `supply`?",
            "10.rules.toml:6:1: rule `two` does nothing: give it a `desk`, `reply`, `forward`, `move` or `flag`",
            "10.rules.toml:8:26: invalid regex `(`: unclosed group",
            "10.rules.toml:9:1: unknown key `forwad`, did you mean `forward`?",
        ]
    );
}

#[test]
fn errors_of_every_file_are_reported_together() {
    let dir = Dir::new();
    dir.write("office.toml", &OFFICE.replace("Europe/Rome", "Europe/Roma"));
    dir.write("10.rules.toml", "[[rule]]\nname = \"a\"\ndesk = \"x\"\n");
    dir.write("20.rules.toml", "[[rule]]\nname = \"b\"\nmove = \"\"\n");
    assert_eq!(
        dir.errors(),
        [
            "office.toml:4:12: unknown time zone `Europe/Roma`, did you mean `Europe/Rome`?",
            "10.rules.toml:3:8: unknown desk `x` (one of: inquiry, meeting, supply, event)",
            "20.rules.toml:3:8: folder name `` cannot be empty",
        ]
    );
}

#[test]
fn unknown_office_sections_are_reported_with_suggestions() {
    let dir = Dir::new();
    dir.write(
        "office.toml",
        &format!("{OFFICE}\n[calendars]\noffice = \"x\"\n\n[departmens]\nsales = \"s@x.example\"\n"),
    );
    dir.write("10.rules.toml", "[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n");
    assert_eq!(
        dir.errors(),
        [
            "office.toml:24:2: unknown key `calendars`, did you mean `calendar`?",
            "office.toml:27:2: unknown key `departmens`, did you mean `departments`?",
        ]
    );
}

#[test]
fn office_needs_its_sections_and_an_owner() {
    let dir = Dir::new();
    dir.write("office.toml", "[office]\nname = \"X\"\ntimezone = \"UTC\"\n");
    assert_eq!(
        dir.errors(),
        [
            "office.toml:1:1: missing `[assistant]`",
            "office.toml:1:1: missing `[[owner]]`: name at least one person the assistant works for",
        ]
    );
}

#[test]
fn office_addresses_and_periods_are_checked() {
    let dir = Dir::new();
    let office =
        OFFICE.replace("\"info@office.example\"", "\"info\"").replace("limit = \"1d\"", "limit = \"1 day\"");
    dir.write("office.toml", &office);
    assert_eq!(
        dir.errors(),
        [
            "office.toml:16:14: `info` is not a mail address: it has no `@`",
            "office.toml:20:9: `1 day` is not a period: write a number and a unit (ms, s, m, h, d, w), like \"90s\", \"1d\" or \"1d12h\"",
        ]
    );
}

#[test]
fn a_missing_office_file_is_an_error() {
    let dir = Dir::new();
    dir.write("10.rules.toml", "[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n");
    let found = dir.errors();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("office.toml: cannot read:"), "{found:?}");
}

#[test]
fn test_eml_must_exist_and_expected_rule_must_be_defined() {
    let found = errors(
        r#"[[rule]]
name = "toner"
desk = "supply"

[[test]]
eml = "missing.eml"
expect = { rule = "toner" }

[[test]]
message = "Subject: hi\n\nhi\n"
expect = { rule = "tonner", desk = "suply" }
"#,
    );
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].starts_with("10.rules.toml:6:7: no such file: "), "{found:?}");
    assert_eq!(
        found[1],
        "10.rules.toml:11:19: the test expects rule `tonner`, but there is no such rule, did you mean `toner`?"
    );
    assert_eq!(found[2], "10.rules.toml:11:36: unknown desk `suply`, did you mean `supply`?");
}

/// The first error of a rule file made of one rule with `line` between its name and its action.
fn error_of(line: &str) -> String {
    let found = errors(&format!("[[rule]]\nname = \"r\"\n{line}\ndesk = \"inquiry\"\n"));
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

#[test]
fn an_empty_when_is_refused() {
    assert_eq!(
        error_of("when = {}"),
        "10.rules.toml:3:8: `when` is empty: give it conditions, or leave it out to match every message"
    );
}

#[test]
fn when_any_needs_a_list_of_tables() {
    assert_eq!(
        error_of("when.any = { from = \"a@x.example\" }"),
        "10.rules.toml:3:12: expected a list of tables like [ { from = \"…\" }, { subject = \"…\" } ] for `when.any`, found a table"
    );
}

#[test]
fn regex_is_refused_where_it_means_nothing() {
    assert_eq!(
        error_of("when.size = { regex = \"5\" }"),
        "10.rules.toml:3:23: `regex` is not available for `when.size`"
    );
}

#[test]
fn header_names_are_checked() {
    assert_eq!(
        error_of("when.header.\"X Foo\" = true"),
        "10.rules.toml:3:13: `X Foo` is not a header name (printable ASCII without spaces or `:`)"
    );
}

#[test]
fn calendar_methods_sizes_and_attachment_tables_are_checked() {
    assert_eq!(
        error_of("when.calendar = \"REQUEST!\""),
        "10.rules.toml:3:17: `REQUEST!` is not a calendar method (REQUEST, REPLY, CANCEL, PUBLISH, COUNTER, ...)"
    );
    assert_eq!(
        error_of("when.size = { over = \"5 parsecs\" }"),
        "10.rules.toml:3:22: `5 parsecs` is not a size: write a number and a unit, like \"500kB\", \"25MB\" or \"1GB\""
    );
    assert_eq!(
        error_of("when.attachment = {}"),
        "10.rules.toml:3:19: `when.attachment` needs `type`, `name` or both"
    );
    assert_eq!(
        error_of("when.automatic = \"yes\""),
        "10.rules.toml:3:18: expected true or false for `when.automatic`, found a string"
    );
}

#[test]
fn a_star_inside_a_word_pattern_is_refused() {
    assert_eq!(
        error_of("when.subject = \"order*s\""),
        "10.rules.toml:3:16: `*` is allowed only at the end of a word pattern, in `order*s`"
    );
}

#[test]
fn priority_and_continue_values_are_checked() {
    assert_eq!(
        error_of("priority = \"asap\""),
        "10.rules.toml:3:12: unknown priority `asap` (one of: low, normal, high, urgent)"
    );
    assert_eq!(
        error_of("continue = \"yes\""),
        "10.rules.toml:3:12: expected true or false for `continue`, found a string"
    );
}

#[test]
fn reply_and_forward_tables_are_checked() {
    let found = errors("[[rule]]\nname = \"r\"\nreply = { subject = \"x\" }\n");
    assert_eq!(found, ["10.rules.toml:3:9: missing `reply.template`"]);
    let found = errors("[[rule]]\nname = \"r\"\nreply = { template = \"ack.txt\" }\n");
    assert_eq!(
        found,
        ["10.rules.toml:3:22: bad template name `ack.txt`: write the template name without `.txt`"]
    );
    let found = errors("[[rule]]\nname = \"r\"\nforward = { to = \"a@x.example\", mode = \"quoted\" }\n");
    assert_eq!(found, ["10.rules.toml:3:40: unknown forward mode `quoted` (one of: attached, inline)"]);
}

#[test]
fn flags_must_be_imap_atoms() {
    let found = errors("[[rule]]\nname = \"r\"\nflag = \"my flag\"\n");
    assert_eq!(
        found,
        [
            "10.rules.toml:3:8: `my flag` is not a flag: use seen, flagged, answered, or a keyword of printable ASCII without spaces or any of ( ) { % * \" \\ ]"
        ]
    );
}

#[test]
fn rule_names_cannot_be_empty() {
    let found = errors("[[rule]]\nname = \"\"\ndesk = \"inquiry\"\n");
    assert_eq!(found, ["10.rules.toml:2:8: a rule name cannot be empty"]);
}

#[test]
fn misspelt_or_single_rule_tables_are_reported() {
    let found = errors("[[rules]]\nname = \"r\"\ndesk = \"inquiry\"\n");
    assert_eq!(found, ["10.rules.toml:1:3: unknown key `rules`, did you mean `rule`?"]);
    let found = errors("[rule]\nname = \"r\"\ndesk = \"inquiry\"\n");
    assert_eq!(
        found,
        ["10.rules.toml:1:1: expected a list of tables (written [[rule]]) for `rule`, found a table"]
    );
}

#[test]
fn a_test_must_check_the_rule_or_the_desk() {
    let found = errors(
        "[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n[[test]]\nmessage = \"b\"\nexpect = { reply_subject = \"x\" }\n",
    );
    assert_eq!(found, ["10.rules.toml:6:10: `expect` needs `rule`, `desk` or both"]);
}

#[test]
fn every_bad_item_of_a_list_is_reported() {
    assert_eq!(
        errors(
            "[[rule]]\nname = \"r\"\nwhen.subject = { any = [\"?!\", \"ok\", \"a*b\"] }\ndesk = \"inquiry\"\n"
        ),
        [
            "10.rules.toml:3:25: `?!` has no letters or digits to match; use { regex = \"…\" } to match punctuation",
            "10.rules.toml:3:37: `*` is allowed only at the end of a word pattern, in `a*b`",
        ]
    );
}

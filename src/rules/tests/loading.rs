//! What is read from a rules directory, in which order, and what is only warned about.

use std::time::Duration;

use super::{A_RULE, Dir, OFFICE, errors, load, subject};

#[test]
fn rule_files_are_read_in_file_name_order() {
    let dir = Dir::new();
    dir.write("office.toml", OFFICE);
    dir.write("20-late.rules.toml", "[[rule]]\nname = \"late\"\ndesk = \"inquiry\"\n");
    dir.write(
        "10-early.rules.toml",
        "[[rule]]\nname = \"early b\"\nmove = \"B\"\n\n[[rule]]\nname = \"early a\"\nmove = \"A\"\n",
    );
    let set = dir.load();
    let names: Vec<_> = set.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["early b", "early a", "late"]);
    assert_eq!(set.rules[1].line, 5);
    assert!(set.rules[2].file.ends_with("20-late.rules.toml"));
    assert_eq!(set.classify(&subject("x")).deciding().map(|r| r.name.as_str()), Some("early b"));
}

#[test]
fn misnamed_rule_files_are_warned_about_and_other_files_ignored() {
    let dir = Dir::with_rules("[[rule]]\nname = \"r\"\ndesk = \"inquiry\"\n");
    dir.write("staff.rule.toml", "[[rule]]\nname = \"never read\"\n");
    dir.write("rules.toml", "not even toml [");
    dir.write("Office.toml", "");
    dir.write("inventory.toml", "whatever = 1");
    dir.write("README.md", "notes");
    dir.write("template/ack.txt", "hi");
    dir.write("temp/scratch.txt", "hi");
    let set = dir.load();
    assert_eq!(set.rules.len(), 1);
    let warnings: Vec<_> = set.warnings.iter().map(|w| dir.relative(w)).collect();
    assert_eq!(
        warnings,
        [
            "Office.toml: this file is not read: the office is described in `office.toml`, in lower case",
            "rules.toml: this file is not read: rule files are named `*.rules.toml`",
            "staff.rule.toml: this file is not read: rule files are named `*.rules.toml`",
            "template: this folder is not read: templates go in `templates/`",
        ]
    );
}

#[test]
fn a_directory_without_rule_files_is_refused() {
    let dir = Dir::new();
    dir.write("office.toml", OFFICE);
    assert_eq!(
        dir.errors(),
        [": no rule files (*.rules.toml): every message would be recorded as handled with nothing done. \
          Add a rule, or write `[rules] allow_empty = true` in office.toml if the office means to run \
          without rules"]
    );
}

#[test]
fn rule_files_without_a_rule_are_refused() {
    let dir = Dir::new();
    dir.write("office.toml", OFFICE);
    dir.write("10.rules.toml", "# the rules will come\n");
    dir.write("20.rules.toml", "[[schedule]]\nname = \"digest\"\ncron = \"0 7 * * *\"\njob = \"digest\"\n");
    let errors = dir.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with(": no [[rule]] in its rule files: "), "{errors:?}");
}

#[test]
fn an_office_that_allows_no_rules_loads_without_any() {
    let dir = Dir::new();
    dir.write("office.toml", &format!("{OFFICE}\n[rules]\nallow_empty = true\n"));
    let set = dir.load();
    assert!(set.rules.is_empty());
    assert!(set.warnings.is_empty(), "{:?}", set.warnings);
    assert!(set.classify(&subject("x")).deciding().is_none());
}

#[test]
fn allow_empty_is_a_yes_or_no_and_the_rules_table_takes_nothing_else() {
    let dir = Dir::new();
    dir.write("10.rules.toml", A_RULE);
    dir.write("office.toml", &format!("{OFFICE}\n[rules]\nallow_empty = \"yes\"\nallow_emty = true\n"));
    let errors = dir.errors();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("allow_empty"), "{errors:?}");
    assert!(errors[1].contains("allow_emty"), "{errors:?}");
}

#[test]
fn office_toml_is_read_with_its_reply_policy() {
    let set = Dir::with_rules("[[rule]]\nname = \"r\"\nmove = \"X\"\n").load();
    let office = &set.office;
    assert_eq!(office.name, "Rossi & Bianchi Studio");
    assert_eq!(office.timezone, chrono_tz::Europe::Rome);
    assert_eq!(office.assistant.address, "assistant@office.example");
    assert_eq!(office.owners[0].name, "Giulia Rossi");
    assert_eq!(office.departments["front-desk"].address, "info@office.example");
    assert_eq!(office.replies.limit, Duration::from_secs(86_400));
    assert!(office.replies.require_assistant_recipient);
    let own: Vec<_> = office.own_addresses().collect();
    assert_eq!(
        own,
        [
            "assistant@office.example",
            "giulia@office.example",
            "accounts@office.example",
            "info@office.example",
            "billing@office.example",
        ]
    );
    assert!(office.is_own("Billing@Office.example"));
    assert!(!office.is_own("anna@client.example"));
}

#[test]
fn office_defaults_fill_what_is_left_out() {
    let dir = Dir::new();
    dir.write(
        "office.toml",
        "[office]\nname = \"Studio\"\ntimezone = \"UTC\"\n[assistant]\naddress = \"a@s.example\"\n\
         [[owner]]\nname = \"O\"\naddress = \"o@s.example\"\n",
    );
    dir.write("10.rules.toml", A_RULE);
    let office = dir.load().office;
    assert_eq!(office.language, "en");
    assert_eq!(office.assistant.name, "Studio");
    assert!(office.departments.is_empty());
    assert_eq!(office.replies.limit, crate::office::DEFAULT_REPLY_LIMIT);
    assert!(office.replies.require_assistant_recipient);
    assert!(office.replies.also_own.is_empty());
}

#[test]
fn a_rule_set_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<crate::rules::RuleSet>();
}

fn shadow_warnings(rules: &str) -> Vec<String> {
    let dir = Dir::with_rules(rules);
    let set = dir.load();
    set.warnings.iter().map(|w| dir.relative(w)).filter(|w| w.contains("can never match")).collect()
}

#[test]
fn a_rule_after_a_catch_all_is_warned_about_with_both_places() {
    let warnings = shadow_warnings(
        "[[rule]]\nname = \"everything\"\nmove = \"All\"\n\n[[rule]]\nname = \"invoices\"\nwhen.subject = \"invoice\"\nmove = \"Invoices\"\n",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains(":5:1: rule \"invoices\" can never match"), "{warnings:?}");
    assert!(warnings[0].contains("the earlier rule \"everything\" ("), "{warnings:?}");
    assert!(warnings[0].contains(".rules.toml:1)"), "{warnings:?}");
}

#[test]
fn a_rule_that_only_narrows_an_earlier_one_is_warned_about() {
    let warnings = shadow_warnings(
        "[[rule]]\nname = \"invoices\"\nwhen.subject = \"invoice\"\nmove = \"Invoices\"\n\n\
         [[rule]]\nname = \"invoices with pdf\"\nwhen.subject = \"invoice\"\nwhen.attachment = true\nmove = \"Pdf\"\n",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("\"invoices with pdf\" can never match"), "{warnings:?}");
}

#[test]
fn a_narrow_rule_before_a_broad_one_is_fine() {
    let warnings = shadow_warnings(
        "[[rule]]\nname = \"invoices with pdf\"\nwhen.subject = \"invoice\"\nwhen.attachment = true\nmove = \"Pdf\"\n\n\
         [[rule]]\nname = \"invoices\"\nwhen.subject = \"invoice\"\nmove = \"Invoices\"\n\n\
         [[rule]]\nname = \"rest\"\nmove = \"Rest\"\n",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn a_rule_that_continues_shadows_nothing() {
    let warnings = shadow_warnings(
        "[[rule]]\nname = \"flag all\"\nflag = \"flagged\"\ncontinue = true\n\n\
         [[rule]]\nname = \"invoices\"\nwhen.subject = \"invoice\"\nmove = \"Invoices\"\n",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn a_rule_covered_by_one_alternative_of_an_earlier_any_is_warned_about() {
    let warnings = shadow_warnings(
        "[[rule]]\nname = \"money\"\nwhen.any = [{ subject = \"invoice\" }, { subject = \"payment\" }]\nmove = \"Money\"\n\n\
         [[rule]]\nname = \"payments\"\nwhen.subject = \"payment\"\nmove = \"Payments\"\n",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[test]
fn rules_nested_deep_on_both_sides_are_compared_within_a_bound_and_the_rest_said_so() {
    // `any` and `all` alternating 24 deep in two rules: comparing them part by part would take longer
    // than the universe has left.
    let nested = |leaf: &str, outer: &str, inner: &str| {
        (0..24).fold(format!("{{ subject = \"{leaf}\" }}"), |condition, depth| {
            let group = if depth % 2 == 0 { outer } else { inner };
            format!("{{ {group} = [{condition}, {{ subject = \"x{depth}\" }}] }}")
        })
    };
    let rules = format!(
        "[[rule]]\nname = \"first\"\nwhen.any = [{}]\nmove = \"A\"\n\n\
         [[rule]]\nname = \"second\"\nwhen.any = [{}]\nmove = \"B\"\n",
        nested("a", "any", "all"),
        nested("b", "all", "any")
    );
    let dir = Dir::with_rules(&rules);
    let set = dir.load();
    let warnings: Vec<String> = set.warnings.iter().map(|w| dir.relative(w)).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("rules from \"second\" on are not checked for rules that can never match")),
        "{warnings:?}"
    );
}

#[test]
fn a_reminders_schedule_takes_before_and_a_digest_refuses_it() {
    let set = load(&format!(
        "{A_RULE}[[schedule]]\nname = \"r\"\ncron = \"0 */5 * * * *\"\njob = \"reminders\"\nbefore = \"2h\"\n"
    ));
    assert_eq!(set.schedules[0].job, crate::rules::Job::Reminders);
    assert_eq!(set.schedules[0].before, std::time::Duration::from_secs(7200));
    let found = errors(&format!(
        "{A_RULE}[[schedule]]\nname = \"d\"\ncron = \"0 7 * * *\"\njob = \"digest\"\nbefore = \"2h\"\n"
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("`before` is for job = \"reminders\""), "{found:?}");
}

#[test]
fn schedules_are_read_with_their_job_and_catch_up() {
    let set = super::load(&format!(
        "[[schedule]]\nname = \"morning digest\"\ncron = \"0 7 * * Mon-Fri\"\njob = \"digest\"\n\n\
         [[schedule]]\nname = \"evening\"\ncron = \"0 0 18 * * *\"\njob = \"digest\"\ncatch_up = false\n\n{A_RULE}",
    ));
    let names: Vec<_> = set.schedules.iter().map(|s| (s.name.as_str(), s.catch_up)).collect();
    assert_eq!(names, [("morning digest", true), ("evening", false)]);
    assert_eq!(set.schedules[0].job, crate::rules::Job::Digest);
    assert_eq!(set.schedules[1].line, 6);
}

#[test]
fn a_bad_schedule_is_reported_at_its_keys() {
    let errors = super::errors("[[schedule]]\nname = \"d\"\ncron = \"every morning\"\njob = \"digets\"\n");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("10.rules.toml:3:8: `cron`: a cron expression has five fields"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("10.rules.toml:4:7: unknown job `digets`, did you mean `digest`?"),
        "{errors:?}"
    );
}

#[test]
fn two_schedules_cannot_share_a_name() {
    let errors = super::errors(
        "[[schedule]]\nname = \"d\"\ncron = \"0 7 * * *\"\njob = \"digest\"\n\n\
         [[schedule]]\nname = \"d\"\ncron = \"0 8 * * *\"\njob = \"digest\"\n",
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("10.rules.toml:7:8: a second schedule is named `d`"), "{errors:?}");
}

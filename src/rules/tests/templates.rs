//! Rendering templates, strict undefined variables, and subjects that stay one line.

use super::{Dir, addr};
use crate::mail::message::{Address, Attachment, Message};
use crate::rules::{LineBreak, Reply, RuleSet, TemplateContext, TemplateError, single_line};

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
fn an_unknown_variable_is_an_error_naming_the_file_and_line() {
    let (dir, set) = set_with(&[("ack", "Hello\n{{ message.sender_name }}\n")]);
    let msg = message();
    let context = TemplateContext::new(&msg, &set.office, "r");
    let file = dir.path().join("templates/ack.txt");
    assert_eq!(
        set.templates.render("ack", &context),
        Err(TemplateError::Render {
            template: file.display().to_string(),
            line: Some(2),
            message: "undefined value: `message.sender_name` is undefined".into(),
        })
    );
}

#[test]
fn check_all_renders_every_template_against_a_sample() {
    let (dir, set) = set_with(&[("good", "{{ message.subject }}"), ("bad", "ok\n  {{ ticket.number }}\n")]);
    let found: Vec<_> =
        set.templates.check_all(&message(), &set.office).iter().map(|d| dir.relative(d)).collect();
    assert_eq!(found, ["templates/bad.txt:2:6: undefined value: `ticket` is undefined"]);
}

#[test]
fn reply_subject_defaults_to_re_added_once() {
    let (_dir, set) = set_with(&[]);
    let reply = Reply { template: "ack".into(), subject: None, cc: vec![], every: None };
    let mut msg = message();
    let subject = |msg: &Message| {
        let context = TemplateContext::new(msg, &set.office, "r");
        set.templates.reply_subject(&reply, &context)
    };
    assert_eq!(subject(&msg), Ok("Re: Opening hours".to_owned()));
    msg.subject = "RE: Opening hours".into();
    assert_eq!(subject(&msg), Ok("RE: Opening hours".to_owned()));
    msg.subject = "R: orari".into();
    assert_eq!(subject(&msg), Ok("R: orari".to_owned()));
}

#[test]
fn reply_subject_template_is_rendered() {
    let (_dir, set) = set_with(&[]);
    let reply = Reply {
        template: "ack".into(),
        subject: Some("[{{ office.name }}] {{ message.subject }}".into()),
        cc: vec![],
        every: None,
    };
    let msg = message();
    let context = TemplateContext::new(&msg, &set.office, "r");
    assert_eq!(
        set.templates.reply_subject(&reply, &context),
        Ok("[Rossi & Bianchi Studio] Opening hours".to_owned())
    );
}

#[test]
fn a_rendered_subject_with_a_line_break_is_refused() {
    let (_dir, set) = set_with(&[]);
    let reply = Reply {
        template: "ack".into(),
        subject: Some("Re: {{ message.text }}".into()),
        cc: vec![],
        every: None,
    };
    let mut msg = message();
    msg.text = "hi\r\nBcc: everyone@example.com".into();
    let context = TemplateContext::new(&msg, &set.office, "r");
    assert_eq!(
        set.templates.reply_subject(&reply, &context),
        Err(TemplateError::LineBreak(LineBreak("Re: hi\r\nBcc: everyone@example.com".into())))
    );
}

#[test]
fn single_line_refuses_cr_lf_and_nul() {
    assert_eq!(single_line("Re: hello"), Ok("Re: hello"));
    for bad in ["a\rb", "a\nb", "a\r\nb", "a\0b"] {
        assert_eq!(single_line(bad), Err(LineBreak(bad.into())));
    }
}

#[test]
fn templates_keep_their_trailing_newline() {
    let (_dir, set) = set_with(&[("t", "line\n")]);
    let msg = message();
    let context = TemplateContext::new(&msg, &set.office, "r");
    assert_eq!(set.templates.render("t", &context), Ok("line\n".to_owned()));
}

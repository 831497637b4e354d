//! HTML → readable plain text, for mail that has no text/plain body.
//!
//! Rules match words and phrases in [`Message::text`](super::message::Message::text), and `explain`
//! shows it to people, so an HTML-only mail (Outlook, web forms, newsletters) must come out as text a
//! person would read: no tags, entities decoded, one line per line break or block, blank lines between
//! paragraphs, list items on their own lines, quoted history prefixed with `> `, and the words of links
//! kept. mail-parser's own converter only breaks lines at `<br>` and `</p>`, which runs a whole Gmail
//! message (all `<div>`s) into one line, so clerk has its own.
//!
//! It is a tolerant scanner, not a DOM parser: broken markup degrades into slightly worse text, never
//! into an error or a panic. Every position where it slices the input is an ASCII delimiter, so slices
//! always fall on character boundaries.

/// The readable text of an HTML document or fragment.
pub fn to_text(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = Writer::with_capacity(html.len() / 2);
    let mut unclosed = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        match bytes[pos] {
            b'<' => pos = markup(html, pos, &mut out, &mut unclosed),
            b'&' => pos = entity(html, pos, &mut out),
            _ => {
                let end = bytes[pos..]
                    .iter()
                    .position(|&b| b == b'<' || b == b'&')
                    .map_or(bytes.len(), |n| pos + n);
                out.text(&html[pos..end]);
                pos = end;
            }
        }
    }
    out.finish()
}

/// Handles the markup starting at `start` (a `<`) and returns the position after it.
fn markup(html: &str, start: usize, out: &mut Writer, unclosed: &mut Vec<&'static [u8]>) -> usize {
    let bytes = html.as_bytes();
    let rest = &bytes[start..];
    if rest.starts_with(b"<!--") {
        // Outlook hides its XML and conditional CSS in comments; none of it is text.
        return find(bytes, start + 4, b"-->").map_or(bytes.len(), |end| end + 3);
    }
    if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
        // DOCTYPE, CDATA, processing instructions.
        return find(bytes, start, b">").map_or(bytes.len(), |end| end + 1);
    }
    let closing = rest.get(1) == Some(&b'/');
    let name_start = start + 1 + usize::from(closing);
    let name_len =
        bytes[name_start..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b':').count();
    if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        // Not a tag ("a < b", "<3"): the `<` is text.
        out.text("<");
        return start + 1;
    }
    let name = html[name_start..name_start + name_len].to_ascii_lowercase();
    let Some(end) = tag_end(bytes, name_start + name_len) else {
        // An unterminated tag swallows the rest, as a browser would.
        return bytes.len();
    };
    let attributes = &html[name_start + name_len..end];
    let after = end + 1;

    if !closing && let Some(resume) = skip_raw_element(html, &name, after, unclosed) {
        return resume;
    }
    out.element(&name, closing, attributes);
    after
}

/// Elements whose content is never text: returns where to resume after the element, or `None` when it
/// is not one of them (or is unterminated in a way that would lose the rest of the message).
///
/// `unclosed` remembers the ends that were searched for and not found: the search only looks forward,
/// so they would not be found later either, and searching again for every repeated `<title>` (or
/// `</head` for every `<head><body>`) would make hostile HTML quadratic.
fn skip_raw_element(
    html: &str,
    name: &str,
    after: usize,
    unclosed: &mut Vec<&'static [u8]>,
) -> Option<usize> {
    let bytes = html.as_bytes();
    let skip_past = |at: usize| find(bytes, at, b">").map_or(bytes.len(), |end| end + 1);
    let needles: &[&'static [u8]] = match name {
        // Code: if never closed, what follows is code too.
        "script" => {
            return Some(find_ignore_case(bytes, after, b"</script").map_or(bytes.len(), skip_past));
        }
        "style" => {
            return Some(find_ignore_case(bytes, after, b"</style").map_or(bytes.len(), skip_past));
        }
        // Metadata: if never closed, keep going rather than drop the body.
        "title" => &[b"</title"],
        "template" => &[b"</template"],
        "head" => &[b"</head", b"<body"],
        _ => return None,
    };
    let mut found = None;
    for &needle in needles {
        if unclosed.contains(&needle) {
            continue;
        }
        found = find_ignore_case(bytes, after, needle);
        if found.is_some() {
            break;
        }
        unclosed.push(needle);
    }
    let at = found?;
    // Resume at `<body`, or after the closing tag.
    Some(if bytes[at + 1] == b'/' { skip_past(at) } else { at })
}

/// Position of the `>` closing a tag whose attributes start at `from`, honouring quoted values
/// (`href="a>b"`).
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Decodes the character reference at `start` (a `&`) and returns the position after it. Anything that
/// is not a well-formed reference is kept as written, as browsers do.
fn entity(html: &str, start: usize, out: &mut Writer) -> usize {
    let bytes = html.as_bytes();
    // The longest HTML entity name is 31 characters.
    let end = bytes[start + 1..]
        .iter()
        .take(33)
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'#'))
        .map(|n| start + 1 + n)
        .filter(|&end| end > start + 1 && bytes[end] == b';');
    let Some(end) = end else {
        out.text("&");
        return start + 1;
    };
    let reference = &html[start..=end];
    let mut decoded = String::new();
    if let Some(number) = reference.strip_prefix("&#").and_then(|r| r.strip_suffix(';')) {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse().ok(),
        };
        match code.and_then(char::from_u32) {
            Some(c) if c != '\0' => decoded.push(c),
            _ => decoded.push(char::REPLACEMENT_CHARACTER),
        }
    } else {
        // mail-parser carries the full HTML5 entity table; it leaves unknown names as written.
        mail_parser::decoders::html::add_html_token(&mut decoded, reference.as_bytes(), false);
    }
    out.text(&decoded);
    end + 1
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|n| from + n)
}

fn find_ignore_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)).map(|n| from + n)
}

/// The most `> ` marks a line of quoted text gets, however deeply its blockquotes nest: enough to tell
/// a thread's levels apart, and it keeps the text linear in the HTML (thousands of nested blockquotes
/// would otherwise put thousands of marks on every line).
const MAX_QUOTE_MARKS: usize = 32;

/// Accumulates text, collapsing whitespace as HTML does and turning block structure into line breaks.
struct Writer {
    out: String,
    /// Line breaks owed before the next text: 1 ends the line, 2 leaves a blank line.
    breaks: usize,
    space: bool,
    at_line_start: bool,
    /// Marker (`- `, `3. `) owed at the start of the next text of a list item.
    marker: Option<String>,
    quote_depth: usize,
    pre_depth: usize,
    /// One entry per open list: `Some(next number)` for `<ol>`, `None` for `<ul>`.
    lists: Vec<Option<u32>>,
    cells_in_row: usize,
    /// A table cell other than a row's first has begun: its text is set off by a tab, so a table
    /// of supplies still reads as columns (see `supply::extract`).
    cell_break: bool,
    p_is_line: bool,
}

impl Writer {
    fn with_capacity(capacity: usize) -> Self {
        Writer {
            out: String::with_capacity(capacity),
            breaks: 0,
            space: false,
            at_line_start: true,
            marker: None,
            quote_depth: 0,
            pre_depth: 0,
            lists: Vec::new(),
            cells_in_row: 0,
            cell_break: false,
            p_is_line: false,
        }
    }

    fn element(&mut self, name: &str, closing: bool, attributes: &str) {
        match name {
            "br" => self.breaks = (self.breaks + 1).min(2),
            "p" => {
                // Outlook writes every line as a margin-less `<p class=MsoNormal>`: a line, not a
                // paragraph. Its closing tag has no class, so remember what was opened.
                if !closing {
                    self.p_is_line = contains_ignore_case(attributes, "msonormal");
                }
                self.block(if self.p_is_line { 1 } else { 2 });
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "dl" | "address" | "hr" | "figure" => {
                self.block(2)
            }
            "pre" => {
                self.block(2);
                self.pre_depth = if closing { self.pre_depth.saturating_sub(1) } else { self.pre_depth + 1 };
            }
            "blockquote" => {
                self.block(1);
                self.quote_depth =
                    if closing { self.quote_depth.saturating_sub(1) } else { self.quote_depth + 1 };
            }
            "ul" | "ol" => {
                self.block(1);
                if closing {
                    self.lists.pop();
                } else {
                    self.lists.push((name == "ol").then_some(1));
                }
            }
            "li" => {
                self.block(1);
                if !closing {
                    self.marker = Some(match self.lists.last_mut() {
                        Some(Some(number)) => {
                            let this = *number;
                            *number = number.saturating_add(1);
                            format!("{this}. ")
                        }
                        _ => "- ".to_owned(),
                    });
                }
            }
            "tr" => {
                self.block(1);
                self.cells_in_row = 0;
            }
            "td" | "th" if !closing => {
                if self.cells_in_row > 0 {
                    self.cell_break = true;
                }
                self.cells_in_row += 1;
            }
            "div" | "section" | "article" | "header" | "footer" | "main" | "nav" | "aside" | "center"
            | "form" | "fieldset" | "dt" | "dd" | "caption" | "tbody" | "thead" | "tfoot" | "body"
            | "html" => self.block(1),
            _ => {}
        }
    }

    fn block(&mut self, breaks: usize) {
        self.breaks = self.breaks.max(breaks);
    }

    fn text(&mut self, text: &str) {
        if self.pre_depth > 0 {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.breaks = self.breaks.max(1);
                    self.newline_if_owed();
                }
                let line = line.trim_end_matches('\r');
                if !line.is_empty() {
                    self.begin_text();
                    self.out.push_str(line);
                }
            }
            return;
        }
        let bytes = text.as_bytes();
        if bytes.first().is_some_and(u8::is_ascii_whitespace) {
            self.space = true;
        }
        for (i, word) in text.split_ascii_whitespace().enumerate() {
            if i > 0 {
                self.space = true;
            }
            self.begin_text();
            // A non-breaking space is a space to a reader; it also keeps an Outlook blank line alive.
            if word.contains('\u{a0}') {
                self.out.push_str(&word.replace('\u{a0}', " "));
            } else {
                self.out.push_str(word);
            }
            self.space = false;
        }
        if bytes.last().is_some_and(u8::is_ascii_whitespace) {
            self.space = true;
        }
    }

    /// Writes what is owed before text: line breaks, quote prefix, list marker or a collapsed space.
    fn begin_text(&mut self) {
        if self.out.is_empty() {
            self.breaks = 0;
        }
        self.newline_if_owed();
        if self.at_line_start {
            for _ in 0..self.quote_depth.min(MAX_QUOTE_MARKS) {
                self.out.push_str("> ");
            }
            if let Some(marker) = self.marker.take() {
                self.out.push_str(&marker);
            }
            self.at_line_start = false;
            self.space = false;
        } else if self.cell_break {
            self.out.push('\t');
            self.cell_break = false;
            self.space = false;
        } else if self.space {
            self.out.push(' ');
            self.space = false;
        }
    }

    fn newline_if_owed(&mut self) {
        if self.breaks == 0 || self.out.is_empty() {
            return;
        }
        for _ in 0..self.breaks {
            self.out.push('\n');
        }
        self.breaks = 0;
        self.at_line_start = true;
        self.space = false;
        self.cell_break = false;
    }

    /// Trims every line's end and keeps at most one blank line in a row.
    fn finish(self) -> String {
        let mut text = String::with_capacity(self.out.len());
        let mut blank_lines = 0;
        for line in self.out.lines() {
            let line = line.trim_end();
            let is_blank = line.is_empty() || line.bytes().all(|b| b == b'>' || b == b' ');
            if is_blank {
                blank_lines += 1;
                continue;
            }
            if !text.is_empty() {
                text.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
            }
            blank_lines = 0;
            text.push_str(line);
        }
        text
    }
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::to_text;

    #[test]
    fn tags_are_removed_and_entities_decoded() {
        assert_eq!(to_text("<b>Caf&eacute;</b> &amp; bar &lt;3 &#8364;5 &#x41;"), "Café & bar <3 €5 A");
    }

    #[test]
    fn unknown_or_unterminated_entities_stay_as_written() {
        assert_eq!(to_text("AT&T &bogus; fish &chips"), "AT&T &bogus; fish &chips");
    }

    #[test]
    fn whitespace_collapses_like_a_browser() {
        assert_eq!(to_text("<p>one\n   two\t three</p>"), "one two three");
    }

    #[test]
    fn br_ends_a_line_and_two_leave_a_blank_line() {
        assert_eq!(to_text("a<br>b<br/><br />c"), "a\nb\n\nc");
    }

    #[test]
    fn paragraphs_are_separated_by_a_blank_line() {
        assert_eq!(to_text("<p>Hello,</p><p>are you open?</p>"), "Hello,\n\nare you open?");
    }

    #[test]
    fn gmail_divs_are_lines() {
        let html = "<div dir=\"ltr\"><div>Hi,</div><div><br></div><div>we need paper.</div>\
                    <div>Thanks</div></div>";
        assert_eq!(to_text(html), "Hi,\n\nwe need paper.\nThanks");
    }

    #[test]
    fn outlook_msonormal_paragraphs_are_lines_and_nbsp_paragraphs_blank_lines() {
        let html = "<p class=MsoNormal>Dear Sir,<o:p></o:p></p>\
                    <p class=MsoNormal><o:p>&nbsp;</o:p></p>\
                    <p class=MsoNormal>What are your opening hours?<o:p></o:p></p>\
                    <p class=MsoNormal>Kind regards,<o:p></o:p></p>\
                    <p class=MsoNormal>Mark<o:p></o:p></p>";
        assert_eq!(to_text(html), "Dear Sir,\n\nWhat are your opening hours?\nKind regards,\nMark");
    }

    #[test]
    fn head_style_script_and_comments_are_not_text() {
        let html = "<html><head><title>T</title><style>p {color:red}</style></head>\
                    <!--[if gte mso 9]><xml><o:shapedefaults/></xml><![endif]-->\
                    <body><script>alert(1)</script><p>Body</p></body></html>";
        assert_eq!(to_text(html), "Body");
    }

    #[test]
    fn link_text_is_kept_and_the_url_is_not() {
        assert_eq!(
            to_text("See <a href=\"https://x.example/?a=1&amp;b=2\">our hours</a>."),
            "See our hours."
        );
    }

    #[test]
    fn quoted_attribute_values_may_contain_angle_brackets() {
        assert_eq!(to_text("<a title=\"a>b\">link</a> text"), "link text");
    }

    #[test]
    fn list_items_get_markers() {
        assert_eq!(
            to_text("<ul><li>paper</li><li>toner</li></ul><ol><li>one</li><li>two</li></ol>"),
            "- paper\n- toner\n1. one\n2. two"
        );
    }

    #[test]
    fn blockquotes_are_prefixed_like_plain_text_quoting() {
        let html = "<div>Yes.</div><div>On Mon, Anna wrote:</div>\
                    <blockquote><div>Can we meet?</div><blockquote>Earlier</blockquote></blockquote>";
        assert_eq!(to_text(html), "Yes.\nOn Mon, Anna wrote:\n> Can we meet?\n> > Earlier");
    }

    #[test]
    fn table_cells_are_separated_by_tabs_and_rows_are_lines() {
        assert_eq!(
            to_text("<table><tr><td>A4 paper</td><td>3</td></tr><tr><td>Toner</td><td>2</td></tr></table>"),
            "A4 paper\t3\nToner\t2"
        );
    }

    #[test]
    fn pre_keeps_its_line_breaks() {
        assert_eq!(to_text("<pre>a  b\nc</pre>"), "a  b\nc");
    }

    #[test]
    fn stray_angle_brackets_are_text() {
        assert_eq!(to_text("1 < 2 and <3"), "1 < 2 and <3");
    }

    #[test]
    fn broken_markup_never_panics() {
        for html in [
            "<",
            "<a",
            "<!--",
            "&",
            "&#",
            "&#x;",
            "&#99999999999;",
            "<style>",
            "<head>x",
            "</",
            "<p class=\"unterminated>text",
            "<li>",
            "</ul></ol></blockquote></pre>",
            "é<é>&é;",
        ] {
            let _ = to_text(html);
        }
        assert_eq!(to_text("<head>x"), "x");
    }

    #[test]
    fn ten_thousand_nested_blockquotes_mark_each_line_32_times() {
        let html = "<blockquote>".repeat(10_000) + "a<br>b";
        let line = |text: &str| "> ".repeat(32) + text;
        assert_eq!(to_text(&html), format!("{}\n{}", line("a"), line("b")));
    }

    #[test]
    fn a_head_repeated_before_each_body_is_skipped_each_time() {
        let text = to_text(&"<head><title>t</title><body>x".repeat(50_000));
        assert_eq!(text.lines().count(), 50_000);
        assert!(text.lines().all(|line| line == "x"));
    }

    #[test]
    fn a_hundred_thousand_stray_angle_brackets_are_text() {
        let text = to_text(&"<".repeat(100_000));
        assert!(text.len() == 100_000 && text.bytes().all(|b| b == b'<'));
    }

    #[test]
    fn a_hundred_thousand_tags_leave_their_text() {
        let text = to_text(&"<b>x</b>".repeat(100_000));
        assert!(text.len() == 100_000 && text.bytes().all(|b| b == b'x'));
    }

    #[test]
    fn a_list_nested_ten_thousand_deep_numbers_its_items() {
        let html = "<ol><li>x".repeat(10_000);
        assert_eq!(to_text(&html).lines().last(), Some("1. x"));
    }

    #[test]
    fn many_unclosed_metadata_elements_stay_linear() {
        // Quadratic scanning would take minutes here, not milliseconds.
        let html = "<title>".repeat(50_000) + "text";
        assert_eq!(to_text(&html), "text");
    }
}

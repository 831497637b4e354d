//! Plain text clerk wrote, made HTML: the simple document behind the HTML part of notices and calendar
//! mail, and the escaping callers use when they build their own.

use std::fmt::Write as _;

/// `text` made safe inside HTML.
pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A simple HTML document of plain text clerk wrote: a paragraph per blank-line-separated block,
/// line breaks kept.
pub fn html_document(text: &str) -> String {
    let mut out = String::from("<html><body>\n");
    let normalised = text.replace("\r\n", "\n");
    for block in normalised.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let lines: Vec<String> = block.lines().map(html_escape).collect();
        let _ = writeln!(out, "<p>{}</p>", lines.join("<br>\n"));
    }
    out.push_str("</body></html>\n");
    out
}

//! What a private Dovecot is set up with: the builder's options, and the `dovecot.conf` and passwd-file they
//! become. Every line of the config says why it is there.

use super::dovecot::Dovecot;
use super::tls::Cert;
use std::path::Path;

/// The ports a Dovecot listens on (all on 127.0.0.1).
#[derive(Clone, Copy, Debug)]
pub(super) struct Ports {
    pub imap: u16,
    pub lmtp: u16,
    pub imaps: Option<u16>,
}

/// Dovecot 2.3's own post-login capability list without `IDLE` (and without `NOTIFY`, the other push
/// mechanism), for testing clients' polling fallback. Setting `imap_capability` replaces the whole list, before
/// and after login; Dovecot still appends `AUTH=…` and `STARTTLS` before login.
const CAPABILITIES_WITHOUT_IDLE: &str = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY \
     THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN \
     NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN \
     CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE \
     SPECIAL-USE LITERAL+";

/// How to set up a [`Dovecot`]: `Dovecot::builder().user("a@office.test", "pw").tls(true).start()`.
#[derive(Clone, Debug)]
pub struct DovecotBuilder {
    pub(super) users: Vec<(String, String)>,
    pub(super) tls: bool,
    pub(super) idle: bool,
    pub(super) separator: char,
    pub(super) oauth2_introspection: Option<String>,
}

impl DovecotBuilder {
    /// Adds a user (log in with the full address) with a plain-text password.
    pub fn user(mut self, name: &str, password: &str) -> Self {
        assert!(
            !name.contains([':', '\n', ' ']) && !password.contains(['\n']),
            "user {name:?} / password {password:?} cannot go into a passwd-file"
        );
        self.users.push((name.to_string(), password.to_string()));
        self
    }

    pub fn users(self, users: &[(&str, &str)]) -> Self {
        users.iter().fold(self, |builder, (name, password)| builder.user(name, password))
    }

    /// Also serve IMAP over implicit TLS on [`Dovecot::imaps_port`] with a fresh self-signed certificate
    /// ([`Dovecot::cert_path`]); the plain port then offers STARTTLS too. Off by default.
    pub fn tls(mut self, on: bool) -> Self {
        self.tls = on;
        self
    }

    /// `false` leaves IDLE out of CAPABILITY, so a client must fall back to polling. On by default.
    pub fn idle(mut self, on: bool) -> Self {
        self.idle = on;
        self
    }

    /// The hierarchy separator of folder names: Dovecot's default for Maildir is `.`, many servers use `/`.
    pub fn separator(mut self, separator: char) -> Self {
        assert!(matches!(separator, '.' | '/'), "Maildir++ folders support '.' or '/' as separator");
        self.separator = separator;
        self
    }

    /// Also take AUTH XOAUTH2 and OAUTHBEARER: a bearer token logs in when this RFC 7662 introspection
    /// endpoint says it is active and its `email` is the user (Dovecot's oauth2 passdb).
    pub fn oauth2(mut self, introspection_url: &str) -> Self {
        self.oauth2_introspection = Some(introspection_url.to_string());
        self
    }

    pub fn start(self) -> Dovecot {
        Dovecot::launch(self)
    }
}

/// Writes the passwd-file and the directory the users' homes go into.
pub(super) fn write_users_and_dirs(options: &DovecotBuilder, dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let users: String =
        options.users.iter().map(|(name, password)| format!("{name}:{{PLAIN}}{password}\n")).collect();
    std::fs::write(dir.join("users"), users).expect("writing the passwd-file");
    if let Some(url) = &options.oauth2_introspection {
        let oauth2 = format!(
            "# Each token is checked with the authorization server on every login.\n\
             introspection_mode = post\nintrospection_url = {url}\nforce_introspection = yes\n\
             username_attribute = email\nactive_attribute = active\nactive_value = true\n"
        );
        std::fs::write(dir.join("oauth2.conf"), oauth2).expect("writing oauth2.conf");
    }
    // Mail processes run as `nobody` and create each user's home (and Maildir) in here on first use.
    let home = dir.join("home");
    std::fs::create_dir(&home).expect("creating the home directory");
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o777)).expect("chmod 0777 home");
}

/// Who Dovecot's processes run as. As root: mail processes as `nobody` (they refuse uid 0), the rest
/// as Dovecot's own users. As anyone else: every process as that user, which Dovecot supports for
/// unprivileged instances.
fn process_identity() -> String {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        return "mail_uid = nobody\nmail_gid = nogroup\nfirst_valid_uid = 1".into();
    }
    let id = |flag: &str| {
        let out = std::process::Command::new("id").arg(flag).output().expect("running id");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let (user, group) = (id("-un"), id("-gn"));
    format!(
        "default_login_user = {user}\ndefault_internal_user = {user}\ndefault_internal_group = {group}\n\
         mail_uid = {user}\nmail_gid = {group}\nfirst_valid_uid = 1\n\
         # chroot needs root.\nservice anvil {{\n  chroot =\n}}\nservice imap-login {{\n  chroot =\n}}"
    )
}

/// The text of `dovecot.conf`.
pub(super) fn config_text(
    options: &DovecotBuilder,
    dir: &Path,
    instance: &str,
    ports: Ports,
    cert: Option<&Cert>,
) -> String {
    let dir = dir.display();
    let ssl = match cert {
        None => "ssl = no".to_string(),
        Some(cert) => {
            format!("ssl = yes\nssl_cert = <{}\nssl_key = <{}", cert.cert.display(), cert.key.display())
        }
    };
    let capability =
        if options.idle { String::new() } else { format!("imap_capability = {CAPABILITIES_WITHOUT_IDLE}") };
    let identity = process_identity();
    let (mechanisms, oauth2_passdb) = match &options.oauth2_introspection {
        None => ("plain login", String::new()),
        Some(_) => (
            "plain login xoauth2 oauthbearer",
            format!(
                "passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {dir}/oauth2.conf\n}}"
            ),
        ),
    };
    format!(
        r#"# A private Dovecot for one clerk test, written by tests/support/dovecot_config.rs.
# Standalone: nothing from /etc/dovecot.
# A unique instance name lets several run at once and names every process `dovecot-{instance}/…`.
instance_name = {instance}
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
log_timestamp = "%H:%M:%S.%{{usecs}} "
auth_verbose = yes
# Names this server in the Received: headers it adds, whatever the machine is called.
hostname = mail.test
protocols = imap lmtp
listen = 127.0.0.1
{ssl}
disable_plaintext_auth = no
auth_mechanisms = {mechanisms}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/users
}}
{oauth2_passdb}
userdb {{
  driver = static
  args = home={dir}/home/%u
}}
{identity}
mail_location = maildir:~/Maildir
# IDLE learns of new mail through inotify (plus Dovecot's fixed 0.5 s delay); this is the fallback
# poll for when inotify is unavailable.
mailbox_idle_check_interval = 1 secs
{capability}
namespace inbox {{
  inbox = yes
  separator = {separator}
  mailbox Drafts {{
    special_use = \Drafts
  }}
  mailbox Sent {{
    special_use = \Sent
  }}
  mailbox Trash {{
    special_use = \Trash
  }}
  mailbox Junk {{
    special_use = \Junk
  }}
}}
service imap-login {{
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = {imaps_port}
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp_port}
  }}
}}
protocol imap {{
  # Tests open many sessions for one user (the daemon, the harness, several tests' clients).
  mail_max_userip_connections = 100
}}
"#,
        separator = options.separator,
        imap_port = ports.imap,
        imaps_port = ports.imaps.unwrap_or(0),
        lmtp_port = ports.lmtp,
    )
}

//! Technology tags: the closed vocabulary that scenario services and catalog entries share, and
//! the rules that read tags off an NVD record's CPE names and English description.

/// The closed vocabulary of technology tags. Scenario services and catalog entries use the
/// same words, so a threat fits a service when they share a tag.
pub const TAG_VOCABULARY: [&str; 41] = [
    "linux",
    "windows",
    "openssh",
    "nginx",
    "apache-httpd",
    "java",
    "log4j",
    "spring",
    "tomcat",
    "struts",
    "nodejs",
    "php",
    "python",
    "dotnet",
    "postgres",
    "mysql",
    "redis",
    "elasticsearch",
    "kubernetes",
    "docker",
    "vpn",
    "citrix",
    "fortinet",
    "panos",
    "ivanti",
    "exchange",
    "sharepoint",
    "confluence",
    "jenkins",
    "gitlab",
    "teamcity",
    "vmware",
    "active-directory",
    "ldap",
    "moveit",
    "smb",
    "f5",
    "kafka",
    "rabbitmq",
    "grafana",
    "openssl",
];

/// Platform and runtime tags. A CVE in a named product (MySQL, Log4j, Spring) needs that
/// product on the service; one in the platform itself (pkexec on Linux) fits any service on it.
pub const PLATFORM_TAGS: [&str; 7] = [
    "linux", "windows", "java", "nodejs", "python", "php", "dotnet",
];

/// Whether `tag` belongs to [`TAG_VOCABULARY`].
pub fn is_known_tag(tag: &str) -> bool {
    TAG_VOCABULARY.contains(&tag)
}

/// Keeps the known tags (deduplicated, in order); the unknown ones are returned separately.
pub(super) fn split_tags<'a>(
    tags: impl IntoIterator<Item = &'a str>,
) -> (Vec<String>, Vec<String>) {
    let mut known: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for t in tags {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if is_known_tag(t) {
            if !known.iter().any(|k| k == t) {
                known.push(t.to_string());
            }
        } else {
            unknown.push(t.to_string());
        }
    }
    (known, unknown)
}

/// (vendor, product prefix, tags); the first matching row wins, `""` matches any product.
const CPE_TAG_RULES: &[(&str, &str, &[&str])] = &[
    ("apache", "log4j", &["log4j", "java"]),
    ("apache", "struts", &["struts", "java"]),
    ("apache", "tomcat", &["tomcat", "java"]),
    ("apache", "http_server", &["apache-httpd"]),
    ("apache", "kafka", &["kafka", "java"]),
    ("apache", "activemq", &["java"]),
    ("vmware", "spring", &["spring", "java"]),
    ("pivotal_software", "spring", &["spring", "java"]),
    ("pivotal_software", "rabbitmq", &["rabbitmq"]),
    ("broadcom", "rabbitmq", &["rabbitmq"]),
    ("vmware", "rabbitmq", &["rabbitmq"]),
    ("vmware", "", &["vmware"]),
    ("linux", "linux_kernel", &["linux"]),
    ("canonical", "ubuntu_linux", &["linux"]),
    ("debian", "debian_linux", &["linux"]),
    ("redhat", "enterprise_linux", &["linux"]),
    ("fedoraproject", "fedora", &["linux"]),
    ("opensuse", "leap", &["linux"]),
    ("suse", "linux_enterprise", &["linux"]),
    ("polkit_project", "polkit", &["linux"]),
    ("sudo_project", "sudo", &["linux"]),
    ("microsoft", "exchange_server", &["exchange", "windows"]),
    ("microsoft", "sharepoint", &["sharepoint", "windows"]),
    ("microsoft", "server_message_block", &["smb", "windows"]),
    ("microsoft", ".net", &["dotnet"]),
    ("microsoft", "asp.net", &["dotnet"]),
    (
        "microsoft",
        "active_directory",
        &["active-directory", "windows"],
    ),
    ("microsoft", "windows", &["windows"]),
    ("openbsd", "openssh", &["openssh"]),
    ("kubernetes", "ingress-nginx", &["kubernetes", "nginx"]),
    ("kubernetes", "", &["kubernetes"]),
    ("f5", "nginx", &["nginx"]),
    ("nginx", "nginx", &["nginx"]),
    ("f5", "big-ip", &["f5"]),
    ("nodejs", "node.js", &["nodejs"]),
    ("php", "php", &["php"]),
    ("python", "", &["python"]),
    ("pyyaml", "pyyaml", &["python"]),
    ("djangoproject", "django", &["python"]),
    ("palletsprojects", "", &["python"]),
    ("postgresql", "postgresql", &["postgres"]),
    ("oracle", "mysql", &["mysql"]),
    ("mysql", "mysql", &["mysql"]),
    ("mariadb", "mariadb", &["mysql"]),
    ("redis", "redis", &["redis"]),
    ("elastic", "elasticsearch", &["elasticsearch", "java"]),
    ("elastic", "kibana", &["elasticsearch", "nodejs"]),
    ("docker", "", &["docker"]),
    ("mobyproject", "moby", &["docker"]),
    ("linuxfoundation", "runc", &["docker", "linux"]),
    ("opencontainers", "runc", &["docker", "linux"]),
    ("citrix", "", &["citrix"]),
    ("fortinet", "", &["fortinet"]),
    ("paloaltonetworks", "pan-os", &["panos"]),
    ("ivanti", "connect_secure", &["ivanti", "vpn"]),
    ("ivanti", "", &["ivanti"]),
    ("pulsesecure", "", &["ivanti", "vpn"]),
    ("atlassian", "confluence", &["confluence", "java"]),
    ("jenkins", "jenkins", &["jenkins", "java"]),
    ("gitlab", "gitlab", &["gitlab"]),
    ("jetbrains", "teamcity", &["teamcity", "java"]),
    ("progress", "moveit", &["moveit"]),
    ("grafana", "grafana", &["grafana"]),
    ("openssl", "openssl", &["openssl"]),
    ("openldap", "openldap", &["ldap"]),
    ("oracle", "jdk", &["java"]),
    ("oracle", "jre", &["java"]),
    ("oracle", "openjdk", &["java"]),
    ("samba", "samba", &["smb", "linux"]),
];

/// The tags of a CPE's (vendor, product), lower-cased; none when no rule matches.
pub(super) fn cpe_tags(vendor: &str, product: &str) -> Vec<&'static str> {
    CPE_TAG_RULES
        .iter()
        .find(|(v, p, _)| *v == vendor && product.starts_with(p))
        .map(|(_, _, tags)| tags.to_vec())
        .unwrap_or_default()
}

/// Keywords looked up as whole words in a lower-cased description, when no CPE is available.
const DESCRIPTION_TAG_RULES: &[(&str, &[&str])] = &[
    ("log4j", &["log4j", "java"]),
    ("log4j2", &["log4j", "java"]),
    ("spring framework", &["spring", "java"]),
    ("spring cloud", &["spring", "java"]),
    ("spring boot", &["spring", "java"]),
    ("tomcat", &["tomcat", "java"]),
    ("struts", &["struts", "java"]),
    ("java", &["java"]),
    ("node.js", &["nodejs"]),
    ("php", &["php"]),
    ("python", &["python"]),
    ("django", &["python"]),
    ("postgresql", &["postgres"]),
    ("mysql", &["mysql"]),
    ("mariadb", &["mysql"]),
    ("redis", &["redis"]),
    ("elasticsearch", &["elasticsearch"]),
    ("kibana", &["elasticsearch"]),
    ("kubernetes", &["kubernetes"]),
    ("docker", &["docker"]),
    ("runc", &["docker"]),
    ("nginx", &["nginx"]),
    ("ingress-nginx", &["nginx", "kubernetes"]),
    ("apache http server", &["apache-httpd"]),
    ("openssh", &["openssh"]),
    ("sshd", &["openssh"]),
    ("openssl", &["openssl"]),
    ("citrix", &["citrix"]),
    ("netscaler", &["citrix"]),
    ("fortios", &["fortinet"]),
    ("fortinet", &["fortinet"]),
    ("fortigate", &["fortinet"]),
    ("pan-os", &["panos"]),
    ("globalprotect", &["panos", "vpn"]),
    ("ivanti", &["ivanti"]),
    ("pulse secure", &["ivanti", "vpn"]),
    ("exchange server", &["exchange", "windows"]),
    ("sharepoint", &["sharepoint"]),
    ("confluence", &["confluence", "java"]),
    ("jenkins", &["jenkins"]),
    ("gitlab", &["gitlab"]),
    ("teamcity", &["teamcity"]),
    ("vmware", &["vmware"]),
    ("vcenter", &["vmware"]),
    ("active directory", &["active-directory"]),
    ("ldap", &["ldap"]),
    ("moveit", &["moveit"]),
    ("smb", &["smb"]),
    ("smbv1", &["smb"]),
    ("big-ip", &["f5"]),
    ("kafka", &["kafka"]),
    ("rabbitmq", &["rabbitmq"]),
    ("grafana", &["grafana"]),
    ("windows", &["windows"]),
    ("linux", &["linux"]),
    ("vpn", &["vpn"]),
    (".net", &["dotnet"]),
    ("asp.net", &["dotnet"]),
];

/// The tags of every keyword found in a lower-cased description, in rule order.
pub(super) fn description_tags(lower: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (word, tags) in DESCRIPTION_TAG_RULES {
        if contains_word(lower, word) {
            out.extend(tags.iter().copied());
        }
    }
    out
}

/// Whether `needle` occurs in `hay` with no letter or digit right before or after it, so that
/// "java" does not match "javascript".
pub(super) fn contains_word(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let mut start = 0;
    while let Some(pos) = hay[start..].find(needle) {
        let begin = start + pos;
        let end = begin + needle.len();
        let before = hay[..begin].chars().next_back();
        let after = hay[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if boundary(before) && boundary(after) {
            return true;
        }
        // Advance past the first character of this match (char boundary safe).
        start = begin + hay[begin..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_matching_respects_boundaries() {
        assert!(contains_word("runs on java 17", "java"));
        assert!(!contains_word("a javascript bug", "java"));
        assert!(contains_word("fortios ssl-vpn", "vpn"));
        assert!(contains_word("node.js", "node.js"));
        assert!(!contains_word("smbus driver", "smb"));
        assert!(contains_word("é vpn é", "vpn"));
        assert!(!contains_word("abc", ""));
    }

    #[test]
    fn rules_name_only_known_tags() {
        let cpe = CPE_TAG_RULES.iter().flat_map(|(_, _, tags)| tags.iter());
        let text = DESCRIPTION_TAG_RULES
            .iter()
            .flat_map(|(_, tags)| tags.iter());
        for tag in cpe.chain(text).chain(PLATFORM_TAGS.iter()) {
            assert!(is_known_tag(tag), "{tag}");
        }
        assert_eq!(
            split_tags(["java", " cobol ", "", "java", "linux"]).0,
            ["java", "linux"]
        );
        assert_eq!(split_tags(["java", " cobol "]).1, ["cobol"]);
    }
}

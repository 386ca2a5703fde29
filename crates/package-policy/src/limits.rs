//! Resource limits of POLICY_SPEC §8. Defaults are the spec's; callers may raise them.

/// Bounds on what one compile or one request may cost.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Limits {
    /// Bytes of one layer document.
    pub layer_bytes: usize,
    /// YAML nesting depth.
    pub yaml_depth: usize,
    /// Nodes produced by expanding aliases, beyond the document's own.
    pub alias_expansion: usize,
    pub rule_id_bytes: usize,
    pub reason_bytes: usize,
    pub glob_bytes: usize,
    /// `{}` groups in one glob.
    pub glob_braces: usize,
    pub range_bytes: usize,
    pub request_name_bytes: usize,
    pub request_version_bytes: usize,
    pub purl_bytes: usize,
    pub attribute_entries: usize,
    pub attribute_value_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            layer_bytes: 64 << 20,
            yaml_depth: 64,
            alias_expansion: 100_000,
            rule_id_bytes: 128,
            reason_bytes: 4 << 10,
            glob_bytes: 1 << 10,
            glob_braces: 16,
            range_bytes: 4 << 10,
            request_name_bytes: 1 << 10,
            request_version_bytes: 256,
            purl_bytes: 4 << 10,
            attribute_entries: 64,
            attribute_value_bytes: 4 << 10,
        }
    }
}

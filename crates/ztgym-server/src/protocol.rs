//! OpenEnv's WebSocket messages and replies (openenv-core 0.3.0): `{"type", "data"}` both ways.

use serde_json::{json, Value};

/// The error codes of OpenEnv's `WSErrorCode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// The message is not JSON text (a binary frame included).
    InvalidJson,
    /// `type` is missing or not one of reset, step, state, close, mcp.
    UnknownType,
    /// The message or its data has the wrong shape (fields, action, reset options, size).
    ValidationError,
    /// A well-formed request the environment refused (step before reset, after the end,
    /// unknown node or ticket).
    ExecutionError,
    /// Every session slot is taken: the connection is closed.
    CapacityReached,
    /// The environment could not be made.
    FactoryError,
    /// The session ended (idle timeout, server shutting down, internal fault).
    SessionError,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidJson => "INVALID_JSON",
            Code::UnknownType => "UNKNOWN_TYPE",
            Code::ValidationError => "VALIDATION_ERROR",
            Code::ExecutionError => "EXECUTION_ERROR",
            Code::CapacityReached => "CAPACITY_REACHED",
            Code::FactoryError => "FACTORY_ERROR",
            Code::SessionError => "SESSION_ERROR",
        }
    }

    /// Every code, for tests and docs.
    pub const ALL: [Code; 7] = [
        Code::InvalidJson,
        Code::UnknownType,
        Code::ValidationError,
        Code::ExecutionError,
        Code::CapacityReached,
        Code::FactoryError,
        Code::SessionError,
    ];
}

/// An error, as the client's `_send_and_receive` reads it: `{"type": "error", "data":
/// {"message", "code"}}`.
#[derive(Clone, Debug, PartialEq)]
pub struct WireError {
    pub code: Code,
    pub message: String,
}

impl WireError {
    pub fn new(code: Code, message: impl Into<String>) -> WireError {
        WireError {
            code,
            message: clip(message.into()),
        }
    }

    pub fn to_json(&self) -> Value {
        json!({"type": "error", "data": {"message": self.message, "code": self.code.as_str()}})
    }
}

/// The longest error message sent, in characters: a message quotes what the client sent (a
/// parser's words included), and a client's 100,000-character value must not come back whole.
pub const MAX_ERROR_CHARS: usize = 1_000;

/// `message` cut to [`MAX_ERROR_CHARS`], control characters escaped, and each value a parser
/// quoted in backticks (serde's "unknown variant `...`") shortened as [`quote`] does. A message
/// already clipped comes back as it is (a quoted value is at most 64 characters and its
/// length, well under `LONG_QUOTED`).
pub fn clip(message: String) -> String {
    const LONG_QUOTED: usize = 100;
    let long_quoted = message
        .split('`')
        .skip(1)
        .step_by(2)
        .any(|q| q.chars().count() > LONG_QUOTED);
    if !long_quoted
        && message.chars().count() <= MAX_ERROR_CHARS
        && !message.chars().any(ztgym::core::text::is_unsafe)
    {
        return message;
    }
    let mut out = String::with_capacity(message.len().min(MAX_ERROR_CHARS + 64));
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts sit between two backticks.
        if i % 2 == 1 && part.chars().count() > LONG_QUOTED {
            out.push_str(&quote(part));
        } else {
            out.push_str(part);
        }
    }
    // Room for the "… (N characters)" that `shorten` adds, so the result is within the limit.
    ztgym::core::text::shorten(&out, MAX_ERROR_CHARS - 40)
}

/// A value the client sent, as quoted in an error message: at most 64 characters.
pub fn quote(value: &str) -> String {
    ztgym::core::text::shorten(value, 64)
}

/// `{"type": "observation", "data": {"observation", "reward", "done"}}`.
pub fn observation_reply(data: Value) -> Value {
    json!({"type": "observation", "data": data})
}

/// `{"type": "state", "data": state}`.
pub fn state_reply(state: Value) -> Value {
    json!({"type": "state", "data": state})
}

/// `{"type": "mcp", "data": <JSON-RPC response>}`.
pub fn mcp_reply(response: Value) -> Value {
    json!({"type": "mcp", "data": response})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_shortens_long_quoted_values_and_is_idempotent() {
        let long = "x".repeat(5_000);
        let m = format!("step.action: unknown variant `{long}`, expected one of `a`, `b`");
        let once = clip(m);
        assert!(once.chars().count() < 200, "{once}");
        assert!(once.contains("(5000 characters)"), "{once}");
        assert!(once.ends_with("expected one of `a`, `b`"), "{once}");
        assert_eq!(clip(once.clone()), once);
        let plain = "x".repeat(3_000);
        let cut = clip(plain);
        assert!(cut.chars().count() <= MAX_ERROR_CHARS);
        assert_eq!(clip(cut.clone()), cut);
        assert_eq!(clip("a\u{1b}[2J b".into()), "a\\u{1b}[2J b");
    }
}

//! MCP over JSON-RPC 2.0: `tools/list` and `tools/call` with the environment's actions as
//! tools, plus `initialize` and `ping` so MCP clients can connect.

use crate::protocol::{clip, quote};
use serde_json::{json, Map, Value};

/// The JSON-RPC 2.0 error codes OpenEnv uses.
pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL_ERROR: i64 = -32603;
pub const SERVER_ERROR: i64 = -32000;

/// The longest string `id` taken (it is echoed in the reply).
pub const MAX_ID_BYTES: usize = 256;

/// The largest integer `id` taken (in magnitude): 2^53, exact as a float.
pub const MAX_EXACT_ID: f64 = 9_007_199_254_740_992.0;

/// The MCP protocol version answered to `initialize`.
pub const PROTOCOL_VERSION: &str = "2025-06-18";

/// A JSON-RPC request that read.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// A string, a number or null.
    pub id: Value,
    pub method: String,
    pub params: Map<String, Value>,
}

/// `{"jsonrpc": "2.0", "id", "result"}`.
pub fn success(id: &Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// `{"jsonrpc": "2.0", "id", "error": {"code", "message"}}`.
pub fn error(id: &Value, code: i64, message: impl Into<String>) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": clip(message.into()), "data": null}})
}

/// Reads a request as OpenEnv's `JsonRpcRequest` does: `jsonrpc` must be "2.0", `method` a
/// string, `params` an object (default `{}`), `id` a string, an integer or null, and nothing
/// else. A request that does not read is the error response to send.
pub fn parse(value: &Value) -> Result<Request, Value> {
    let null = Value::Null;
    let invalid = |why: &str| error(&null, INVALID_REQUEST, format!("Invalid request: {why}"));
    let obj = value
        .as_object()
        .ok_or_else(|| invalid("a request is a JSON object"))?;
    if let Some(k) = obj
        .keys()
        .find(|k| !matches!(k.as_str(), "jsonrpc" | "method" | "params" | "id"))
    {
        return Err(invalid(&format!("unknown field \"{}\"", quote(k))));
    }
    if obj.get("jsonrpc") != Some(&json!("2.0")) {
        return Err(invalid("jsonrpc must be \"2.0\""));
    }
    let id = match obj.get("id") {
        None => Value::Null,
        Some(id @ Value::Null) => id.clone(),
        // The id comes back in the reply: a long one is refused, not echoed.
        Some(Value::String(s)) if s.len() > MAX_ID_BYTES => {
            return Err(invalid(&format!("id: at most {MAX_ID_BYTES} bytes")))
        }
        Some(id @ Value::String(_)) => id.clone(),
        // An integer within +-2^53, exact in every client (3.0 is the integer 3 to JSON
        // Schema; it is echoed as sent).
        Some(Value::Number(n)) if exact_integer(n) => Value::Number(n.clone()),
        Some(_) => return Err(invalid("id must be a string, an integer or null")),
    };
    let method = match obj.get("method") {
        Some(Value::String(m)) => m.clone(),
        _ => return Err(invalid("method must be a string")),
    };
    let params = match obj.get("params") {
        None => Map::new(),
        Some(Value::Object(p)) => p.clone(),
        Some(_) => {
            return Err(error(&id, INVALID_PARAMS, "Params must be an object"));
        }
    };
    Ok(Request { id, method, params })
}

/// Whether `n` is an integer within +-[`MAX_EXACT_ID`], however it is written.
fn exact_integer(n: &serde_json::Number) -> bool {
    const MAX: u64 = MAX_EXACT_ID as u64;
    match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => i.unsigned_abs() <= MAX,
        (None, Some(u), _) => u <= MAX,
        (None, None, Some(f)) => f.fract() == 0.0 && f.abs() <= MAX_EXACT_ID,
        _ => false,
    }
}

/// The result of `initialize`.
pub fn initialize_result() -> Value {
    json!({
        "protocolVersion": PROTOCOL_VERSION,
        "capabilities": {"tools": {"listChanged": false}},
        "serverInfo": {"name": "ztgym", "version": ztgym::VERSION},
    })
}

/// A `tools/call` result: the prompt as text content, the step reply as structured content.
pub fn tool_result(step: &Value) -> Value {
    let obs = &step["observation"];
    let text = format!(
        "{}Reward {}, cost {}, done {}.",
        obs["prompt"].as_str().unwrap_or_default(),
        step["reward"],
        obs["cost"],
        step["done"],
    );
    json!({
        "content": [{"type": "text", "text": text}],
        "structuredContent": step,
        "isError": false,
    })
}

/// A `tools/call` the environment refused or could not read: an MCP tool error (a result
/// with `isError`), so the agent reads why.
pub fn tool_error(code: &str, message: &str) -> Value {
    json!({
        "content": [{"type": "text", "text": message}],
        "structuredContent": {"code": code, "message": message},
        "isError": true,
    })
}

//! Serialization choice (wire §0.2), fault rendering, list bodies, XML
//! escaping and the three date forms Pithos uses.

use bytes::Bytes;
use http::header;
use serde_json::Value;
use time::OffsetDateTime;

use crate::body::ResponseBody;
use crate::dates::{http_date, isoformat};
use crate::fault_body::Fault;
use crate::json::to_python_json;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, JSON_CONTENT_TYPE};

use super::store::Micros;

/// A response serialization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ser {
    /// Plain text (listings' default).
    Text,
    /// JSON.
    Json,
    /// XML.
    Xml,
}

impl Ser {
    /// The `Content-Type` of responses in this serialization.
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Self::Text => "text/plain; charset=UTF-8",
            Self::Json => JSON_CONTENT_TYPE,
            Self::Xml => "application/xml; charset=UTF-8",
        }
    }
}

/// How a view picks its serialization.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View {
    /// Whether `format`, a `.json`/`.xml` suffix or `Accept` are looked at.
    format_allowed: bool,
    /// The supported serializations, the default first.
    supported: &'static [Ser],
}

/// Listings: text by default, JSON or XML on request.
pub(crate) const LISTING: View = View {
    format_allowed: true,
    supported: &[Ser::Text, Ser::Xml, Ser::Json],
};

/// Views that ignore the requested format: always JSON.
pub(crate) const FIXED: View = View {
    format_allowed: false,
    supported: &[Ser::Json, Ser::Xml],
};

/// Views answering JSON by default or XML on request.
pub(crate) const FORMATTED: View = View {
    format_allowed: true,
    supported: &[Ser::Json, Ser::Xml],
};

/// The serialization of a request for `view` (`format` parameter, then path
/// suffix, then `Accept`, then the view's default; unsupported choices fall
/// back to the default).
pub(crate) fn serialization(req: &ApiRequest, view: View) -> Ser {
    let default = view.supported[0];
    if !view.format_allowed {
        return if view.supported.contains(&Ser::Text) {
            Ser::Text
        } else {
            default
        };
    }
    let wanted = match req.query_param("format") {
        Some("json") => Some(Ser::Json),
        Some("xml") => Some(Ser::Xml),
        _ => None,
    }
    .or_else(|| {
        if req.path.ends_with(".json") {
            Some(Ser::Json)
        } else if req.path.ends_with(".xml") {
            Some(Ser::Xml)
        } else {
            None
        }
    })
    .or_else(|| {
        let accept = req.header("accept").unwrap_or_default();
        accept.split(',').find_map(|item| {
            match item.trim().split(';').next().unwrap_or("").trim() {
                "application/json" => Some(Ser::Json),
                "application/xml" => Some(Ser::Xml),
                _ => None,
            }
        })
    });
    match wanted {
        Some(ser) if view.supported.contains(&ser) => ser,
        _ => default,
    }
}

/// A fault in the request's serialization: XML for XML, else the JSON
/// cloudFault (typed `text/plain` for text views, like the server).
pub(crate) fn render_fault(fault: Fault, ser: Ser) -> ApiResponse {
    let body = match ser {
        Ser::Xml => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{name} code=\"{code}\">\n  <message>{message}</message>\n  <details>{details}</details>\n</{name}>\n",
            name = fault.name,
            code = fault.code,
            message = xml_escape(&fault.message),
            details = xml_escape(&fault.details),
        )
        .into_bytes(),
        Ser::Json | Ser::Text => to_python_json(&fault.to_json()),
    };
    let mut response = ApiResponse::with_body(
        fault.code,
        ser.content_type(),
        ResponseBody::Full(Bytes::from(body)),
    );
    if fault.code == 405 && !fault.allow.is_empty() {
        response = response.with_header(header::ALLOW, &fault.allow.join(","));
    }
    response
}

/// A response with a complete body in `ser`'s content type.
pub(crate) fn body_response(status: u16, ser: Ser, body: impl Into<Bytes>) -> ApiResponse {
    ApiResponse::with_body(status, ser.content_type(), ResponseBody::Full(body.into()))
}

/// A JSON value serialized like Python's `json.dumps`.
pub(crate) fn json_bytes(value: &Value) -> Bytes {
    Bytes::from(to_python_json(value))
}

/// A list of strings (`simple_list_response`): lines, `<items>` or a JSON
/// array.
pub(crate) fn list_body(ser: Ser, items: &[String]) -> Bytes {
    match ser {
        Ser::Text => Bytes::from(items.iter().map(|i| format!("{i}\n")).collect::<String>()),
        Ser::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<items>\n");
            for item in items {
                out.push_str(&format!("  <item>{}</item>\n", xml_escape(item)));
            }
            out.push_str("</items>\n");
            Bytes::from(out)
        }
        Ser::Json => json_bytes(&Value::from(items.to_vec())),
    }
}

/// Escapes text for XML content and attributes (like Django's autoescape).
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A JSON value as Django templates render it in XML listings.
pub(crate) fn xml_value(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::String(s) => xml_escape(s),
        Value::Number(n) => n.to_string(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                format!(
                    "<key>{}</key><value>{}</value>",
                    xml_escape(k),
                    xml_value(v)
                )
            })
            .collect(),
        Value::Array(items) => xml_escape(&String::from_utf8_lossy(&to_python_json(
            &Value::Array(items.clone()),
        ))),
    }
}

/// The XML of one listing entry: `<tag><key>value</key>…</tag>`.
pub(crate) fn xml_entry(tag: &str, entry: &serde_json::Map<String, Value>) -> String {
    let mut out = format!("  <{tag}>\n");
    for (key, value) in entry {
        out.push_str(&format!("    <{key}>{}</{key}>\n", xml_value(value)));
    }
    out.push_str(&format!("  </{tag}>\n"));
    out
}

/// Whole seconds of a timestamp (what HTTP dates and conditionals use).
pub(crate) fn seconds(micros: Micros) -> i64 {
    micros.div_euclid(1_000_000)
}

fn datetime(micros: Micros) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// RFC 1123 date of a timestamp (whole seconds).
pub(crate) fn http_time(micros: Micros) -> String {
    http_date(datetime(seconds(micros) * 1_000_000))
}

/// ISO 8601 date with micro-seconds, as listings show `last_modified`.
pub(crate) fn iso_time(micros: Micros) -> String {
    isoformat(datetime(micros))
}

/// Decimal Unix time with six decimals (`1322813441.565891`), as listings
/// and version lists show version timestamps.
pub(crate) fn decimal_time(micros: Micros) -> String {
    format!(
        "{}.{:06}",
        micros.div_euclid(1_000_000),
        micros.rem_euclid(1_000_000)
    )
}

/// Parses an HTTP date (RFC 1123, RFC 850 or asctime) to Unix seconds.
pub(crate) fn parse_http_time(text: &str) -> Option<i64> {
    let time = httpdate::parse_http_date(text.trim()).ok()?;
    let since = time.duration_since(std::time::UNIX_EPOCH).ok()?;
    i64::try_from(since.as_secs()).ok()
}

/// A non-negative integer parameter like `get_int_parameter` (anything else
/// is ignored).
pub(crate) fn int_param(value: Option<&str>) -> Option<u64> {
    let value = value?.trim();
    let digits = value.strip_prefix('+').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// The `until` parameter as a timestamp.
pub(crate) fn until_param(req: &ApiRequest) -> Option<Micros> {
    int_param(req.query_param("until")).map(|secs| {
        i64::try_from(secs)
            .unwrap_or(i64::MAX / 2_000_000)
            .saturating_mul(1_000_000)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, Method};

    fn req(target: &str, accept: Option<&str>) -> ApiRequest {
        let uri: http::Uri = target.parse().unwrap();
        let mut headers = HeaderMap::new();
        if let Some(accept) = accept {
            headers.insert("accept", accept.parse().unwrap());
        }
        ApiRequest::new(Method::GET, &uri, headers, Bytes::new())
    }

    #[test]
    fn serialization_choice() {
        assert_eq!(serialization(&req("/a", None), LISTING), Ser::Text);
        assert_eq!(
            serialization(&req("/a?format=json", None), LISTING),
            Ser::Json
        );
        assert_eq!(
            serialization(&req("/a?format=xml", None), FORMATTED),
            Ser::Xml
        );
        assert_eq!(
            serialization(&req("/a?format=yaml", None), LISTING),
            Ser::Text
        );
        assert_eq!(serialization(&req("/a.xml", None), LISTING), Ser::Xml);
        assert_eq!(
            serialization(
                &req("/a", Some("text/html, application/json;q=0.9")),
                LISTING
            ),
            Ser::Json
        );
        assert_eq!(serialization(&req("/a?format=xml", None), FIXED), Ser::Json);
    }

    #[test]
    fn times() {
        assert_eq!(decimal_time(1_322_813_441_565_891), "1322813441.565891");
        assert_eq!(decimal_time(5_000_001), "5.000001");
        assert_eq!(
            http_time(1_322_813_441_565_891),
            "Fri, 02 Dec 2011 08:10:41 GMT"
        );
        assert_eq!(
            iso_time(1_322_813_441_565_891),
            "2011-12-02T08:10:41.565891+00:00"
        );
        assert_eq!(
            parse_http_time("Fri, 02 Dec 2011 08:10:41 GMT"),
            Some(1_322_813_441)
        );
        assert_eq!(parse_http_time("yesterday"), None);
        assert_eq!(int_param(Some("12")), Some(12));
        assert_eq!(int_param(Some("-1")), None);
        assert_eq!(int_param(Some("x")), None);
    }

    #[test]
    fn faults_and_lists() {
        let xml = render_fault(Fault::item_not_found("a<b"), Ser::Xml);
        let crate::body::ResponseBody::Full(body) = xml.body else {
            panic!("full body expected")
        };
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.contains("<itemNotFound code=\"404\">"), "{text}");
        assert!(text.contains("<message>a&lt;b</message>"), "{text}");
        assert_eq!(
            &list_body(Ser::Text, &["a".into(), "b".into()])[..],
            b"a\nb\n"
        );
        assert_eq!(&list_body(Ser::Json, &["a".into()])[..], b"[\"a\"]");
    }
}

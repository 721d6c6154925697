//! HTML form bodies, parsed the way Django fills `request.POST`.

use crate::request::{ApiRequest, form_decode};

/// The form fields of a request, like Django's `request.POST`: parsed from
/// `application/x-www-form-urlencoded` and `multipart/form-data` bodies (file
/// parts excluded); any other content type gives no fields at all.
pub(crate) fn form_fields(req: &ApiRequest) -> Vec<(String, String)> {
    let content_type = req.content_type().unwrap_or_default();
    let lower = content_type.to_ascii_lowercase();
    if lower.starts_with("application/x-www-form-urlencoded") {
        let text = String::from_utf8_lossy(&req.body);
        text.split('&')
            .filter(|part| !part.is_empty())
            .map(|part| match part.split_once('=') {
                Some((k, v)) => (form_decode(k), form_decode(v)),
                None => (form_decode(part), String::new()),
            })
            .collect()
    } else if lower.starts_with("multipart/form-data") {
        match boundary(&content_type) {
            Some(b) => multipart_fields(&req.body, &b),
            None => Vec::new(),
        }
    } else {
        Vec::new()
    }
}

/// A file part of a `multipart/form-data` body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FilePart {
    /// The part's `Content-Type` (`""` when it has none, like Django).
    pub(crate) content_type: String,
    /// The file data (a slice of the request body).
    pub(crate) data: bytes::Bytes,
}

/// The file uploaded in field `field` of a `multipart/form-data` body
/// (Django's `request.FILES[field]`: parts with a `filename`; the last one
/// wins).
pub(crate) fn multipart_file(req: &ApiRequest, field: &str) -> Option<FilePart> {
    let content_type = req.content_type()?;
    if !content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return None;
    }
    let delimiter = format!("--{}", boundary(&content_type)?);
    let body = &req.body;
    let mut found = None;
    let mut at = find(body, delimiter.as_bytes())? + delimiter.len();
    loop {
        if body[at..].starts_with(b"--") {
            break;
        }
        let start = at
            + if body[at..].starts_with(b"\r\n") {
                2
            } else {
                0
            };
        let end = match find(&body[start..], delimiter.as_bytes()) {
            Some(offset) => start + offset,
            None => break,
        };
        let part = &body[start..end];
        if let Some(split) = find(part, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&part[..split]);
            let mut data_end = end;
            if body[..data_end].ends_with(b"\r\n") {
                data_end -= 2;
            }
            let data_start = (start + split + 4).min(data_end);
            let header = |wanted: &str| {
                head.lines().find_map(|line| {
                    let (name, rest) = line.split_once(':')?;
                    name.trim()
                        .eq_ignore_ascii_case(wanted)
                        .then(|| rest.trim().to_owned())
                })
            };
            let mut name = None;
            let mut is_file = false;
            for param in header("content-disposition")
                .unwrap_or_default()
                .split(';')
                .skip(1)
            {
                if let Some((k, v)) = param.trim().split_once('=') {
                    match k.trim().to_ascii_lowercase().as_str() {
                        "name" => name = Some(v.trim().trim_matches('"').to_owned()),
                        "filename" => is_file = true,
                        _ => {}
                    }
                }
            }
            if is_file && name.as_deref() == Some(field) {
                found = Some(FilePart {
                    content_type: header("content-type").unwrap_or_default(),
                    data: body.slice(data_start..data_end),
                });
            }
        }
        at = end + delimiter.len();
    }
    found
}

/// The last value of `name` among `fields` (Django's `QueryDict.get`).
pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The `boundary` parameter of a multipart content type.
fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|b| !b.is_empty())
    })
}

/// Non-file fields of a `multipart/form-data` body.
fn multipart_fields(body: &[u8], boundary: &str) -> Vec<(String, String)> {
    let delimiter = format!("--{boundary}");
    let mut fields = Vec::new();
    let mut parts = split_bytes(body, delimiter.as_bytes());
    // Whatever precedes the first delimiter is a preamble.
    parts.next();
    for part in parts {
        if part.starts_with(b"--") {
            break; // closing delimiter
        }
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let Some(split) = find(part, b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&part[..split]);
        let mut value = &part[split + 4..];
        value = value.strip_suffix(b"\r\n").unwrap_or(value);
        let Some(disposition) = head.lines().find_map(|line| {
            let (name, rest) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-disposition")
                .then_some(rest)
        }) else {
            continue;
        };
        let mut name = None;
        let mut is_file = false;
        for param in disposition.split(';').skip(1) {
            if let Some((k, v)) = param.trim().split_once('=') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "name" => name = Some(v.trim().trim_matches('"').to_owned()),
                    "filename" => is_file = true,
                    _ => {}
                }
            }
        }
        if let (Some(name), false) = (name, is_file) {
            fields.push((name, String::from_utf8_lossy(value).into_owned()));
        }
    }
    fields
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split_bytes<'a>(mut data: &'a [u8], delimiter: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        match find(data, delimiter) {
            Some(at) => {
                let piece = &data[..at];
                data = &data[at + delimiter.len()..];
                Some(piece)
            }
            None => {
                done = true;
                Some(data)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http::{HeaderMap, Method};

    fn request(content_type: &str, body: &'static str) -> ApiRequest {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", content_type.parse().unwrap());
        let uri: http::Uri = "/".parse().unwrap();
        ApiRequest::new(
            Method::POST,
            &uri,
            headers,
            Bytes::from_static(body.as_bytes()),
        )
    }

    #[test]
    fn urlencoded() {
        let req = request(
            "application/x-www-form-urlencoded; charset=utf-8",
            "feedback_msg=hello+world%21&feedback_data=&bare",
        );
        let fields = form_fields(&req);
        assert_eq!(field(&fields, "feedback_msg"), Some("hello world!"));
        assert_eq!(field(&fields, "feedback_data"), Some(""));
        assert_eq!(field(&fields, "bare"), Some(""));
    }

    #[test]
    fn multipart() {
        let req = request(
            "multipart/form-data; boundary=XyZ",
            "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n\
             --XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n\
             Content-Type: text/plain\r\n\r\nfile\r\n--XyZ--\r\n",
        );
        let fields = form_fields(&req);
        assert_eq!(fields, vec![("a".to_owned(), "one".to_owned())]);
    }

    #[test]
    fn multipart_files() {
        let req = request(
            "multipart/form-data; boundary=XyZ",
            "--XyZ\r\nContent-Disposition: form-data; name=\"X-Object-Data\"\r\n\r\nnot a file\r\n\
             --XyZ\r\nContent-Disposition: form-data; name=\"X-Object-Data\"; filename=\"x.txt\"\r\n\
             Content-Type: text/plain\r\n\r\nfile\r\ndata\r\n--XyZ--\r\n",
        );
        let file = multipart_file(&req, "X-Object-Data").unwrap();
        assert_eq!(file.content_type, "text/plain");
        assert_eq!(&file.data[..], b"file\r\ndata");
        assert!(multipart_file(&req, "other").is_none());
        let empty = request(
            "multipart/form-data; boundary=B",
            "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"e\"\r\n\r\n\r\n--B--",
        );
        let file = multipart_file(&empty, "f").unwrap();
        assert_eq!(file.content_type, "");
        assert!(file.data.is_empty());
        assert!(multipart_file(&request("multipart/form-data; boundary=B", "junk"), "f").is_none());
    }

    #[test]
    fn other_types_have_no_fields() {
        let req = request("application/octet-stream", "feedback_msg=x");
        assert!(form_fields(&req).is_empty());
    }
}

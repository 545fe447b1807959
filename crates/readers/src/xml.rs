//! A cautious XML pull reader over quick-xml: bounded depth, no DTD and no
//! entity expansion (only the five predefined entities and character
//! references), lenient about mismatched end tags in damaged files.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::error::{damaged, DocProblem};
use super::limits::{exceeded, Deadline, Limits};

pub enum Ev<'a> {
    Start(BytesStart<'a>),
    /// A self-closing element.
    Empty(BytesStart<'a>),
    End(Vec<u8>),
    Text(String),
}

pub struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    depth: usize,
    max_depth: usize,
    deadline: Deadline,
    events: u64,
    /// Where the event last returned began (bytes into the text).
    event_start: u64,
}

impl<'a> Xml<'a> {
    pub fn new(text: &'a str, limits: &Limits, deadline: Deadline) -> Xml<'a> {
        let mut reader = Reader::from_reader(text.as_bytes());
        reader.config_mut().check_end_names = false;
        Xml {
            reader,
            depth: 0,
            max_depth: limits.max_xml_depth,
            deadline,
            events: 0,
            event_start: 0,
        }
    }

    /// The next event, or `None` at the end.
    // Not an Iterator: each step can fail (limits, a damaged file).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Ev<'a>>, DocProblem> {
        loop {
            self.events += 1;
            if self.events.is_multiple_of(4096) {
                self.deadline.check()?;
            }
            self.event_start = self.reader.buffer_position();
            let ev = self.reader.read_event().map_err(|e| {
                damaged(format!(
                    "XML error at byte {}: {e}",
                    self.reader.buffer_position()
                ))
            })?;
            return Ok(Some(match ev {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        return Err(exceeded(
                            "max_xml_depth",
                            format!("elements nested over {} deep", self.max_depth),
                        ));
                    }
                    Ev::Start(e)
                }
                Event::Empty(e) => Ev::Empty(e),
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    Ev::End(e.local_name().as_ref().as_bytes().to_vec())
                }
                Event::Text(t) => Ev::Text(t.xml10_content().into_owned()),
                Event::CData(t) => Ev::Text(t.into_inner().into_owned()),
                Event::GeneralRef(r) => match r.resolve_char_ref() {
                    Ok(Some(c)) => Ev::Text(c.to_string()),
                    _ => match &*r.xml10_content() {
                        "amp" => Ev::Text("&".into()),
                        "lt" => Ev::Text("<".into()),
                        "gt" => Ev::Text(">".into()),
                        "quot" => Ev::Text("\"".into()),
                        "apos" => Ev::Text("'".into()),
                        // Anything else would need a DTD: never expanded.
                        _ => continue,
                    },
                },
                Event::Eof => return Ok(None),
                // DOCTYPE (never processed), comments, declarations, PIs.
                _ => continue,
            }));
        }
    }
}

impl Xml<'_> {
    /// The byte range of the event last returned by [`Xml::next`] (an
    /// element's start tag, a whole self-closing element, an end tag), for
    /// those who copy parts of the text as they are.
    pub fn event_range(&self) -> std::ops::Range<usize> {
        self.event_start as usize..self.reader.buffer_position() as usize
    }
}

/// The local name of an element (`w:p` -> `p`).
pub fn local(e: &BytesStart<'_>) -> Vec<u8> {
    e.local_name().as_ref().as_bytes().to_vec()
}

/// An attribute's value by local name (`w:val` and `val` both match `val`).
pub fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref().as_bytes() == name).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

/// Text escaped for an element's content or an attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

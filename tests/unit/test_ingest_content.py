"""Body checks and decoding: XML dangers, binary and HTML sniffing, declared and undeclared charsets."""

import codecs

from pipelines.ingest.content import decode_html, feed_type_problem, page_type_problem, xml_danger

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b"<rss><channel><title>&lol2;</title></channel></rss>"
)
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss>&x;</rss>'
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>ok</title></channel></rss>'
RSS_091 = (
    b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
    b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel></channel></rss>'
)


def test_entity_declarations_are_refused() -> None:
    reason = xml_danger(BILLION_LAUGHS)
    assert reason is not None and "EntitiesForbidden" in reason
    assert xml_danger(EXTERNAL) is not None


def test_plain_and_doctype_feeds_and_broken_xml_are_not_dangers() -> None:
    assert xml_danger(RSS) is None
    assert xml_danger(RSS_091) is None  # a DOCTYPE without entity declarations is legitimate RSS 0.91
    assert xml_danger(b"<rss><channel><title>x</ti") is None  # malformed: feedparser's to report


def test_feed_type_problems() -> None:
    assert feed_type_problem("application/rss+xml", RSS) is None
    assert feed_type_problem("text/html", RSS) is None  # real feeds are often served as text/html
    html = b"<!DOCTYPE html><html><head><title>Home</title></head><body></body></html>"
    assert "HTML page" in (feed_type_problem("text/html", html) or "")
    assert "binary" in (feed_type_problem("application/rss+xml", b"\x89PNG\r\n\x1a\n\0\0") or "")
    assert "binary" in (feed_type_problem("image/png", b"GIF89a") or "")


def test_page_type_problems() -> None:
    assert page_type_problem("text/html", b"<html><p>hi</p></html>") is None
    assert "binary" in (page_type_problem("text/html", b"%PDF-1.7\n\0\0\0") or "")
    assert "not an HTML page" in (page_type_problem("application/json", b"{}") or "")
    utf16 = codecs.BOM_UTF16_LE + "<html></html>".encode("utf-16-le")
    assert page_type_problem("text/html", utf16) is None


def test_declared_charset_that_fits() -> None:
    body = "<html><p>Zürich café</p></html>".encode("cp1252")
    decoded = decode_html(body, "windows-1252")
    assert "Zürich café" in decoded.text and decoded.note is None


def test_wrong_declared_charset_utf8_claimed_but_cp1252_bytes() -> None:
    body = ("<html><p>" + "Le café de la façade a rouvert mardi après les travaux. " * 20 + "</p></html>").encode("cp1252")
    decoded = decode_html(body, "utf-8")
    assert "café" in decoded.text and "façade" in decoded.text and "\ufffd" not in decoded.text
    assert decoded.note and "declared charset utf-8" in decoded.note


def test_wrong_declared_charset_latin1_claimed_but_utf8_bytes() -> None:
    body = "<html><p>Kraków – Gdańsk</p></html>".encode()
    decoded = decode_html(body, "iso-8859-1")
    assert "Kraków – Gdańsk" in decoded.text and decoded.encoding == "utf-8"
    assert decoded.note and "wrong" in decoded.note


def test_meta_charset_is_used_when_the_header_has_none() -> None:
    body = '<html><head><meta charset="windows-1251"></head><p>Привет</p></html>'.encode("cp1251")
    decoded = decode_html(body, None)
    assert "Привет" in decoded.text and decoded.encoding == "cp1251"


def test_undeclared_charset_is_detected_or_utf8() -> None:
    assert decode_html("<p>naïve</p>".encode(), None).text == "<p>naïve</p>"
    assert decode_html(b"<p>plain</p>", None).note is None
    bom = decode_html(codecs.BOM_UTF8 + "<p>é</p>".encode(), "iso-8859-1")
    assert bom.text == "<p>é</p>"

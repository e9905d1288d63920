"""Customers write in every charset: CJK mail, mislabelled mail and mail with no label at all.

Each mail is built here from the RFCs it follows (RFC 2045-2047 for MIME and encoded
words, RFC 1468 for ISO-2022-JP); the expected text is what the customer typed.
"""

from __future__ import annotations

import base64

import pytest

from comptoir.channels.email.parsing import decode_bytes, parse_email

JAPANESE = "お問い合わせの件、よろしくお願いいたします。"


def mail(body: bytes, *, charset: str | None, subject: bytes = b"Question", cte: str = "8bit") -> bytes:
    content_type = b"text/plain" + (b"; charset=" + charset.encode() if charset is not None else b"")
    return (
        b"From: customer@example.jp\nTo: support@example.com\nSubject: " + subject + b"\n"
        b"MIME-Version: 1.0\nContent-Type: " + content_type + b"\nContent-Transfer-Encoding: " + cte.encode() + b"\n\n" + body
    )


def encoded_word(text: str, charset: str) -> bytes:
    return b"=?" + charset.encode() + b"?B?" + base64.b64encode(text.encode(charset)) + b"?="


# --- RFC 1468: ISO-2022-JP -------------------------------------------------------------


def test_iso_2022_jp_body_and_subject_are_read_as_japanese():
    body = (JAPANESE + "\n").encode("iso2022_jp")
    raw = mail(body, charset="ISO-2022-JP", subject=encoded_word("ログインできません", "iso2022_jp"), cte="7bit")
    parsed = parse_email(raw)
    assert parsed.subject == "ログインできません"
    assert parsed.body_text == JAPANESE + "\n"


def test_iso_2022_jp_subject_split_over_two_encoded_words_is_joined():
    first, second = encoded_word("ログイン", "iso2022_jp"), encoded_word("できません", "iso2022_jp")
    parsed = parse_email(mail(b"x\n", charset="us-ascii", subject=first + b"\n " + second))
    assert parsed.subject == "ログインできません"


def test_raw_iso_2022_jp_subject_without_encoded_word_is_decoded():
    # old Japanese mailers put the escape sequences straight into the header
    parsed = parse_email(mail(b"x\n", charset="iso-2022-jp", subject="請求書について".encode("iso2022_jp"), cte="7bit"))
    assert parsed.subject == "請求書について"


def test_outlook_iso_2022_jp_with_circled_numbers_and_company_mark_is_decoded():
    # Windows writes NEC row 13 (①, ㈱) inside ISO-2022-JP; no Python codec accepts those rows.
    # "①" is JIS 0x2D21 and "㈱" 0x2D6A; "問" is 0x4C64.
    body = b"\x1b$B-!Ld-j\x1b(B\n"
    parsed = parse_email(mail(body, charset="iso-2022-jp", cte="7bit"))
    assert parsed.body_text == "①問㈱\n"


def test_undeclared_iso_2022_jp_body_is_recognised_by_its_escape_sequences():
    parsed = parse_email(mail((JAPANESE + "\n").encode("iso2022_jp"), charset=None, cte="7bit"))
    assert parsed.body_text == JAPANESE + "\n"


def test_iso_2022_jp_body_labelled_us_ascii_is_read_as_japanese():
    # the 7-bit bytes fit the ASCII label, but their escape sequences say ISO-2022-JP
    parsed = parse_email(mail((JAPANESE + "\n").encode("iso2022_jp"), charset="us-ascii", cte="7bit"))
    assert parsed.body_text == JAPANESE + "\n"


# --- Shift_JIS / CP932 / EUC-JP --------------------------------------------------------


def test_shift_jis_label_on_cp932_text_reads_the_windows_characters():
    # "①" (0x8740) and "～" exist only in Microsoft's CP932, which Windows labels Shift_JIS
    body = "①番の件～よろしく\n".encode("cp932")
    assert parse_email(mail(body, charset="Shift_JIS")).body_text == "①番の件～よろしく\n"


def test_raw_shift_jis_subject_is_read_in_the_charset_the_body_declares():
    parsed = parse_email(mail(JAPANESE.encode("shift_jis"), charset="shift_jis", subject="見積もり依頼".encode("shift_jis")))
    assert parsed.subject == "見積もり依頼"
    assert parsed.body_text == JAPANESE


def test_shift_jis_encoded_word_in_the_sender_name_is_decoded():
    raw = mail(b"x\n", charset="us-ascii").replace(
        b"From: customer@example.jp", b"From: " + encoded_word("山田太郎", "shift_jis") + b" <taro@example.jp>"
    )
    parsed = parse_email(raw)
    assert (parsed.from_name, parsed.from_email) == ("山田太郎", "taro@example.jp")


def test_shift_jis_text_with_one_damaged_byte_stays_japanese():
    # one byte lost in transit must not make the whole text Korean or Chinese
    body = (JAPANESE * 3).encode("shift_jis")
    damaged = body[:11] + b"\x7f" + body[12:]  # the trail byte of "せ" (82 B9) is no trail byte any more
    text = parse_email(mail(damaged, charset="shift_jis")).body_text
    assert text.endswith(JAPANESE * 2)
    assert text.count("\ufffd") == 1


def test_windows_31j_label_is_cp932():
    assert parse_email(mail("①です".encode("cp932"), charset="Windows-31J")).body_text == "①です"


def test_euc_jp_body_is_decoded():
    assert parse_email(mail(JAPANESE.encode("euc_jp"), charset="EUC-JP")).body_text == JAPANESE


def test_undeclared_shift_jis_body_is_detected():
    parsed = parse_email(mail(JAPANESE.encode("cp932"), charset=None))
    assert parsed.body_text == JAPANESE


# --- Chinese and Korean ----------------------------------------------------------------


def test_gb2312_label_on_gbk_text_reads_the_gbk_characters():
    # "镕" and "堃" are in GBK (and GB18030) but not in GB2312
    text = "朱镕基和王堃的订单"
    assert parse_email(mail(text.encode("gbk"), charset="gb2312")).body_text == text


def test_gb18030_four_byte_characters_are_decoded():
    text = "订单 𠀀 已发货"  # U+20000 is a four-byte GB18030 sequence
    assert parse_email(mail(text.encode("gb18030"), charset="GB18030")).body_text == text


def test_big5_body_and_subject_are_decoded():
    text = "您好，我的訂單還沒有到。"
    parsed = parse_email(mail(text.encode("big5"), charset="big5", subject=encoded_word("訂單查詢", "big5")))
    assert (parsed.subject, parsed.body_text) == ("訂單查詢", text)


@pytest.mark.parametrize("label", ["ks_c_5601-1987", "euc-kr"])
def test_korean_labels_read_cp949_text(label):
    # "똠" is outside EUC-KR's KS X 1001 and only encodable in CP949 (Unified Hangul Code)
    text = "안녕하세요 똠방각하"
    assert parse_email(mail(text.encode("cp949"), charset=label)).body_text == text


def test_undeclared_gbk_body_is_detected():
    text = "您好，我上周订购的商品到现在还没有收到。订单号是一二三四五。请帮我查一下物流信息，谢谢。"
    assert parse_email(mail(text.encode("gbk"), charset=None)).body_text == text


# --- Western mislabels and hostile labels ----------------------------------------------


def test_iso_8859_1_label_on_windows_1252_quotes_and_euro():
    raw = mail(b"\x93Prix\x94 : 12 \x80\n", charset="iso-8859-1")
    assert parse_email(raw).body_text == "\u201cPrix\u201d : 12 \u20ac\n"


def test_wrong_declared_charset_is_overridden_when_the_bytes_do_not_fit_it():
    # labelled UTF-8 but written in Shift_JIS: the bytes are not UTF-8, so they are detected
    assert parse_email(mail(JAPANESE.encode("shift_jis"), charset="utf-8")).body_text == JAPANESE


def test_utf8_text_labelled_shift_jis_is_read_as_utf8():
    # valid multi-byte UTF-8 that the declared Shift_JIS codec rejects is UTF-8
    assert parse_email(mail("Crème brûlée ☕".encode(), charset="shift_jis")).body_text == "Crème brûlée ☕"


def test_unknown_charset_name_falls_back_to_detection():
    parsed = parse_email(mail(JAPANESE.encode("cp932"), charset="x-unknown"))
    assert parsed.body_text == JAPANESE


def test_encoded_word_with_broken_base64_keeps_the_readable_part():
    # "Réponse" in UTF-8 is base64 "UsOpcG9uc2U="; a stray "!" and the lost padding are ignored
    parsed = parse_email(mail(b"x\n", charset="utf-8", subject=b"=?utf-8?B?UsOpcG9u!c2U?= suite"))
    assert parsed.subject == "Réponse suite"


def test_encoded_word_with_an_unknown_charset_never_raises():
    parsed = parse_email(mail(b"x\n", charset="utf-8", subject=b"=?x-unknown?Q?Gr=FC=DFe?="))
    assert parsed.subject == "Grüße"


def test_decode_bytes_never_selects_a_non_text_codec():
    # "base64" and "rot13" are Python codecs, not charsets; a header must not pick them
    assert decode_bytes(b"aGVsbG8=", "base64") == "aGVsbG8="
    assert decode_bytes(b"uryyb", "rot13") == "uryyb"

"""Email domains of free mail providers: linking one to an account would pull in strangers.

Account domains make every new contact writing from that domain join the
account (contacts.actions.find_or_create_contact); a domain such as gmail.com
is shared by millions of unrelated people, so the admin center warns and asks
for an explicit confirmation before linking one.
"""

from __future__ import annotations

FREE_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.fr", "hotmail.be", "live.com", "live.fr",
    "live.be", "msn.com", "yahoo.com", "yahoo.fr", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com",
    "gmx.com", "gmx.de", "gmx.fr", "web.de", "proton.me", "protonmail.com", "mail.com", "laposte.net", "orange.fr",
    "wanadoo.fr", "free.fr", "sfr.fr", "skynet.be", "telenet.be", "hetnet.nl", "ziggo.nl", "kpnmail.nl", "yandex.com",
    "zoho.com", "tutanota.com", "fastmail.com",
})


def is_free_mail(domain: str) -> bool:
    return domain.lower() in FREE_MAIL_DOMAINS

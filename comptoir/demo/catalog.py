"""The demo helpdesk's fixed cast: departments, groups, agents, accounts, people and fields."""

from __future__ import annotations

from comptoir.core.models import Role, TicketScope

DEMO_PASSWORD = "comptoir-demo"  # every demo agent uses it; `comptoir demo` prints it with the agents' emails
AGENT_DOMAIN = "comptoir.localhost"

# slug -> (name, support address, default locale, from name, signature)
DEPARTMENTS = {
    "mobile-apps": ("Mobile apps", "support@mobile.comptoir.localhost", "fr", "Comptoir Mobile Support",
                    "— L'équipe support Comptoir Mobile / The Comptoir Mobile support team"),
    "finance": ("Finance", "support@finance.comptoir.localhost", "en", "Comptoir Billing",
                "— Comptoir Billing, Monday to Friday 9:00-17:00"),
    "general": ("General", "support@general.comptoir.localhost", "nl", "Comptoir Support",
                "— Het Comptoir supportteam"),
}

# name -> department slug
GROUPS = {
    "Mobile apps – Level 1": "mobile-apps",
    "Mobile apps – Level 2": "mobile-apps",
    "Finance – Billing": "finance",
    "Finance – Payments": "finance",
    "General support": "general",
}

# (name, role, ticket scope, locale, time zone, groups)
AGENTS = [
    ("Sophie Martin", Role.OWNER, TicketScope.ALL, "fr", "Europe/Paris", ["Mobile apps – Level 2", "Finance – Billing"]),
    ("Pieter Janssens", Role.SUPERVISOR, TicketScope.GROUPS, "nl", "Europe/Brussels", ["Mobile apps – Level 1", "Mobile apps – Level 2"]),
    ("Camille Dubois", Role.SUPERVISOR, TicketScope.ALL, "fr", "Europe/Brussels", ["Finance – Billing", "Finance – Payments"]),
    ("Lucas Bernard", Role.AGENT, TicketScope.ALL, "fr", "Europe/Paris", ["Mobile apps – Level 1"]),
    ("Emma Peeters", Role.AGENT, TicketScope.GROUPS, "nl", "Europe/Brussels", ["Mobile apps – Level 1"]),
    ("Noah Lambert", Role.ADMIN, TicketScope.ALL, "en", "Europe/Brussels", ["Finance – Payments"]),
    ("Léa Moreau", Role.AGENT, TicketScope.ASSIGNED, "fr", "Europe/Paris", ["Finance – Billing"]),
    ("Daan de Vries", Role.AGENT, TicketScope.GROUPS, "nl", "Europe/Amsterdam", ["General support"]),
    ("Julie Laurent", Role.AGENT, TicketScope.ASSIGNED, "en", "Europe/London", ["General support"]),
    ("Thomas Claes", Role.LIGHT_AGENT, TicketScope.GROUPS, "nl", "Europe/Brussels", ["Mobile apps – Level 2"]),
]

FIRST_NAMES = {
    "en": ["Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Jack", "Mia", "Charlie", "Grace", "James", "Lily"],
    "fr": ["Louis", "Chloé", "Hugo", "Inès", "Jules", "Manon", "Arthur", "Zoé", "Gabriel", "Louise", "Raphaël", "Alice"],
    "nl": ["Lars", "Fleur", "Bram", "Noor", "Sem", "Lotte", "Milan", "Sanne", "Thijs", "Femke", "Ruben", "Eline"],
}
LAST_NAMES = {
    "en": ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "Wright"],
    "fr": ["Lefebvre", "Girard", "Roux", "Fournier", "Mercier", "Blanc", "Guerin", "Muller", "Henry", "Faure"],
    "nl": ["Jansen", "de Boer", "Visser", "Smit", "Maes", "Willems", "Wouters", "Goossens", "Hermans", "Bakker"],
}

ACCOUNT_STEMS = ["Atelier Lumière", "Bakkerij Vos", "Northwind", "Brasserie du Parc", "Tulip Logistics", "Helios Energy",
                 "Maison Caron", "De Groene Fiets", "Blue Harbour", "Cabinet Rousseau"]
ACCOUNT_KINDS = ["", " Group", " Services", " Benelux"]

PRODUCTS = ["Comptoir Mobile for Android", "Comptoir Mobile for iOS", "Wallet card", "Invoicing", "Premium plan"]

CUSTOM_STATUSES = [("In progress", "open", 11), ("Escalated", "open", 12), ("Waiting for supplier", "on_hold", 41)]

DEVICE_MODELS = ["iPhone 15", "iPhone 13", "Pixel 8", "Galaxy S23", "Galaxy A54", "Fairphone 5"]
RESOLUTION_CODES = ["refunded", "corrected", "explained", "declined"]


def agent_email(name: str) -> str:
    """Agents sign in as first.last@comptoir.localhost (accents dropped), which @first.last mentions match."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return f"{'.'.join(plain.replace('-', ' ').split())}@{AGENT_DOMAIN}"


def account_names(count: int) -> list[str]:
    names = [f"{stem}{kind}" for kind in ACCOUNT_KINDS for stem in ACCOUNT_STEMS]
    return names[:count]

"""One router per domain. Routers parse, call an action or a query, and render: no ticket rules here."""

"""Outbound webhooks: signed POSTs of ticket and message events to URLs admins subscribe."""

"""The writes of the government services: the catalogue, requests by channel, appointments."""

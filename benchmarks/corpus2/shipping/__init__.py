"""A small shipping service: rates, a carrier client, an order store and the service."""

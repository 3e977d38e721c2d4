"""The web ring: Litestar app factory, controllers by audience, guards, error mapping."""

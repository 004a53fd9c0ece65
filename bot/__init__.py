"""Bot Framework and HTTP: settings, the activity handler, replies, the aiohttp app."""

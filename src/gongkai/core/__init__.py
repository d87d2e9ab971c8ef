"""Cross-cutting helpers that are not Django apps: env parsing, domain errors, legal time."""

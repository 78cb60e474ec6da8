"""The acquisition server: owns a partition of the plant, publishes it over MQTT, answers
consoles' requests (docs/mqtt-namespace.md)."""
